"""Laying corrections over records, and re-attaching them after a rerun of annotate."""

from __future__ import annotations

import pytest

from pipeline.records import ArticleRecord
from pipeline.review import edits
from pipeline.review.reattach import apply_corrections, overlay_all
from pipeline.review.store import CorrectionStore
from tests.review import fixture_records
from tests.review.fixture_records import MAIN_DOC, main_article

TOKYO_EVENT = "evt-448-502"
TANAKA_EVENT = "evt-275-346"


def _save(store: CorrectionStore, corrections: list) -> None:
    for c in corrections:
        store.add(c)


def _overlay(article: ArticleRecord, store: CorrectionStore):
    return apply_corrections(article, store.history(article.doc_id))


def rerun_with_inserted_sentence(monkeypatch: pytest.MonkeyPatch) -> ArticleRecord:
    """The same article after an upstream edit: a sentence inserted before the Tokyo event."""
    text = fixture_records.MAIN_TEXT.replace(
        "Seoul welcomed the step.", "Seoul welcomed the step. Officials said little more."
    )
    monkeypatch.setattr(fixture_records, "MAIN_TEXT", text)
    return fixture_records.main_article()


def test_overlay_shows_the_corrected_polarity(
    store: CorrectionStore, article: ArticleRecord
) -> None:
    overlay = apply_corrections(article, [])
    _save(store, edits.set_fields(overlay, "event", TOKYO_EVENT, {"polarity": "neutral"}, "ana"))
    again = _overlay(article, store)
    event = next(e for e in again.article.events if e.id == TOKYO_EVENT)
    assert event.polarity == "neutral"
    assert again.is_corrected("event", TOKYO_EVENT)
    assert [a.status for a in again.attachments] == ["applied"]
    # The record passed in is left as it was.
    assert next(e for e in article.events if e.id == TOKYO_EVENT).polarity == "escalatory"


def test_undone_correction_is_not_applied(store: CorrectionStore, article: ArticleRecord) -> None:
    _save(
        store,
        edits.set_fields(
            apply_corrections(article, []), "event", TOKYO_EVENT, {"polarity": "neutral"}, "ana"
        ),
    )
    store.undo_last(MAIN_DOC, "ana")
    event = next(e for e in _overlay(article, store).article.events if e.id == TOKYO_EVENT)
    assert event.polarity == "escalatory"


def test_corrections_reattach_after_an_identical_rerun(
    store: CorrectionStore, article: ArticleRecord
) -> None:
    overlay = apply_corrections(article, [])
    actor = article.actors[0]
    _save(store, edits.set_fields(overlay, "actor", actor.id, {"canonical_id": "jpn-fixed"}, "ana"))
    _save(store, [edits.remove_span(overlay, "date", article.dates[0].id, "ana")])
    s, e = fixture_records.find(article.text, "Busan")
    _save(store, [edits.add_span(overlay, "actor", s, e, {"type": "GROUP"}, "ana")])
    rerun = main_article()  # a fresh run on the same input
    again = _overlay(rerun, store)
    assert [a.status for a in again.attachments] == ["applied"] * 3
    corrected = again.article
    assert corrected is not None
    assert next(a for a in corrected.actors if a.id == actor.id).canonical_id == "jpn-fixed"
    assert all(d.id != article.dates[0].id for d in corrected.dates)
    assert any(a.text == "Busan" and a.type == "GROUP" for a in corrected.actors)


