"""Segmentation of the seed article and of every variant the annotation guide lists."""

from __future__ import annotations

import json

import pytest

from pipeline.reading import build_reading_text
from pipeline.segment import parse_entry_date, parse_period, segment_article
from tests.conftest import CORPUS_DIR

SEED_HEADINGS = [
    "Tremors in the Region—Cost-Sharing and North Korea",
    "A Quiet Thaw",
    "South Korea Stays In GSOMIA",
    "The Big Thaw",
    "Economic Ties That Bind",
    "An Uncertain Road Ahead",
]

SEED_ENTRY_DATES = [
    "2019-09-01", "2019-09-11", "2019-09-16", "2019-09-17", "2019-09-19", "2019-09-20",
    "2019-09-24", "2019-09-26", "2019-09-27", "2019-09-29", "2019-10-03", "2019-10-07",
    "2019-10-09", "2019-10-27", "2019-10-31", "2019-11-04", "2019-11-07", "2019-11-15",
    "2019-11-15", "2019-11-21", "2019-11-22", "2019-11-23", "2019-12-13", "2019-12-14",
    "2019-12-16", "2019-12-18",
]  # fmt: skip


def _structure(text: str):  # type: ignore[no-untyped-def]
    reading = build_reading_text(text)
    return reading, segment_article(reading.text)


def test_seed_metadata_every_field(seed_text: str) -> None:
    _, s = _structure(seed_text)
    meta = s.metadata
    assert meta["journal_section"] == "Articles"
    assert meta["relationship"] == "Japan-Korea"
    assert meta["period"] == {"start": "2019-09", "end": "2019-12"}
    assert meta["title"] == "Thaws and Tremors"
    assert meta["authors"] == [
        {"name": "Ji-Young Lee", "affiliation": "American University"},
        {"name": "Mintaro Oba", "affiliation": "West Wing Writers"},
    ]
    assert meta["journal"] == "Comparative Connections"
    assert (meta["volume"], meta["issue"]) == (21, 3)
    assert meta["published"] == "2020-01"
    assert meta["pages"] == "121-128"
    assert meta["citation"].startswith("Ji-Young Lee and Mintaro Oba, “Japan-Korea Relations")
    assert meta["citation"].endswith("pp 121-128.")
    assert s.warnings == []


def test_seed_sections_headings_and_captions(seed_text: str) -> None:
    _, s = _structure(seed_text)
    kinds = [sec.kind for sec in s.sections]
    assert kinds[0] == "front_matter" and kinds[-1] == "chronology"
    headings = [sec.heading for sec in s.sections if sec.kind == "narrative" and sec.heading]
    assert headings == SEED_HEADINGS
    captions = [sec for sec in s.sections if sec.kind == "caption"]
    assert [c.credit for c in captions] == ["Kyodo", "Ministry of Foreign Affairs Republic of Korea"]
    assert seed_text[captions[0].start : captions[0].end].startswith("A Japanese physicians lobby")
    # The untitled introduction is a narrative section of its own.
    intro = s.sections[1]
    assert intro.kind == "narrative" and intro.heading is None
    assert seed_text[intro.start :].startswith("If relations between Japan and South Korea")


def test_seed_chronology_all_26_entries(seed_text: str) -> None:
    _, s = _structure(seed_text)
    assert [e.date for e in s.entries] == SEED_ENTRY_DATES
    assert [e.id for e in s.entries][:2] == ["chr-001", "chr-002"]
    first, last = s.entries[0], s.entries[-1]
    assert first.date_text == "Sept. 1, 2019"
    assert seed_text[first.text_start : first.end].startswith("South Korean Vice Minister")
    assert seed_text[last.start : last.end].endswith("US military presence in South Korea.")
    # Two entries share Nov. 15 and stay separate.
    assert [e.date for e in s.entries].count("2019-11-15") == 2


def test_seed_offsets_are_into_the_original(seed_text: str) -> None:
    reading, s = _structure(seed_text)
    assert reading.text == seed_text  # the seed has no layout noise
    for p in s.paragraphs:
        assert seed_text[p.start : p.end].strip() == seed_text[p.start : p.end]
        assert seed_text[p.start : p.end]


