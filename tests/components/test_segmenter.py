"""The dipl_segmenter component: span groups, config loading, save/load round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from pipeline import extensions as ext
from pipeline.components.tokenizer import ArticleTokenizer
from pipeline.nlp import build_pipeline
from pipeline.records import ArticleMetadata
from tests.test_segment import BODY, CHRONO, CONNECT, HEADER, PUBLISHED

ARTICLE = HEADER + PUBLISHED + CONNECT + BODY + CHRONO


def _blank_pipeline() -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.tokenizer = ArticleTokenizer(nlp.tokenizer)
    nlp.add_pipe("dipl_segmenter")
    return nlp


def test_segmenter_writes_span_groups_and_metadata() -> None:
    doc = _blank_pipeline()(ARTICLE)
    kinds = [s._.section_kind for s in doc.spans[ext.SECTIONS]]
    assert kinds == ["front_matter", "narrative", "narrative", "chronology"]
    assert [s._.entry_date for s in doc.spans[ext.CHRONOLOGY]][:2] == ["2019-09-03", "2019-11-22"]
    assert doc._.metadata["title"] == "A Test Title"
    paragraph = doc.spans[ext.PARAGRAPHS][0]
    assert paragraph._.paragraph_section_id == doc.spans[ext.SECTIONS][1]._.section_id


def test_segmenter_output_survives_docbin(tmp_path: Path) -> None:
    nlp = _blank_pipeline()
    doc = nlp(ARTICLE)
    bin_ = DocBin(store_user_data=True, docs=[doc])
    restored = next(iter(DocBin(store_user_data=True).from_bytes(bin_.to_bytes()).get_docs(nlp.vocab)))
    assert [s._.entry_id for s in restored.spans[ext.CHRONOLOGY]] == [s._.entry_id for s in doc.spans[ext.CHRONOLOGY]]
    # msgpack gives tuples back for lists; the record model reads both the same way.
    assert ArticleMetadata.model_validate(restored._.metadata) == ArticleMetadata.model_validate(doc._.metadata)


def test_pipeline_from_config_saves_and_loads(tmp_path: Path) -> None:
    nlp = build_pipeline()
    assert nlp.pipe_names[0] == "dipl_segmenter"
    nlp.config["nlp"]["tokenizer"] = {"@tokenizers": "dipl.article_tokenizer.v1"}
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    assert isinstance(loaded.tokenizer, ArticleTokenizer)
    noisy = ARTICLE.replace("Officials from both capitals", "Officials from both\ncapi-\ntals", 1)
    doc = loaded(noisy)
    assert doc._.offset_runs is not None
    clean = nlp(ARTICLE)
    assert [s._.entry_date for s in doc.spans[ext.CHRONOLOGY]] == [
        s._.entry_date for s in clean.spans[ext.CHRONOLOGY]
    ]


def test_custom_stage_config_is_used(tmp_path: Path) -> None:
    cfg = tmp_path / "stages.cfg"
    cfg.write_text('[pipeline]\nstages = []\n\n[components]\n', encoding="utf-8")
    nlp = build_pipeline(config_path=cfg)
    assert "dipl_segmenter" not in nlp.pipe_names


@pytest.mark.model
def test_an_abbreviated_rank_does_not_end_the_sentence(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """"Lt. Gen. Park Ji-hoon and Col. Kim Min-su visit ...": spaCy's rules leave out
    "Lt." and "Col.", so the period was a token and the parser ended the sentence there; the
    article tokenizer keeps them whole, in a pipeline saved and loaded again too."""
    nlp = build_pipeline()
    text = "Lt. Gen. Park Ji-hoon and Col. Kim Min-su visit the air base in Pyeongtaek."
    doc = nlp(text)
    assert [t.text for t in doc][:2] == ["Lt.", "Gen."] and "Col." in [t.text for t in doc]
    assert len(list(doc.sents)) == 1
    nlp.to_disk(tmp_path / "saved")
    again = spacy.load(tmp_path / "saved")(text)
    assert [t.text for t in again] == [t.text for t in doc]
