"""The date normaliser: span text + anchors -> TIMEX3 value, mod, granularity, anchor, reason."""

from __future__ import annotations

import pytest

from pipeline.dates.normalize import (
    DateContext,
    PrecedingDate,
    normalize,
    normalize_range,
    parse_chronology_date,
)

SEP_DEC_2019 = DateContext(period_start="2019-09", period_end="2019-12", published="2020-01")
PERIOD = {"start": "2019-09", "end": "2019-12"}


def test_explicit_full_date_is_anchored_explicitly():
    result = normalize("Sept. 1, 2019", SEP_DEC_2019)
    assert (result.value, result.granularity, result.anchor) == ("2019-09-01", "day", "explicit")


def test_partial_date_takes_entry_year():
    result = normalize("Dec. 30", DateContext(entry_date="2020-01-02", period_start="2020-01",
                                              period_end="2020-04"))
    assert (result.value, result.anchor) == ("2019-12-30", "chronology_entry")


def test_partial_date_takes_year_of_preceding_full_date_in_paragraph():
    context = DateContext(preceding=(PrecedingDate("2017-03-02", "day", True),),
                          period_start="2019-09", period_end="2019-12")
    result = normalize("March 5", context)
    assert (result.value, result.anchor) == ("2017-03-05", "paragraph_date")


def test_partial_date_ignores_preceding_bare_year_and_uses_period():
    context = DateContext(preceding=(PrecedingDate("2021", "year", True),),
                          period_start="2019-09", period_end="2019-12")
    result = normalize("November", context)
    assert (result.value, result.anchor) == ("2019-11", "article_period")


def test_partial_date_falls_in_article_period_across_year_end():
    context = DateContext(period_start="2019-09", period_end="2020-01", published="2020-02")
    assert normalize("Dec. 20", context).value == "2019-12-20"
    assert normalize("Jan. 5", context).value == "2020-01-05"


def test_partial_date_uses_publication_when_no_period():
    result = normalize("November 2", DateContext(published="2013-01"))
    assert (result.value, result.anchor) == ("2012-11-02", "publication_date")


def test_partial_date_without_anchor_keeps_null_value_and_reason():
    result = normalize("Nov. 19")
    assert result.value is None
    assert result.reason == "no_year_anchor"
    assert result.underspecified == "XXXX-11-19"


@pytest.mark.parametrize(
    ("text", "value", "mod"),
    [
        ("late November", "2019-11", "END"),
        ("mid-December", "2019-12", "MID"),
        ("early December", "2019-12", "START"),
        ("the later part of September", "2019-09", "END"),
        ("the end of 2019", "2019", "END"),
        ("the waning months of 2019", "2019", "END"),
        ("the beginning of November 1999", "1999-11", "START"),
    ],
)
def test_part_of_period_gives_mod(text, value, mod):
    result = normalize(text, SEP_DEC_2019)
    assert (result.value, result.mod) == (value, mod)


@pytest.mark.parametrize(
    ("text", "value", "mod"),
    [
        ("the summer", "2019-SU", None),
        ("early fall", "2019-FA", "START"),
        ("Fall 2019", "2019-FA", None),
        ("the summer of 2019", "2019-SU", None),
        ("winter of 2001", "2001-WI", None),
    ],
)
def test_season_values(text, value, mod):
    result = normalize(text, SEP_DEC_2019)
    assert (result.value, result.mod, result.granularity) == (value, mod, "season")


def test_this_spring_takes_period_year():
    result = normalize("this spring", DateContext(period_start="2020-01", period_end="2020-04"))
    assert result.value == "2020-SP"


def test_new_year_is_the_year_after_the_period():
    result = normalize("the new year", SEP_DEC_2019)
    assert (result.value, result.anchor) == ("2020", "article_period")


def test_last_december_in_january_april_article_is_previous_year():
    result = normalize("last December", DateContext(period_start="2020-01", period_end="2020-04"))
    assert result.value == "2019-12"


