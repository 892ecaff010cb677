"""Turn the text of a temporal expression plus its anchors into a TIMEX3 value (pure functions).

Two steps: ``parse_expression`` reads the span text alone into a ``ParsedDate`` (which calendar
fields it names, which part of a period, which relative offset); ``resolve`` fills what the text
leaves open from a ``DateContext`` (chronology entry, paragraph, article period, publication), in
the annotation guide's order, and says which anchor it used.  An expression that no anchor can
soundly complete keeps ``value=None`` and a ``reason``; it is never guessed.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal

import dateparser

Mod = Literal["START", "MID", "END", "APPROX", "BEFORE", "AFTER"]
Anchor = Literal[
    "explicit", "chronology_entry", "paragraph_date", "article_period", "publication_date",
    "document_date",
]

MONTHS: dict[str, int] = {}
for _number, _name in enumerate(calendar.month_name):
    if _number:
        MONTHS[_name.lower()] = _number
        MONTHS[_name.lower()[:3]] = _number
MONTHS["sept"] = 9

WEEKDAYS: dict[str, int] = {}
for _number, _name in enumerate(calendar.day_name):
    WEEKDAYS[_name.lower()] = _number
    WEEKDAYS[_name.lower()[:3]] = _number
WEEKDAYS.update({"tues": 1, "wed": 2, "thur": 3, "thurs": 3})

SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
# The month that stands for a season when we compare it with other dates: its middle month,
# except winter, which we place at its first month (December of the year it is named for).
SEASON_MONTH = {"SP": 4, "SU": 7, "FA": 10, "WI": 12}

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": None, "few": None,
    "some": None, "a few": None,
}  # fmt: skip
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "twenty-second": 22,
    "twenty-third": 23, "twenty-fourth": 24, "twenty-fifth": 25, "twenty-sixth": 26,
    "twenty-seventh": 27, "twenty-eighth": 28, "twenty-ninth": 29, "thirtieth": 30,
    "thirty-first": 31,
}  # fmt: skip
DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
}  # fmt: skip

PART_MODS: dict[str, Mod] = {
    "early": "START", "beginning": "START", "start": "START", "first months": "START",
    "mid": "MID", "middle": "MID",
    "late": "END", "end": "END", "later part": "END", "latter part": "END", "last months": "END",
    "waning months": "END", "final months": "END", "closing months": "END",
    "end-of-year": "END", "early months": "START", "opening months": "START",
    "earliest months": "START", "rest": "END", "remainder": "END",
}  # fmt: skip
HOLIDAYS: dict[str, tuple[int, int]] = {
    "double ten": (10, 10), "double ten day": (10, 10), "christmas": (12, 25),
    "christmas day": (12, 25), "christmas eve": (12, 24), "new year's day": (1, 1),
    "new year's eve": (12, 31),
}  # fmt: skip
APPROX_WORDS = ("around", "about", "approximately", "roughly", "circa", "some time around")

Granularity = Literal[
    "day", "week", "month", "season", "quarter", "half", "year", "decade", "century"
]


@dataclass(frozen=True)
class PrecedingDate:
    """A date mention met earlier in the same paragraph, as the anchors need it."""

    value: str
    granularity: str
    has_explicit_year: bool
    derived: bool = False  # resolved from another date ("the next day"), not read off a calendar


@dataclass(frozen=True)
class DateContext:
    """Everything outside the span that may complete its value (all plain strings)."""

    entry_date: str | None = None  # "YYYY-MM-DD" of the chronology entry the span sits in
    preceding: tuple[PrecedingDate, ...] = ()  # earlier resolved dates in the paragraph, in order
    period_start: str | None = None  # "YYYY-MM"
    period_end: str | None = None  # "YYYY-MM"
    published: str | None = None  # "YYYY-MM"
    # What ``published`` is: the publication month, or (a text with no publication line) the
    # month of its document date (a dateline, running header or latest full date).
    published_anchor: Anchor = "publication_date"
    document_date: str | None = None  # "YYYY-MM-DD" when a day-precise creation date is known
    appositive_value: str | None = None  # a day date this span stands in apposition to
    references: Mapping[str, str] = field(default_factory=dict)  # e.g. {"deadline": "2019-11-22"}


@dataclass(frozen=True)
class NormalizedDate:
    """The outcome for one span: a TIMEX3 value or a reason why there is none."""

    value: str | None
    mod: Mod | None
    granularity: str | None
    anchor: Anchor | None
    reason: str | None = None
    underspecified: str | None = None  # TIMEX3 with X placeholders for what stayed open
    defines: Mapping[str, str] = field(default_factory=dict)  # references this span fixes
    derived: bool = False  # counted from another date rather than named on a calendar


@dataclass(frozen=True)
class ParsedDate:
    """What the span text alone says."""

    kind: str  # calendar | decade | century | relative | deictic | reference | weekday | new_year
    year: int | None = None
    month: int | None = None
    day: int | None = None
    season: str | None = None
    quarter: int | None = None
    half: int | None = None
    decade: int | None = None  # 199 for the 1990s
    century: int | None = None  # 18 for the 19th century
    mod: Mod | None = None
    year_shift: int | None = None  # "last year" -1, "this year" 0, "next year" +1
    same_year: bool = False  # "that year", "the year", "earlier in the year"
    month_shift: int | None = None  # "last October" -1, "next May" +1
    weekday: int | None = None
    unit: str | None = None  # relative unit: day | week | month | year | subday
    offset: int | None = None  # relative offset in units (None: vague count)
    base: str | None = None  # relative base: "anchor" | "deadline" | "now" | "same"
    explicit_year: bool = False

    @property
    def granularity(self) -> str:
        if self.kind == "decade":
            return "decade"
        if self.kind == "century":
            return "century"
        if self.unit in {"day", "subday"}:
            return "day"
        if self.unit in {"week", "month", "year"}:
            return self.unit
        if self.day is not None or self.weekday is not None:
            return "day"
        if self.quarter is not None:
            return "quarter"
        if self.half is not None:
            return "half"
        if self.season is not None:
            return "season"
        if self.month is not None:
            return "month"
        return "year"


class DateParseError(ValueError):
    """The span text is not a temporal expression this normaliser understands."""


# ---------------------------------------------------------------------------------------------
# parsing the span text


def _clean(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("—", "-").replace("–", "-")
    text = re.sub(r"\s+", " ", text.strip().lower())
    text = re.sub(r"'s$", "", text).strip()
    return text.rstrip(".,;:")


_MONTH_RE = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY_RE = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?|(?:mon|tues|wednes|thurs|fri|satur|sun)day),?"
_DAY_RE = (
    r"(?P<day>\d{1,2}(?:st|nd|rd|th)?|"
    + "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True))
    + ")"
)


def _day_number(token: str) -> int:
    token = re.sub(r"(?<=\d)(?:st|nd|rd|th)$", "", token)
    if token.isdigit():
        return int(token)
    if token in ORDINAL_WORDS:
        return ORDINAL_WORDS[token]
    raise DateParseError(f"not a day of the month: {token!r}")


def _year_number(token: str) -> int:
    if re.fullmatch(r"\d{4}", token):
        return int(token)
    raise DateParseError(f"not a year: {token!r}")


def _strip_weekday(text: str) -> tuple[str, bool]:
    stripped = re.sub(rf"^{_WEEKDAY_RE}\s+", "", text)
    stripped = re.sub(rf",?\s+{_WEEKDAY_RE}$", "", stripped)
    return stripped.strip(" ,"), stripped != text


def _part_mod(text: str) -> tuple[Mod | None, str]:
    """Split a leading part-of-period phrase ("late", "the end of", "mid-") off the text."""
    match = re.match(
        r"^(?:the )?(early months|opening months|earliest months|early|mid|late|beginning|start|"
        r"middle|end|later part|latter part|first months|last months|waning months|final months|"
        r"closing months|rest|remainder)"
        r"(?:-| of | in | )(?:the )?(.+)$",
        text,
    )
    if match and match.group(2):
        return PART_MODS[match.group(1)], match.group(2)
    # "the final four months of 2019", "the first two months of the year"
    counted = re.match(
        r"^(?:the )?(first|last|final|closing|opening) (?:" + "|".join(NUMBER_WORDS) + r"|\d+) months? of (?:the )?(.+)$",
        text,
    )
    if counted:
        return ("START" if counted.group(1) in {"first", "opening"} else "END"), counted.group(2)
    return None, text


def parse_expression(span_text: str) -> ParsedDate:
    """Read what the span text says by itself; raise ``DateParseError`` if it is not a date."""
    text = _clean(span_text)
    if not text:
        raise DateParseError("empty span")
    for word in APPROX_WORDS:
        if text.startswith(word + " "):
            inner = parse_expression(text[len(word) + 1 :])
            return replace(inner, mod=inner.mod or "APPROX")
    if text in {"end-of-year", "year-end", "the year-end", "the end-of-year", "year's end", "years end"}:
        return ParsedDate(kind="calendar", same_year=True, mod="END")
    if text in {"the coming year", "the upcoming year", "coming year"}:
        return ParsedDate(kind="calendar", year_shift=1)
    # Holidays on a fixed day: "Double Ten" (Taiwan's National Day), Christmas, New Year's Day.
    holiday = HOLIDAYS.get(text)
    if holiday is not None:
        return ParsedDate(kind="calendar", month=holiday[0], day=holiday[1])
    if text in {"the new year", "new year", "the new year's"}:
        return ParsedDate(kind="new_year")

    parsed = _parse_decade_or_century(text)
    if parsed is None:
        parsed = _parse_relative(text)
    if parsed is None:
        parsed = _parse_calendar(text)
    if parsed is None:
        mod, rest = _part_mod(text)
        if mod is not None:
            inner = parse_expression(rest)
            if inner.mod is None:
                return replace(inner, mod=mod)
            return inner
        raise DateParseError(f"not a temporal expression this normaliser knows: {span_text!r}")
    return parsed


def _parse_decade_or_century(text: str) -> ParsedDate | None:
    match = re.fullmatch(r"(?:the )?(?:(early|mid|late)[- ]?)?(?:(\d{3})0|'?(\d)0)'?s", text)
    if match:
        mod = {"early": "START", "mid": "MID", "late": "END", None: None}[match.group(1)]
        decade = int(match.group(2)) if match.group(2) else 190 + int(match.group(3))
        return ParsedDate(kind="decade", decade=decade, mod=mod)  # type: ignore[arg-type]
    match = re.fullmatch(r"(?:the )?(?:(early|mid|late)[- ]?)?(" + "|".join(DECADE_WORDS) + ")", text)
    if match:
        mod = {"early": "START", "mid": "MID", "late": "END", None: None}[match.group(1)]
        return ParsedDate(kind="decade", decade=190 + DECADE_WORDS[match.group(2)], mod=mod)  # type: ignore[arg-type]
    match = re.fullmatch(r"(?:the )?(?:(\d{1,2})(?:st|nd|rd|th)|([a-z-]+)) century", text)
    if match:
        number = int(match.group(1)) if match.group(1) else ORDINAL_WORDS.get(match.group(2) or "")
        if number:
            return ParsedDate(kind="century", century=number - 1)
    return None


_COUNT_RE = r"(?P<count>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few|few|some)"


def _count(token: str) -> int | None:
    return int(token) if token.isdigit() else NUMBER_WORDS.get(token)


def _relative(unit: str, offset: int, base: str = "anchor", kind: str = "relative") -> ParsedDate:
    return ParsedDate(kind=kind, unit=unit, offset=offset, base=base)


# Fixed relative expressions, grouped by what they say (the values are frozen, so shared).
_SIMPLE_RELATIVE_GROUPS: list[tuple[ParsedDate, tuple[str, ...]]] = [
    (_relative("day", 1), ("next day", "following day", "day after", "a day later")),
    (_relative("day", -1), ("day before", "previous day", "day earlier", "a day earlier")),
    (_relative("day", 0), ("same day", "that day", "earlier in the day", "later in the day")),
    (_relative("same", 0, base="same"), ("same time", "that time")),
    (_relative("week", 0), ("same week", "that week", "earlier that week", "later that week")),
    (_relative("week", 1), ("following week", "next week")),
    (_relative("week", -1), ("previous week", "week before")),
    (_relative("month", 0), ("same month", "that month", "earlier that month", "later that month")),
    (_relative("month", 1), ("following month", "next month")),
    (_relative("month", -1), ("previous month",)),
    (_relative("month", -1, base="now", kind="deictic"), ("last month",)),
    (_relative("month", 0, base="now", kind="deictic"), ("this month",)),
    (_relative("day", 0, base="now", kind="deictic"), ("today",)),
    (_relative("day", -1, base="now", kind="deictic"), ("yesterday",)),
    (_relative("day", 1, base="now", kind="deictic"), ("tomorrow",)),
    (_relative("day", -2, base="now", kind="deictic"), ("day before yesterday",)),
    (_relative("day", 2, base="now", kind="deictic"), ("day after tomorrow",)),
    (ParsedDate(kind="calendar", year_shift=0), ("this year",)),
    (ParsedDate(kind="calendar", year_shift=-1), ("last year", "previous year")),
    (ParsedDate(kind="calendar", year_shift=1), ("next year", "following year")),
    (ParsedDate(kind="calendar", same_year=True),
     ("year", "that year", "same year", "earlier in the year", "later in the year",
      "earlier that year", "later that year")),
]
_SIMPLE_RELATIVE: dict[str, ParsedDate] = {
    phrase: parsed for parsed, phrases in _SIMPLE_RELATIVE_GROUPS for phrase in phrases
}


def _parse_relative(text: str) -> ParsedDate | None:
    text = re.sub(r"^(?:the )", "", text) if text.startswith("the ") else text
    found = _SIMPLE_RELATIVE.get(text)
    if found is not None:
        return found
    # "two days later", "a week earlier", "three weeks ago", "hours before the deadline"
    match = re.fullmatch(
        _COUNT_RE + r"? ?(?P<unit>hours?|minutes?|days?|weeks?|months?|years?|decades?)"
        r" (?P<dir>later|after|earlier|before|ago)(?: (?:the )?(?P<ref>deadline|summit|vote|election|meeting))?",
        text,
    )
    if match:
        unit = match.group("unit").rstrip("s")
        count = _count(match.group("count")) if match.group("count") else None
        if match.group("count") is None and match.group("unit").endswith("s"):
            if unit not in {"hour", "minute"}:
                return None  # "days later" without a count is vague; plural hours are sub-day
        elif match.group("count") is None:
            count = 1  # "the day before the deadline"
        sign = 1 if match.group("dir") in {"later", "after"} else -1
        ref = match.group("ref")
        if unit in {"hour", "minute"}:
            mod: Mod = "AFTER" if sign > 0 else "BEFORE"
            if match.group("dir") == "ago":
                return ParsedDate(kind="deictic", unit="subday", offset=0, base="now")
            return ParsedDate(kind="reference" if ref else "relative", unit="subday", offset=0,
                              base=ref or "anchor", mod=mod)
        if unit == "decade":
            unit, count = "year", (10 * count if count else None)
        offset = None if count is None else sign * count
        if match.group("dir") == "ago":
            return ParsedDate(kind="deictic", unit=unit, offset=offset, base="now")
        return ParsedDate(kind="reference" if ref else "relative", unit=unit, offset=offset,
                          base=ref or "anchor")
    match = re.fullmatch(
        r"(?:the )?(?P<unit>day|week|month) (?P<dir>before|after) (?:the )?"
        r"(?P<ref>deadline|summit|vote|election|meeting)",
        text,
    )
    if match:
        unit = match.group("unit")
        sign = 1 if match.group("dir") == "after" else -1
        return ParsedDate(kind="reference", unit=unit, offset=sign, base=match.group("ref"))
    match = re.fullmatch(r"(?:(this|next|last|on) )?" + _WEEKDAY_RE.rstrip(",?"), text)
    if match:
        name = text.split()[-1].rstrip(".")
        shift = {"next": 1, "last": -1}.get(match.group(1) or "", 0)
        return ParsedDate(kind="weekday", weekday=WEEKDAYS[name[:3]] if name[:3] in WEEKDAYS else WEEKDAYS[name],
                          offset=shift)
    return None


def _parse_year_part(text: str) -> tuple[int | None, int | None, bool]:
    """Return (year, year_shift, same_year) for the year part of an expression, if any."""
    text = text.strip()
    if not text:
        return None, None, False
    if re.fullmatch(r"(?:the year )?\d{4}", text):
        return int(text[-4:]), None, False
    shifts = {"this year": 0, "last year": -1, "next year": 1, "the previous year": -1,
              "the following year": 1, "the next year": 1}
    if text in shifts:
        return None, shifts[text], False
    if text in {"the year", "that year", "the same year"}:
        return None, None, True
    raise DateParseError(f"not a year: {text!r}")


def _parse_calendar(text: str) -> ParsedDate | None:
    text, _ = _strip_weekday(text)
    text = re.sub(r"^(?:on|in) ", "", text)
    # bare or spelled year: "2019", "the year 2020"
    match = re.fullmatch(r"(?:the year |the )?(\d{4})", text)
    if match:
        return ParsedDate(kind="calendar", year=int(match.group(1)), explicit_year=True)
    # "this quarter", "the quarter", "last quarter": the quarter the context is in (or next to)
    match = re.fullmatch(r"(?P<which>this|the|that|last|previous|next|following|the last|the previous|the next|the following) quarter", text)
    if match:
        quarter_shift = {"last": -1, "previous": -1, "next": 1, "following": 1}.get(
            match.group("which").split()[-1], 0
        )
        return ParsedDate(kind="quarter_deictic", offset=quarter_shift, unit="quarter")
    # "the last quarter of 2009" is its fourth quarter
    last_of = re.fullmatch(r"(?:the )?(?:last|final) (?P<what>quarter|half) of (?P<y2>.+)", text)
    if last_of:
        last_year, last_shift, last_same = _parse_year_part(last_of.group("y2"))
        last_what = last_of.group("what")
        return ParsedDate(kind="calendar", year=last_year, quarter=4 if last_what == "quarter" else None,
                          half=2 if last_what == "half" else None, year_shift=last_shift,
                          same_year=last_same, explicit_year=last_year is not None)
    # "2023.04.27", "2023-04-27": year, month, day
    iso = re.fullmatch(r"(?P<y>(?:19|20)\d{2})[.-](?P<m>0[1-9]|1[0-2])[.-](?P<d>0[1-9]|[12]\d|3[01])", text)
    if iso:
        return ParsedDate(kind="calendar", year=int(iso.group("y")), month=int(iso.group("m")),
                          day=int(iso.group("d")), explicit_year=True)
    # "12/2010": month and year
    numeric_month = re.fullmatch(r"(?P<m>0?[1-9]|1[0-2])/(?P<y>(?:19|20)\d{2})", text)
    if numeric_month:
        return ParsedDate(kind="calendar", year=int(numeric_month.group("y")),
                          month=int(numeric_month.group("m")), explicit_year=True)
    # quarters and halves: "the third quarter of 2001", "Q4 2019", "the 2001 third quarter"
    match = re.fullmatch(
        r"(?:the )?(?:(?P<y1>\d{4}|this year's|next year's|last year's|the year-earlier|year-earlier) )?"
        r"(?P<ord>first|second|third|fourth) (?P<what>quarter|half)(?: of (?P<y2>.+))?",
        text,
    ) or re.fullmatch(r"(?P<q>q[1-4]|h[12]) ?(?P<y2>\d{4})?", text)
    if match:
        groups = match.groupdict()
        if groups.get("q"):
            what = "quarter" if groups["q"][0] == "q" else "half"
            number = int(groups["q"][1])
        else:
            what, number = groups["what"], ORDINAL_WORDS[groups["ord"]]
        if what == "half" and number > 2:
            return None
        year_text = groups.get("y2") or ""
        y1 = groups.get("y1") or ""
        shift = None
        if y1 and y1[0].isdigit():
            year_text = y1
        elif y1:
            shift = {"this year's": 0, "next year's": 1, "last year's": -1}.get(y1, -1)
        year, year_shift, same_year = _parse_year_part(year_text)
        return ParsedDate(
            kind="calendar", year=year, quarter=number if what == "quarter" else None,
            half=number if what == "half" else None, year_shift=shift if shift is not None else year_shift,
            same_year=same_year, explicit_year=year is not None,
        )
    # seasons: "fall 2019", "the summer of 2019", "this spring", "early fall"
    match = re.fullmatch(
        r"(?:(?P<shift>this|last|next|the|that) )?(?P<season>spring|summer|fall|autumn|winter)"
        r"(?:,? (?:of )?(?P<year>.+))?",
        text,
    )
    if match:
        year, year_shift, same_year = _parse_year_part(match.group("year") or "")
        shift = {"last": -1, "next": 1}.get(match.group("shift") or "")
        return ParsedDate(kind="calendar", season=SEASONS[match.group("season")], year=year,
                          year_shift=year_shift, same_year=same_year or match.group("shift") == "that",
                          month_shift=shift, explicit_year=year is not None)
    # day + month: "Sept. 20", "Nov. 22, 2019", "25 February 2009", "19th of November"
    match = re.fullmatch(
        r"(?:(?P<shift>this|last|next) )?" + _MONTH_RE + r" " + _DAY_RE + r"(?:,? (?:of )?(?P<year>.+))?",
        text,
    ) or re.fullmatch(
        r"(?:the )?" + _DAY_RE + r" (?:of )?" + _MONTH_RE + r"(?:,? (?:of )?(?P<year>.+))?", text
    )
    if match:
        try:
            day = _day_number(match.group("day"))
        except DateParseError:
            return None
        year, year_shift, same_year = _parse_year_part(match.group("year") or "")
        shift_word = match.groupdict().get("shift")
        return ParsedDate(kind="calendar", month=MONTHS[match.group("month").rstrip(".")], day=day,
                          year=year, year_shift=year_shift, same_year=same_year,
                          month_shift={"last": -1, "next": 1}.get(shift_word or ""),
                          explicit_year=year is not None)
    # month: "November", "Nov. 2001", "February of 1999", "last October", "November next year"
    match = re.fullmatch(
        r"(?:(?P<shift>this|last|next) )?" + _MONTH_RE + r"(?:,? (?:of )?(?P<year>.+))?", text
    )
    if match:
        year, year_shift, same_year = _parse_year_part(match.group("year") or "")
        return ParsedDate(kind="calendar", month=MONTHS[match.group("month").rstrip(".")], year=year,
                          year_shift=year_shift, same_year=same_year,
                          month_shift={"last": -1, "next": 1}.get(match.group("shift") or ""),
                          explicit_year=year is not None)
    # a lone day of the month, only meaningful as the second end of a range ("Nov. 22-23")
    match = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4}))?", text)
    if match and 1 <= int(match.group(1)) <= 31:
        year = int(match.group(2)) if match.group(2) else None
        return ParsedDate(kind="calendar", day=int(match.group(1)), year=year,
                          explicit_year=year is not None)
    match = re.fullmatch(r"(\d{2})", text)
    if match:
        return None
    return _parse_numeric_with_dateparser(text)


def _parse_numeric_with_dateparser(text: str) -> ParsedDate | None:
    """Numeric full dates ("2010-01-29", "09/26/1999") are left to dateparser, span text only."""
    if not re.fullmatch(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4}", text):
        return None
    parsed = dateparser.parse(
        text, languages=["en"], settings={"REQUIRE_PARTS": ["day", "month", "year"]}
    )
    if parsed is None:
        return None
    return ParsedDate(kind="calendar", year=parsed.year, month=parsed.month, day=parsed.day,
                      explicit_year=True)


# ---------------------------------------------------------------------------------------------
# resolving against the anchors


def _ym(value: str) -> tuple[int, int]:
    year, month = value.split("-")[:2]
    return int(year), int(month)


def _month_index(year: int, month: int) -> int:
    return year * 12 + (month - 1)


def _position_month(parsed: ParsedDate) -> int | None:
    """The month (1-12) standing for a partial expression when we compare it with anchors."""
    if parsed.month is not None:
        return parsed.month
    if parsed.season is not None:
        return SEASON_MONTH[parsed.season]
    if parsed.quarter is not None:
        return parsed.quarter * 3 - 1
    if parsed.half is not None:
        return 3 if parsed.half == 1 else 9
    return None


def _closest_year(month: int, day: int, reference: date) -> int:
    """The year that puts month/day nearest to the reference day (ties go to the past)."""
    best: tuple[int, int] | None = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        last = calendar.monthrange(year, month)[1]
        distance = abs((date(year, month, min(day, last)) - reference).days)
        key = (distance, 0 if date(year, month, min(day, last)) <= reference else 1)
        if best is None or key < (best[0], best[1]):
            best = (distance, 0 if date(year, month, min(day, last)) <= reference else 1)
            chosen = year
    return chosen


def _year_within_period(month: int, start: str, end: str) -> int:
    """The year a month falls in given an article period, or the nearest year outside it."""
    start_index, end_index = _month_index(*_ym(start)), _month_index(*_ym(end))
    candidates = range(_ym(start)[0] - 1, _ym(end)[0] + 2)
    scored = []
    for year in candidates:
        index = _month_index(year, month)
        if start_index <= index <= end_index:
            distance = 0
        else:
            distance = start_index - index if index < start_index else index - end_index
        scored.append((distance, 0 if index <= end_index else 1, year))
    return min(scored)[2]


def _format(parsed: ParsedDate, year: int | None) -> str:
    """Write the TIMEX3 value of a parsed expression once its year is known ("XXXX" if not)."""
    if parsed.kind == "decade":
        return str(parsed.decade)
    if parsed.kind == "century":
        return f"{parsed.century:02d}"
    year_text = f"{year:04d}" if year is not None else "XXXX"
    if parsed.quarter is not None:
        return f"{year_text}-Q{parsed.quarter}"
    if parsed.half is not None:
        return f"{year_text}-H{parsed.half}"
    if parsed.season is not None:
        return f"{year_text}-{parsed.season}"
    if parsed.month is None:
        return year_text if parsed.day is None else f"{year_text}-XX-{parsed.day:02d}"
    if parsed.day is None:
        return f"{year_text}-{parsed.month:02d}"
    return f"{year_text}-{parsed.month:02d}-{parsed.day:02d}"


def _valid_day(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _result(parsed: ParsedDate, year: int | None, anchor: Anchor | None,
            mod: Mod | None = None) -> NormalizedDate:
    if year is None:
        return NormalizedDate(None, mod or parsed.mod, parsed.granularity, None,
                              reason="no_year_anchor", underspecified=_format(parsed, None))
    if (parsed.month is not None and parsed.day is not None
            and not _valid_day(year, parsed.month, parsed.day)):
        return NormalizedDate(None, mod or parsed.mod, parsed.granularity, anchor,
                              reason="invalid_calendar_date", underspecified=_format(parsed, year))
    return NormalizedDate(_format(parsed, year), mod or parsed.mod, parsed.granularity, anchor)


def _single_year_of_period(context: DateContext) -> int | None:
    if context.period_start and context.period_end:
        start_year, end_year = _ym(context.period_start)[0], _ym(context.period_end)[0]
        return start_year if start_year == end_year else None
    return None


def _deictic_year(context: DateContext) -> tuple[int | None, Anchor | None, str | None]:
    """The year "this year" means: the entry's, else the article period's, else publication's."""
    if context.entry_date:
        return int(context.entry_date[:4]), "chronology_entry", None
    if context.period_start and context.period_end:
        year = _single_year_of_period(context)
        if year is None:
            return None, None, "period_spans_two_years"
        return year, "article_period", None
    if context.published:
        return int(context.published[:4]), context.published_anchor, None
    return None, None, "no_year_anchor"


