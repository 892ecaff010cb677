"""Date forms learnt from reviewers' corrections, kept with a trained pipeline.

A reviewer who marks a date the stage missed ("Chuseok", "the Liberation Day") or gives a
mention its value, or who removes a false one ("May" the verb), teaches a *form*: the next
article that writes the same words gets the same treatment. ``ccpipeline train`` turns the
date corrections into :class:`DateOverride` lines (``build_overrides``) and the
``dipl_dates`` component of the trained pipeline applies them (``date_overrides.jsonl`` in
its folder):

- only corrections that teach a form are learnt (``learnable``): a date the stage cannot
  read by itself, or a form removed at least twice; a corrected value of a form the stage
  reads ("Nov. 23" in another year) fixed its context and stays a regression case;
- a ``no-date`` form is never a date mention;
- a ``date`` form is always one (found as a phrase, ignoring case, where the patterns did not
  find it);
- its value: a reviewer's day or month value carries its month and day, and the year comes
  from the new article's context the way any partial date's does (entry, paragraph, period,
  publication). A value is read as a fixed day of the year only when the reviewers gave the
  same month and day in two or more different years (a movable feast such as Chuseok moves;
  Liberation Day does not); a form corrected in one year only gets its value in that year,
  and elsewhere stays null with ``reason: corrected_for_another_year``. A value that is not
  a month or a day (a quarter, a week) is used in its own year only. With no value given,
  the stage's own reading stands.

Everything here is pure: plain values in, plain values out.
"""

from __future__ import annotations

import calendar
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Literal, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.dates.normalize import (
    Anchor,
    DateContext,
    DateParseError,
    NormalizedDate,
    normalize,
    parse_expression,
    split_time,
)
from pipeline.errors import PipelineError

OVERRIDES_FILE = "date_overrides.jsonl"


