"""Score predicted agreement mentions against gold: a mention counts when it overlaps a gold
mention of the same ``canonical_id`` (paraphrases are labelled by their head phrase, so the
extent is not asked to be exact)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class GoldAgreement(BaseModel):
    """One gold agreement mention (character offsets into the original article text)."""

    model_config = ConfigDict(extra="forbid")

    start: int = Field(ge=0)
    end: int = Field(gt=0)
    text: str
    canonical_id: str
    note: str = ""


def read_gold(path: str | Path) -> list[GoldAgreement]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [GoldAgreement.model_validate(json.loads(line)) for line in lines if line.strip()]


def score_agreements(predicted: Sequence[Mapping[str, Any]], gold: Sequence[GoldAgreement]) -> dict[str, Any]:
    """Precision, recall and F1 of mentions found with the right agreement."""

    def same(p: Mapping[str, Any], g: GoldAgreement) -> bool:
        return int(p["start"]) < g.end and g.start < int(p["end"]) and p.get("canonical_id") == g.canonical_id

    right_pred = sum(1 for p in predicted if any(same(p, g) for g in gold))
    right_gold = sum(1 for g in gold if any(same(p, g) for p in predicted))
    precision = right_pred / len(predicted) if predicted else 0.0
    recall = right_gold / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n_gold": len(gold), "n_predicted": len(predicted), "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4)}
