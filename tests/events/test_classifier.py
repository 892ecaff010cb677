"""The polarity classifier: combining with the lexicon, and the shipped model."""

from __future__ import annotations

import json

import pytest

from pipeline.errors import PipelineError
from pipeline.events.classifier import PolarityClassifier, combine, lexicon_distribution
from tests.conftest import REPO_ROOT

MODEL = REPO_ROOT / "pipeline" / "data" / "polarity-v1"
EXAMPLES = REPO_ROOT / "corpus" / "training" / "polarity_examples.jsonl"


def test_lexicon_mode_keeps_the_lexicon_decision():
    assert combine("escalatory", 0.8, None, "lexicon") == ("escalatory", 0.8)


def test_classifier_mode_takes_the_top_label():
    scores = {"escalatory": 0.1, "de-escalatory": 0.7, "neutral": 0.2}
    assert combine("escalatory", 0.9, scores, "classifier") == ("de-escalatory", 0.7)


def test_combined_mode_weights_both():
    scores = {"escalatory": 0.05, "de-escalatory": 0.9, "neutral": 0.05}
    assert combine("escalatory", 0.6, scores, "combined", 0.5)[0] == "de-escalatory"
    assert combine("escalatory", 0.9, scores, "combined", 0.2)[0] == "escalatory"


def test_unknown_mode_is_an_error():
    with pytest.raises(PipelineError):
        combine("neutral", 0.5, {"neutral": 1.0}, "vote")


def test_lexicon_distribution_sums_to_one():
    assert sum(lexicon_distribution("neutral", 0.7).values()) == pytest.approx(1.0)


def test_training_set_is_large_and_covers_all_labels():
    rows = [json.loads(x) for x in EXAMPLES.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 300
    assert {r["label"] for r in rows} == {"escalatory", "de-escalatory", "neutral"}
    assert all(set(r) == {"text", "label", "family", "article"} for r in rows)
    assert len({r["text"] for r in rows}) == len(rows)


def test_shipped_model_is_small_and_separates_clear_cases():
    size = sum(p.stat().st_size for p in MODEL.rglob("*") if p.is_file())
    assert size < 5_000_000
    classifier = PolarityClassifier.load(MODEL)
    scores = classifier.scores(
        ["Beijing imposed sanctions on the defense firms.", "The two leaders held a summit."]
    )
    assert max(scores[0], key=scores[0].get) == "escalatory"
    assert max(scores[1], key=scores[1].get) == "de-escalatory"


def test_loading_a_missing_model_is_e021(tmp_path):
    with pytest.raises(PipelineError) as info:
        PolarityClassifier.load(tmp_path / "nothing")
    assert info.value.code == "E021"
