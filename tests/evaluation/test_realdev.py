"""The per-stage table on the real-text set (pipeline.evaluation.realdev), on an invented text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.evaluation.realdev import STAGE_FIGURES, format_stage_table, stage_scores
from tests.evaluation.test_realtext import TEXT, _gold


def _folder(tmp_path: Path) -> tuple[Path, Path]:
    gold = _gold(sentences=[{"locator": "Abe met Bush", "polarity": "de-escalatory"},
                            {"locator": "Abe said the", "polarity": "neutral"}])
    gold_dir, texts = tmp_path / "gold", tmp_path / "texts"
    gold_dir.mkdir()
    texts.mkdir()
    (gold_dir / "x.json").write_text(json.dumps(gold.model_dump(mode="json")), encoding="utf-8")
    (texts / "x.txt").write_text(TEXT, encoding="utf-8")
    return gold_dir, texts


def test_every_stage_is_scored_on_the_real_set(tmp_path: Path) -> None:
    from pipeline.nlp import build_pipeline

    gold_dir, texts = _folder(tmp_path)
    scores = stage_scores(build_pipeline(), gold_dir, texts)
    assert scores["texts"] == 1 and scores["failed"] == []
    figures = scores["figures"]
    assert set(figures) >= {figure for _, figure in STAGE_FIGURES}
    assert figures["actor mentions found"][1] == 3 and figures["date values right"][1] == 1
    assert figures["sentence polarity accuracy"][1] == 2
    table = format_stage_table({"parent": scores, "trained": scores})
    assert table[0].split()[-3:] == ["parent", "trained", "change"]
    assert len(table) == 1 + len(STAGE_FIGURES)
    row = next(line for line in table if line.startswith("actors: actor mentions found"))
    assert row.rstrip().endswith("+0.000")


def test_a_text_not_retrieved_is_an_error_not_a_smaller_set(tmp_path: Path) -> None:
    from pipeline.nlp import build_pipeline

    gold_dir, texts = _folder(tmp_path)
    (texts / "x.txt").unlink()
    with pytest.raises(PipelineError) as caught:
        stage_scores(build_pipeline(), gold_dir, texts)
    assert caught.value.code == "E065" and "x: text not retrieved" in caught.value.message


def test_a_text_that_fails_is_named_and_scored_as_empty(tmp_path: Path) -> None:
    from pipeline.nlp import build_pipeline

    gold_dir, texts = _folder(tmp_path)
    nlp = build_pipeline()
    nlp.max_length = 10  # the text is now too long for the pipeline: E005
    scores = stage_scores(nlp, gold_dir, texts)
    assert len(scores["failed"]) == 1 and scores["failed"][0].startswith("x: E005")
    assert scores["figures"]["actor mentions found"][:2] == [0, 3]