def test_last_october_after_october_in_paragraph_is_previous_year():
    context = DateContext(preceding=(PrecedingDate("2019-10", "month", False),),
                          period_start="2019-09", period_end="2019-12")
    assert normalize("last October", context).value == "2018-10"


def test_last_year_counts_from_single_year_period():
    assert normalize("last year", SEP_DEC_2019).value == "2018"


def test_last_year_is_unresolved_when_period_spans_two_years():
    result = normalize("last year", DateContext(period_start="2019-09", period_end="2020-01"))
    assert (result.value, result.reason) == (None, "period_spans_two_years")


def test_next_day_counts_from_preceding_day_in_paragraph():
    context = DateContext(preceding=(PrecedingDate("2019-11-21", "day", False),))
    result = normalize("the next day", context)
    assert (result.value, result.anchor) == ("2019-11-22", "paragraph_date")


def test_next_day_skips_dates_that_were_themselves_counted():
    context = DateContext(preceding=(PrecedingDate("2019-11-21", "day", False),
                                     PrecedingDate("2019-11-22", "day", False, derived=True)))
    assert normalize("the next day", context).value == "2019-11-22"


def test_next_day_without_preceding_day_is_unresolved():
    result = normalize("the next day", SEP_DEC_2019)
    assert result.value is None
    assert result.reason == "no_preceding_day"


def test_day_before_in_entry_counts_from_entry_date():
    result = normalize("the day before", DateContext(entry_date="2019-10-03"))
    assert (result.value, result.anchor) == ("2019-10-02", "chronology_entry")


def test_day_before_the_deadline_takes_appositive_date_and_fixes_deadline():
    result = normalize("the day before the deadline", DateContext(appositive_value="2019-11-21"))
    assert result.value == "2019-11-21"
    assert result.defines == {"deadline": "2019-11-22"}


def test_day_before_the_deadline_from_known_deadline():
    result = normalize("the day before the deadline",
                       DateContext(references={"deadline": "2019-11-22"}))
    assert result.value == "2019-11-21"


def test_hours_before_the_deadline_takes_deadline_day_with_before_mod():
    result = normalize("Hours before the deadline", DateContext(references={"deadline": "2019-11-22"}))
    assert (result.value, result.mod, result.granularity) == ("2019-11-22", "BEFORE", "day")


def test_hours_before_unknown_deadline_is_unresolved():
    result = normalize("hours before the deadline", SEP_DEC_2019)
    assert (result.value, result.reason) == (None, "deadline_date_unknown")


def test_two_days_later_and_earlier_that_week():
    context = DateContext(preceding=(PrecedingDate("2019-11-22", "day", False),))
    assert normalize("two days later", context).value == "2019-11-24"
    assert normalize("earlier that week", context).value == "2019-W47"


def test_following_month_counts_from_preceding_month():
    context = DateContext(preceding=(PrecedingDate("2019-12", "month", False),))
    assert normalize("the following month", context).value == "2020-01"


def test_same_day_takes_preceding_date():
    context = DateContext(preceding=(PrecedingDate("2019-11-15", "day", False),))
    assert normalize("the same day", context).value == "2019-11-15"


def test_around_the_same_time_is_approximate():
    context = DateContext(preceding=(PrecedingDate("2019-11", "month", False),))
    result = normalize("Around the same time", context)
    assert (result.value, result.mod) == ("2019-11", "APPROX")


def test_weekday_in_entry_is_latest_such_day_on_or_before_entry():
    # 2019-11-22 is a Friday
    assert normalize("Monday", DateContext(entry_date="2019-11-22")).value == "2019-11-18"
    assert normalize("Friday", DateContext(entry_date="2019-11-22")).value == "2019-11-22"
    assert normalize("next Monday", DateContext(entry_date="2019-11-22")).value == "2019-11-25"


def test_weekday_outside_entry_is_unresolved():
    result = normalize("Monday", SEP_DEC_2019)
    assert (result.value, result.reason) == (None, "weekday_outside_entry")


