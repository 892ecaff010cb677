"""Score date predictions against gold: recognition (P/R/F1) and TIMEX3 value accuracy.

The scoring functions take plain records, not Docs, so they do not depend on how the
predictions were made; ``predict_dates`` and ``peer_agreement`` are the glue that runs the
pipeline's date stage to produce them.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class GoldDate(BaseModel):
    """One annotated temporal expression (offsets into the file text)."""

    model_config = ConfigDict(extra="forbid")
    start: int = Field(description="start character offset")
    end: int = Field(description="end character offset (exclusive)")
    text: str = Field(description="the expression as written")
    value: str | None = Field(description="TIMEX3 value, or null when unresolvable")
    mod: Literal["START", "MID", "END", "APPROX", "BEFORE", "AFTER"] | None = Field(
        default=None, description="TIMEX3 mod"
    )
    note: str = Field(default="", description="annotator's remark")


class PredictedDate(BaseModel):
    """One predicted temporal expression."""

    model_config = ConfigDict(extra="forbid")
    start: int = Field(description="start character offset")
    end: int = Field(description="end character offset (exclusive)")
    text: str = Field(description="the expression as found")
    value: str | None = Field(description="TIMEX3 value or null")
    mod: str | None = Field(default=None, description="TIMEX3 mod")
    anchor: str | None = Field(default=None, description="what the value was resolved against")
    reason: str | None = Field(default=None, description="why the value is null")


class RecognitionScores(BaseModel):
    model_config = ConfigDict(extra="forbid")
    true_positives: int = Field(description="matched gold spans")
    predicted: int = Field(description="predicted spans")
    gold: int = Field(description="gold spans")
    precision: float = Field(description="true positives / predicted")
    recall: float = Field(description="true positives / gold")
    f1: float = Field(description="harmonic mean of precision and recall")


class DateScores(BaseModel):
    model_config = ConfigDict(extra="forbid")
    strict: RecognitionScores = Field(description="spans must match exactly")
    lenient: RecognitionScores = Field(description="spans must overlap (one-to-one)")
    value_accuracy: float = Field(description="share of leniently matched spans with the gold value")
    value_mod_accuracy: float = Field(description="share of matched spans with gold value and mod")
    errors: list[dict[str, Any]] = Field(description="misses, spurious spans and wrong values")


def _recognition(tp: int, predicted: int, gold: int) -> RecognitionScores:
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return RecognitionScores(true_positives=tp, predicted=predicted, gold=gold,
                             precision=round(precision, 4), recall=round(recall, 4), f1=round(f1, 4))


def _overlap(a: GoldDate | PredictedDate, b: GoldDate | PredictedDate) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def score_dates(gold: Sequence[GoldDate], predicted: Sequence[PredictedDate]) -> DateScores:
    """Exact and overlap matching (greedy by overlap, one-to-one), then value agreement."""
    exact = {(g.start, g.end) for g in gold} & {(p.start, p.end) for p in predicted}
    pairs: list[tuple[GoldDate, PredictedDate]] = []
    free = list(predicted)
    for g in gold:
        best = max(free, key=lambda p: _overlap(g, p), default=None)
        if best is not None and _overlap(g, best) > 0:
            pairs.append((g, best))
            free.remove(best)
    matched_gold = {id(g) for g, _ in pairs}
    errors: list[dict[str, Any]] = []
    for g in gold:
        if id(g) not in matched_gold:
            errors.append({"kind": "missed", "start": g.start, "text": g.text, "gold": g.value})
    for p in free:
        errors.append({"kind": "spurious", "start": p.start, "text": p.text, "predicted": p.value})
    value_ok = value_mod_ok = 0
    for g, p in pairs:
        if g.value == p.value:
            value_ok += 1
            if g.mod == p.mod:
                value_mod_ok += 1
                continue
        errors.append({"kind": "value", "start": g.start, "text": g.text, "predicted_text": p.text,
                       "gold": [g.value, g.mod], "predicted": [p.value, p.mod],
                       "anchor": p.anchor, "reason": p.reason})
    errors.sort(key=lambda e: e["start"])
    return DateScores(
        strict=_recognition(len(exact), len(predicted), len(gold)),
        lenient=_recognition(len(pairs), len(predicted), len(gold)),
        value_accuracy=round(value_ok / len(pairs), 4) if pairs else 0.0,
        value_mod_accuracy=round(value_mod_ok / len(pairs), 4) if pairs else 0.0,
        errors=errors,
    )


def read_gold(path: Path) -> list[GoldDate]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [GoldDate.model_validate_json(line) for line in lines if line.strip()]


def predictions_from_doc(doc: Any) -> list[PredictedDate]:
    """The date stage's output on a Doc as plain records."""
    return [
        PredictedDate(start=s.start_char, end=s.end_char, text=s.text, value=s._.date_value,
                      mod=s._.date_mod, anchor=s._.date_anchor, reason=s._.date_reason)
        for s in doc.spans.get("dates", [])
    ]