def _paragraph_year_date(context: DateContext) -> PrecedingDate | None:
    """The nearest preceding full date (day, month and year all written) in the paragraph."""
    for earlier in reversed(context.preceding):
        if earlier.has_explicit_year and earlier.granularity == "day" and not earlier.derived:
            return earlier
    return None


def _paragraph_day(context: DateContext) -> str | None:
    """The nearest preceding calendar day in the paragraph (not one counted from another)."""
    for earlier in reversed(context.preceding):
        if earlier.granularity == "day" and len(earlier.value) == 10 and not earlier.derived:
            return earlier.value
    return None


def _to_date(value: str) -> date:
    return date.fromisoformat(value[:10])


def _reference_point(value: str) -> date:
    """A day standing for a value of any granularity (for nearest-year comparisons)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return _to_date(value)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return date(int(value[:4]), int(value[5:7]), 15)
    if re.fullmatch(r"\d{4}-(SP|SU|FA|WI)", value):
        return date(int(value[:4]), SEASON_MONTH[value[5:]], 15)
    return date(int(value[:4]), 7, 1)


def _resolve_partial(parsed: ParsedDate, context: DateContext) -> NormalizedDate:
    """Give a year to an expression that names a month, day or season but no year."""
    month = _position_month(parsed)
    if month is None:
        return _result(parsed, None, None)
    day = parsed.day or 15
    if parsed.month_shift is not None:
        return _resolve_shifted_month(parsed, context, month)
    if context.entry_date:
        year = _closest_year(month, day, _to_date(context.entry_date))
        return _result(parsed, year, "chronology_entry")
    paragraph = _paragraph_year_date(context)
    if paragraph is not None:
        year = _closest_year(month, day, _reference_point(paragraph.value))
        return _result(parsed, year, "paragraph_date")
    if context.period_start and context.period_end:
        return _result(parsed, _year_within_period(month, context.period_start, context.period_end),
                       "article_period")
    if context.published:
        pub_year, pub_month = _ym(context.published)
        year = pub_year if month <= pub_month else pub_year - 1
        return _result(parsed, year, context.published_anchor)
    return _result(parsed, None, None)


def _resolve_shifted_month(parsed: ParsedDate, context: DateContext, month: int) -> NormalizedDate:
    """"last October": the latest October strictly before the reference month (next: after)."""
    reference: tuple[int, int] | None = None
    anchor: Anchor | None = None
    if context.entry_date:
        reference, anchor = _ym(context.entry_date), "chronology_entry"
    else:
        for earlier in reversed(context.preceding):
            if earlier.granularity in {"day", "month"}:
                reference, anchor = _ym(earlier.value), "paragraph_date"
                break
    if reference is None and context.period_start and context.period_end:
        ends = context.period_start if parsed.month_shift == -1 else context.period_end
        reference, anchor = _ym(ends), "article_period"
    if reference is None and context.published:
        reference, anchor = _ym(context.published), context.published_anchor
    if reference is None:
        return _result(parsed, None, None)
    ref_index = _month_index(*reference)
    if parsed.month_shift == -1:
        year = reference[0] if _month_index(reference[0], month) < ref_index else reference[0] - 1
    else:
        year = reference[0] if _month_index(reference[0], month) > ref_index else reference[0] + 1
    return _result(parsed, year, anchor)


def _shift_day(value: str, days: int) -> str:
    return (_to_date(value) + timedelta(days=days)).isoformat()


def _week_of(day: date) -> str:
    iso = day.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def _shift_month(year: int, month: int, months: int) -> str:
    index = _month_index(year, month) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _relative_from_day(parsed: ParsedDate, base: str, anchor: Anchor) -> NormalizedDate:
    offset = parsed.offset
    if offset is None:
        return NormalizedDate(None, parsed.mod, None, anchor, reason="vague_offset")
    base_day = _to_date(base)
    if parsed.unit in {"day", "subday"}:
        return NormalizedDate(_shift_day(base, offset), parsed.mod, "day", anchor)
    if parsed.unit == "week":
        if parsed.kind == "relative" and "week" in (parsed.unit or "") and abs(offset) <= 1:
            return NormalizedDate(_week_of(base_day + timedelta(weeks=offset)), parsed.mod, "week", anchor)
        return NormalizedDate(_shift_day(base, 7 * offset), parsed.mod, "day", anchor)
    if parsed.unit == "month":
        return NormalizedDate(_shift_month(base_day.year, base_day.month, offset), parsed.mod,
                              "month", anchor)
    if parsed.unit == "year":
        return NormalizedDate(f"{base_day.year + offset:04d}", parsed.mod, "year", anchor)
    return NormalizedDate(None, parsed.mod, None, anchor, reason="unsupported_unit")


def _resolve_relative(parsed: ParsedDate, context: DateContext) -> NormalizedDate:
    if parsed.base == "same":
        if context.entry_date:
            return NormalizedDate(context.entry_date, parsed.mod, "day", "chronology_entry")
        if context.preceding:
            earlier = context.preceding[-1]
            return NormalizedDate(earlier.value, parsed.mod, earlier.granularity, "paragraph_date")
        return NormalizedDate(None, parsed.mod, None, None, reason="no_preceding_date")
    if parsed.unit == "month":
        # "the following month" may count from a month-level mention too
        if context.entry_date:
            return _relative_from_day(parsed, context.entry_date, "chronology_entry")
        for earlier in reversed(context.preceding):
            if earlier.granularity in {"day", "month"}:
                year, month = _ym(earlier.value)
                offset = parsed.offset or 0
                return NormalizedDate(_shift_month(year, month, offset), parsed.mod, "month",
                                      "paragraph_date")
        return NormalizedDate(None, parsed.mod, "month", None, reason="no_preceding_date")
    if context.entry_date:
        return _relative_from_day(parsed, context.entry_date, "chronology_entry")
    day = _paragraph_day(context)
    if day is not None:
        return _relative_from_day(parsed, day, "paragraph_date")
    return NormalizedDate(None, parsed.mod, parsed.granularity if parsed.unit != "subday" else "day",
                          None, reason="no_preceding_day")


def _resolve_reference(parsed: ParsedDate, context: DateContext) -> NormalizedDate:
    """"the day before the deadline", "hours before the deadline": relative to a named event."""
    name = parsed.base or ""
    offset = parsed.offset or 0
    if parsed.unit == "subday":
        if name in context.references:
            return NormalizedDate(context.references[name], parsed.mod, "day", "paragraph_date")
        if context.entry_date:
            # the expression dates the entry's own event, so the event is on the entry's day
            return NormalizedDate(context.entry_date, parsed.mod, "day", "chronology_entry",
                                  defines={name: context.entry_date})
        return NormalizedDate(None, parsed.mod, "day", None, reason=f"{name}_date_unknown")
    if parsed.unit != "day" or parsed.offset is None:
        return NormalizedDate(None, parsed.mod, None, None, reason="unsupported_unit")
    if context.appositive_value and len(context.appositive_value) == 10:
        value = context.appositive_value
        return NormalizedDate(value, parsed.mod, "day", "paragraph_date",
                              defines={name: _shift_day(value, -offset)})
    if name in context.references:
        return NormalizedDate(_shift_day(context.references[name], offset), parsed.mod, "day",
                              "paragraph_date")
    if context.entry_date:
        value = context.entry_date
        return NormalizedDate(value, parsed.mod, "day", "chronology_entry",
                              defines={name: _shift_day(value, -offset)})
    return NormalizedDate(None, parsed.mod, "day", None, reason=f"{name}_date_unknown")


def _resolve_deictic(parsed: ParsedDate, context: DateContext) -> NormalizedDate:
    """"yesterday", "two weeks ago": counted from the entry's day or a known document day."""
    if context.entry_date:
        base, anchor = context.entry_date, "chronology_entry"
    elif context.document_date:
        base, anchor = context.document_date, "document_date"
    else:
        return NormalizedDate(None, parsed.mod, parsed.granularity, None, reason="speech_time_unknown")
    if parsed.unit == "week" and parsed.offset is not None:
        day = _to_date(base) + timedelta(weeks=parsed.offset)
        return NormalizedDate(_week_of(day), parsed.mod, "week", anchor)  # type: ignore[arg-type]
    return _relative_from_day(parsed, base, anchor)  # type: ignore[arg-type]


