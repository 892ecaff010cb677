"""Date compatibility between narrative dates and chronology entries."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.alignment.dates import (
    DayRange,
    best_date_fit,
    date_fit,
    day_range,
    entry_range,
    locates_happening,
)
from pipeline.alignment.model import DateRef


def _entry(day: str, end: str | None = None) -> DayRange:
    span = entry_range(day, end)
    assert span is not None
    return span


def test_exact_day_fits_fully() -> None:
    fit = date_fit(DateRef("2019-11-21"), _entry("2019-11-21"))
    assert fit.score == 1.0
    assert fit.reason == "date:exact"
    assert not fit.disagrees


def test_late_november_covers_the_22nd_but_not_the_4th() -> None:
    late = DateRef("2019-11", "END")
    assert date_fit(late, _entry("2019-11-22")).reason == "date:within:2019-11/END"
    early_fit = date_fit(late, _entry("2019-11-04"))
    assert early_fit.score < 0
    assert early_fit.disagrees


def test_vaguer_expressions_count_for_less() -> None:
    entry = _entry("2019-09-26")
    part = date_fit(DateRef("2019-09", "END"), entry).score
    month = date_fit(DateRef("2019-09"), entry).score
    season = date_fit(DateRef("2019-FA"), entry).score
    year = date_fit(DateRef("2019"), entry).score
    assert 1.0 > part > month > season > year > 0


def test_day_one_apart_is_a_mild_disagreement() -> None:
    fit = date_fit(DateRef("2019-11-22"), _entry("2019-11-21"))
    assert fit.disagrees
    assert -1.0 < fit.score < 0
    assert fit.reason == "date:off-by-1d:2019-11-22"


def test_distant_days_conflict() -> None:
    fit = date_fit(DateRef("2019-09-20"), _entry("2019-11-15"))
    assert fit.score == -1.0
    assert fit.disagrees


def test_hours_before_the_deadline_reaches_back_from_its_day() -> None:
    # "Hours before the deadline" is the deadline's day with mod BEFORE.
    fit = date_fit(DateRef("2019-11-22", "BEFORE"), _entry("2019-11-22"))
    assert fit.score > 0.5
    assert fit.reason is not None and fit.reason.startswith("date:within")


def test_range_entry_covers_its_second_day() -> None:
    assert date_fit(DateRef("2019-11-23"), _entry("2019-11-22", "2019-11-23")).reason == "date:exact"


def test_winter_runs_into_the_next_year() -> None:
    span = day_range(DateRef("2019-WI"))
    assert span == DayRange(date(2019, 12, 1), date(2020, 2, 29))


@pytest.mark.parametrize("value", ["199", "PRESENT_REF", "2019-13", "XXXX-11"])
def test_values_that_are_not_dates_give_no_range(value: str) -> None:
    assert day_range(DateRef(value)) is None
    assert date_fit(DateRef(value), _entry("2019-11-22")).reason is None


def test_best_fit_takes_the_event_date_that_fits() -> None:
    refs = (DateRef("2018"), DateRef("2019-11-15"))
    assert best_date_fit(refs, _entry("2019-11-15")).reason == "date:exact"
    assert best_date_fit((), _entry("2019-11-15")).reason is None
    assert best_date_fit(refs, None).reason is None


def test_a_year_does_not_locate_a_following_happening() -> None:
    assert locates_happening(DateRef("2019-09"))
    assert locates_happening(DateRef("2019-FA"))
    assert not locates_happening(DateRef("2019"))
    assert not locates_happening(DateRef("199"))
