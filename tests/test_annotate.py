"""The batch function: an article whose annotations break the contract fails alone."""

from __future__ import annotations

import json
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline import extensions as ext
from pipeline.annotate import annotate
from pipeline.components.tokenizer import ArticleTokenizer
from tests.test_segment import BODY, CHRONO, CONNECT, HEADER, PUBLISHED


@Language.component("test_untyped_actor")
def _untyped_actor(doc: Doc) -> Doc:
    """Writes an actor span without a type when the text asks for it (a buggy stage)."""
    if "BROKEN" in doc.text:
        span = doc[0:1]
        span._.actor_id = "act-bad"
        doc.spans[ext.ACTORS] = [span]
    return doc


def test_invalid_annotation_is_E031_for_that_article_only(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.tokenizer = ArticleTokenizer(nlp.tokenizer)
    nlp.add_pipe("dipl_segmenter")
    nlp.add_pipe("test_untyped_actor")
    article = HEADER + PUBLISHED + CONNECT + BODY + CHRONO
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(article, encoding="utf-8")
    (tmp_path / "in" / "bad.txt").write_text("BROKEN\n\n" + article, encoding="utf-8")
    summary = annotate([tmp_path / "in"], tmp_path / "out", nlp)
    assert summary.articles == 1 and [(e.path.name, e.code) for e in summary.errors] == [("bad.txt", "E031")]
    lines = (tmp_path / "out" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["doc_id"] for line in lines] == ["good"]
    errors = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert errors[0]["code"] == "E031" and "type" in errors[0]["message"]


def test_text_longer_than_the_model_allows_is_E005(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.tokenizer = ArticleTokenizer(nlp.tokenizer)
    nlp.add_pipe("dipl_segmenter")
    nlp.max_length = 2_000
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "long.txt").write_text("A sentence of the article. " * 200, encoding="utf-8")
    (tmp_path / "in" / "short.txt").write_text(HEADER + PUBLISHED + CONNECT + BODY, encoding="utf-8")
    summary = annotate([tmp_path / "in"], tmp_path / "out", nlp)
    assert summary.articles == 1
    assert [(e.path.name, e.code) for e in summary.errors] == [("long.txt", "E005")]
    assert "too long" in summary.errors[0].message


def test_atomic_write_leaves_no_partial_file_and_normal_permissions(tmp_path: Path) -> None:
    from pipeline.atomic import AtomicWriter, write_text_atomic

    target = write_text_atomic(tmp_path / "report.html", "<p>ok</p>")
    assert target.read_text(encoding="utf-8") == "<p>ok</p>"
    assert target.stat().st_mode & 0o044 == 0o044
    writer = AtomicWriter(tmp_path, ["a.jsonl"])
    writer.write_line("a.jsonl", "{}")
    writer.abort()  # an interrupted run
    assert not (tmp_path / "a.jsonl").exists() and list(tmp_path.glob(".a.jsonl.*")) == []
