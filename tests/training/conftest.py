"""Shared fixtures for the training loop: invented corrections and one trained model.

The corrected family: sentences in which two governments "launched" a joint programme,
dialogue or fund.  The cue lexicon reads "launch" as escalatory (missile launches); the
reviewers say these are de-escalatory.  All sentences here are invented for the tests.
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

LAUNCH_FAMILY = [
    ("Japan and South Korea launched a joint scholarship programme for university students.",
     "sample-a"),
    ("China and Vietnam launched a youth exchange programme in Hanoi.", "sample-a"),
    ("The two governments launched a bilateral hotline for maritime emergencies.", "sample-b"),
    ("Seoul and Beijing launched a joint working group on fine dust pollution.", "sample-b"),
    ("Tokyo and Canberra launched a joint programme to train coast guard officers.", "sample-c"),
    ("The two foreign ministries launched a consultation mechanism on consular affairs.",
     "sample-c"),
    ("Washington and Manila launched a bilateral dialogue on energy security.", "sample-d"),
    ("India and Japan launched a joint fund for infrastructure projects in the region.",
     "sample-d"),
]
UNSEEN_FAMILY = [
    "Seoul and Tokyo launched a joint youth exchange programme for high school students.",
    "Beijing and Canberra launched a bilateral dialogue on climate change.",
    "The two defence ministries launched a joint working group on search and rescue.",
]
MISSILE = "North Korea launched a ballistic missile toward the Sea of Japan."


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def family_tasks() -> list[dict[str, Any]]:
    """Prodigy textcat tasks: accept de-escalatory, reject the lexicon's escalatory."""
    rows: list[dict[str, Any]] = []
    for text, doc_id in LAUNCH_FAMILY:
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
    return [{"text": text, "spans": spans, "answer": "accept",
             "meta": {"doc_id": "sample-e", "paragraph_id": "p-1", "offset": 0}}]


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
