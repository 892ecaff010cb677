"""Events a reviewer adds, deletes, re-labels for modality or makes the main event, on the real
seed article: the overlay keeps every sentence's and entry's polarity its main event's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.annotate import annotate
from pipeline.records import ArticleRecord
from pipeline.review import edits
from pipeline.review.reattach import apply_corrections
from pipeline.review.store import Correction, CorrectionStore, StoreError
from pipeline.training.corrections import from_native


def _record(path: Path, out: Path) -> ArticleRecord:
    from pipeline.nlp import build_pipeline

    annotate([path], out, build_pipeline(), replace=True)
    line = (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()[0]
    return ArticleRecord.model_validate(json.loads(line))


@pytest.fixture(scope="module")
def seed_copy(seed_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "seed.txt"
    path.write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def record(seed_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> ArticleRecord:
    return _record(seed_copy, tmp_path_factory.mktemp("out"))


def _numbered(corrections: list[Correction]) -> list[Correction]:
    for k, c in enumerate(corrections, start=1):
        c.id = k
    return corrections


def _entry_with_events(record: ArticleRecord, at_least: int) -> tuple[object, list[object]]:
    for entry in record.chronology:
        inside = [e for e in record.events if e.chronology_entry_id == entry.id]
        if len(inside) >= at_least:
            return entry, inside
    raise AssertionError(f"the seed has no entry with {at_least} events")


def _word_without_event(record: ArticleRecord, entry: object) -> tuple[int, int]:
    """The offsets of a word of the entry that is no event's trigger."""
    triggers = {(e.trigger.start, e.trigger.end) for e in record.events if e.trigger}
    text = record.text
    at = entry.text_start  # type: ignore[attr-defined]
    for word in text[entry.text_start:entry.end].split():  # type: ignore[attr-defined]
        start = text.index(word, at)
        at = start + len(word)
        if word.isalpha() and len(word) > 3 and (start, at) not in triggers:
            return start, at
    raise AssertionError("no free word in the entry")


def test_an_added_event_made_main_gives_the_entry_its_polarity(record: ArticleRecord) -> None:
    entry, inside = _entry_with_events(record, 1)
    main = next(e for e in inside if e.is_main)
    other = next(p for p in ("escalatory", "de-escalatory", "neutral") if p != main.polarity)
    overlay = apply_corrections(record, [])
    start, end = _word_without_event(record, entry)
    added = edits.add_event(overlay, start, end, {"polarity": other, "modality": "reported"}, "ana")
    assert added.element_id.startswith(f"evt-{entry.text_start}-{entry.end}-r")  # type: ignore[attr-defined]
    with_event = apply_corrections(record, _numbered([added]))
    assert [a.status for a in with_event.attachments] == ["applied"]
    new = next(e for e in with_event.article.events if e.id == added.element_id)  # type: ignore[union-attr]
    assert (new.polarity, new.modality, new.is_main, new.confidence) == (other, "reported", False, 1.0)
    assert new.chronology_entry_id == entry.id and new.date == entry.date  # type: ignore[attr-defined]
    shown = next(c for c in with_event.article.chronology if c.id == entry.id)  # type: ignore[union-attr, attr-defined]
    assert shown.main_event_id == main.id and shown.polarity == main.polarity  # not main yet: unchanged
    made_main = edits.set_fields(with_event, "event", added.element_id, {"is_main": True}, "ana")
    final = apply_corrections(record, _numbered([added, *made_main]))
    shown = next(c for c in final.article.chronology if c.id == entry.id)  # type: ignore[union-attr, attr-defined]
    assert (shown.main_event_id, shown.polarity, shown.confidence) == (added.element_id, other, 1.0)
    flags = {e.id: e.is_main for e in final.article.events if e.chronology_entry_id == entry.id}  # type: ignore[union-attr, attr-defined]
    assert flags[added.element_id] and not flags[main.id]


def test_deleting_the_main_event_hands_the_entry_to_its_next_event(record: ArticleRecord) -> None:
    entry, inside = _entry_with_events(record, 2)
    main = next(e for e in inside if e.is_main)
    rest = [e for e in inside if e.id != main.id]
    overlay = apply_corrections(record, [])
    removal = edits.remove_span(overlay, "event", main.id, "ana")
    after = apply_corrections(record, _numbered([removal]))
    assert main.id not in {e.id for e in after.article.events}  # type: ignore[union-attr]
    shown = next(c for c in after.article.chronology if c.id == entry.id)  # type: ignore[union-attr, attr-defined]
    assert shown.main_event_id == rest[0].id and shown.polarity == rest[0].polarity
    # every other unit is as the pipeline left it
    untouched = [c for c in after.article.chronology if c.id != entry.id]  # type: ignore[union-attr, attr-defined]
    assert untouched == [c for c in record.chronology if c.id != entry.id]  # type: ignore[attr-defined]
    assert after.article.sentences == record.sentences  # type: ignore[union-attr]


