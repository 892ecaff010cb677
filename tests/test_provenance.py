"""Every record says what made it: stable hashes of the config and of the stages' data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.nlp import build_pipeline
from pipeline.provenance import pipeline_provenance

pytestmark = pytest.mark.model


def test_the_same_pipeline_gives_the_same_hashes_and_a_change_shows() -> None:
    first, second = pipeline_provenance(build_pipeline()), pipeline_provenance(build_pipeline())
    assert first == second
    assert len(first["model_sha256"]) == len(first["config_sha256"]) == 64
    changed = build_pipeline()
    events = changed.get_pipe("dipl_events")
    lexicon = events.lexicon  # type: ignore[attr-defined]
    events._lexicon = type(lexicon)(lexicon.cues[:-1])  # type: ignore[attr-defined]
    assert pipeline_provenance(changed)["model_sha256"] != first["model_sha256"]
    other = build_pipeline()
    other.get_pipe("dipl_events").mode = "lexicon"  # type: ignore[attr-defined]
    assert pipeline_provenance(other)["model_sha256"] != first["model_sha256"]  # no classifier saved


def test_records_carry_the_provenance(tmp_path: Path, seed_path: Path) -> None:
    from pipeline.annotate import annotate

    nlp = build_pipeline()
    annotate([seed_path], tmp_path, nlp)
    record = json.loads((tmp_path / "articles.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert record["provenance"] == pipeline_provenance(nlp)
    assert record["provenance"]["base_model"].startswith(nlp.meta["ccpipeline_base_model"])
