"""Score predicted actor mentions against gold: P/R/F1 (exact and overlap), canonical-id accuracy."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class GoldActor(BaseModel):
    """One gold actor mention (character offsets into the original article text)."""

    model_config = ConfigDict(extra="forbid")

    start: int = Field(ge=0, description="First character.")
    end: int = Field(gt=0, description="One past the last character.")
    text: str = Field(description="The mention as written.")
    type: str = Field(description="PERSON, STATE, ORG or GROUP.")
    country: str | None = Field(default=None, description="ISO alpha-3 or null.")
    canonical_id: str | None = Field(default=None, description="Registry id or null.")
    role: str | None = Field(default=None, description="Office at the time, if any.")


def read_gold(path: str | Path) -> list[GoldActor]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [GoldActor.model_validate(json.loads(line)) for line in lines if line.strip()]


def registry_id(canonical_id: str | None) -> str | None:
    """The registry id of a predicted identity: a document-scoped id (``local:…``, a person
    the registry does not hold) is no registry id, so it agrees with a gold null."""
    if canonical_id is None or canonical_id.startswith("local:"):
        return None
    return canonical_id


def seed_gold_regions(text: str) -> list[tuple[int, int]]:
    """What the seed's actor gold covers: one narrative section, the two captions, the
    chronology (the rest of the seed is not labelled)."""
    start = text.index("South Korea Stays In GSOMIA")
    regions = [(start, text.index("\n\nThe Big Thaw", start))]
    for opening in ("A Japanese physicians lobby", "President Moon Jae-in and Prime Minister"):
        at = text.index(opening)
        regions.append((at, text.index("\n", at)))
    regions.append((text.index("Chronology of Japan - Korea Relations"), len(text)))
    return regions


def identity_f1(predicted: Sequence[dict[str, Any]], gold: Sequence[GoldActor],
                regions: Iterable[tuple[int, int]] | None = None) -> float:
    """F1 of mentions found with the exact span and the gold identity (the actor stage's
    single figure, used by its training guard)."""
    spans = list(regions) if regions is not None else None
    preds = [p for p in predicted if spans is None or any(s <= int(p["start"]) < e for s, e in spans)]
    by_span = {(g.start, g.end): g for g in gold}
    right = sum(1 for p in preds if (g := by_span.get((p["start"], p["end"]))) is not None
                and registry_id(p.get("canonical_id")) == g.canonical_id)
    precision = right / len(preds) if preds else 0.0
    recall = right / len(gold) if gold else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _prf(tp_pred: int, tp_gold: int, n_pred: int, n_gold: int) -> dict[str, float]:
    precision = tp_pred / n_pred if n_pred else 0.0
    recall = tp_gold / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def score_actors(
    predicted: Sequence[dict[str, Any]],
    gold: Sequence[GoldActor],
    regions: Iterable[tuple[int, int]] | None = None,
) -> dict[str, Any]:
    """Compare mentions given as dicts with ``start``, ``end``, ``canonical_id`` (and ``type``).

    With ``regions`` only predictions starting inside them count (the gold covers part of an
    article).  Canonical-id accuracy is over exactly matched spans; two nulls agree.
    """
    spans = list(regions) if regions is not None else None
    preds = [
        p for p in predicted if spans is None or any(s <= int(p["start"]) < e for s, e in spans)
    ]
    gold_by_span = {(g.start, g.end): g for g in gold}
    exact = [p for p in preds if (p["start"], p["end"]) in gold_by_span]
    overlap_pred = [
        p for p in preds if any(p["start"] < g.end and g.start < p["end"] for g in gold)
    ]
    overlap_gold = [
        g for g in gold if any(p["start"] < g.end and g.start < p["end"] for p in preds)
    ]
    id_right = sum(
        1
        for p in exact
        if registry_id(p.get("canonical_id")) == gold_by_span[(p["start"], p["end"])].canonical_id
    )
    type_right = sum(1 for p in exact if p.get("type") == gold_by_span[(p["start"], p["end"])].type)
    return {
        "n_gold": len(gold),
        "n_predicted": len(preds),
        "exact": _prf(len(exact), len(exact), len(preds), len(gold)),
        "overlap": _prf(len(overlap_pred), len(overlap_gold), len(preds), len(gold)),
        "canonical_id_accuracy": round(id_right / len(exact), 4) if exact else 0.0,
        "type_accuracy": round(type_right / len(exact), 4) if exact else 0.0,
        "missed": [
            g.model_dump()
            for g in gold
            if (g.start, g.end) not in {(p["start"], p["end"]) for p in preds}
        ],
        "spurious": [p for p in preds if (p["start"], p["end"]) not in gold_by_span],
    }