def test_modality_is_corrected_and_an_unknown_one_refused(record: ArticleRecord) -> None:
    event = next(e for e in record.events if e.modality == "asserted")
    overlay = apply_corrections(record, [])
    made = edits.set_fields(overlay, "event", event.id, {"modality": "hypothetical"}, "ana")
    assert [(c.field, c.before, c.after) for c in made] == [("modality", "asserted", "hypothetical")]
    after = apply_corrections(record, _numbered(made))
    assert next(e for e in after.article.events if e.id == event.id).modality == "hypothetical"  # type: ignore[union-attr]
    with pytest.raises(edits.EditError, match="modality"):
        edits.set_fields(overlay, "event", event.id, {"modality": "rumoured"}, "ana")


def test_added_events_are_refused_where_they_cannot_stand(record: ArticleRecord) -> None:
    overlay = apply_corrections(record, [])
    with_trigger = next(e for e in record.events if e.trigger is not None)
    assert with_trigger.trigger is not None
    with pytest.raises(edits.EditError, match="already has this trigger"):
        edits.add_event(overlay, with_trigger.trigger.start, with_trigger.trigger.end, {"polarity": "neutral"}, "ana")
    entry, _ = _entry_with_events(record, 1)
    start, end = _word_without_event(record, entry)
    with pytest.raises(edits.EditError, match="choose the polarity"):
        edits.add_event(overlay, start, end, {}, "ana")
    with pytest.raises(edits.EditError, match="outside the article"):
        edits.add_event(overlay, len(record.text) - 1, len(record.text) + 5, {"polarity": "neutral"}, "ana")
    with pytest.raises(edits.EditError, match="no actor called"):
        edits.add_event(overlay, start, end, {"polarity": "neutral", "source": ["Atlantis"]}, "ana")
    with pytest.raises(edits.EditError, match="main event"):
        edits.set_fields(overlay, "event", with_trigger.id, {"is_main": False}, "ana")