def _resolve_weekday(parsed: ParsedDate, context: DateContext) -> NormalizedDate:
    """A weekday in a chronology entry: the latest such day on or before the entry's date
    ("next Monday": the first after it)."""
    assert parsed.weekday is not None
    anchor: Anchor = "chronology_entry"
    if context.entry_date:
        reference_day = context.entry_date
    elif context.document_date:
        # A news text: "on Friday" is the latest Friday on or before its dateline.
        reference_day, anchor = context.document_date, "document_date"
    else:
        return NormalizedDate(None, parsed.mod, "day", None, reason="weekday_outside_entry",
                              underspecified=f"XXXX-WXX-{parsed.weekday + 1}")
    entry = _to_date(reference_day)
    if parsed.offset == 1:
        delta = (parsed.weekday - entry.weekday()) % 7 or 7
    else:
        delta = -((entry.weekday() - parsed.weekday) % 7)
        if parsed.offset == -1 and delta == 0:
            delta = -7
    return NormalizedDate((entry + timedelta(days=delta)).isoformat(), parsed.mod, "day", anchor)


UNDERSPECIFIED_BY_GRANULARITY = {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX",
                                 "year": "XXXX"}


def resolve(parsed: ParsedDate, context: DateContext) -> NormalizedDate:
    """Complete a parsed expression from its anchors, in the annotation guide's order."""
    result = _resolve(parsed, context)
    if result.value is None and result.underspecified is None and result.granularity:
        placeholder = UNDERSPECIFIED_BY_GRANULARITY.get(result.granularity)
        return replace(result, underspecified=placeholder)
    return result