@pytest.mark.parametrize(
    ("text", "value", "mod"),
    [("the 1990s", "199", None), ("the 90s", "199", None), ("the early 1990s", "199", "START"),
     ("the seventies", "197", None), ("the 19th century", "18", None)],
)
def test_decades_and_centuries(text, value, mod):
    result = normalize(text)
    assert (result.value, result.mod) == (value, mod)


def test_quarter_and_half():
    assert normalize("the third quarter of 2001").value == "2001-Q3"
    assert normalize("the 2001 third quarter").value == "2001-Q3"
    assert normalize("the first half of 2019").value == "2019-H1"


def test_durations_and_ordinals_are_not_dates():
    for text in ("three years", "15 days", "second"):
        assert normalize(text).reason == "unrecognised_form", text


def test_range_of_days_shares_month_and_year():
    first, second = normalize_range("Nov. 22", "23, 2019", SEP_DEC_2019)
    assert (first.value, second.value) == ("2019-11-22", "2019-11-23")


def test_range_of_months_takes_period_year():
    first, second = normalize_range("September", "December", SEP_DEC_2019)
    assert (first.value, second.value) == ("2019-09", "2019-12")


def test_range_of_years_and_short_year():
    assert [r.value for r in normalize_range("2015", "2018")] == ["2015", "2018"]
    assert [r.value for r in normalize_range("1850", "58")] == ["1850", "1858"]


def test_range_crossing_year_end():
    first, second = normalize_range("Dec. 30", "Jan. 2, 2020")
    assert (first.value, second.value) == ("2019-12-30", "2020-01-02")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Sept. 1, 2019", ("2019-09-01", None)),
        ("Nov. 22-23, 2019", ("2019-11-22", "2019-11-23")),
        ("Nov. 30-Dec. 2, 2019", ("2019-11-30", "2019-12-02")),
        ("Dec. 3", ("2019-12-03", None)),
        ("Monday, Nov. 4, 2019", ("2019-11-04", None)),
        ("Sept. 2019", (None, None)),
        ("", (None, None)),
    ],
)
def test_parse_chronology_date_headers(header, expected):
    assert parse_chronology_date(header, PERIOD, "2020-01") == expected


def test_parse_chronology_date_partial_header_across_year_end():
    period = {"start": "2019-09", "end": "2020-01"}
    assert parse_chronology_date("Jan. 3", period, "2020-02") == ("2020-01-03", None)
    assert parse_chronology_date("Dec. 3", period, "2020-02") == ("2019-12-03", None)


def test_invalid_calendar_day_is_unresolved():
    result = normalize("Feb. 30, 2019")
    assert (result.value, result.reason) == (None, "invalid_calendar_date")


# Forms met in real text of the quarterly era, PDF extractions and news (issue 12).
QUARTERLY = DateContext(period_start="2004-01", period_end="2004-03")
TRIANNUAL = DateContext(period_start="2020-05", period_end="2020-08")
NEWS = DateContext(published="2023-04", published_anchor="document_date", document_date="2023-04-07")


@pytest.mark.parametrize(
    ("text", "context", "value", "mod"),
    [
        ("this quarter", QUARTERLY, "2004-Q1", None),
        ("The quarter", QUARTERLY, "2004-Q1", None),
        ("last quarter", QUARTERLY, "2003-Q4", None),
        ("this quarter", NEWS, "2023-Q2", None),
        ("the last quarter of 2009", QUARTERLY, "2009-Q4", None),
        ("12/2010", QUARTERLY, "2010-12", None),
        ("the early months of 2021", QUARTERLY, "2021", "START"),
        ("the rest of 2020", QUARTERLY, "2020", "END"),
        ("The final four months of 2019", QUARTERLY, "2019", "END"),
        ("Last month", NEWS, "2023-03", None),
        ("Friday", NEWS, "2023-04-07", None),
        ("Monday", NEWS, "2023-04-03", None),
    ],
)
def test_real_text_forms(text: str, context: DateContext, value: str, mod: str | None) -> None:
    result = normalize(text, context)
    assert (result.value, result.mod) == (value, mod)