def test_corrections_are_found_again_after_a_sentence_is_inserted_before_them(
    store: CorrectionStore, article: ArticleRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    overlay = apply_corrections(article, [])
    _save(store, edits.set_fields(overlay, "event", TOKYO_EVENT, {"polarity": "neutral"}, "ana"))
    _save(store, edits.set_fields(overlay, "event", TANAKA_EVENT, {"polarity": "neutral"}, "ana"))
    rerun = rerun_with_inserted_sentence(monkeypatch)
    again = _overlay(rerun, store)
    status = {a.correction.element_id: a for a in again.attachments}
    assert status[TANAKA_EVENT].status == "applied" and status[TANAKA_EVENT].note is None
    # the Tokyo event moved by the inserted sentence: found again by its words and context
    assert status[TOKYO_EVENT].status == "applied"
    assert (status[TOKYO_EVENT].note or "").startswith("found again at 476-530")
    moved = next(e for e in again.article.events if e.id == "evt-476-530")
    assert moved.polarity == "neutral" and again.is_corrected("event", "evt-476-530")
    assert again.orphans == []


def test_correction_that_no_longer_fits_is_listed_not_dropped(
    store: CorrectionStore, article: ArticleRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    overlay = apply_corrections(article, [])
    _save(store, edits.set_fields(overlay, "event", TOKYO_EVENT, {"polarity": "neutral"}, "ana"))
    rerun = rerun_with_inserted_sentence(monkeypatch)
    rerun.events = [e for e in rerun.events if e.text != "Tokyo protested a naval drill near the disputed islets"]
    again = _overlay(rerun, store)
    assert again.attachments[0].status == "orphaned"
    assert "no longer in the records" in (again.attachments[0].reason or "")
    assert [o.correction.element_id for o in again.orphans] == [TOKYO_EVENT]


def test_a_quote_written_twice_is_placed_by_its_context_and_never_guessed() -> None:
    from pipeline.review.reattach import relocate
    from pipeline.review.store import Anchor

    text = "Seoul said no. Tokyo said no. Beijing said yes."
    anchor = Anchor(start=15, end=28, text="Tokyo said no", prefix="Seoul said no. ", suffix=". Beijing")
    edited = "Earlier, Seoul said no. Tokyo said no. Beijing said yes. Tokyo said no."
    assert relocate(anchor, edited) == (24, 37)
    assert edited[24:37] == "Tokyo said no" and text[15:28] == "Tokyo said no"
    # no context kept (an old correction): the nearest to the old offsets
    assert relocate(Anchor(start=5, end=7, text="ab"), "abxxxxxxab") == (8, 10)
    # two places alike in context and distance: no guess
    assert relocate(Anchor(start=4, end=6, text="ab"), "abxxxxxxab") is None
    assert relocate(Anchor(start=0, end=4, text="gone"), "nothing here") is None


def test_correction_is_orphaned_when_the_element_text_changed(
    store: CorrectionStore, article: ArticleRecord
) -> None:
    actor = article.actors[0]
    _save(
        store,
        edits.set_fields(
            apply_corrections(article, []), "actor", actor.id, {"role": "Envoy"}, "ana"
        ),
    )
    changed = article.model_copy(deep=True)
    changed.actors[0] = actor.model_copy(update={"text": "Tanaka"})
    again = _overlay(changed, store)
    assert again.attachments[0].status == "orphaned"
    assert "text changed" in (again.attachments[0].reason or "")


def test_an_added_span_moves_with_its_text_and_is_orphaned_when_its_words_are_gone(
    store: CorrectionStore, article: ArticleRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    s, e = fixture_records.find(article.text, "naval drill")
    _save(store, [edits.add_span(apply_corrections(article, []), "agreement", s, e, {}, "ana")])
    rerun = rerun_with_inserted_sentence(monkeypatch)
    again = _overlay(rerun, store)
    assert again.attachments[0].status == "applied"
    added = [a for a in again.article.agreements if a.text == "naval drill"]
    assert [(a.start, a.end) for a in added] == [fixture_records.find(rerun.text, "naval drill")]
    gone = rerun.model_copy(update={"text": rerun.text.replace("naval drill", "naval parade")})
    lost = _overlay(gone, store)
    assert lost.attachments[0].status == "orphaned" and "naval drill" in (lost.attachments[0].reason or "")


def test_corrections_of_a_vanished_article_are_orphaned(
    store: CorrectionStore, article: ArticleRecord
) -> None:
    _save(
        store,
        edits.set_fields(
            apply_corrections(article, []), "event", TOKYO_EVENT, {"polarity": "neutral"}, "ana"
        ),
    )
    overlays = overlay_all({}, store.history())
    assert overlays[MAIN_DOC].article is None
    assert overlays[MAIN_DOC].orphans[0].reason == "the article is no longer in the records"


def test_note_when_the_pipeline_value_changed_since(
    store: CorrectionStore, article: ArticleRecord
) -> None:
    _save(
        store,
        edits.set_fields(
            apply_corrections(article, []), "event", TOKYO_EVENT, {"polarity": "neutral"}, "ana"
        ),
    )
    rerun = article.model_copy(deep=True)
    for i, event in enumerate(rerun.events):
        if event.id == TOKYO_EVENT:
            rerun.events[i] = event.model_copy(update={"polarity": "de-escalatory"})
    attachment = _overlay(rerun, store).attachments[0]
    assert attachment.status == "applied"
    assert "changed" in (attachment.note or "")


def test_alignment_reject_and_accept(store: CorrectionStore, article: ArticleRecord) -> None:
    overlay = apply_corrections(article, [])
    _save(store, [edits.judge_alignment(overlay, TANAKA_EVENT, "chr-001", "reject", "ana")])
    _save(store, [edits.judge_alignment(overlay, TOKYO_EVENT, "chr-002", "accept", "ana")])
    _save(store, [edits.judge_alignment(overlay, TOKYO_EVENT, "chr-003", "accept", "ana")])
    corrected = _overlay(article, store).article
    assert corrected is not None
    events = {e.id: e for e in corrected.events}
    assert events[TANAKA_EVENT].aligned_entries == []
    links = {lk.entry_id: lk for lk in events[TOKYO_EVENT].aligned_entries}
    assert "reviewer-accepted" in links["chr-002"].reasons
    assert links["chr-003"].reasons == ["reviewer-added"]


def test_invalid_values_are_refused_before_storing(article: ArticleRecord) -> None:
    overlay = apply_corrections(article, [])
    with pytest.raises(edits.EditError):
        edits.set_fields(overlay, "event", TOKYO_EVENT, {"polarity": "hostile"}, "ana")
    with pytest.raises(edits.EditError, match="no actor called 'nobody'"):
        edits.set_fields(overlay, "event", TOKYO_EVENT, {"source": ["nobody"]}, "ana")
    with pytest.raises(edits.EditError, match="outside"):
        edits.add_span(overlay, "actor", 5, 10_000, {}, "ana")


def test_source_and_target_are_chosen_by_name(article: ArticleRecord) -> None:
    overlay = apply_corrections(article, [])
    event = next(e for e in article.events if e.id == TOKYO_EVENT)
    tokyo = next(a for a in article.actors if a.text == "Tokyo")
    label = edits.actor_label(tokyo)
    assert label.endswith(f"[{tokyo.id}]")
    # the form's own "Name [id]" and a typed name both come back as ids
    assert edits.parse_ids(f"{label}, Seoul") == [tokyo.id, "Seoul"]
    (made,) = edits.set_fields(overlay, "event", TOKYO_EVENT, {"target": edits.parse_ids("seoul")}, "ana")
    seoul = [a for a in article.actors if a.text == "Seoul"]
    assert made.after == [min(seoul, key=lambda a: abs(a.start - event.start)).id]


def test_a_span_and_other_fields_saved_together_all_apply(store: CorrectionStore, article: ArticleRecord) -> None:
    """One form moving a mention's span and changing its identity: the identity rows are
    anchored where the span put the mention, so none of them is orphaned."""
    actor = next(a for a in article.actors if a.text == "Tanaka Hiro")
    start = article.text.index("Minister Tanaka Hiro", actor.start - 20)
    made = edits.set_fields(apply_corrections(article, []), "actor", actor.id,
                            {"country": "KOR", "span": {"start": start, "end": actor.end}}, "ana")
    assert [c.field for c in made] == ["span", "country"]
    _save(store, made)
    again = _overlay(article, store)
    assert [a.status for a in again.attachments] == ["applied", "applied"]
    moved = next(a for a in again.article.actors if a.id == actor.id)
    assert (moved.text, moved.country) == ("Minister Tanaka Hiro", "KOR")