def _resolve(parsed: ParsedDate, context: DateContext) -> NormalizedDate:
    if parsed.kind in {"decade", "century"}:
        return NormalizedDate(_format(parsed, None), parsed.mod, parsed.granularity, "explicit")
    if parsed.kind == "relative":
        return replace(_resolve_relative(parsed, context), derived=True)
    if parsed.kind == "reference":
        return replace(_resolve_reference(parsed, context), derived=True)
    if parsed.kind == "deictic":
        return replace(_resolve_deictic(parsed, context), derived=True)
    if parsed.kind == "weekday":
        return replace(_resolve_weekday(parsed, context), derived=True)
    if parsed.kind == "quarter_deictic":
        return _resolve_quarter(parsed, context)
    if parsed.kind == "new_year":
        if context.period_end:
            return NormalizedDate(f"{_ym(context.period_end)[0] + 1:04d}", None, "year",
                                  "article_period")
        if context.entry_date:
            return NormalizedDate(f"{int(context.entry_date[:4]) + 1:04d}", None, "year",
                                  "chronology_entry")
        return NormalizedDate(None, None, "year", None, reason="no_period", underspecified="XXXX")
    if parsed.year is not None:
        return _result(parsed, parsed.year, "explicit")
    if parsed.year_shift is not None:
        year, anchor, reason = _deictic_year(context)
        if year is None:
            return NormalizedDate(None, parsed.mod, parsed.granularity, None, reason=reason,
                                  underspecified=_format(parsed, None))
        return _result(parsed, year + parsed.year_shift, anchor)
    if parsed.same_year or (parsed.month is None and parsed.season is None and parsed.quarter is None
                            and parsed.half is None and parsed.day is None):
        return _resolve_same_year(parsed, context)
    return _resolve_partial(parsed, context)


