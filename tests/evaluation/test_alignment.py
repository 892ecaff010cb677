"""Sentence-level alignment scoring and the seed gold file."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.evaluation.alignment import (
    GoldLink,
    PredictedLink,
    guess_countries,
    read_gold,
    score_alignment,
)
from pipeline.segment import segment_article
from tests.conftest import CORPUS_DIR

GOLD = CORPUS_DIR / "gold" / "seed_alignment.jsonl"
SENTENCES = [(0, 50), (51, 100), (101, 150)]


def _gold(start: int, end: int, entry_id: str) -> GoldLink:
    return GoldLink(passage_start=start, passage_end=end, entry_id=entry_id, entry_date=None)


def _pred(start: int, end: int, entry_id: str, score: float = 1.0) -> PredictedLink:
    return PredictedLink(event_id=f"e{start}", start=start, end=end, entry_id=entry_id,
                         score=score)


def test_clause_event_inside_sentence_passage_counts() -> None:
    scores = score_alignment([_gold(0, 50, "chr-001")], [_pred(10, 20, "chr-001")], SENTENCES)
    assert (scores.precision, scores.recall, scores.f1) == (1.0, 1.0, 1.0)


def test_wrong_entry_or_wrong_sentence_is_a_false_positive() -> None:
    gold = [_gold(0, 50, "chr-001")]
    scores = score_alignment(gold, [_pred(10, 20, "chr-002"), _pred(60, 70, "chr-001")],
                             SENTENCES)
    assert scores.precision == 0.0 and scores.recall == 0.0
    assert len(scores.false_positives) == 2
    assert scores.misses[0]["entry_id"] == "chr-001"


def test_two_events_of_one_sentence_count_once() -> None:
    scores = score_alignment([_gold(0, 50, "chr-001")],
                             [_pred(0, 10, "chr-001"), _pred(20, 30, "chr-001")], SENTENCES)
    assert scores.predicted_units == 1 and scores.correct_units == 1


def test_one_sentence_with_two_gold_entries_needs_both() -> None:
    gold = [_gold(0, 50, "chr-001"), _gold(0, 50, "chr-002")]
    scores = score_alignment(gold, [_pred(0, 10, "chr-001")], SENTENCES)
    assert scores.precision == 1.0
    assert scores.recall == 0.5


def test_gold_reader_names_the_bad_line(tmp_path: Path) -> None:
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"passage_start": 1, "passage_end": 2, "entry_id": "chr-001", '
                   '"entry_date": null, "extra": 1}\n', encoding="utf-8")
    with pytest.raises(PipelineError, match="gold.jsonl:1"):
        read_gold(bad)


def test_country_guess_tells_the_koreas_apart() -> None:
    found = {(a.text, a.country) for a in guess_countries("North Korean envoys met Korean and "
                                                          "Japanese officials in Seoul")}
    assert ("North Korean", "PRK") in found
    assert ("Korean", "KOR") in found and ("Seoul", "KOR") in found
    assert ("Japanese", "JPN") in found
    assert ("Korean", "PRK") not in found


def test_seed_gold_points_at_narrative_passages_and_real_entries(seed_text: str) -> None:
    gold = read_gold(GOLD)
    structure = segment_article(seed_text)
    entries = {e.id: e for e in structure.entries}
    assert len(entries) == 26
    chronology_start = min(e.start for e in structure.entries)
    assert len(gold) >= 20
    for link in gold:
        assert 0 <= link.passage_start < link.passage_end < chronology_start
        passage = seed_text[link.passage_start:link.passage_end]
        assert passage == passage.strip() and "\n" not in passage
        assert link.entry_id in entries
        assert link.entry_date == entries[link.entry_id].date
        assert link.note


def test_seed_gold_has_one_to_many_links_both_ways() -> None:
    gold = read_gold(GOLD)
    by_passage: dict[tuple[int, int], set[str]] = {}
    by_entry: dict[str, set[tuple[int, int]]] = {}
    for link in gold:
        by_passage.setdefault((link.passage_start, link.passage_end), set()).add(link.entry_id)
        by_entry.setdefault(link.entry_id, set()).add((link.passage_start, link.passage_end))
    assert any(len(v) > 1 for v in by_passage.values())
    assert any(len(v) > 1 for v in by_entry.values())
