"""Durable batches: each finished article is journalled; ``--resume`` after a kill -9 takes
over what was finished and ends with outputs byte-identical to an uninterrupted run."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.annotate import annotate
from pipeline.journal import JOURNAL_FILE
from tests.conftest import CORPUS_DIR, REPO_ROOT

pytestmark = pytest.mark.model
OUTPUTS = ("articles.jsonl", "chronology.jsonl", "errors.jsonl", "passed_over.jsonl", "issues.jsonl")


def _inputs(tmp_path: Path, copies: int) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for k in range(copies):
        for path in sorted((CORPUS_DIR / "articles").glob("*.txt")):
            shutil.copy(path, folder / f"{path.stem}-{k}.txt")
    return folder


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    from pipeline.nlp import build_pipeline

    return build_pipeline()


def test_kill_9_then_resume_gives_the_clean_run_byte_for_byte(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    inputs = _inputs(tmp_path, 2)
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    name = nlp.meta["ccpipeline_base_model"]  # what the command line passes as model_name
    annotate([inputs], clean, nlp, model_name=name)
    env = {k: v for k, v in os.environ.items() if k != "CCPIPELINE_MODEL"}
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "annotate", str(inputs), "--out", str(killed), "--no-progress"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    journal = killed / JOURNAL_FILE
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if journal.is_file() and len(journal.read_text(encoding="utf-8").splitlines()) >= 2:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    finished = len(journal.read_text(encoding="utf-8").splitlines())
    assert 2 <= finished < 6 and not (killed / "articles.jsonl").exists()

    summary = annotate([inputs], killed, nlp, resume=True, model_name=name)
    assert summary.resumed >= 2 and summary.articles == 6
    for name in OUTPUTS:
        assert (killed / name).read_bytes() == (clean / name).read_bytes(), name
    assert (killed / "manifest.json").read_bytes() == (clean / "manifest.json").read_bytes()
    assert sorted(p.name for p in killed.iterdir()) == sorted([*OUTPUTS, "manifest.json"])  # no journal, lock or temp file


def test_resume_redoes_what_changed_and_a_normal_run_keeps_no_journal(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    inputs = _inputs(tmp_path, 1)
    out = tmp_path / "out"
    annotate([inputs], out, nlp)
    assert not (out / JOURNAL_FILE).exists()
    first = (out / "articles.jsonl").read_bytes()
    again = annotate([inputs], out, nlp, resume=True)
    assert again.resumed == 3 and (out / "articles.jsonl").read_bytes() == first
    # An input whose bytes changed is annotated again, the others taken over.
    changed = sorted(inputs.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA closing line was added.\n", encoding="utf-8")
    summary = annotate([inputs], out, nlp, resume=True)
    assert summary.resumed == 2
    records = [json.loads(x) for x in (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    assert next(r for r in records if r["doc_id"] == changed.stem)["text"].endswith("A closing line was added.\n")
    # Another pipeline (here: another polarity mode) shares nothing with the earlier run.
    nlp.get_pipe("dipl_events").mode = "lexicon"
    try:
        assert annotate([inputs], out, nlp, resume=True).resumed == 0
    finally:
        nlp.get_pipe("dipl_events").mode = "combined"


def test_an_article_over_its_time_budget_fails_alone(tmp_path: Path) -> None:
    import time as _time

    from spacy.language import Language

    from pipeline.nlp import build_pipeline

    if "slow_for_test" not in Language.factories:

        @Language.component("slow_for_test")
        def _slow(doc):  # type: ignore[no-untyped-def]
            if "stalls" in doc.text:
                _time.sleep(30)  # stands in for a stage that hangs on a pathological text
            return doc

    nlp = build_pipeline()
    nlp.add_pipe("slow_for_test", last=True)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-stalls.txt").write_text("The talks stalls here.\n", encoding="utf-8")
    shutil.copy(CORPUS_DIR / "articles" / "china-korea-2023-3.txt", folder / "b-good.txt")
    started = time.monotonic()
    summary = annotate([folder], tmp_path / "out", nlp, max_seconds=0.5)
    assert time.monotonic() - started < 20
    assert [(e.path.name, e.code) for e in summary.errors] == [("a-stalls.txt", "E032")]
    assert summary.articles == 1
    errors = [json.loads(x) for x in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert errors[0]["code"] == "E032" and "time budget" in errors[0]["message"]


def test_merge_updates_some_articles_of_a_larger_folder_and_keeps_the_rest(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    from pipeline.diff import read_records
    from pipeline.errors import PipelineError

    inputs = _inputs(tmp_path, 1)
    (inputs / "broken.txt").write_bytes(b"\x00\x01binary")
    (inputs / "notes.md").write_text("not an article", encoding="utf-8")
    out = tmp_path / "out"
    annotate([inputs], out, nlp)
    assert "notes.md" in (out / "passed_over.jsonl").read_text(encoding="utf-8")
    before = read_records(out)
    chronology_before = (out / "chronology.jsonl").read_text(encoding="utf-8").splitlines()
    errors_before = (out / "errors.jsonl").read_text(encoding="utf-8")
    assert "broken.txt" in errors_before and len(before) == 3
    # one article edited and annotated alone: without --merge the run is refused
    one = sorted(inputs.glob("us-*.txt"))[0]
    update = tmp_path / "update"
    update.mkdir()
    (update / one.name).write_text(one.read_text(encoding="utf-8") + "\nA sentence added later.\n", encoding="utf-8")
    with pytest.raises(PipelineError) as refused:
        annotate([update], out, nlp)
    assert refused.value.code == "E072" and "--merge" in refused.value.message
    summary = annotate([update], out, nlp, merge=True)
    after = read_records(out)  # the manifest matches the merged files
    assert set(after) == set(before) and summary.merged == set(before) - {one.stem}
    assert after[one.stem]["text"] != before[one.stem]["text"]
    for doc_id in set(before) - {one.stem}:
        assert after[doc_id] == before[doc_id]
    chronology_after = (out / "chronology.jsonl").read_text(encoding="utf-8").splitlines()
    kept = [line for line in chronology_before if json.loads(line)["doc_id"] != one.stem]
    assert [line for line in chronology_after if json.loads(line)["doc_id"] != one.stem] == kept
    assert sum(json.loads(line)["doc_id"] == one.stem for line in chronology_after) > 0
    # the earlier error and passed-over file of inputs this run did not see are kept
    assert "broken.txt" in (out / "errors.jsonl").read_text(encoding="utf-8")
    assert "notes.md" in (out / "passed_over.jsonl").read_text(encoding="utf-8")
    # a damaged line the merge would have to carry over is an error, and nothing is changed
    with (out / "chronology.jsonl").open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    damaged = {name: (out / name).read_bytes() for name in OUTPUTS}
    with pytest.raises(PipelineError) as broken:
        annotate([update], out, nlp, merge=True)
    assert broken.value.code == "E051" and "chronology.jsonl, line" in broken.value.message
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == damaged
    with pytest.raises(ValueError):
        annotate([update], out, nlp, merge=True, replace=True)


def test_with_workers_an_article_is_journalled_when_it_finishes_not_when_its_turn_to_be_written_comes(
    tmp_path: Path, nlp, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    from pipeline import annotate as annotate_module
    from pipeline.atomic import AtomicWriter
    from pipeline.journal import Journal

    folder = tmp_path / "in"
    folder.mkdir()
    articles = sorted((CORPUS_DIR / "articles").glob("*.txt"))
    long_text = "\n\n".join(path.read_text(encoding="utf-8") for path in articles)
    (folder / "a0-long.txt").write_text(long_text, encoding="utf-8")  # first in input order
    for k, path in enumerate(articles):
        shutil.copy(path, folder / f"a{k + 1}-{path.stem}.txt")
    # The first article's worker is held until the parent has journalled another article (or
    # 30 s have passed), so it finishes after them however the machine schedules the workers;
    # a run that journalled an article only when its turn to be written came would wait the
    # 30 s out and then journal the first article alone before writing it.
    released = tmp_path / "released"
    run_article = annotate_module.run_article

    def held(nlp, article, *args):  # type: ignore[no-untyped-def]
        if article.path.name == "a0-long.txt":
            deadline = time.monotonic() + 30
            while not released.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
        return run_article(nlp, article, *args)

    events: list[tuple[str, str]] = []
    journal_add, write_line = Journal.add, AtomicWriter.write_line

    def add(self, article_line, chronology_lines):  # type: ignore[no-untyped-def]
        doc_id = json.loads(article_line)["doc_id"]
        events.append(("journal", doc_id))
        journal_add(self, article_line, chronology_lines)
        if doc_id != "a0-long":
            released.touch()

    def line(self, name, text):  # type: ignore[no-untyped-def]
        if name == "articles.jsonl":
            events.append(("write", json.loads(text)["doc_id"]))
        write_line(self, name, text)

    monkeypatch.setattr(annotate_module, "run_article", held)
    monkeypatch.setattr(Journal, "add", add)
    monkeypatch.setattr(AtomicWriter, "write_line", line)
    summary = annotate_module.annotate([folder], tmp_path / "out", nlp, workers=2)
    assert summary.articles == len(articles) + 1 and not summary.errors
    journalled = [d for kind, d in events if kind == "journal"]
    first_write = next(i for i, (kind, _) in enumerate(events) if kind == "write")
    assert events[first_write] == ("write", "a0-long")  # written in input order
    # articles behind the first one were made durable before the first one was written out
    assert len([e for e in events[:first_write] if e[0] == "journal"]) > 1
    assert sorted(journalled) == sorted(d for kind, d in events if kind == "write")  # each once
