"""Month names and the period a pair of months names: one reading for every header form."""

from __future__ import annotations

import re

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip


def month_number(word: str) -> int | None:
    """1-12 for a month name or abbreviation ("Sept.", "JANUARY"), else None."""
    return MONTHS.get(word.lower().rstrip(".")[:3])


def period_of(match: re.Match[str]) -> dict[str, str] | None:
    """The period a match with groups ``m1``, optional ``y1``, ``m2`` and ``y2`` names:
    ``{"start": "YYYY-MM", "end": "YYYY-MM"}``; a first month after the second is in the year
    before ("Nov — Feb 2016" starts in 2015)."""
    m1, m2 = month_number(match.group("m1")), month_number(match.group("m2"))
    if m1 is None or m2 is None:
        return None
    y2 = int(match.group("y2"))
    y1 = int(match.group("y1")) if match.group("y1") else (y2 if m1 <= m2 else y2 - 1)
    return {"start": f"{y1:04d}-{m1:02d}", "end": f"{y2:04d}-{m2:02d}"}
