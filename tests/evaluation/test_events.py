"""Scoring functions for event polarity and roles."""

from __future__ import annotations

import pytest

from pipeline.evaluation.events import (
    actor_name_matches,
    confusion_matrix,
    event_role_scores,
    polarity_scores,
)


def test_polarity_scores_accuracy_macro_f1_and_confusion():
    gold = ["escalatory", "escalatory", "de-escalatory", "neutral"]
    pred = ["escalatory", "de-escalatory", "de-escalatory", "neutral"]
    scores = polarity_scores(gold, pred)
    assert scores["accuracy"] == 0.75
    assert scores["confusion"]["escalatory"]["de-escalatory"] == 1
    # F1: escalatory 2/3, de-escalatory 2/3, neutral 1
    assert scores["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3, abs=1e-3)


def test_confusion_needs_equal_lengths():
    with pytest.raises(ValueError):
        confusion_matrix(["neutral"], [])


def test_actor_names_match_by_canonical_name_or_words():
    assert actor_name_matches("Kang", "Kang Kyung-wha")
    assert actor_name_matches("Japan", "japan")
    assert not actor_name_matches("Motegi", "Kang Kyung-wha")


def test_event_role_scores_match_by_trigger_overlap():
    gold = [
        {
            "trigger": {"start": 0, "end": 4},
            "source": ["Japan"],
            "target": ["South Korea"],
            "polarity": "escalatory",
            "modality": "asserted",
        },
        {
            "trigger": {"start": 10, "end": 14},
            "source": [],
            "target": [],
            "polarity": "neutral",
            "modality": "asserted",
        },
    ]
    pred = [
        {
            "trigger": {"start": 0, "end": 4},
            "source": ["Japan"],
            "target": [],
            "polarity": "escalatory",
            "modality": "reported",
        },
        {
            "trigger": {"start": 20, "end": 24},
            "source": [],
            "target": [],
            "polarity": "neutral",
            "modality": "asserted",
        },
    ]
    scores = event_role_scores(gold, pred)
    assert scores["matched"] == 1
    assert scores["trigger"]["f1"] == 0.5
    assert scores["source"]["f1"] == 1.0
    assert scores["target"]["recall"] == 0.0
    assert scores["polarity_accuracy_on_matched"] == 1.0
    assert scores["modality_accuracy_on_matched"] == 0.0
