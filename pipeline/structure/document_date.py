"""The document date: what a text's partial dates ("Oct. 10", "Monday", "this quarter") and
its people's offices are read against.

Sources, in order (the first that holds one wins, and ``anchor`` names it): the period the
article covers (its last month), the publication line or citation, a PDF running header
("JAPAN-KOREA RELATIONS | JANUARY 2019 103"), a news dateline or date line near the top
("SEOUL, Nov. 22, 2019 (Yonhap) --", "Monday, July 1, 2019", "date 2023-04-07"), and last the
latest full date anywhere in the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from pipeline.dates.normalize import parse_chronology_date
from pipeline.reading import MONTH_WORD
from pipeline.structure.headers import running_header_month

_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\.?)"
_MDY = MONTH_WORD + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
_DMY = r"\d{1,2}(?:st|nd|rd|th)?\s+" + MONTH_WORD + r",?\s+\d{4}"
_ISO = r"(?<![\d.])(?P<y>(?:19|20)\d{2})(?P<sep>[-./])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d.])"
_FULL_DATE = re.compile(r"(?<!\w)(?:" + _MDY + r"|" + _DMY + r")(?!\w)")
_ISO_DATE = re.compile(_ISO)
# A dateline or date line: the date at the start of a line, after an optional place name,
# "Published :" / "Updated :" label, weekday, or an injected "date" prefix.
_LINE_START = re.compile(
    r"^(?:date\s+|(?:Published|Posted|Updated)\s*:?\s*|[A-Z][A-Za-z .'-]{1,30},\s+)?"
    r"(?:" + _WEEKDAY + r",?\s+)?"
    r"(?P<date>" + _MDY + r"|" + _DMY + r"|" + _ISO + r")"
)


class DatedLine(Protocol):
    text: str


class DatedEntry(Protocol):
    date: str | None


def _iso_value(match: re.Match[str]) -> str | None:
    year, month, day = int(match.group("y")), int(match.group("m")), int(match.group("d"))
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _day_value(text: str) -> str | None:
    iso = _ISO_DATE.fullmatch(text)
    if iso:
        return _iso_value(iso)
    first, _ = parse_chronology_date(text, None, None)
    return first


def dateline(lines: Sequence[DatedLine], top: int = 12) -> str | None:
    """The first date opening one of the first ``top`` lines, as YYYY-MM-DD."""
    for line in lines[:top]:
        m = _LINE_START.match(line.text.strip())
        if m:
            value = _day_value(m.group("date"))
            if value:
                return value
    # A closing credit line: "(Xinhua News Agency September 4, 2005)".
    for line in lines[-2:]:
        text = line.text.strip().strip("()")
        m = _FULL_DATE.search(text)
        if m and len(text.split()) <= 10 and m.end() == len(text):
            value = _day_value(m.group(0))
            if value:
                return value
    return None


def latest_full_date(text: str) -> str | None:
    """The latest date in the text written with day, month and year."""
    values = [_day_value(m.group(0)) for m in _FULL_DATE.finditer(text)]
    values.extend(_iso_value(m) for m in _ISO_DATE.finditer(text))
    known = [v for v in values if v]
    return max(known) if known else None


def find_document_date(
    lines: Sequence[DatedLine],
    metadata: dict[str, Any],
    page_headers: Sequence[str] = (),
    entries: Sequence[DatedEntry] = (),
) -> dict[str, str] | None:
    """``{"value", "anchor"}`` from the first source that holds a date, or None."""
    period = metadata.get("period") or {}
    if period.get("end"):
        return {"value": period["end"], "anchor": "period"}
    if metadata.get("published"):
        return {"value": metadata["published"], "anchor": "publication"}
    month = running_header_month(page_headers)
    if month:
        return {"value": month, "anchor": "running_header"}
    day = dateline(lines)
    if day:
        return {"value": day, "anchor": "dateline"}
    latest = latest_full_date("\n".join(line.text for line in lines))
    entry_days = [e.date for e in entries if e.date]
    if entry_days:
        latest = max([latest, *entry_days]) if latest else max(entry_days)
    if latest:
        return {"value": latest, "anchor": "latest_date"}
    # A bare year ("Raisina Dialogue 2022", "since 1992") is not taken: in a text with no full
    # date it is as often background as the text's own time.
    return None