def _quarter_of(year: int, month: int) -> tuple[int, int]:
    return year, (month - 1) // 3 + 1


def _resolve_quarter(parsed: ParsedDate, context: DateContext) -> NormalizedDate:
    """"this quarter": the chronology entry's quarter, else the period's when it is one calendar
    quarter (the journal's quarterly era), else the quarter of a day-precise document date."""
    reference: tuple[int, int] | None = None
    anchor: Anchor | None = None
    if context.entry_date:
        reference, anchor = _quarter_of(*_ym(context.entry_date)), "chronology_entry"
    elif context.period_start and context.period_end:
        first, last = _quarter_of(*_ym(context.period_start)), _quarter_of(*_ym(context.period_end))
        if first == last:
            reference, anchor = first, "article_period"
        else:
            return NormalizedDate(None, parsed.mod, "quarter", None, reason="period_is_not_one_quarter",
                                  underspecified="XXXX-QX")
    elif context.document_date:
        reference, anchor = _quarter_of(*_ym(context.document_date)), "document_date"
    if reference is None:
        return NormalizedDate(None, parsed.mod, "quarter", None, reason="no_quarter_anchor",
                              underspecified="XXXX-QX")
    index = reference[0] * 4 + (reference[1] - 1) + (parsed.offset or 0)
    return NormalizedDate(f"{index // 4:04d}-Q{index % 4 + 1}", parsed.mod, "quarter", anchor)