@pytest.mark.parametrize("gold_path", sorted((CORPUS_DIR / "gold").glob("*.structure.json")), ids=lambda p: p.stem)
def test_corpus_article_matches_gold(gold_path) -> None:  # type: ignore[no-untyped-def]
    from pipeline.inputs import read_article

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    doc_id = gold["doc_id"]
    source = next(p for p in (CORPUS_DIR / "articles").iterdir() if p.stem == doc_id)
    article = read_article(source)
    reading, s = _structure(article.text)
    assert s.metadata == gold["metadata"]
    assert [(x.kind, x.heading, x.credit) for x in s.sections] == [
        (g["kind"], g["heading"], g["credit"]) for g in gold["sections"]
    ]
    omap = reading.offset_map()
    for sec, g in zip(s.sections, gold["sections"], strict=True):
        start, _ = omap.span(sec.start, sec.end)
        assert article.text[start : start + 30] == g["text_start"]
    got = []
    for e in s.entries:
        text_start, end = omap.span(e.text_start, e.end)
        got.append({"date_text": e.date_text, "date": e.date, "date_end": e.date_end, "text": article.text[text_start:end]})
    assert got == gold["chronology"]
    # W106 (layout noise) is the component's; the rest come from segmentation.
    assert sorted({w["code"] for w in s.warnings}) == [c for c in gold["warning_codes"] if c != "W106"]
    assert sorted({kind for _, _, kind in reading.removed}) == gold["layout_noise_kinds"]


# --- variants from the annotation guide ---------------------------------------------------

HEADER = (
    "Articles\n\nJapan - Korea\n\nSep — Dec 2019\nDownload Article as PDF\n\nA Test Title\n\n"
)
PUBLISHED = (
    "Published January 2020 in Comparative Connections · Volume 21, Issue 3 (This article is "
    "extracted from Comparative Connections: A Triannual E-Journal of Bilateral Relations in the "
    "Indo-Pacific, Vol. 21, No. 3, January 2020. Preferred citation: Ann Author and Ben Writer, "
    "“Japan-Korea Relations: A Test Title,” Comparative Connections, Vol. 21, No. 3, pp 1-9.)\n\n"
)
CONNECT = "Connect with the Authors\n\nAnn Author\nFirst University\nBen Writer\nSecond Institute\n\n"
BODY = (
    "Officials from both capitals met several times over the autumn and agreed to keep talking, "
    "although neither side moved on the questions that divide them.\n\n"
    "A Heading Here\n\n"
    "The foreign ministers spoke on the telephone and agreed that working-level talks should "
    "continue into the next year.\n\n"
)
CHRONO = (
    "Chronology of Japan - Korea Relations\n\nSeptember — December 2019\n\n"
    "Sept. 3, 2019: Officials meet in Seoul.\n\n"
    "Nov. 22-23, 2019: Foreign ministers meet in Nagoya.\n\n"
    "Nov. 30-Dec. 2, 2019: Trade officials meet in Tokyo.\n\n"
    "Dec. 5: Leaders speak by phone.\n"
)


def test_no_byline_takes_authors_from_connect_block() -> None:
    _, s = _structure(HEADER + PUBLISHED + CONNECT + BODY + CHRONO)
    assert s.metadata["authors"] == [
        {"name": "Ann Author", "affiliation": "First University"},
        {"name": "Ben Writer", "affiliation": "Second Institute"},
    ]


def test_one_author_byline_and_connect() -> None:
    text = HEADER + "By Ann Author\n" + PUBLISHED + "Connect with the Author\n\nAnn Author\nFirst University\n\n" + BODY
    _, s = _structure(text)
    assert s.metadata["authors"] == [{"name": "Ann Author", "affiliation": "First University"}]


