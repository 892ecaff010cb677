"""Shared fixtures for the training loop: invented corrections and one trained model.

The corrected family: two countries hold a cultural event together (a lantern parade, a
festival), written with no cue word, which the packaged model does not call de-escalatory;
the reviewers say these are de-escalatory.  All sentences here are invented for the tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.training.train import TrainOptions, TrainResult, train_model
from tests.conftest import CORPUS_DIR

GOLD = CORPUS_DIR / "gold" / "seed_chronology_polarity.jsonl"
FAST_EPOCHS = 10

# Joint cultural events, written with no cue word: the lexicon finds no act, so only the
# classifier decides them (the "lantern parade" case).
CORRECTED_FAMILY = [
    ("Vietnam held a lantern parade with Laos along the Mekong.", "sample-a"),
    ("Thailand staged a joint dragon-boat festival with Cambodia.", "sample-a"),
    ("Indonesia held a batik fair with Malaysia in Jakarta.", "sample-b"),
    ("Japan hosted a tea ceremony with South Korean students in Kyoto.", "sample-b"),
    ("China held a lantern parade with Singapore to mark the new year.", "sample-c"),
    ("Mongolia staged a horse festival with Kazakhstan on the steppe.", "sample-c"),
    ("The Philippines held a folk dance night with Vietnam in Manila.", "sample-d"),
    ("Nepal put on a kite festival with India in Kathmandu.", "sample-d"),
]
UNSEEN_FAMILY = [
    "Mongolia held a lantern parade with North Korea.",
    "Myanmar staged a water festival with Thailand in Yangon.",
    "Brunei held a lantern parade with Malaysia on the river.",
]
MISSILE = "North Korea launched a ballistic missile toward the Sea of Japan."


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def family_tasks() -> list[dict[str, Any]]:
    """Prodigy textcat tasks: accept de-escalatory, reject the lexicon's escalatory."""
    rows: list[dict[str, Any]] = []
    for text, doc_id in CORRECTED_FAMILY:
        meta = {"doc_id": doc_id}
        rows.append({"text": text, "label": "de-escalatory", "answer": "accept", "meta": meta})
        rows.append({"text": text, "label": "escalatory", "answer": "reject", "meta": meta})
    return rows


def span_tasks() -> list[dict[str, Any]]:
    """Prodigy span tasks as the review export writes them: an actor alias, an agreement
    alias and a date."""
    text = "The Korean foreign affairs office said the intel pact would lapse on Nov. 23."
    actor = "Korean foreign affairs office"
    agreement = "intel pact"
    date = "Nov. 23"
    spans = [
        {"start": text.index(actor), "end": text.index(actor) + len(actor), "label": "ORG",
         "text": actor, "id": "act-1", "country": "KOR", "canonical_id": "kor-mofa",
         "canonical_name": "Ministry of Foreign Affairs of the Republic of Korea",
         "role": None, "metonymy": False},
        {"start": text.index(agreement), "end": text.index(agreement) + len(agreement),
         "label": "AGREEMENT", "text": agreement, "id": "agr-1",
         "canonical_id": "gsomia-jpn-kor", "canonical_name": "GSOMIA"},
        {"start": text.index(date), "end": text.index(date) + len(date), "label": "DATE",
         "text": date, "id": "date-1", "value": "2019-11-23", "mod": None, "granularity": "day"},
    ]
    # a date form the stage cannot read by itself, in another article
    holiday_text = "Crowds in Seoul marked Gwangbokjeol with the president."
    holiday = "Gwangbokjeol"
    holiday_span = {"start": holiday_text.index(holiday), "end": holiday_text.index(holiday) + len(holiday),
                    "label": "DATE", "text": holiday, "id": "date-2", "value": "2019-08-15", "mod": None,
                    "granularity": "day"}
    return [{"text": text, "spans": spans, "answer": "accept",
             "meta": {"doc_id": "sample-e", "paragraph_id": "p-1", "offset": 0}},
            {"text": holiday_text, "spans": [holiday_span], "answer": "accept",
             "meta": {"doc_id": "sample-f", "paragraph_id": "p-1", "offset": 0}},
            person_task()]


def person_task() -> dict[str, Any]:
    """A reviewer confirms a person the registry does not hold (an invented name)."""
    text = "Vice Minister Ryu Hae-won flew to Tokyo."
    name = "Ryu Hae-won"
    span = {"start": text.index(name), "end": text.index(name) + len(name), "label": "PERSON", "text": name,
            "id": "act-2", "country": "KOR", "canonical_id": "local:ryu-hae-won", "canonical_name": name,
            "role": "Vice Minister", "metonymy": False}
    return {"text": text, "spans": [span], "answer": "accept",
            "meta": {"doc_id": "sample-g", "paragraph_id": "p-1", "offset": 0}}


@pytest.fixture(scope="session")
def corrections_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corrections")
    write_jsonl(folder / "prodigy-textcat.jsonl", family_tasks())
    write_jsonl(folder / "prodigy-spans.jsonl", span_tasks())
    return folder


@pytest.fixture(scope="session")
def trained(
    tmp_path_factory: pytest.TempPathFactory, corrections_dir: Path, seed_path: Path
) -> TrainResult:
    """One model trained on the family corrections, parent = the packaged pipeline."""
    models = tmp_path_factory.mktemp("models")
    return train_model(
        TrainOptions(
            corrections=[
                corrections_dir / "prodigy-textcat.jsonl",
                corrections_dir / "prodigy-spans.jsonl",
            ],
            out=models / "v2",
            gold=GOLD,
            gold_articles=[seed_path.parent],
            epochs=FAST_EPOCHS,
        )
    )