def test_an_added_event_follows_its_entry_after_the_text_above_is_edited(
    record: ArticleRecord, seed_copy: Path, tmp_path: Path
) -> None:
    entry, _ = _entry_with_events(record, 1)
    start, end = _word_without_event(record, entry)
    overlay = apply_corrections(record, [])
    added = edits.add_event(overlay, start, end, {"polarity": "escalatory"}, "ana")
    made_main = edits.set_fields(apply_corrections(record, _numbered([added])), "event", added.element_id,
                                 {"is_main": True}, "ana")
    text = seed_copy.read_text(encoding="utf-8")
    cut = text.index("\n\n", len(text) // 10)
    edited = tmp_path / "seed.txt"
    edited.write_text(text[:cut] + " One more sentence." + text[cut:], encoding="utf-8")
    again = apply_corrections(_record(edited, tmp_path / "out"), _numbered([added, *made_main]))
    assert [a.status for a in again.attachments] == ["applied", "applied"], again.orphans
    assert all((a.note or "").startswith("found again") for a in again.attachments)
    shift = len(" One more sentence.")
    moved = next(e for e in again.article.events if e.trigger and e.trigger.text == text[start:end]  # type: ignore[union-attr]
                 and e.polarity == "escalatory" and e.confidence == 1.0)
    assert moved.trigger is not None and moved.trigger.start == start + shift
    # its id follows its new offsets, and it is still the main event the reviewer made it
    assert moved.id == f"evt-{entry.text_start + shift}-{entry.end + shift}-r{start + shift}"  # type: ignore[attr-defined]
    assert moved.is_main
    unit = next(c for c in again.article.chronology if c.main_event_id == moved.id)  # type: ignore[union-attr]
    assert unit.polarity == "escalatory"


def test_event_additions_and_removals_are_stored_and_read_for_training(
    record: ArticleRecord, tmp_path: Path
) -> None:
    entry, inside = _entry_with_events(record, 1)
    start, end = _word_without_event(record, entry)
    overlay = apply_corrections(record, [])
    store = CorrectionStore(tmp_path / "c.sqlite")
    added = store.add(edits.add_event(overlay, start, end, {"polarity": "neutral"}, "ana"))
    removed = store.add(edits.remove_span(overlay, "event", inside[0].id, "ana"))
    assert [c.op for c in store.active(record.doc_id)] == ["add", "remove"]
    read = from_native([(None, added, None), (None, removed, None)], "db")
    # the added event's sentence is a polarity judgement; a deletion says its trigger was no event
    assert [(j.text, j.label, j.answer) for j in read.judgements] == [(entry.text, "neutral", "accept")]  # type: ignore[attr-defined]
    assert [(r.trigger, r.article) for r in read.removed_events] == [(inside[0].trigger.text, record.doc_id)]  # type: ignore[attr-defined]
    bad = Correction(doc_id="d", kind="comment", element_id="x", op="remove", reviewer="r",
                     created_at="2026-01-01T00:00:00Z", pipeline_version="0")
    with pytest.raises(StoreError):
        store.add(bad)


def test_an_entry_date_is_corrected_and_its_events_move_with_it(record: ArticleRecord, seed_copy: Path,
                                                                 tmp_path: Path) -> None:
    entry = next(c for c in record.chronology if c.date and any(
        e.chronology_entry_id == c.id and e.date == c.date for e in record.events))
    overlay = apply_corrections(record, [])
    made = edits.set_fields(overlay, "entry", entry.id, {"date": "2019-12-31", "date_end": None}, "ana")
    assert [(c.field, c.before, c.after) for c in made] == [("date", entry.date, "2019-12-31")]
    after = apply_corrections(record, _numbered(made))
    assert next(c for c in after.article.chronology if c.id == entry.id).date == "2019-12-31"  # type: ignore[union-attr]
    moved = [e for e in after.article.events if e.chronology_entry_id == entry.id]  # type: ignore[union-attr]
    assert moved and all(e.date != entry.date for e in moved)
    for bad, why in (("Dec. 31", "YYYY-MM-DD"), ("2019-13", "YYYY-MM-DD")):
        with pytest.raises(edits.EditError, match=why):
            edits.set_fields(overlay, "entry", entry.id, {"date": bad}, "ana")
    with pytest.raises(edits.EditError, match="before its first day"):
        edits.set_fields(overlay, "entry", entry.id, {"date": entry.date, "date_end": "1999-01-01"}, "ana")
    # the correction follows the entry when the text above it is edited
    text = seed_copy.read_text(encoding="utf-8")
    cut = text.index("\n\n", len(text) // 10)
    edited = tmp_path / "seed.txt"
    edited.write_text(text[:cut] + " One more sentence." + text[cut:], encoding="utf-8")
    again = apply_corrections(_record(edited, tmp_path / "out"), _numbered(made))
    assert [a.status for a in again.attachments] == ["applied"], again.orphans
    assert "2019-12-31" in {c.date for c in again.article.chronology}  # type: ignore[union-attr]


def test_all_links_of_an_entry_are_decided_at_once(record: ArticleRecord) -> None:
    linked = {}
    for event in record.events:
        for link in event.aligned_entries:
            linked.setdefault(link.entry_id, []).append(event.id)
    entry_id, events = max(linked.items(), key=lambda kv: len(kv[1]))
    overlay = apply_corrections(record, [])
    rejected = edits.judge_entry_links(overlay, entry_id, "reject", "ana")
    assert sorted(c.element_id for c in rejected) == sorted(f"{e}>{entry_id}" for e in events)
    after = apply_corrections(record, _numbered(rejected))
    assert not any(lk.entry_id == entry_id for e in after.article.events for lk in e.aligned_entries)  # type: ignore[union-attr]
    # a link the pipeline did not propose is added by accepting it
    narrative = next(e for e in record.events if e.chronology_entry_id is None
                     and all(lk.entry_id != entry_id for lk in e.aligned_entries))
    added = edits.judge_alignment(after, narrative.id, entry_id, "accept", "ana")
    final = apply_corrections(record, _numbered([*rejected, added]))
    link = next(lk for e in final.article.events if e.id == narrative.id for lk in e.aligned_entries  # type: ignore[union-attr]
                if lk.entry_id == entry_id)
    assert "reviewer-added" in link.reasons


def test_identities_are_merged_and_split(record: ArticleRecord) -> None:
    overlay = apply_corrections(record, [])
    by_identity: dict[str, list[object]] = {}
    for actor in record.actors:
        if actor.canonical_id:
            by_identity.setdefault(actor.canonical_id, []).append(actor)
    (a_id, a_mentions), (b_id, b_mentions) = sorted(by_identity.items(), key=lambda kv: -len(kv[1]))[:2]
    target = b_mentions[0]
    merged = edits.merge_identity(overlay, a_mentions[0].id, f"{target.canonical_name} [{target.id}]", "ana")  # type: ignore[attr-defined]
    after = apply_corrections(record, _numbered(merged))
    assert {a.id for a in after.article.actors if a.canonical_id == b_id} == {  # type: ignore[union-attr]
        a.id for a in [*a_mentions, *b_mentions]}  # type: ignore[attr-defined]
    assert not any(a.canonical_id == a_id for a in after.article.actors)  # type: ignore[union-attr]
    with pytest.raises(edits.EditError, match="already this actor's identity"):
        edits.merge_identity(after, a_mentions[0].id, target.id, "ana")  # type: ignore[attr-defined]
    # split one mention back off: only it changes
    one = a_mentions[0]
    split = edits.set_fields(after, "actor", one.id, {"canonical_id": "local:someone-else"}, "ana")  # type: ignore[attr-defined]
    final = apply_corrections(record, _numbered([*merged, *split]))
    assert [a.id for a in final.article.actors if a.canonical_id == "local:someone-else"] == [one.id]  # type: ignore[union-attr, attr-defined]