# ---------------------------------------------------------------------------------------------
# agreement with outside temporal test cases


def timex_interval(value: str) -> tuple[date, date] | None:
    """The first and last day a TIMEX3 value covers (None for forms without a fixed span)."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?", value):
            day = date.fromisoformat(value[:10])  # a time of day covers its day
            return day, day
        if re.fullmatch(r"\d{4}-W\d{2}", value):
            first = date.fromisocalendar(int(value[:4]), int(value[6:]), 1)
            return first, first + timedelta(days=6)
        if re.fullmatch(r"\d{4}-\d{2}", value):
            year, month = int(value[:4]), int(value[5:])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if re.fullmatch(r"\d{4}", value):
            return date(int(value), 1, 1), date(int(value), 12, 31)
        if re.fullmatch(r"\d{3}", value):
            return date(int(value) * 10, 1, 1), date(int(value) * 10 + 9, 12, 31)
    except ValueError:
        return None
    return None


Annotate = Callable[[str, str | None], list[PredictedDate]]


def _case_agrees(case: dict[str, Any], found: PredictedDate | None) -> tuple[bool, str]:
    expected = case["expected"]
    fmt = case["expected_format"]
    if found is None:
        return False, "not recognised"
    if fmt == "iso_datetime":
        interval = timex_interval(found.value) if found.value else None
        target = date.fromisoformat(expected[:10])
        if found.value and "T" in found.value and found.value[11:16] != expected[11:16]:
            # a time was read: it must be the expected one, not only its day
            return False, f"time {found.value[11:16]} is not {expected[11:16]}"
        if interval and interval[0] <= target <= interval[1]:
            return True, ""
        return False, f"value {found.value} ({found.reason}) does not cover {expected[:10]}"
    if fmt == "timex3_value_unanchored":
        produced = found.value if found.value is not None else found.reason
        if found.value == expected:
            return True, ""
        return False, f"value {produced}"
    if found.value == expected:
        return True, ""
    return False, f"value {found.value} ({found.reason})"


def peer_agreement(cases: Iterable[dict[str, Any]], annotate: Annotate,
                   underspecified: Callable[[PredictedDate], str | None]) -> dict[str, Any]:
    """Recognition and value agreement per ``expected_format``, with every disagreement.

    ``annotate(text, reference_day)`` returns the predictions for one case text;
    ``underspecified`` gives the X-placeholder value of an unresolved prediction (what
    HeidelTime's document-less tests expect).
    """
    summary: dict[str, dict[str, int]] = {}
    disagreements: list[dict[str, Any]] = []
    for case in cases:
        fmt = case["expected_format"]
        bucket = summary.setdefault(fmt, {"cases": 0, "recognised": 0, "value_agrees": 0})
        bucket["cases"] += 1
        reference = case.get("reference_date")
        predictions = annotate(case["text"], reference[:10] if reference else None)
        if fmt == "none_expected":
            if not predictions:
                bucket["recognised"] += 1
                bucket["value_agrees"] += 1
            else:
                disagreements.append({"format": fmt, "text": case["text"], "expression": None,
                                      "why": f"tagged {[p.text for p in predictions]}"})
            continue
        start = case["text"].find(case["expression"])
        end = start + len(case["expression"])
        found = next((p for p in predictions if p.start == start and p.end == end), None)
        if found is not None:
            bucket["recognised"] += 1
        elif overlapping := [p for p in predictions if p.start < end and start < p.end]:
            found = overlapping[0]
        if found is not None and fmt == "timex3_value_unanchored" and found.value is None:
            found = found.model_copy(update={"value": underspecified(found)})
        agrees, why = _case_agrees(case, found)
        if agrees:
            bucket["value_agrees"] += 1
        else:
            disagreements.append({
                "format": fmt, "text": case["text"], "expression": case["expression"],
                "expected": case["expected"],
                "found": found.text if found else None, "why": why,
            })
    totals = {"cases": 0, "recognised": 0, "value_agrees": 0}
    for bucket in summary.values():
        for key in totals:
            totals[key] += bucket[key]
    return {"by_format": summary, "total": totals, "disagreements": disagreements}


def read_cases(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