def _resolve_same_year(parsed: ParsedDate, context: DateContext) -> NormalizedDate:
    """"the year", "that year", "end-of-year": the year the context is talking about."""
    if context.entry_date:
        return _result(parsed, int(context.entry_date[:4]), "chronology_entry")
    for earlier in reversed(context.preceding):
        if earlier.has_explicit_year or earlier.granularity in {"day", "month", "season"}:
            return _result(parsed, int(earlier.value[:4]), "paragraph_date")
    year = _single_year_of_period(context)
    if year is not None:
        return _result(parsed, year, "article_period")
    if context.period_start:
        return NormalizedDate(None, parsed.mod, parsed.granularity, None,
                              reason="period_spans_two_years", underspecified=_format(parsed, None))
    if context.published:
        return _result(parsed, int(context.published[:4]), context.published_anchor)
    return _result(parsed, None, None)


_CLOCK = (
    r"(?P<hour>[01]?\d|2[0-3])(?:[:.](?P<minute>[0-5]\d))?\s?"
    r"(?P<half>a\.?\s?m\.?|p\.?\s?m\.?)?"
)
_TIME_AFTER_RE = re.compile(r"(?P<rest>.+?),?\s(?:at\s|around\s)?" + _CLOCK + r"$", re.I)
_TIME_BEFORE_RE = re.compile(r"(?:at\s|around\s)?" + _CLOCK + r",?\s(?:on\s)?(?P<rest>.+)$", re.I)


