"""The seed article printed as the journal prints it is annotated like its web text:
metadata 8 of 8, all 26 chronology entries with their dates, at least 95 % of actor and
date mentions with the same values, the same entry polarities."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.annotate import annotate
from pipeline.evaluation.formats import compare_formats
from pipeline.nlp import build_pipeline
from tests.pdf_layout import article_pdf

pytestmark = pytest.mark.model


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def seed_runs(seed_path: Path, seed_pdf: Path, seed_text: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seed annotated from its text, its one-column print and a two-column print with
    soft hyphens and ligature characters."""
    two_columns = article_pdf(
        seed_text, tmp_path_factory.mktemp("seed2col") / "seed.pdf", first_number=121, columns=2,
        hyphenate=True, ligatures=True,
    )
    nlp = build_pipeline()
    out = tmp_path_factory.mktemp("seedruns")
    for name, source in (("txt", seed_path), ("pdf", seed_pdf), ("pdf-2col", two_columns)):
        summary = annotate([source], out / name, nlp)
        assert summary.articles == 1 and summary.failed == 0
    return {"txt": out / "txt", "pdf": out / "pdf", "pdf-2col": out / "pdf-2col"}


@pytest.mark.parametrize("layout", ["pdf", "pdf-2col"])
def test_seed_pdf_annotations_match_the_seed_text(seed_runs: dict[str, Path], layout: str) -> None:
    (txt,), (pdf,) = _jsonl(seed_runs["txt"] / "articles.jsonl"), _jsonl(seed_runs[layout] / "articles.jsonl")
    figures = compare_formats(
        txt, pdf, _jsonl(seed_runs["txt"] / "chronology.jsonl"), _jsonl(seed_runs[layout] / "chronology.jsonl")
    )
    actors, dates = figures["actors"], figures["dates"]
    print(
        f"\nseed .pdf ({layout}) vs .txt: metadata {figures['metadata']['right']}/{figures['metadata']['total']}; "
        f"chronology entries {figures['entries']['other']}/{figures['entries']['reference']}, "
        f"same dates {figures['entries']['same_dates']}; "
        f"actors {actors['same']}/{actors['reference']} ({actors['share']:.1%}; with the header "
        f"{actors['with_header']['same']}/{actors['with_header']['reference']}); "
        f"dates {dates['same']}/{dates['reference']} ({dates['share']:.1%}; with the header "
        f"{dates['with_header']['same']}/{dates['with_header']['reference']}); "
        f"entry polarities {figures['polarity']['same']}/{figures['polarity']['reference']}"
    )
    assert figures["metadata"]["wrong"] == []
    assert figures["entries"] == {"reference": 26, "other": 26, "same_dates": 26}
    assert all(e["date"] for e in pdf["chronology"])
    assert actors["share"] >= 0.95 and dates["share"] >= 0.95
    assert actors["with_header"]["share"] >= 0.95 and dates["with_header"]["share"] >= 0.95
    assert figures["polarity"] == {"reference": 26, "same": 26}


def test_seed_pdf_record_says_where_each_part_is(seed_runs: dict[str, Path]) -> None:
    (pdf,) = _jsonl(seed_runs["pdf"] / "articles.jsonl")
    text = pdf["text"]
    assert pdf["source"]["format"] == "pdf" and pdf["schema_version"] == "1.3"
    assert [p["label"] for p in pdf["pages"]] == [str(n) for n in range(121, 129)]
    starts = [p["start"] for p in pdf["pages"]]
    for group in ("sections", "chronology", "events"):
        for item in pdf[group]:
            page = item["page"]
            assert page is not None
            span = pdf["pages"][page - 1]
            assert span["start"] <= item["start"] < span["end"], (group, item["id"])
    chronology = next(s for s in pdf["sections"] if s["kind"] == "chronology")
    assert chronology["heading"] == "CHRONOLOGY OF JAPAN-KOREA RELATIONS" and chronology["page"] >= 6
    captions = [s for s in pdf["sections"] if s["kind"] == "caption"]
    assert [c["credit"] for c in captions] == ["Kyodo", "Ministry of Foreign Affairs Republic of Korea"]
    for group in ("actors", "dates", "agreements"):
        for m in pdf[group]:
            assert text[m["start"] : m["end"]] == m["text"]
    headers = [n for n in pdf["layout_noise"] if n["kind"] == "page_header"]
    assert len(headers) == 7 and all(text[n["start"] : n["end"]].startswith("JAPAN-KOREA RELATIONS | JANUARY 2020") for n in headers)
    assert starts == sorted(starts)
