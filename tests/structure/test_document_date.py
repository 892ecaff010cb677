"""The document date and its anchor (pipeline.structure.document_date, via segment_article)."""

from __future__ import annotations

import pytest

from pipeline.segment import segment_article


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SEOUL, Nov. 22, 2019 (Yonhap) -- The two sides met again on Friday.\n", {"value": "2019-11-22", "anchor": "dateline"}),
        ("Monday, July 1, 2019\n\nTokyo tightened export rules on three materials.\n", {"value": "2019-07-01", "anchor": "dateline"}),
        (" date 2023-04-07  Back To Top\nNational\n\nThe hotlines went dead on Friday.\n", {"value": "2023-04-07", "anchor": "dateline"}),
        ("Published : Apr 7, 2023 - 19:39\n\nThe North did not answer.\n", {"value": "2023-04-07", "anchor": "dateline"}),
        ("The visit was postponed.\nThe two presidents spoke by phone.\n(Example News Agency September 4, 2005)\n", {"value": "2005-09-04", "anchor": "dateline"}),
        ("The envoys met on March 3, 2019 and again on May 5, 2019 in the capital.\n", {"value": "2019-05-05", "anchor": "latest_date"}),
        ("The islands have been disputed since 1992 and the talks went nowhere.\n", None),
    ],
)
def test_document_date_sources(text: str, expected: dict[str, str] | None) -> None:
    assert segment_article(text).metadata["document_date"] == expected


def test_no_document_date_is_a_warning() -> None:
    structure = segment_article("The ministers met and agreed to meet again.\n")
    assert "W107" in [w["code"] for w in structure.warnings]


def test_running_header_month_dates_a_pdf_extraction() -> None:
    text = "A FIRST LINE OF THE PAGE\n\nThe two sides talked through the winter about the fishing dispute.\n"
    structure = segment_article(text, page_headers=["JAPAN-KOREA RELATIONS | JANU ARY 2019 103"])
    assert structure.metadata["document_date"] == {"value": "2019-01", "anchor": "running_header"}


def test_period_wins_over_everything_else() -> None:
    text = "Japan - Korea\n\nSep — Dec 2019\nDownload Article as PDF\n\nA Title\n\nBy Pat Author\nPublished January 2020 in Comparative Connections · Volume 21, Issue 3\n\nThe body.\n"
    assert segment_article(text).metadata["document_date"] == {"value": "2019-12", "anchor": "period"}