def split_time(span_text: str) -> tuple[str, str | None]:
    """A day date with its time of day ("Nov. 4, 2019, at 10:30 a.m.", "3 p.m. on Nov. 4"):
    the date part and the time as ``HH:MM`` (24-hour). A clock needs minutes or a.m./p.m.;
    without one (or with an impossible hour) the text is returned whole."""
    text = span_text.strip()
    for pattern in (_TIME_AFTER_RE, _TIME_BEFORE_RE):
        m = pattern.fullmatch(text)
        if not m or (m.group("minute") is None and m.group("half") is None):
            continue
        hour, minute = int(m.group("hour")), int(m.group("minute") or 0)
        half = (m.group("half") or "").lower().replace(".", "").replace(" ", "")
        if half:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if half == "pm" else 0)
        return m.group("rest"), f"{hour:02d}:{minute:02d}"
    return span_text, None


_BARE_CLOCK_RE = re.compile(r"(?:(?P<approx>around|about|at about|at around|at)\s)?" + _CLOCK, re.I)


def bare_time(span_text: str) -> tuple[str, bool] | None:
    """A clock time written alone ("3 PM", "around 7 p.m.", "10:30 a.m."): ``HH:MM`` and
    whether it is approximate; None for anything else (an hour needs minutes or a.m./p.m.)."""
    m = _BARE_CLOCK_RE.fullmatch(span_text.strip())
    if not m or (m.group("minute") is None and m.group("half") is None):
        return None
    hour, minute = int(m.group("hour")), int(m.group("minute") or 0)
    half = (m.group("half") or "").lower().replace(".", "").replace(" ", "")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    approx = (m.group("approx") or "").lower() in {"around", "about", "at about", "at around"}
    return f"{hour:02d}:{minute:02d}", approx


