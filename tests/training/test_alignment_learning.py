"""Reviewed links teach the aligner its threshold (pipeline.alignment.learn, pipeline.training.alignment)."""

from __future__ import annotations

import json
from pathlib import Path

import spacy

from pipeline.alignment.learn import HIGHEST, JudgedPair, agreement, tune_threshold
from pipeline.annotate import annotate
from pipeline.components.align import LEARNT_FILE
from pipeline.nlp import build_pipeline
from pipeline.review.store import Anchor, CorrectionStore
from pipeline.training.alignment import learn_alignment
from pipeline.training.corrections import read_corrections
from tests.conftest import REPO_ROOT


def test_judgements_the_threshold_already_satisfies_teach_nothing() -> None:
    pairs = [JudgedPair(0.8, 0.5, "accept"), JudgedPair(0.3, 0.5, "reject")]
    assert tune_threshold(pairs, 0.45, 0.15) == 0.45
    assert tune_threshold([], 0.45, 0.15) == 0.45


def test_a_rejected_link_above_the_threshold_raises_it_below_the_accepted_ones() -> None:
    pairs = [JudgedPair(0.9, 0.5, "accept"), JudgedPair(0.55, 0.5, "reject"), JudgedPair(0.5, 0.5, "reject")]
    learnt = tune_threshold(pairs, 0.45, 0.15)
    assert 0.55 < learnt < 0.9 and agreement(pairs, learnt, 0.15) == 3
    # the closest such value to where it was: just above the highest rejected score
    assert learnt == round((0.55 + 0.9) / 2, 4)


def test_an_added_link_below_the_threshold_lowers_it_but_not_past_the_floor() -> None:
    learnt = tune_threshold([JudgedPair(0.35, 0.4, "accept"), JudgedPair(0.1, 0.4, "reject")], 0.45, 0.15)
    assert 0.1 < learnt <= 0.35
    # evidence below the floor cannot be linked by any threshold: no move for it
    assert tune_threshold([JudgedPair(0.6, 0.05, "reject")], 0.45, 0.15) == 0.45
    # a rejected pair no threshold within bounds can keep out moves nothing
    assert tune_threshold([JudgedPair(0.99, 0.5, "reject")], 0.45, 0.15) == 0.45
    # of two, the one that can be kept out is: the threshold goes just above it, not to the cap
    assert tune_threshold([JudgedPair(0.95, 0.5, "reject"), JudgedPair(0.8, 0.5, "reject")], 0.45, 0.15) == 0.875


def test_reviewed_links_in_an_output_folder_tune_the_trained_pipelines_threshold(tmp_path: Path) -> None:
    nlp = build_pipeline()
    out = tmp_path / "outputs"
    annotate([REPO_ROOT / "corpus" / "articles" / "us-china-2023-3.txt"], out, nlp)
    record = json.loads((out / "articles.jsonl").read_text(encoding="utf-8").splitlines()[0])
    linked = [(e, link) for e in record["events"] for link in e.get("aligned_entries") or []]
    assert len(linked) >= 3
    store = CorrectionStore(out / "corrections.sqlite")
    for event, link in linked:  # the reviewer rejects every proposed link
        store.record(doc_id=record["doc_id"], kind="alignment", element_id=f"{event['id']}>{link['entry_id']}",
                     op="reject", field=None, before=link, after="reject",
                     anchor=Anchor(start=event["start"], end=event["end"], text=event["text"]), reviewer="r")
    corrections = read_corrections(out / "corrections.sqlite")
    assert len(corrections.links) == len(linked) and corrections.record_folders == [out]
    report = learn_alignment(nlp, corrections.links, corrections.record_folders)
    assert report is not None and report["used"] == len(linked) and report["outcome"] == "learnt"
    learnt = report["threshold"]["learnt"]
    assert report["threshold"]["before"] < learnt <= HIGHEST
    assert report["agreement"]["learnt"] > report["agreement"]["before"]
    # saved with the pipeline and used when it is loaded again
    nlp.to_disk(tmp_path / "model")
    assert (tmp_path / "model" / "dipl_align" / LEARNT_FILE).is_file()
    again = spacy.load(tmp_path / "model")
    assert again.get_pipe("dipl_align").scorer.threshold == report["threshold"]["learnt"]
    doc = again(record["text"])
    kept = [link for span in doc.spans["events"] for link in span._.event_aligned_entries or []]
    assert len(kept) < len(linked) and all(link["score"] >= learnt for link in kept)


def test_judgements_on_an_article_whose_text_is_missing_are_reported(tmp_path: Path) -> None:
    store = CorrectionStore(tmp_path / "corrections.sqlite")
    store.record(doc_id="gone", kind="alignment", element_id="evt-1-5>chr-001", op="accept", field=None,
                 before=None, after="accept", anchor=Anchor(start=1, end=5, text="talk"), reviewer="r")
    corrections = read_corrections(tmp_path / "corrections.sqlite")
    report = learn_alignment(build_pipeline(), corrections.links, corrections.record_folders)
    assert report is not None and report["used"] == 0 and report["outcome"] == "unchanged"
    assert "not in the output folder" in report["skipped"][0]["reason"]


def test_a_broken_records_line_is_a_coded_error_not_a_missing_text(tmp_path: Path) -> None:
    import pytest

    from pipeline.errors import PipelineError

    (tmp_path / "articles.jsonl").write_text('{"doc_id": "a", "text": "x"}\n{broken\n', encoding="utf-8")
    store = CorrectionStore(tmp_path / "corrections.sqlite")
    store.record(doc_id="a", kind="alignment", element_id="evt-0-1>chr-001", op="reject", field=None,
                 before=None, after="reject", anchor=Anchor(start=0, end=1, text="x"), reviewer="r")
    corrections = read_corrections(tmp_path / "corrections.sqlite")
    with pytest.raises(PipelineError) as err:
        learn_alignment(build_pipeline(), corrections.links, corrections.record_folders)
    assert err.value.code == "E051" and "line 2" in err.value.message