def test_bare_citation_gives_volume_issue_pages_title() -> None:
    bare = "Ann Author, “Japan-Korea Relations: A Test Title,” Comparative Connections, Vol. 21, No. 3, January 2020, pp 1-9.\n\n"
    text = "Articles\n\nJapan - Korea\n\nSep — Dec 2019\n\n" + bare + BODY
    _, s = _structure(text)
    meta = s.metadata
    assert (meta["volume"], meta["issue"], meta["pages"]) == (21, 3, "1-9")
    assert meta["published"] == "2020-01"
    assert meta["title"] == "A Test Title"
    assert meta["authors"] == [{"name": "Ann Author", "affiliation": None}]


def test_period_glued_to_title() -> None:
    text = "Articles\n\nJapan - Korea\n\nSep — Dec 2019A Test Title\n\n" + BODY
    _, s = _structure(text)
    assert s.metadata["period"] == {"start": "2019-09", "end": "2019-12"}
    assert s.metadata["title"] == "A Test Title"


def test_no_chronology_is_a_warning_not_a_failure() -> None:
    _, s = _structure(HEADER + PUBLISHED + CONNECT + BODY)
    assert s.entries == []
    assert "W101" in {w["code"] for w in s.warnings}
    assert [x.kind for x in s.sections] == ["front_matter", "narrative", "narrative"]


def test_entry_with_lost_date_is_kept_with_null_date() -> None:
    chrono = CHRONO.replace("Sept. 3, 2019: ", ": ")
    _, s = _structure(HEADER + PUBLISHED + CONNECT + BODY + chrono)
    assert s.entries[0].date_text == "" and s.entries[0].date is None
    assert "W102" in {w["code"] for w in s.warnings}
    assert len(s.entries) == 4


def test_entry_date_ranges_and_missing_year() -> None:
    _, s = _structure(HEADER + PUBLISHED + CONNECT + BODY + CHRONO)
    assert [(e.date, e.date_end) for e in s.entries] == [
        ("2019-09-03", None),
        ("2019-11-22", "2019-11-23"),
        ("2019-11-30", "2019-12-02"),
        ("2019-12-05", None),
    ]


def test_partial_entry_date_takes_year_by_month_across_year_end() -> None:
    period = {"start": "2019-09", "end": "2020-01"}
    assert parse_entry_date("Dec. 20", period) == ("2019-12-20", None)
    assert parse_entry_date("Jan. 3", period) == ("2020-01-03", None)
    assert parse_entry_date("Monday, Nov. 4, 2019", None) == ("2019-11-04", None)
    assert parse_entry_date("Dec. 30-Jan. 2", period) == ("2019-12-30", "2020-01-02")


def test_period_parsing_variants() -> None:
    assert parse_period("Sep — Dec 2019")[0] == {"start": "2019-09", "end": "2019-12"}  # type: ignore[index]
    assert parse_period("September–December 2019")[0] == {"start": "2019-09", "end": "2019-12"}  # type: ignore[index]
    assert parse_period("Sep 2019 — Jan 2020")[0] == {"start": "2019-09", "end": "2020-01"}  # type: ignore[index]
    assert parse_period("Nov — Feb 2020")[0] == {"start": "2019-11", "end": "2020-02"}  # type: ignore[index]


def test_crlf_and_bom_give_the_same_structure_with_shifted_offsets() -> None:
    text = HEADER + PUBLISHED + CONNECT + BODY + CHRONO
    crlf = "\ufeff" + text.replace("\n", "\r\n")
    reading, s = _structure(crlf)
    _, plain = _structure(text)
    assert reading.text == text
    assert s.metadata == plain.metadata
    assert [(e.date, e.date_text) for e in s.entries] == [(e.date, e.date_text) for e in plain.entries]
    omap = reading.offset_map()
    for e in s.entries:
        start, end = omap.span(e.start, e.end)
        assert crlf[start:end].replace("\r", "") == reading.text[e.start : e.end]


def test_typographic_dashes_and_quotes() -> None:
    text = HEADER.replace("Sep — Dec 2019", "Sep – Dec 2019") + PUBLISHED + CONNECT + BODY
    _, s = _structure(text)
    assert s.metadata["period"] == {"start": "2019-09", "end": "2019-12"}
    assert s.metadata["citation"] is not None and "“Japan-Korea Relations" in s.metadata["citation"]
