"""Modality and main-event corrections teach the events stage (pipeline.training.events,
pipeline.events.learnt), and the lesson holds in an article no reviewer saw.

The three articles are invented for these tests. Reviewers correct two of them: events next
to "reportedly" are reported, and in "X and Y meet ... and agree to ..." entries the
agreement is the main event. The third is only read by the trained pipeline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import spacy

from pipeline.annotate import annotate
from pipeline.nlp import build_pipeline
from pipeline.training.corrections import read_corrections
from pipeline.training.events import learn_main_preferences, learn_modality, read_records

ARTICLES = {
    "sample-m1": """Japan - Vietnam

Sep — Dec 2019

Quiet Harbors

Tokyo and Hanoi kept their talks on maritime security going through the autumn. Vietnam reportedly agreed to host a Japanese training ship in November. Officials in both capitals said the visit went well.

Chronology of Japan - Vietnam Relations

September — December 2019

Sept. 3, 2019: Foreign Minister Kono and Pham Binh Minh meet in Hanoi and agree to expand coast guard training.

Oct. 9, 2019: Japan reportedly offers Vietnam six patrol boats.
""",
    "sample-m2": """Japan - Philippines

Sep — Dec 2019

Steady Ties

Manila and Tokyo widened their defense contacts in the last months of 2019. The Philippines reportedly signed a contract for Japanese radar equipment in October. Officials described the talks as routine.

Chronology of Japan - Philippines Relations

September — December 2019

Sept. 12, 2019: Abe and Duterte meet in Tokyo and agree to hold annual defense talks.

Nov. 2, 2019: Japan reportedly pledges new loans for the Manila subway.
""",
    "sample-m3": """Japan - Indonesia

Sep — Dec 2019

Fresh Waters

Jakarta and Tokyo kept in close touch. Indonesia reportedly approved a Japanese offer to fund a port in Natuna. Officials said the port would open in 2022.

Chronology of Japan - Indonesia Relations

September — December 2019

Oct. 2, 2019: Motegi and Retno Marsudi meet in Jakarta and agree to start maritime talks.

