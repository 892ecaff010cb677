"""Chronology entry forms, headings, periods and order (pipeline.structure.chronology)."""

from __future__ import annotations

import pytest

from pipeline.segment import segment_article
from pipeline.structure.chronology import (
    entry_order,
    heading_period,
    inline_entry_starts,
    is_chronology_heading,
    match_entry_start,
    order_from_period,
)


@pytest.mark.parametrize(
    ("line", "date_text", "text"),
    [
        ("Sept. 1, 2019: Ministers meet in Seoul.", "Sept. 1, 2019", "Ministers meet in Seoul."),
        ("Oct. 28-29, 2008. Navies hold a joint drill.", "Oct. 28-29, 2008", "Navies hold a joint drill."),
        ("Oct. 30, 2018 -- The court rules on wartime labor.", "Oct. 30, 2018", "The court rules on wartime labor."),
        ("►March 1: Leaders mark the anniversary.", "March 1", "Leaders mark the anniversary."),
        ("4 February 2018: Envoys hold talks.", "4 February 2018", "Envoys hold talks."),
        ("July sixth: The envoy returns home.", "July sixth", "The envoy returns home."),
        ("Monday, July 1, 2019: Tokyo tightens export rules.", "Monday, July 1, 2019", "Tokyo tightens export rules."),
        (": The date of this entry was lost.", "", "The date of this entry was lost."),
    ],
)
def test_entry_forms_give_their_date_and_text(line: str, date_text: str, text: str) -> None:
    start = match_entry_start(line)
    assert start is not None and start.text_offset is not None
    assert start.date_text == date_text
    assert line[start.text_offset :] == text


def test_a_date_alone_on_its_line_opens_an_entry_with_text_below() -> None:
    start = match_entry_start("July 1, 2008")
    assert start is not None and start.text_offset is None and start.date_text == "July 1, 2008"


@pytest.mark.parametrize(
    "line",
    ["May the talks go well.", "In March 2019 the envoys met.", "March 2019", "The 3 ministers met: all agreed."],
)
def test_narrative_lines_open_no_entry(line: str) -> None:
    assert match_entry_start(line) is None


def test_flattened_entries_split_at_each_full_date() -> None:
    line = "July 1, 2010: Officials inspect cargo. July 1, 2010: A court sentences two agents. Relations 84 October 2010 July 6, 2010: The ministry refuses."
    first = match_entry_start(line)
    assert first is not None
    starts = inline_entry_starts(line, first)
    assert [s.date_text for s in starts] == ["July 1, 2010", "July 6, 2010"]
    assert line[starts[0].text_offset :].startswith("A court sentences")


def test_headings_and_their_periods() -> None:
    assert is_chronology_heading("Chronology of Japan - Korea Relations")
    assert is_chronology_heading("Chronology from May 2015 to Aug 2015")
    assert not is_chronology_heading("Chronology matters for historians of the alliance and for many others.")
    assert heading_period("Chronology from May 2015 to Aug 2015") == {"start": "2015-05", "end": "2015-08"}
    assert heading_period("Chronology from Nov 2015 to Feb 2016") == {"start": "2015-11", "end": "2016-02"}
    assert heading_period("2008 Jul.~ 2008 Dec.") == {"start": "2008-07", "end": "2008-12"}
    assert heading_period("US - Japan") is None


def test_order_from_the_dates_as_printed() -> None:
    assert entry_order(["2019-01-02", "2019-01-05", None, "2019-02-01"]) == "oldest_first"
    assert entry_order(["2019-03-02", "2019-02-05", "2019-01-01"]) == "newest_first"
    assert entry_order(["2019-03-02", None, None]) is None
    assert entry_order(["2019-01-02", "2019-03-05", "2019-02-01", "2019-04-01"]) is None


def test_one_dated_entry_orders_by_where_it_sits_in_the_period() -> None:
    period = {"start": "2008-07", "end": "2008-10"}
    assert order_from_period(["2008-10-28", None, None], period) == "newest_first"
    assert order_from_period([None, None, "2008-10-28"], period) == "oldest_first"
    assert order_from_period(["2008-08-28", None, None], period) is None


STANDALONE_PAGE = """US - Korea

Chronology from Jan 2019 to Apr 2019

: A court orders three banks to hand over records.

: Pyongyang warns of consequences.

: The allies hold a scaled-back air drill.
"""


def test_standalone_chronology_page_with_lost_dates() -> None:
    structure = segment_article(STANDALONE_PAGE)
    assert structure.metadata["relationship"] == "US-Korea"
    assert structure.metadata["period"] == {"start": "2019-01", "end": "2019-04"}
    assert len(structure.entries) == 3
    assert all(e.date is None for e in structure.entries)
    assert [w["code"] for w in structure.warnings].count("W102") == 3
    assert structure.metadata["document_date"] == {"value": "2019-04", "anchor": "period"}
    first = structure.entries[0]
    assert STANDALONE_PAGE[first.text_start : first.end] == "A court orders three banks to hand over records."


TIMELINE_WITHOUT_HEADING = """Skip to content

2008 Jul.~ 2008 Dec.

July 1, 2008
The president opens a hospital and speaks of direct flights.

July 2, 2008
The president addresses a graduation ceremony.

July 4, 2008
The first weekend charter flights land.
"""


def test_timeline_of_date_lines_with_the_period_above() -> None:
    structure = segment_article(TIMELINE_WITHOUT_HEADING)
    assert [e.date for e in structure.entries] == ["2008-07-01", "2008-07-02", "2008-07-04"]
    assert structure.metadata["period"] == {"start": "2008-07", "end": "2008-12"}
    assert structure.metadata["chronology_order"] == "oldest_first"
    entry = structure.entries[1]
    assert TIMELINE_WITHOUT_HEADING[entry.text_start : entry.end] == "The president addresses a graduation ceremony."


NEWEST_FIRST = """Chronology of Japan - China Relations

Dec. 20, 2021: The ministers talk by phone.

Nov. 3, 2021: The coast guard reports an intrusion.

Oct. 1, 2021: A new prime minister takes office.
"""


def test_newest_first_order_is_recorded() -> None:
    structure = segment_article(NEWEST_FIRST)
    assert structure.metadata["chronology_order"] == "newest_first"
    assert [e.date for e in structure.entries] == ["2021-12-20", "2021-11-03", "2021-10-01"]
