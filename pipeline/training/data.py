"""The training set: shipped examples merged with corrections, gold stripped, split by article.

Merge rule: judgements are read in order (parent model's corrections first, then the files
given, each in line order).  Per normalised text, ``accept L`` sets the label to L; ``reject
L`` removes L (and forgets it if it was the accepted label).  A text with an accepted label
replaces every shipped example with the same normalised text; a shipped example whose label
was rejected for its text is dropped.  A rejected label alone never becomes a training label.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.events.lexicon import POLARITIES
from pipeline.training.corrections import PolarityJudgement
from pipeline.training.errors import training_error

Origin = Literal["shipped", "correction", "parent-correction"]
# A training text inside a gold text (or the other way round) counts as the gold item when
# the shorter of the two has at least this many characters after normalisation.
GOLD_OVERLAP_MIN_CHARS = 25


class LabelledExample(BaseModel):
    """One sentence of the training set."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    label: Literal["escalatory", "de-escalatory", "neutral"]
    article: str = Field(description="Grouping key for the dev split (article or doc_id).")
    family: str | None = Field(None, description="Cue family (shipped set), if known.")
    origin: Origin = "shipped"
    weight: int = Field(1, ge=1, description="Copies per epoch.")


class ShippedRow(BaseModel):
    """A line of ``corpus/training/polarity_examples.jsonl``."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    label: Literal["escalatory", "de-escalatory", "neutral"]
    family: str | None = None
    article: str = Field(min_length=1)


def normalise(text: str) -> str:
    """Comparison key: NFKC, straight quotes, one space, no outer punctuation, case-folded."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub(r"\s+", " ", text).strip().strip(".;:,!?\"' ")
    return text.casefold()


def read_shipped(path: Path) -> list[LabelledExample]:
    rows: list[LabelledExample] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise training_error("E060", f"{path}: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = ShippedRow.model_validate(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise training_error("E052", f"{path}, line {number}: {exc}") from exc
        rows.append(
            LabelledExample(
                text=row.text, label=row.label, article=row.article, family=row.family
            )
        )
    return rows


@dataclass
class MergeResult:
    examples: list[LabelledExample]
    replaced: int = 0  # shipped examples replaced by a correction of the same text
    relabelled: int = 0  # ... of which the correction changed the label
    dropped_rejected: int = 0  # shipped examples whose label a reviewer rejected
    rejected_only: int = 0  # texts with a rejected label and no accepted one
    conflicts: int = 0  # texts accepted with two different labels (the later won)


def resolve_judgements(
    judgements: Iterable[PolarityJudgement],
) -> tuple[dict[str, tuple[PolarityJudgement, str | None]], dict[str, set[str]], int]:
    """Per normalised text: (last judgement, accepted label or None), rejected labels, and
    how many texts were accepted with two different labels."""
    state: dict[str, tuple[PolarityJudgement, str | None]] = {}
    rejected: dict[str, set[str]] = {}
    conflicts = 0
    for j in judgements:
        key = normalise(j.text)
        _, label = state.get(key, (j, None))
        if j.answer == "accept":
            if label is not None and label != j.label:
                conflicts += 1
            state[key] = (j, j.label)
            rejected.setdefault(key, set()).discard(j.label)
        else:
            rejected.setdefault(key, set()).add(j.label)
            state[key] = (state.get(key, (j, None))[0], None if label == j.label else label)
    return state, rejected, conflicts


def merge(
    shipped: Sequence[LabelledExample],
    judgements: Sequence[PolarityJudgement],
    *,
    correction_weight: int,
    inherited: int = 0,
) -> MergeResult:
    """Shipped examples plus corrections (see the module doc); the first ``inherited``
    judgements came from the parent model."""
    origin_of = {id(j): ("parent-correction" if i < inherited else "correction")
                 for i, j in enumerate(judgements)}
    state, rejected, conflicts = resolve_judgements(judgements)
    result = MergeResult(examples=[], conflicts=conflicts)
    for example in shipped:
        key = normalise(example.text)
        accepted = state.get(key, (None, None))[1]
        if accepted is not None:
            result.replaced += 1
            result.relabelled += accepted != example.label
            continue
        if example.label in rejected.get(key, set()):
            result.dropped_rejected += 1
            continue
        result.examples.append(example)
    for key, (judgement, label) in state.items():
        if label is None:
            result.rejected_only += bool(rejected.get(key))
            continue
        result.examples.append(
            LabelledExample(
                text=judgement.text,
                label=label,
                article=judgement.article or f"corrections:{judgement.source}",
                origin=origin_of[id(judgement)],
                weight=correction_weight,
            )
        )
    return result


def matches_gold(text: str, gold_keys: Sequence[str]) -> bool:
    key = normalise(text)
    for gold in gold_keys:
        if key == gold:
            return True
        shorter = min(len(key), len(gold))
        if shorter >= GOLD_OVERLAP_MIN_CHARS and (key in gold or gold in key):
            return True
    return False


def strip_gold(
    examples: Sequence[LabelledExample], gold_texts: Sequence[str]
) -> tuple[list[LabelledExample], list[LabelledExample]]:
    """(kept, stripped): an example whose text is, contains or is inside a gold item's text
    is never trained on."""
    keys = [normalise(t) for t in gold_texts]
    kept: list[LabelledExample] = []
    stripped: list[LabelledExample] = []
    for example in examples:
        (stripped if matches_gold(example.text, keys) else kept).append(example)
    return kept, stripped


def split_by_article(
    examples: Sequence[LabelledExample], dev_share: float, seed: int
) -> tuple[list[LabelledExample], list[LabelledExample]]:
    """Train/dev split that keeps every sentence of an article on one side."""
    if not 0 < dev_share < 1:
        raise training_error("E064", f"dev share {dev_share} must be between 0 and 1")
    articles = sorted({e.article for e in examples})
    random.Random(seed).shuffle(articles)
    dev_articles = set(articles[: max(1, int(len(articles) * dev_share))])
    train = [e for e in examples if e.article not in dev_articles]
    dev = [e for e in examples if e.article in dev_articles]
    return train, dev


def label_counts(examples: Iterable[LabelledExample]) -> dict[str, object]:
    """Example counts per label, overall and per origin (weights not applied)."""
    rows = list(examples)
    total = Counter(e.label for e in rows)
    by_origin: dict[str, dict[str, int]] = {}
    for e in rows:
        by_origin.setdefault(e.origin, {p: 0 for p in POLARITIES})[e.label] += 1
    return {
        "total": {p: total.get(p, 0) for p in POLARITIES},
        "by_origin": by_origin,
        "examples": len(rows),
    }
