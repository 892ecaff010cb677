"""Exports (native, corrected records, Prodigy, doccano) and importing them back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.records import ArticleRecord, ChronologyRecord
from pipeline.review import edits, export
from pipeline.review.reattach import apply_corrections
from pipeline.review.store import CorrectionStore
from tests.review import fixture_records
from tests.review.fixture_records import MAIN_DOC

TOKYO_EVENT = "evt-448-502"


def _rows(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def _correct(store: CorrectionStore, articles: dict[str, ArticleRecord]) -> None:
    """Polarity, an added actor, a removed date and a fixed agreement id."""
    article = articles[MAIN_DOC]
    overlay = apply_corrections(article, [])
    for c in edits.set_fields(overlay, "event", TOKYO_EVENT, {"polarity": "neutral"}, "ana"):
        store.add(c)
    s, e = fixture_records.find(article.text, "Busan")
    store.add(edits.add_span(overlay, "actor", s, e, {"type": "GROUP", "country": "KOR"}, "ana"))
    store.add(edits.remove_span(overlay, "date", article.dates[1].id, "ana"))
    for c in edits.set_fields(
        overlay, "agreement", article.agreements[0].id, {"canonical_id": "agr-x"}, "ana"
    ):
        store.add(c)


def _signature(store: CorrectionStore, articles: dict[str, ArticleRecord]) -> dict:
    corrected = {a.doc_id: a for a in export.corrected_articles(store, articles)}[MAIN_DOC]
    return {
        "polarity": {e.id: e.polarity for e in corrected.events},
        "actors": sorted(
            (a.start, a.end, a.type, a.country, a.canonical_id) for a in corrected.actors
        ),
        "dates": sorted((d.start, d.end, d.value) for d in corrected.dates),
        "agreements": sorted((g.start, g.end, g.canonical_id) for g in corrected.agreements),
    }


def test_native_export_round_trip(store: CorrectionStore, articles: dict, tmp_path: Path) -> None:
    _correct(store, articles)
    store.undo_last(MAIN_DOC, "ana")
    dumped = export.corrections_jsonl(store, articles)
    rows = _rows(dumped)
    assert [r["status"] for r in rows] == ["applied", "applied", "applied", "undone"]
    other = CorrectionStore(tmp_path / "other.sqlite")
    result = export.import_jsonl(dumped, other, articles, "ben")
    assert (result.added, result.skipped) == (4, 0)
    assert _signature(other, articles) == _signature(store, articles)
    assert [c.uid for c in other.history()] == [c.uid for c in store.history()]
    again = export.import_jsonl(dumped, other, articles, "ben")
    assert (again.added, again.skipped) == (0, 4)  # nothing is imported twice


def test_prodigy_round_trip_rebuilds_the_corrections(
    store: CorrectionStore, articles: dict, tmp_path: Path
) -> None:
    _correct(store, articles)
    textcat = _rows(export.prodigy_textcat_jsonl(store, articles))
    assert {(t["label"], t["answer"]) for t in textcat} == {
        ("neutral", "accept"),
        ("escalatory", "reject"),
    }
    assert all(t["text"].endswith("disputed islets.") for t in textcat)
    spans = _rows(export.prodigy_spans_jsonl(store, articles))
    assert spans and all(s["answer"] == "accept" for s in spans)
    for task in spans:
        for span in task["spans"]:
            assert task["text"][span["start"] : span["end"]] == span["text"]
    other = CorrectionStore(tmp_path / "other.sqlite")
    text = export.prodigy_textcat_jsonl(store, articles) + export.prodigy_spans_jsonl(
        store, articles
    )
    result = export.import_jsonl(text, other, articles, "ben")
    assert result.skipped == 0, result.problems
    assert _signature(other, articles) == _signature(store, articles)


def test_doccano_round_trip_rebuilds_the_spans(
    store: CorrectionStore, articles: dict, tmp_path: Path
) -> None:
    _correct(store, articles)
    lines = _rows(export.doccano_jsonl(store, articles))
    for line in lines:
        assert [line["text"][s:e] for s, e, _ in line["label"]] == line["span_texts"]
    other = CorrectionStore(tmp_path / "other.sqlite")
    result = export.import_jsonl(export.doccano_jsonl(store, articles), other, articles, "ben")
    assert result.skipped == 0, result.problems
    mine, theirs = _signature(store, articles), _signature(other, articles)
    # doccano carries labels only: span offsets and actor types come back, ids do not.
    assert [a[:3] for a in theirs["actors"]] == [a[:3] for a in mine["actors"]]
    assert [d[:2] for d in theirs["dates"]] == [d[:2] for d in mine["dates"]]


def test_corrected_records_export_is_valid(store: CorrectionStore, articles: dict) -> None:
    _correct(store, articles)
    arts = [
        ArticleRecord.model_validate(r)
        for r in _rows(export.corrected_articles_jsonl(store, articles))
    ]
    assert {a.doc_id for a in arts} == set(articles)
    chrono = [
        ChronologyRecord.model_validate(r)
        for r in _rows(export.corrected_chronology_jsonl(store, articles))
    ]
    assert {c.entry_id for c in chrono if c.doc_id == MAIN_DOC} == {
        "chr-001",
        "chr-002",
        "chr-003",
        "chr-004",
    }


def test_export_lists_orphans(store: CorrectionStore, articles: dict) -> None:
    _correct(store, articles)
    rows = _rows(export.corrections_jsonl(store, {}))  # the article is gone
    assert rows and all(r["status"] == "orphaned" for r in rows)
    assert all(r["reason"] == "the article is no longer in the records" for r in rows)


def test_import_skips_a_task_whose_text_moved(store: CorrectionStore, articles: dict) -> None:
    task = {
        "text": "Nothing like this is in the article",
        "spans": [],
        "answer": "accept",
        "meta": {"doc_id": MAIN_DOC, "offset": 0},
    }
    result = export.import_jsonl(json.dumps(task), store, articles, "ana")
    assert (result.added, result.skipped) == (0, 1)
    assert "no longer at its offset" in result.problems[0]


def test_import_rejects_unknown_lines(store: CorrectionStore, articles: dict) -> None:
    with pytest.raises(export.ImportFormatError, match="line 1"):
        export.import_jsonl('{"hello": 1}', store, articles, "ana")
    with pytest.raises(export.ImportFormatError, match="not JSON"):
        export.import_jsonl("{", store, articles, "ana")
