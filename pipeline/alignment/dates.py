"""Date compatibility: how well a narrative date (possibly vague) fits a chronology entry's day."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from pipeline.alignment.model import DateRef

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2})?$")  # a time of day stays that day
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")

# Season months as the journal uses them (meteorological seasons, northern hemisphere).
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}
# How far an APPROX/BEFORE/AFTER day reaches, in days.
_VAGUE_DAY_REACH = 2


@dataclass(frozen=True)
class DayRange:
    """The first and last day a TIMEX3 value (with its mod) can stand for."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def contains(self, other: DayRange) -> bool:
        return self.first <= other.first and other.last <= self.last

    def overlaps(self, other: DayRange) -> bool:
        return self.first <= other.last and other.first <= self.last

    def distance(self, other: DayRange) -> int:
        """Days between two disjoint ranges (0 when they overlap)."""
        if self.overlaps(other):
            return 0
        if self.last < other.first:
            return (other.first - self.last).days
        return (self.first - other.last).days


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _months(year: int, first_month: int, last_month: int) -> DayRange:
    """Months may run past December (winter): 13 is January of the next year."""
    last_year, last = (year + 1, last_month - 12) if last_month > 12 else (year, last_month)
    return DayRange(date(year, first_month, 1), _month_end(last_year, last))


def _part(span: DayRange, mod: str | None) -> DayRange:
    """Narrow a range to its first, middle or last third for START / MID / END."""
    if mod not in ("START", "MID", "END") or span.days < 3:
        return span
    third = span.days // 3
    if mod == "START":
        return DayRange(span.first, span.first + timedelta(days=third - 1))
    if mod == "MID":
        return DayRange(span.first + timedelta(days=third), span.last - timedelta(days=third))
    return DayRange(span.last - timedelta(days=third - 1), span.last)


# The functions below are pure and their arguments frozen: an article asks the same few
# values again for every event x entry pair, so they are cached.
CACHE_SIZE = 1 << 14


@lru_cache(maxsize=CACHE_SIZE)
def day_range(ref: DateRef) -> DayRange | None:
    """The days a TIMEX3 value covers, narrowed or widened by its mod; None if not a date."""
    value, mod = ref.value, ref.mod
    try:
        if m := _DAY.match(value):
            day = date(int(m[1]), int(m[2]), int(m[3]))
            span = DayRange(day, day)
            if mod == "BEFORE":
                return DayRange(day - timedelta(days=_VAGUE_DAY_REACH), day)
            if mod == "AFTER":
                return DayRange(day, day + timedelta(days=_VAGUE_DAY_REACH))
            if mod == "APPROX":
                reach = timedelta(days=_VAGUE_DAY_REACH)
                return DayRange(day - reach, day + reach)
            return span
        if m := _MONTH.match(value):
            year, month = int(m[1]), int(m[2])
            return _part(DayRange(date(year, month, 1), _month_end(year, month)), mod)
        if m := _SEASON.match(value):
            first, last = _SEASON_MONTHS[m[2]]
            return _part(_months(int(m[1]), first, last), mod)
        if m := _WEEK.match(value):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return DayRange(monday, monday + timedelta(days=6))
        if m := _YEAR.match(value):
            year = int(m[1])
            return _part(DayRange(date(year, 1, 1), date(year, 12, 31)), mod)
    except ValueError:
        return None
    return None


@lru_cache(maxsize=CACHE_SIZE)
def entry_range(first: str | None, last: str | None) -> DayRange | None:
    """The days of a chronology entry ("Nov. 22-23, 2019" covers two)."""
    if first is None:
        return None
    start = day_range(DateRef(first))
    if start is None:
        return None
    end = day_range(DateRef(last)) if last else None
    return DayRange(start.first, end.last if end and end.last >= start.first else start.last)


@dataclass(frozen=True)
class DateFit:
    """How a narrative date fits an entry: a score in [-1, 1] and the reason."""

    score: float
    reason: str | None
    disagrees: bool = False


def _within_score(days: int) -> float:
    """A vaguer expression is weaker evidence: a day range of a few days is nearly exact,
    a third of a month is good, a month fair, a season weak, a year almost nothing."""
    if days <= 5:
        return 0.85
    if days <= 11:
        return 0.7
    if days <= 31:
        return 0.55
    if days <= 92:
        return 0.3
    return 0.1


@lru_cache(maxsize=CACHE_SIZE)
def date_fit(ref: DateRef, entry: DayRange) -> DateFit:
    """Compare one narrative date with an entry's days."""
    span = day_range(ref)
    if span is None:
        return DateFit(0.0, None)
    label = ref.value + (f"/{ref.mod}" if ref.mod else "")
    if span.days == 1 and entry.contains(span):
        return DateFit(1.0, "date:exact")
    if span.overlaps(entry):
        return DateFit(_within_score(span.days), f"date:within:{label}")
    gap = span.distance(entry)
    if span.days == 1 and gap <= 2:
        # One or two days apart: time zones and "announced the next day" make this common.
        return DateFit(-0.1, f"date:off-by-{gap}d:{label}", disagrees=True)
    if span.days <= 31:
        return DateFit(-1.0, f"date:conflict:{label}", disagrees=True)
    # A season or year that misses the entry says little about the happening itself.
    return DateFit(-0.3, f"date:outside:{label}", disagrees=False)


def locates_happening(ref: DateRef) -> bool:
    """Whether a date is precise enough to place a happening that follows it in a paragraph:
    a day, week, part of a month, month or season, not a year or decade named in passing."""
    span = day_range(ref)
    return span is not None and span.days <= 92


def best_date_fit(refs: tuple[DateRef, ...], entry: DayRange | None) -> DateFit:
    """The best fit among an event's dates (an event can carry a range or two mentions)."""
    if entry is None or not refs:
        return DateFit(0.0, None)
    if len(refs) == 1:  # the usual case: that date's fit, if it has one
        fit = date_fit(refs[0], entry)
        return fit if fit.reason is not None else DateFit(0.0, None)
    fits = [date_fit(ref, entry) for ref in refs]
    usable = [f for f in fits if f.reason is not None]
    if not usable:
        return DateFit(0.0, None)
    return max(usable, key=lambda f: f.score)
