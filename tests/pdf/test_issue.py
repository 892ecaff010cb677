"""A whole issue's PDF split into articles, and ``annotate`` over PDFs: one record per
article with its pages, the issue's own record, and the batch going on past bad PDFs."""

from __future__ import annotations

import json
from pathlib import Path

import spacy
from spacy.language import Language

from pipeline.annotate import annotate
from pipeline.components.tokenizer import ArticleTokenizer
from pipeline.pdf.extract import extract_pages
from pipeline.pdf.issue import article_opening, split_issue
from tests.pdf.conftest import CATALOG, build_pdf


def _structure_nlp() -> Language:
    nlp = spacy.blank("en")
    nlp.tokenizer = ArticleTokenizer(nlp.tokenizer)
    nlp.add_pipe("dipl_segmenter")
    return nlp


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_issue_pdf_splits_at_each_banner(issue_pdf_path: tuple[Path, list[tuple[str, int, int]]]) -> None:
    path, printed = issue_pdf_path
    split = split_issue(extract_pages(path.read_bytes()))
    assert split is not None
    assert [(a.banner, a.first, a.last) for a in split.articles] == printed
    assert [a.relationship for a in split.articles] == ["US-Japan", "US-China", "China-Korea"]
    assert split.unassigned == [1, 2]  # cover and contents
    assert (split.volume, split.number, split.published, split.contents_found) == (26, 1, "2024-05", True)
    assert split.articles[0].printed_first == "3"


def test_contents_finds_an_article_whose_banner_was_lost() -> None:
    pages = [
        "CONTENTS\n\nREGIONAL OVERVIEW: A YEAR OF SUMMITS ..... 1\nJAPAN-KOREA RELATIONS: THAWS ..... 3\n\f",
        "REGIONAL OVERVIEW\n\nA YEAR OF SUMMITS\n\nThe region spent the year in summits.\n1\n\f",
        "The overview goes on.\n2\n\f",
        "THAWS\n\nJI-YOUNG LEE, AMERICAN UNIVERSITY\n\nA text whose banner line the extraction lost.\n3\n\f",
        "The article goes on.\n4\n\f",
    ]
    split = split_issue(pages)
    assert split is not None
    assert [(a.banner, a.relationship, a.first, a.last) for a in split.articles] == [
        ("REGIONAL OVERVIEW", None, 2, 3),
        ("JAPAN-KOREA RELATIONS", "Japan-Korea", 4, 5),
    ]
    assert split.unassigned == [1]


def test_running_header_and_chronology_heading_do_not_open_an_article() -> None:
    assert article_opening(["JAPAN-KOREA RELATIONS | JANUARY 2020", "Text goes on."]) is None
    assert article_opening(["CHRONOLOGY OF JAPAN-KOREA RELATIONS", "SEPTEMBER — DECEMBER 2019"]) is None
    assert article_opening(["JAPAN-KOREA RELATIONS", "THAWS AND TREMORS"]) == (
        "JAPAN-KOREA RELATIONS", "Japan-Korea", "THAWS AND TREMORS"
    )


def test_annotate_issue_writes_one_record_per_article_and_the_issue(
    issue_pdf_path: tuple[Path, list[tuple[str, int, int]]], tmp_path: Path
) -> None:
    path, printed = issue_pdf_path
    summary = annotate([path], tmp_path / "out", _structure_nlp())
    assert summary.articles == 3 and summary.issues == 1 and summary.failed == 0
    articles = _jsonl(tmp_path / "out" / "articles.jsonl")
    assert [a["doc_id"] for a in articles] == ["cc-26-1-01-us-japan", "cc-26-1-02-us-china", "cc-26-1-03-china-korea"]
    for record, (_, first, last) in zip(articles, printed, strict=True):
        source = record["source"]
        assert (source["format"], source["first_page"], source["last_page"], source["issue_id"]) == ("pdf", first, last, "cc-26-1")
        meta = record["metadata"]
        assert (meta["volume"], meta["issue"], meta["published"]) == (26, 1, "2024-05")
        assert meta["pages"] == f"{first}-{last}"  # the citation's printed pages (numbered from 1)
        assert [p["number"] for p in record["pages"]] == list(range(first, last + 1))
        assert [p["label"] for p in record["pages"]] == [str(n) for n in range(first, last + 1)]
        for page in record["pages"]:  # exact offsets: each page's text ends with its form feed
            assert record["text"][page["end"] - 1] == "\f"
        assert all(first <= s["page"] <= last for s in record["sections"])
        assert all(first <= e["page"] <= last for e in record["chronology"])
    (issue,) = _jsonl(tmp_path / "out" / "issues.jsonl")
    assert issue["issue_id"] == "cc-26-1" and issue["unassigned_pages"] == [1, 2]
    assert [(a["doc_id"], a["first_page"], a["last_page"]) for a in issue["articles"]] == [
        (a["doc_id"], first, last) for a, (_, first, last) in zip(articles, printed, strict=True)
    ]
    chronology = _jsonl(tmp_path / "out" / "chronology.jsonl")
    assert chronology and all(c["page"] is not None for c in chronology)


def test_a_folder_of_pdfs_goes_on_past_bad_ones(seed_pdf: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "seed.pdf").write_bytes(seed_pdf.read_bytes())
    data = seed_pdf.read_bytes()
    (folder / "cut.pdf").write_bytes(data[: len(data) // 3])
    (folder / "empty-tree.pdf").write_bytes(build_pdf([CATALOG, b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    summary = annotate([folder], tmp_path / "out", _structure_nlp())
    assert summary.articles == 1
    assert sorted((e.path.name, e.code) for e in summary.errors) == [("cut.pdf", "E012"), ("empty-tree.pdf", "E013")]
    (record,) = _jsonl(tmp_path / "out" / "articles.jsonl")
    assert record["doc_id"] == "seed" and record["source"]["format"] == "pdf"
    assert [p["label"] for p in record["pages"]] == [str(n) for n in range(121, 129)]
    assert _jsonl(tmp_path / "out" / "issues.jsonl") == []
    errors = _jsonl(tmp_path / "out" / "errors.jsonl")
    assert [e["code"] for e in errors] == ["E012", "E013"]