Dec. 5, 2019: Japan reportedly proposes a joint patrol in the Natuna Sea.
""",
}
REPORTED = {"sample-m1": ("agreed", "offers"), "sample-m2": ("signed", "pledges")}
MADE_MAIN = {"sample-m1": "agree", "sample-m2": "agree"}


def _records(folder: Path) -> dict[str, dict[str, Any]]:
    return {r["doc_id"]: r for r in map(json.loads, (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines())}


def _event(record: dict[str, Any], trigger: str, entry: bool | None = None) -> dict[str, Any]:
    return next(e for e in record["events"] if e["trigger"]["text"] == trigger
                and (entry is None or bool(e["chronology_entry_id"]) == entry))


def _correction(record: dict[str, Any], event: dict[str, Any], field: str, before: Any, after: Any, k: int) -> dict[str, Any]:
    return {"uid": f"u{k}", "doc_id": record["doc_id"], "kind": "event", "element_id": event["id"], "op": "set",
            "field": field, "before": before, "after": after,
            "anchor": {"start": event["start"], "end": event["end"], "text": event["text"]},
            "reviewer": "tester", "created_at": "2026-12-02T00:00:00Z", "pipeline_version": "test"}


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three articles annotated by the packaged pipeline, and the reviewers' corrections
    of two of them exported next to the records."""
    root = tmp_path_factory.mktemp("reviewed")
    inputs = root / "in"
    inputs.mkdir()
    for name, text in ARTICLES.items():
        (inputs / f"{name}.txt").write_text(text, encoding="utf-8")
    out = root / "out"
    annotate(sorted(inputs.iterdir()), out, build_pipeline())
    records = _records(out)
    rows = []
    for doc_id, triggers in REPORTED.items():
        for trigger in triggers:
            event = _event(records[doc_id], trigger)
            assert event["modality"] == "asserted"  # the rules' reading, which the reviewers correct
            rows.append(_correction(records[doc_id], event, "modality", "asserted", "reported", len(rows)))
    for doc_id, trigger in MADE_MAIN.items():
        event = _event(records[doc_id], trigger, entry=True)
        assert not event["is_main"]
        rows.append(_correction(records[doc_id], event, "is_main", False, True, len(rows)))
    (out / "corrections.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return out


def test_corrections_are_read_as_modality_and_main_event_corrections(reviewed: Path) -> None:
    found = read_corrections(reviewed / "corrections.jsonl")
    assert [(c.article, c.modality, c.before) for c in found.modalities] == [
        ("sample-m1", "reported", "asserted")] * 2 + [("sample-m2", "reported", "asserted")] * 2
    assert [c.article for c in found.mains] == ["sample-m1", "sample-m2"]
    assert found.record_folders == [reviewed]  # exported next to its records
    assert not [s for s in found.skipped if "not trained on" in s.reason]


def test_a_marker_corrected_in_two_articles_gives_its_modality_in_a_fresh_article(reviewed: Path) -> None:
    found = read_corrections(reviewed / "corrections.jsonl")
    nlp = build_pipeline()
    rows = learn_modality(nlp, found.modalities, read_records([reviewed], {"sample-m1", "sample-m2"}))
    assert {(r["trigger"], r["outcome"], r.get("marker")) for r in rows} == {
        ("agreed", "learnt", "reportedly"), ("offers", "learnt", "reportedly"),
        ("signed", "learnt", "reportedly"), ("pledges", "learnt", "reportedly")}
    assert {r["read_from"] for r in rows} == {"records"}  # each event read in its own sentence
    doc = nlp(ARTICLES["sample-m3"])
    modality = {e._.event_trigger["text"]: e._.event_modality for e in doc.spans["events"]}
    assert modality["approved"] == "reported" and modality["proposes"] == "reported"
    assert modality["kept"] == "asserted"  # no marker next to it


def test_a_marker_from_one_article_only_is_not_learnt(reviewed: Path) -> None:
    found = read_corrections(reviewed / "corrections.jsonl")
    nlp = build_pipeline()
    one = [c for c in found.modalities if c.article == "sample-m1"]
    rows = learn_modality(nlp, one, read_records([reviewed], {"sample-m1"}))
    assert [r["outcome"] for r in rows] == ["not-learnt", "not-learnt"]
    assert "in 2 articles" in rows[0]["reason"] and rows[0]["context"] == ["reportedly"]
    assert nlp.get_pipe("dipl_events").learnt.markers == {}  # type: ignore[attr-defined]


def test_a_made_main_event_is_preferred_in_the_same_kind_of_entry_elsewhere(reviewed: Path, tmp_path: Path) -> None:
    found = read_corrections(reviewed / "corrections.jsonl")
    nlp = build_pipeline()
    before = nlp(ARTICLES["sample-m3"])
    main_before = [e._.event_trigger["text"] for e in before.spans["events"] if e._.event_is_main and e._.event_chronology_entry_id == "chr-001"]
    assert main_before == ["meet"]
    rows = learn_main_preferences(nlp, found.mains, read_records([reviewed], {"sample-m1", "sample-m2"}))
    assert [(r["over"], r["prefer"], r["outcome"]) for r in rows] == [("meet", "agree", "learnt")] * 2
    # saved with the pipeline and read back with it
    nlp.to_disk(tmp_path / "model")
    assert (tmp_path / "model" / "dipl_events" / "main_preferences.jsonl").is_file()
    import pipeline.components  # noqa: F401  (registers the factories for spacy.load)

    reloaded = spacy.load(tmp_path / "model")
    doc = reloaded(ARTICLES["sample-m3"])
    mains = [e._.event_trigger["text"] for e in doc.spans["events"] if e._.event_is_main and e._.event_chronology_entry_id == "chr-001"]
    assert mains == ["agree"]
    # an entry holding only one of the two is unchanged
    other = [e._.event_trigger["text"] for e in doc.spans["events"] if e._.event_is_main and e._.event_chronology_entry_id == "chr-002"]
    assert other == ["proposes"]


def test_without_the_records_a_main_event_correction_says_what_is_missing(reviewed: Path) -> None:
    found = read_corrections(reviewed / "corrections.jsonl")
    rows = learn_main_preferences(build_pipeline(), found.mains, {})
    assert {r["outcome"] for r in rows} == {"not-learnt"} and "--records" in rows[0]["reason"]


def test_event_learning_that_makes_its_gold_worse_is_taken_back(reviewed: Path) -> None:
    from pipeline.training.guards import guarded_event_learning

    found = read_corrections(reviewed / "corrections.jsonl")
    nlp = build_pipeline()
    records = read_records([reviewed], {"sample-m1", "sample-m2"})
    modality_scores = iter([0.9, 0.6])  # before, after
    main_scores = iter([0.8, 0.8])
    modality_rows, main_rows = guarded_event_learning(
        nlp, found.modalities, found.mains, records, 0.02,
        modality_f1=lambda _nlp: next(modality_scores), main_f1=lambda _nlp: next(main_scores))
    assert {r["outcome"] for r in modality_rows} == {"reverted"}
    assert "event modality gold F1 would drop from 0.900 to 0.600" in modality_rows[0]["reason"]
    assert {r["outcome"] for r in main_rows} == {"learnt"}
    learnt = nlp.get_pipe("dipl_events").learnt  # type: ignore[attr-defined]
    assert learnt.markers == {} and learnt.preferences == {("meet", "agree")}
