"""How chronology entries and headings are written, in every form the journal and its
republications use.

An entry is a line (or part of a line) that starts with its date: "Sept. 1, 2019: …",
"Oct. 28-29, 2008. …", "Oct. 30, 2018 -- …", "►March 1: …", "4 February 2018: …",
"July sixth: …", a date alone on its line with the entry below it ("July 1, 2008"), or a
line starting ": " whose date was lost in scraping. These are pure functions over line text;
``pipeline.segment`` decides where a chronology is and builds the entry spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.dates.normalize import ORDINAL_WORDS
from pipeline.reading import MONTH_WORD
from pipeline.structure.periods import period_of

_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.)"
_ORDINAL = "|".join(sorted((w.capitalize() + "|" + w for w in ORDINAL_WORDS), key=len, reverse=True))
_DAY = r"(?:\d{1,2}(?:st|nd|rd|th)?|" + _ORDINAL + r")(?![\w])"
_YEAR = r"(?:\d{4})"
# "Nov. 22-23, 2019", "Nov. 30-Dec. 2, 2019", "March 1", "July sixth"
_MDY = (
    MONTH_WORD + r"\s+" + _DAY + r"(?:\s*[-–]\s*(?:" + MONTH_WORD + r"\s+)?\d{1,2}(?![\w]))?"
    r"(?:,?\s+" + _YEAR + r")?"
)
# "4 February 2018", "3rd March"
_DMY = r"\d{1,2}(?:st|nd|rd|th)?\s+" + MONTH_WORD + r"(?:,?\s+" + _YEAR + r")?"
_BULLET = r"[►▶•▪◆■*–-]?\s*"
_DATE = r"(?:" + _WEEKDAY + r",?\s+)?(?:" + _MDY + r"|" + _DMY + r")"
# What may stand between an entry's date and its text.
_SEPARATOR = r"(?:\s*:\s*|\s*(?:--|—|–)\s*|\s+-\s+|\.\s+)"
ENTRY_DATE = re.compile(r"^" + _BULLET + r"(?P<date>" + _DATE + r")" + _SEPARATOR)
DATE_ONLY = re.compile(r"^" + _BULLET + r"(?P<date>" + _DATE + r")\s*[:.]?$")
LOST_DATE = re.compile(r"^:\s*")
# A dated entry inside a line that holds several (a flattened chronology): only full dates
# with a year and a colon, after a sentence end (or the page number or year of a running
# header flattened into the line), so narrative text is not cut up.
_INLINE_ENTRY = re.compile(
    r"(?<=[.!?”\"’)\d])\s+(?P<date>" + MONTH_WORD + r"\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?,\s+" + _YEAR + r")\s*:\s+"
)
_HEADING = re.compile(r"^Chronology(?:\s+(?:of|from)\s+.+)?$", re.IGNORECASE)
_FROM_TO = re.compile(
    r"\bfrom\s+(?P<m1>" + MONTH_WORD + r")\s*(?P<y1>\d{4})?\s+to\s+(?P<m2>" + MONTH_WORD + r")\s*(?P<y2>\d{4})",
    re.IGNORECASE,
)
# "2008 Jul.~ 2008 Dec.", "May 2019 — Aug 2019", "Jul 2005 to Oct 2005"
_YEAR_FIRST_RANGE = re.compile(
    r"^(?P<y1>\d{4})\s*(?P<m1>" + MONTH_WORD + r")\s*[~〜\-–—]\s*(?P<y2>\d{4})\s*(?P<m2>" + MONTH_WORD + r")$"
)


@dataclass(frozen=True)
class EntryStart:
    """Where an entry starts inside a line: its date (as printed) and where its text starts.

    Offsets are relative to the line; ``text_offset`` is None for a date alone on its line
    (the entry's text is on the lines below)."""

    offset: int
    date_text: str
    text_offset: int | None


def match_entry_start(line: str) -> EntryStart | None:
    """The entry that opens ``line``, if it opens one (dated, date-only or lost date)."""
    m = ENTRY_DATE.match(line)
    if m and m.end() < len(line):
        return EntryStart(0, m.group("date").strip(), m.end())
    alone = DATE_ONLY.match(line)
    if alone:
        return EntryStart(0, alone.group("date").strip(), None)
    lost = LOST_DATE.match(line)
    if lost and lost.end() < len(line):
        return EntryStart(0, "", lost.end())
    return None


def inline_entry_starts(line: str, first: EntryStart) -> list[EntryStart]:
    """Further entries flattened into the same line as ``first`` ("July 1, 2010: … July 1,
    2010: …"), in order; only after the first entry's own text."""
    begin = first.text_offset or 0
    starts = []
    for m in _INLINE_ENTRY.finditer(line, begin):
        starts.append(EntryStart(m.start("date"), m.group("date"), m.end()))
    return starts


def is_chronology_heading(line: str) -> bool:
    return bool(_HEADING.match(line)) and len(line.split()) <= 12


def heading_period(line: str) -> dict[str, str] | None:
    """The period a chronology heading or period line states: "Chronology from May 2015 to
    Aug 2015", "2008 Jul.~ 2008 Dec."."""
    m = _FROM_TO.search(line) or _YEAR_FIRST_RANGE.match(line.strip())
    return period_of(m) if m else None


def entry_order(dates: list[str | None]) -> str | None:
    """``oldest_first`` or ``newest_first`` from the entries' dates as printed; None when fewer
    than two entries are dated, or the dates go both ways."""
    known = [d for d in dates if d]
    if len(set(known)) < 2:
        return None
    pairs = list(zip(known, known[1:], strict=False))
    if all(a <= b for a, b in pairs):
        return "oldest_first"
    if all(a >= b for a, b in pairs):
        return "newest_first"
    ups = sum(a < b for a, b in pairs)
    downs = sum(a > b for a, b in pairs)
    # One misplaced entry does not change how a long chronology is ordered.
    if ups >= 3 * max(downs, 1):
        return "oldest_first"
    if downs >= 3 * max(ups, 1):
        return "newest_first"
    return None


def order_from_period(dates: list[str | None], period: dict[str, str | None] | None) -> str | None:
    """With one dated entry among several: a first entry dated in the period's last month
    means newest first (in its first month, oldest first); the last entry, the reverse."""
    known = [(i, d) for i, d in enumerate(dates) if d]
    if len(dates) < 3 or len(known) != 1 or not period or not period.get("start") or not period.get("end"):
        return None
    if period["start"] == period["end"]:
        return None
    index, day = known[0]
    month = day[:7]
    if index == 0:
        return "newest_first" if month == period["end"] else "oldest_first" if month == period["start"] else None
    if index == len(dates) - 1:
        return "oldest_first" if month == period["end"] else "newest_first" if month == period["start"] else None
    return None
