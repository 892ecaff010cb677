"""Scoring actor mentions against gold."""

from __future__ import annotations

from pipeline.evaluation.actors import GoldActor, score_actors


def _gold(start: int, end: int, cid: str | None) -> GoldActor:
    return GoldActor(start=start, end=end, text="x" * (end - start), type="STATE",
                     country=None, canonical_id=cid, role=None)


def test_exact_overlap_and_canonical_accuracy() -> None:
    gold = [_gold(0, 5, "KOR"), _gold(10, 15, "JPN"), _gold(20, 25, None)]
    predicted = [
        {"start": 0, "end": 5, "canonical_id": "KOR", "type": "STATE"},
        {"start": 10, "end": 13, "canonical_id": "JPN", "type": "STATE"},  # overlap only
        {"start": 20, "end": 25, "canonical_id": "USA", "type": "STATE"},  # wrong id
        {"start": 40, "end": 45, "canonical_id": None, "type": "ORG"},  # spurious
    ]
    report = score_actors(predicted, gold)
    assert report["exact"] == {"precision": 0.5, "recall": 0.6667, "f1": 0.5714}
    assert report["overlap"]["recall"] == 1.0 and report["overlap"]["precision"] == 0.75
    assert report["canonical_id_accuracy"] == 0.5


def test_regions_limit_predictions() -> None:
    report = score_actors([{"start": 100, "end": 105}], [_gold(0, 5, None)], regions=[(0, 50)])
    assert report["n_predicted"] == 0 and report["exact"]["recall"] == 0.0