def test_this_quarter_is_unresolved_when_the_period_is_not_one_quarter() -> None:
    result = normalize("this quarter", TRIANNUAL)
    assert result.value is None and result.reason == "period_is_not_one_quarter"


def test_last_month_without_a_document_day_is_unresolved() -> None:
    assert normalize("Last month", QUARTERLY).value is None


@pytest.mark.parametrize(
    ("text", "value", "mod"),
    [("year's end", "2019", "END"), ("the coming year", "2020", None), ("Double Ten", "2019-10-10", None),
     ("Christmas", "2019-12-25", None), ("New Year's Day", "2020-01-01", None)],
)
def test_year_end_coming_year_and_fixed_holidays(text: str, value: str, mod: str | None) -> None:
    result = normalize(text, DateContext(period_start="2019-09", period_end="2019-12"))
    assert (result.value, result.mod) == (value, mod)


@pytest.mark.parametrize(
    ("text", "value", "granularity"),
    [("Nov. 4, 2019, at 10:30 a.m.", "2019-11-04T10:30", "time"),
     ("3 p.m. on Nov. 5", "2019-11-05T15:00", "time"),
     ("12 a.m. on Nov. 5", "2019-11-05T00:00", "time"),
     ("4 November 2019, 18:05", "2019-11-04T18:05", "time"),
     ("Nov. 4 at 12 p.m.", "2019-11-04T12:00", "time"),
     # a time on anything coarser than a day is dropped; an hour needs minutes or a.m./p.m.
     ("November 2019, 10:30", "2019-11", "month"),
     ("2023.04.27", "2023-04-27", "day"),
     ("July sixth", "2019-07-06", "day"),
     ("the sixth of July", "2019-07-06", "day")],
)
def test_times_of_day_dotted_iso_and_ordinal_word_days(text: str, value: str, granularity: str) -> None:
    result = normalize(text, DateContext(period_start="2019-06", period_end="2019-12"))
    assert (result.value, result.granularity) == (value, granularity)


def test_an_impossible_clock_is_not_a_time() -> None:
    # 13 p.m. is no time: the text stays whole and is no date the normaliser knows
    result = normalize("Nov. 4, 13 p.m.", SEP_DEC_2019)
    assert (result.value, result.reason) == (None, "unrecognised_form")


def test_a_time_alone_takes_the_day_of_its_context() -> None:
    day = DateContext(preceding=(PrecedingDate("2015-11-07", "day", True),))
    assert (normalize("3 PM", day).value, normalize("3 PM", day).anchor) == ("2015-11-07T15:00", "paragraph_date")
    approx = normalize("around 7 p.m.", DateContext(document_date="2015-11-07"))
    assert (approx.value, approx.mod, approx.anchor) == ("2015-11-07T19:00", "APPROX", "document_date")
    assert normalize("10:30 a.m.", DateContext(entry_date="2019-11-22")).value == "2019-11-22T10:30"
    # with no day anywhere around it, no guess
    lost = normalize("3 PM", SEP_DEC_2019)
    assert (lost.value, lost.reason, lost.underspecified) == (None, "no_day_anchor", "XXXX-XX-XXT15:00")


def test_fixed_relative_phrases_are_each_listed_once_and_read_as_their_group() -> None:
    """The table is built from groups; a phrase in two groups would silently take the later
    reading, so each is listed once, and a few read as their group says."""
    from pipeline.dates.normalize import _SIMPLE_RELATIVE, _SIMPLE_RELATIVE_GROUPS, parse_expression

    phrases = [p for _, group in _SIMPLE_RELATIVE_GROUPS for p in group]
    assert len(phrases) == len(set(phrases)) == len(_SIMPLE_RELATIVE)
    assert parse_expression("the following day") == parse_expression("a day later")
    assert (parse_expression("the day before").offset, parse_expression("yesterday").base) == (-1, "now")
    assert parse_expression("later that year").same_year and parse_expression("last year").year_shift == -1