def _resolve_bare_time(clock: str, approx: bool, context: DateContext) -> NormalizedDate:
    """A time alone is on the day of its context: the chronology entry, the nearest calendar
    day before it in the paragraph, else the document's own day (a news dateline)."""
    mod: Mod | None = "APPROX" if approx else None
    if context.entry_date:
        return NormalizedDate(f"{context.entry_date[:10]}T{clock}", mod, "time", "chronology_entry")
    day = _paragraph_day(context)
    if day is not None:
        return NormalizedDate(f"{day}T{clock}", mod, "time", "paragraph_date")
    if context.document_date:
        return NormalizedDate(f"{context.document_date[:10]}T{clock}", mod, "time", "document_date")
    return NormalizedDate(None, mod, "time", None, reason="no_day_anchor", underspecified=f"XXXX-XX-XXT{clock}")


def normalize(span_text: str, context: DateContext | None = None) -> NormalizedDate:
    """Normalise one temporal expression; unknown forms give ``value=None`` with a reason.

    A time of day on a day date is kept as TIMEX3 ``YYYY-MM-DDTHH:MM`` with granularity
    ``time``; on anything coarser than a day it is dropped (the value stays the date's). A
    time alone takes the day of its context (``_resolve_bare_time``)."""
    context = context or DateContext()
    alone = bare_time(span_text)
    if alone is not None:
        return _resolve_bare_time(alone[0], alone[1], context)
    date_text, clock = split_time(span_text)
    try:
        parsed = parse_expression(date_text)
    except DateParseError:
        return NormalizedDate(None, None, None, None, reason="unrecognised_form")
    outcome = resolve(parsed, context)
    if clock is not None and outcome.value is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", outcome.value):
        return replace(outcome, value=f"{outcome.value}T{clock}", granularity="time")
    return outcome


def normalize_range(first_text: str, second_text: str,
                    context: DateContext | None = None) -> tuple[NormalizedDate, NormalizedDate]:
    """Normalise both ends of a range ("Nov. 22-23", "September to December 2019").

    Each end keeps its own TIMEX3 value (as TimeML writes ranges); what one end leaves out
    (the month of "23", the year of "Nov. 30") is taken from the other before anchoring.
    """
    context = context or DateContext()
    first_clean, second_clean = _clean(first_text), _clean(second_text)
    if re.fullmatch(r"\d{4}", first_clean) and re.fullmatch(r"\d{2}", second_clean):
        # "1850-58": the second end shares the first end's century
        second_text = first_clean[:2] + second_clean
    try:
        first, second = parse_expression(first_text), parse_expression(second_text)
    except DateParseError:
        unknown = NormalizedDate(None, None, None, None, reason="unrecognised_form")
        return unknown, unknown
    if second.month is None and second.day is not None and first.month is not None:
        second = replace(second, month=first.month)
    if first.month is None and first.day is not None and second.month is not None:
        first = replace(first, month=second.month)
    if first.year is None and second.year is not None and first.kind == second.kind == "calendar":
        year = second.year
        # "Dec. 30-Jan. 2, 2020": the first end lies in the year before
        if first.month is not None and second.month is not None and first.month > second.month:
            year -= 1
        first = replace(first, year=year, explicit_year=True)
    if second.year is None and first.year is not None and first.kind == second.kind == "calendar":
        year = first.year
        if first.month is not None and second.month is not None and second.month < first.month:
            year += 1
        second = replace(second, year=year, explicit_year=True)
    resolved_first = resolve(first, context)
    if second.year is None and resolved_first.value and first.kind == second.kind == "calendar":
        year = int(resolved_first.value[:4])
        if first.month is not None and second.month is not None and second.month < first.month:
            year += 1
        second = replace(second, year=year)
        resolved_second = resolve(second, context)
        resolved_second = replace(resolved_second, anchor=resolved_first.anchor)
    else:
        resolved_second = resolve(second, context)
    return resolved_first, resolved_second


_RANGE_SPLIT = re.compile(r"\s*[-–—]\s*|\s+(?:to|through|until)\s+")


def parse_chronology_date(date_text: str, period: dict | None,
                          published: str | None) -> tuple[str | None, str | None]:
    """First and last day of a chronology entry header ("Nov. 30-Dec. 2, 2019": both ends).

    Returns ``(first_day, last_day)``; ``last_day`` is None for a single day; ``(None, None)``
    when the header does not name a day (e.g. "Sept. 2019", or a date lost in extraction).
    """
    text = date_text.strip().rstrip(":").strip()
    context = DateContext(
        period_start=(period or {}).get("start"), period_end=(period or {}).get("end"),
        published=published,
    )
    text, _ = _strip_weekday(_clean(text))
    if not text:
        return None, None
    parts = [part for part in _RANGE_SPLIT.split(text, maxsplit=1) if part]
    if len(parts) == 2 and re.match(r"^\d", parts[1]) or (
        len(parts) == 2 and re.match(_MONTH_RE, parts[1])
    ):
        first, last = normalize_range(parts[0], parts[1], context)
        if first.granularity == "day" and last.granularity == "day" and first.value and last.value:
            return first.value, last.value
        return None, None
    single = normalize(text, context)
    if single.granularity in {"day", "time"} and single.value:
        return single.value[:10], None
    return None, None