class DateOverride(BaseModel):
    """One date form and what reviewers said of it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    surface: str = Field(min_length=1, description="The form as a reviewer marked it.")
    expect: Literal["date", "no-date"] = Field(description="Always a date mention, or never one.")
    values: list[str] = Field(default_factory=list, description="The TIMEX3 values reviewers gave, oldest first.")
    articles: list[str] = Field(default_factory=list, description="The articles the corrections were made in.")

    @property
    def key(self) -> str:
        return surface_key(self.surface)

    @property
    def fixed_day(self) -> tuple[int, int | None] | None:
        """(month, day) when the values agree on it across two or more years."""
        parts = {_month_day(v) for v in self.values}
        years = {v[:4] for v in self.values}
        if len(parts) == 1 and None not in parts and len(years) >= 2:
            return next(iter(parts))
        return None


class DateCaseLike(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def expect(self) -> str: ...
    @property
    def value(self) -> str | None: ...
    @property
    def article(self) -> str | None: ...


def surface_key(text: str) -> str:
    """How forms are compared: case, accents, quotes and spacing set aside."""
    plain = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", plain.strip().lower()).strip(" .,;:")


def _month_day(value: str) -> tuple[int, int | None] | None:
    m = re.fullmatch(r"\d{4}-(\d{2})(?:-(\d{2}))?(?:T\d{2}:\d{2})?", value)
    if not m:
        return None
    return int(m.group(1)), int(m.group(2)) if m.group(2) else None


# A form removed this many times is never a date again (once could be one odd sentence:
# "May" the verb, in a text that writes "May" the month too).
REMOVALS_TO_BAN = 2


def readable(text: str) -> bool:
    """Whether the date stage reads the form by itself (then a reviewer's value is about its
    context, a regression case, not a form to learn)."""
    try:
        parse_expression(split_time(text)[0])
    except DateParseError:
        return False
    return True


def learnable(cases: Sequence[DateCaseLike]) -> tuple[list[DateCaseLike], list[tuple[DateCaseLike, str]]]:
    """The corrections that teach a form, and the others with the reason they do not: a form
    the stage already reads (the correction fixed its context), or a form removed only once."""
    removals: dict[str, int] = {}
    for case in cases:
        if case.expect == "no-date":
            removals[surface_key(case.text)] = removals.get(surface_key(case.text), 0) + 1
    taught: list[DateCaseLike] = []
    not_taught: list[tuple[DateCaseLike, str]] = []
    for case in cases:
        if case.expect == "no-date":
            if removals[surface_key(case.text)] >= REMOVALS_TO_BAN:
                taught.append(case)
            else:
                not_taught.append((case, f"removed fewer than {REMOVALS_TO_BAN} times: kept as a regression case"))
        elif readable(case.text):
            not_taught.append((case, "the stage reads this form itself: kept as a regression case"))
        else:
            taught.append(case)
    return taught, not_taught


def build_overrides(cases: Iterable[DateCaseLike], earlier: Sequence[DateOverride] = ()) -> list[DateOverride]:
    """The overrides a set of date corrections gives, added to ``earlier`` (a parent model's).
    For one form, the latest correction decides whether it is a date; values add up."""
    by_key: dict[str, DateOverride] = {o.key: o for o in earlier}
    for case in cases:
        key = surface_key(case.text)
        if not key:
            continue
        old = by_key.get(key)
        values = list(old.values) if old is not None and case.expect == "date" else []
        if case.expect == "date" and case.value and case.value not in values:
            values.append(case.value)
        articles = list(old.articles) if old is not None else []
        if case.article and case.article not in articles:
            articles.append(case.article)
        expect: Literal["date", "no-date"] = "date" if case.expect == "date" else "no-date"
        by_key[key] = DateOverride(surface=case.text.strip(), expect=expect, values=values, articles=articles)
    return sorted(by_key.values(), key=lambda o: o.key)


def read_overrides(text: str, source: str) -> list[DateOverride]:
    """Parse ``date_overrides.jsonl``; a bad line is ``E040`` naming the file and line."""
    out: list[DateOverride] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(DateOverride.model_validate(json.loads(line)))
        except (ValueError, ValidationError) as exc:
            raise PipelineError("E040", f"{source}, line {number}: {exc}") from exc
    return out


def write_overrides(overrides: Sequence[DateOverride]) -> str:
    return "".join(o.model_dump_json() + "\n" for o in overrides)


def apply_override(override: DateOverride, own: NormalizedDate, context: DateContext) -> NormalizedDate:
    """The value of a mention of an overridden form (``own``: what the stage made of it)."""
    if not override.values:
        return own
    latest = override.values[-1]
    parts = _month_day(latest)
    if parts is None:
        # a quarter, a week, a season: only in the year it was given for
        year = _context_year(context, 1, None)
        if year is not None and str(year) == latest[:4]:
            return NormalizedDate(latest, None, own.granularity, _context_anchor(context, 1, None))
        return _elsewhere(latest, own)
    month, day = override.fixed_day or parts
    year = _context_year(context, month, day)
    if year is None:
        return _elsewhere(latest, own, "no_year_anchor")
    if override.fixed_day is None and str(year) not in {v[:4] for v in override.values}:
        return _elsewhere(latest, own)
    value = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day is not None else "")
    return NormalizedDate(value, None, "day" if day is not None else "month", _context_anchor(context, month, day))


def _resolve(context: DateContext, month: int, day: int | None) -> NormalizedDate:
    text = f"{calendar.month_name[month]} {day}" if day else calendar.month_name[month]
    return normalize(text, context)


def _context_year(context: DateContext, month: int, day: int | None) -> int | None:
    """The year a partial date of that month (and day) takes in this context."""
    result = _resolve(context, month, day)
    return int(result.value[:4]) if result.value and result.value[:4].isdigit() else None


def _context_anchor(context: DateContext, month: int, day: int | None) -> Anchor | None:
    return _resolve(context, month, day).anchor


def _elsewhere(latest: str, own: NormalizedDate, reason: str = "corrected_for_another_year") -> NormalizedDate:
    granularity = own.granularity or ("day" if len(latest) == 10 else "month" if len(latest) == 7 else None)
    return NormalizedDate(None, None, granularity, None, reason=reason,
                          underspecified="XXXX" + latest[4:] if latest[:4].isdigit() else None)


def overrides_by_key(overrides: Iterable[DateOverride]) -> Mapping[str, DateOverride]:
    return {o.key: o for o in overrides}


class _Mention(Protocol):
    @property
    def start_char(self) -> int: ...
    @property
    def end_char(self) -> int: ...
    @property
    def text(self) -> str: ...


M = TypeVar("M", bound=_Mention)


def _form_regex(surface: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in surface_key(surface).split(" ")]
    return re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])", re.IGNORECASE)


def adjust_mentions(text: str, mentions: Sequence[M], overrides: Sequence[DateOverride],
                    make: Callable[[int, int, str], M]) -> list[M]:
    """The stage's mentions with the overrides' recognition applied: ``no-date`` forms taken
    out; ``date`` forms found wherever they are written, replacing mentions they overlap."""
    if not overrides:
        return list(mentions)
    banned = {o.key for o in overrides if o.expect == "no-date"}
    kept = [m for m in mentions if surface_key(m.text) not in banned]
    added: list[M] = []
    for override in overrides:
        if override.expect != "date":
            continue
        for m in _form_regex(override.surface).finditer(text):
            if any(a.start_char < m.end() and m.start() < a.end_char for a in added):
                continue
            added.append(make(m.start(), m.end(), m.group(0)))
    if not added:
        return kept
    kept = [k for k in kept if not any(k.start_char < a.end_char and a.start_char < k.end_char for a in added)]
    return sorted([*kept, *added], key=lambda m: (m.start_char, m.end_char))
