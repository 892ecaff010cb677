"""The labelled sentence set for event polarity (``corpus/training/polarity-v2/``).

Three thousand sentences written for the project in its analysts' styles (journal narrative,
chronology entries, news ledes), across the journal's dyads and 1999-2026, with the main
event's polarity, modality, roles and the kind of hard case each one is. A fixed test split
(``TEST_SPLIT.keys``: the keys of the sentences held out) is never trained on; the key is a
hash of the normalised text, so the split survives reordering and new batches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pipeline.training.data import normalise

SENTENCES_DIR = Path(__file__).resolve().parents[2] / "corpus" / "training" / "polarity-v2"
TEST_SPLIT_FILE = "TEST_SPLIT.keys"  # not .txt: corpus/ is annotated as articles
TEST_SHARE = 0.15


class LabelledSentence(BaseModel):
    """One sentence with its main event's labels."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    label: Literal["escalatory", "de-escalatory", "neutral"]
    modality: Literal["asserted", "negated", "hypothetical", "reported"]
    style: Literal["cc_narrative", "chronology_entry", "news_lede"]
    dyad: str = Field(min_length=3)
    year: int = Field(ge=1990, le=2030)
    hard_case: Literal[
        "negation", "conditional", "polite_pressure", "mixed_signals", "wrong_sense_cue",
        "domestic", "subordinate", "statistics", "assessment", "trend", "no_cue",
        "long_complex", "none",
    ]
    source: list[str] = Field(description="Who acts, as written in the sentence.")
    target: list[str] = Field(description="Who is acted upon or met, as written.")


def sentence_key(text: str) -> str:
    """The split key of a sentence: a hash of its normalised text."""
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()[:16]


def read_sentences(folder: Path = SENTENCES_DIR) -> list[LabelledSentence]:
    """Every batch file of the folder, validated line by line."""
    rows: list[LabelledSentence] = []
    for path in sorted(folder.glob("batch-*.jsonl")):
        rows += read_batch(path)
    return rows


def read_test_split(folder: Path = SENTENCES_DIR) -> set[str]:
    path = folder / TEST_SPLIT_FILE
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")}


def choose_test_split(rows: Iterable[LabelledSentence], share: float = TEST_SHARE) -> list[str]:
    """A stratified share of each (dyad, label) cell, the lowest hash keys first: the same
    rows always give the same split."""
    cells: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        cells.setdefault((row.dyad, row.label), []).append(sentence_key(row.text))
    chosen: list[str] = []
    for keys in cells.values():
        keys = sorted(set(keys))
        chosen.extend(keys[: max(1, round(share * len(keys)))])
    return sorted(chosen)


# Batches written together, whose test share was chosen together. A new generation's share is
# chosen among its own rows only, so adding sentences never moves an old one across the split.
SPLIT_GENERATIONS: tuple[tuple[str, ...], ...] = (("a", "b", "c"), ("d", "e", "f"), ("g",))


def read_batch(path: Path) -> list[LabelledSentence]:
    rows: list[LabelledSentence] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(LabelledSentence.model_validate(json.loads(line)))
            except ValueError as exc:
                raise ValueError(f"{path.name}, line {number}: {exc}") from exc
    return rows


def expected_test_split(folder: Path = SENTENCES_DIR) -> set[str]:
    """The split ``choose_test_split`` gives, generation by generation."""
    keys: set[str] = set()
    for generation in SPLIT_GENERATIONS:
        rows = [r for b in generation if (folder / f"batch-{b}.jsonl").exists() for r in read_batch(folder / f"batch-{b}.jsonl")]
        keys.update(choose_test_split(rows))
    return keys


def split(rows: list[LabelledSentence], folder: Path = SENTENCES_DIR) -> tuple[list[LabelledSentence], list[LabelledSentence]]:
    """(train, test) by the committed split."""
    test_keys = read_test_split(folder)
    train = [r for r in rows if sentence_key(r.text) not in test_keys]
    test = [r for r in rows if sentence_key(r.text) in test_keys]
    return train, test
