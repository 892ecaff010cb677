"""Scoring of date predictions, and the seed gold file's integrity."""

from __future__ import annotations

from pipeline.evaluation.dates import (
    GoldDate,
    PredictedDate,
    read_gold,
    score_dates,
    timex_interval,
)
from tests.conftest import CORPUS_DIR


def _gold(start, end, value, mod=None):
    return GoldDate(start=start, end=end, text="x" * (end - start), value=value, mod=mod)


def _pred(start, end, value, mod=None):
    return PredictedDate(start=start, end=end, text="x" * (end - start), value=value, mod=mod)


def test_score_counts_exact_and_overlapping_matches_separately():
    gold = [_gold(0, 5, "2019"), _gold(10, 20, "2019-11", "END")]
    predicted = [_pred(0, 5, "2019"), _pred(12, 20, "2019-11"), _pred(30, 35, "2020")]
    scores = score_dates(gold, predicted)
    assert scores.strict.true_positives == 1
    assert scores.lenient.true_positives == 2
    assert scores.lenient.precision == round(2 / 3, 4)
    assert scores.value_accuracy == 1.0
    assert scores.value_mod_accuracy == 0.5
    assert {e["kind"] for e in scores.errors} == {"spurious", "value"}


def test_score_reports_missed_gold():
    scores = score_dates([_gold(0, 5, "2019")], [])
    assert scores.lenient.recall == 0.0
    assert scores.errors[0]["kind"] == "missed"


def test_timex_interval_covers_week_month_and_decade():
    assert timex_interval("2019-W47") is not None
    assert str(timex_interval("2019-02")[1]) == "2019-02-28"  # type: ignore[index]
    assert str(timex_interval("199")[0]) == "1990-01-01"  # type: ignore[index]


def test_seed_gold_offsets_point_at_their_text(seed_text):
    gold = read_gold(CORPUS_DIR / "gold" / "seed_dates.jsonl")
    assert len(gold) > 90
    for item in gold:
        assert seed_text[item.start : item.end] == item.text
