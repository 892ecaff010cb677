"""A seeded fuzz batch: bad bytes and encodings, malformed HTML and PDFs, odd structure and
dates, mutated copies of the corpus articles and file-system oddities, annotated together.
No traceback, every input accounted for once, every record valid, and the good articles in
the batch identical to a lone run of them. ``scripts/fuzz.py`` runs the long campaign."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.annotate import annotate
from tests.fuzzing import CASE_NAMES, check_outputs, good_copies, make_batch

pytestmark = pytest.mark.model


def test_a_fuzz_batch_loses_nothing_and_leaves_good_articles_as_a_lone_run(tmp_path: Path) -> None:
    from pipeline.nlp import build_pipeline

    nlp = build_pipeline()
    folder = tmp_path / "in"
    expected = make_batch(folder, 150, seed=20261201)
    good = good_copies(folder, seed=1)
    expected.update({str(p): "good" for p in good})
    summary = annotate([folder], tmp_path / "out", nlp, max_seconds=60)
    counts = check_outputs(tmp_path / "out", expected)
    assert counts["records"] >= len(good) and counts["errors"] >= 10 and counts["passed_over"] >= 3
    assert summary.failed == counts["errors"]
    # Every kind of case was generated.
    assert set(CASE_NAMES) <= set(expected.values())
    lone = tmp_path / "lone"
    annotate(good, lone, nlp, max_seconds=60)
    batch = {json.loads(x)["source"]["path"]: x for x in (tmp_path / "out" / "articles.jsonl").read_text().splitlines()}
    for line in (lone / "articles.jsonl").read_text().splitlines():
        assert batch[json.loads(line)["source"]["path"]] == line
