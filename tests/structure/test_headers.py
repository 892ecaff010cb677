"""Header forms other than today's web page (pipeline.structure.headers, via segment_article).

The texts here are written for the tests in the shapes real extractions take."""

from __future__ import annotations

from pipeline.segment import segment_article
from pipeline.structure.headers import normalise_dyad, pdf_banner, split_author_line

PDF_FIRST_PAGE = """CHINA- KOREA RELATIONS STORMS AND SUNSHINE ON THE PENINSULA

ANNA EXAMPLE, COUNCIL ON FOREIGN RELATIONS BEN SAMPLE, NORTHERN STATE UNIVERSITY

Beijing and Seoul spent the last months of the year repairing ties that a summer of recriminations had frayed, while Pyongyang watched from the side.

This article is extracted from Comparative Connections: A Triannual E-Journal of Bilateral Relations in the Indo-Pacific, Vol. 30, No. 3, January 2029. Preferred citation: Anna Example and Ben Sample, “China-Korea Relations: Storms and Sunshine on the Peninsula,” Comparative Connections, Vol. 30, No. 3, pp 101-110.

The foreign ministers met twice in November.
"""


def test_pdf_first_page_gives_all_eight_fields() -> None:
    meta = segment_article(PDF_FIRST_PAGE).metadata
    assert meta["relationship"] == "China-Korea"
    assert meta["title"] == "STORMS AND SUNSHINE ON THE PENINSULA"
    assert [a["name"] for a in meta["authors"]] == ["ANNA EXAMPLE", "BEN SAMPLE"]
    assert meta["authors"][0]["affiliation"] == "COUNCIL ON FOREIGN RELATIONS"
    assert (meta["volume"], meta["issue"], meta["published"], meta["pages"]) == (30, 3, "2029-01", "101-110")
    assert meta["document_date"] == {"value": "2029-01", "anchor": "publication"}


def test_the_summary_after_a_pdf_header_is_narrative() -> None:
    structure = segment_article(PDF_FIRST_PAGE)
    narrative = [s for s in structure.sections if s.kind == "narrative"]
    assert narrative and PDF_FIRST_PAGE[narrative[0].start :].startswith("Beijing and Seoul")


def test_dyads_are_normalised() -> None:
    assert normalise_dyad("CHINA- KOREA") == "China-Korea"
    assert normalise_dyad("US-SOUTHEAST ASIA") == "US-Southeast Asia"
    assert normalise_dyad("U.S.-China") == "US-China"
    assert normalise_dyad("NORTH - ") is None  # a side lost in extraction is not guessed
    assert pdf_banner("U S- J AP AN REL AT I ONS") == ("US-Japan", "")
    assert pdf_banner("The alliance held firm.") is None


def test_author_line_splits_names_from_affiliations() -> None:
    authors = split_author_line("CARL ONE, UNIVERSITY OF CALIFORNIA, SAN DIEGO")
    assert authors == [{"name": "CARL ONE", "affiliation": "UNIVERSITY OF CALIFORNIA, SAN DIEGO"}]
    assert split_author_line("Leaders met, talked, and parted.") is None


REPUBLICATION = """Columbia International Affairs Online: Journals

CIAO DATE: 12/2030

U.S.-China Relations

Comparative Connections

A publication of:
An Institute of Studies

Volume: 31, Issue: 3 (October 2030)


Carla Writer

Abstract

The two governments opened a new dialogue in July and kept it going through the autumn despite a dispute over tariffs.
"""


def test_republication_wrapper_gives_volume_issue_author_and_dyad() -> None:
    meta = segment_article(REPUBLICATION).metadata
    assert meta["relationship"] == "US-China"
    assert (meta["volume"], meta["issue"], meta["published"]) == (31, 3, "2030-10")
    assert [a["name"] for a in meta["authors"]] == ["Carla Writer"]
    assert meta["title"] == "U.S.-China Relations"  # the only title the wrapper prints


AUTHOR_PAGE = """Authors
Dana Scholar
Dr. Dana Scholar teaches international politics at a university in Seoul and has written widely on alliance management in Northeast Asia and beyond.
Articles by Dana Scholar
US - Korea
January — April 2031Steady as She Goes
The first months of 2031 brought the allies closer on economic security while the North kept testing missiles.
"""


def test_author_page_teaser_with_period_glued_to_title() -> None:
    meta = segment_article(AUTHOR_PAGE).metadata
    assert meta["relationship"] == "US-Korea"
    assert meta["period"] == {"start": "2031-01", "end": "2031-04"}
    assert meta["title"] == "Steady as She Goes"
    assert [a["name"] for a in meta["authors"]] == ["Dana Scholar"]


QUARTERLY_WEB = """Articles

US - China

Jul — Sep 2005
Download Article as PDF

In the Eye of the Storm: Will the Talks Resume?

Connect with the Author

Erin Analyst
Director, Asia Program, Example Fund of the U.S.

The quarter opened with a stopover in Beijing by the secretary of state.
"""


def test_quarterly_header_with_question_title_and_long_affiliation() -> None:
    meta = segment_article(QUARTERLY_WEB).metadata
    assert meta["title"] == "In the Eye of the Storm: Will the Talks Resume?"
    assert meta["authors"] == [{"name": "Erin Analyst", "affiliation": "Director, Asia Program, Example Fund of the U.S."}]
    assert meta["relationship"] == "US-China"


def test_relationship_with_a_slash() -> None:
    text = "Articles\n\nAustralia - US/East Asia\n\nMay — Aug 2023\nDownload Article as PDF\n\nA Title\n\nBy Pat Author\n\nThe body starts here and runs on for a while.\n"
    assert segment_article(text).metadata["relationship"] == "Australia-US/East Asia"


def test_a_capitalised_title_with_a_comma_under_its_banner_is_the_title_not_an_author() -> None:
    text = (
        "US-CHINA RELATIONS\n\nRIVERS RISING, SLOWLY\n\nDORA WRITER, EXAMPLE UNIVERSITY\n\n"
        "The two governments spent the autumn rebuilding channels that had gone quiet.\n"
    )
    meta = segment_article(text).metadata
    assert meta["title"] == "RIVERS RISING, SLOWLY"
    assert [a["name"] for a in meta["authors"]] == ["DORA WRITER"]
    assert split_author_line("RIVERS RISING, SLOWLY") is None
