"""End to end: the CLI on the real seed article, the sample corpus and bad inputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import CORPUS_DIR

runner = CliRunner()


def _read_jsonl(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    out = tmp_path_factory.mktemp("seed_out")
    result = runner.invoke(app, ["annotate", str(seed_path), "--out", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    return out


def test_seed_article_record_fields(seed_run: Path, seed_path: Path, seed_text: str) -> None:
    (record,) = _read_jsonl(seed_run / "articles.jsonl")
    assert record["schema_version"] == "1.3"
    assert record["doc_id"] == "000_ed224ae42dbf410d"
    assert record["source"]["path"] == str(seed_path)
    assert len(record["source"]["sha256"]) == 64
    assert record["text"] == seed_text
    assert record["metadata"]["title"] == "Thaws and Tremors"
    assert record["metadata"]["period"] == {"start": "2019-09", "end": "2019-12"}
    assert len(record["chronology"]) == 26
    for key in ("actors", "dates", "agreements", "events"):
        assert isinstance(record[key], list)
    # Every span points into the text.
    for entry in record["chronology"]:
        assert record["text"][entry["start"] : entry["end"]].startswith(entry["date_text"])
        assert record["text"][entry["text_start"] : entry["end"]] == entry["text"]
    for sentence in record["sentences"]:
        assert record["text"][sentence["start"] : sentence["end"]].strip()


def test_seed_sentences_respect_structure(seed_run: Path) -> None:
    (record,) = _read_jsonl(seed_run / "articles.jsonl")
    texts = [record["text"][s["start"] : s["end"]] for s in record["sentences"]]
    assert "Thaws and Tremors" in texts  # the title is one sentence, not three
    assert "A Quiet Thaw" in texts
    assert "Photo: Kyodo" in texts  # a caption's credit is split from its description
    assert any(t.startswith("Sept. 1, 2019: South Korean Vice Minister") for t in texts)


def test_seed_chronology_jsonl(seed_run: Path) -> None:
    lines = _read_jsonl(seed_run / "chronology.jsonl")
    assert len(lines) == 26
    assert lines[20]["entry_id"] == "chr-021"
    assert lines[20]["date"] == "2019-11-22"
    assert lines[20]["text"].startswith("Hours before the deadline")
    assert {line["doc_id"] for line in lines} == {"000_ed224ae42dbf410d"}
    assert (seed_run / "errors.jsonl").read_text(encoding="utf-8") == ""
    # Outputs are readable by others, not owner-only like the temporary files they come from.
    assert (seed_run / "chronology.jsonl").stat().st_mode & 0o044 == 0o044


def test_ids_are_stable_across_reruns(seed_run: Path, seed_path: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["annotate", str(seed_path), "--out", str(tmp_path), "--no-progress"])
    assert result.exit_code == 0
    assert (tmp_path / "articles.jsonl").read_text() == (seed_run / "articles.jsonl").read_text()


def test_bad_inputs_fail_alone_and_good_ones_are_kept(tmp_path: Path, seed_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(seed_path, inputs / "good.txt")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (inputs / "latin1.txt").write_bytes("Relations between Séoul and Tokyo".encode("latin-1"))
    (inputs / "truncated.txt").write_bytes("Articles\n\nJapan — Korea —".encode()[:-1])
    out = tmp_path / "out"
    result = runner.invoke(app, ["annotate", str(inputs), "--out", str(out), "--no-progress"])
    assert result.exit_code == 1
    articles = _read_jsonl(out / "articles.jsonl")
    assert [a["doc_id"] for a in articles] == ["good"]
    errors = {Path(e["path"]).name: e["code"] for e in _read_jsonl(out / "errors.jsonl")}
    assert errors == {"binary.txt": "E002", "empty.txt": "E001", "latin1.txt": "E003", "truncated.txt": "E004"}
    assert "E003" in result.output
    assert not list(out.glob(".*.tmp"))  # no temporary files left behind


def test_unsupported_format_named_on_the_command_line(tmp_path: Path) -> None:
    docx = tmp_path / "article.docx"
    docx.write_bytes(b"PK\x03\x04")
    result = runner.invoke(app, ["annotate", str(docx), "--out", str(tmp_path / "o"), "--no-progress"])
    assert result.exit_code == 1
    (error,) = _read_jsonl(tmp_path / "o" / "errors.jsonl")
    assert error["code"] == "E006" and "unsupported format" in error["message"]


def test_pdf_that_stops_after_its_signature_is_E012(tmp_path: Path) -> None:
    pdf = tmp_path / "article.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    result = runner.invoke(app, ["annotate", str(pdf), "--out", str(tmp_path / "o"), "--no-progress"])
    assert result.exit_code == 1
    (error,) = _read_jsonl(tmp_path / "o" / "errors.jsonl")
    assert error["code"] == "E012" and "truncated" in error["message"]


def test_corpus_with_two_workers_matches_one_worker(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    r1 = runner.invoke(app, ["annotate", str(CORPUS_DIR), "--out", str(one), "--no-progress"])
    r2 = runner.invoke(app, ["annotate", str(CORPUS_DIR), "--out", str(two), "--workers", "2", "--no-progress"])
    assert r1.exit_code == 0 and r2.exit_code == 0, r1.output + r2.output
    assert (one / "articles.jsonl").read_text() == (two / "articles.jsonl").read_text()
    docs = [a["doc_id"] for a in _read_jsonl(one / "articles.jsonl")]
    assert docs == ["china-korea-2023-3", "korea-korea-2022-2", "us-china-2023-3", "us-japan-2024-1",
                    "loop-a", "loop-b", "loop-c"]


def test_pdf_noise_spans_point_into_the_original(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["annotate", str(CORPUS_DIR / "articles" / "china-korea-2023-3.txt"), "--out", str(tmp_path), "--no-progress"]
    )
    assert result.exit_code == 0
    (record,) = _read_jsonl(tmp_path / "articles.jsonl")
    headers = [n for n in record["layout_noise"] if n["kind"] == "page_header"]
    assert len(headers) == 2
    assert "CHINA-KOREA RELATIONS | JANUARY 2024 101" in record["text"][headers[0]["start"] : headers[0]["end"]]
    texts = [record["text"][s["start"] : s["end"]] for s in record["sentences"]]
    # The sentence broken by the hyphenated line end is one sentence in the record.
    assert any("high-level con-\ntacts could resume" in t for t in texts)
    assert "W106" in {w["code"] for w in record["warnings"]}


def test_schema_command_prints_the_contract() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    article = schema["files"]["articles.jsonl"]
    for field in ("schema_version", "doc_id", "source", "text", "metadata", "sections", "chronology",
                  "actors", "dates", "agreements", "events"):
        assert field in article["properties"]
    assert set(schema["files"]) == {"articles.jsonl", "chronology.jsonl", "errors.jsonl", "issues.jsonl"}


def test_seed_chronology_polarity_comes_from_the_marked_main_event(seed_run: Path) -> None:
    (record,) = _read_jsonl(seed_run / "articles.jsonl")
    lines = _read_jsonl(seed_run / "chronology.jsonl")
    for line in lines:
        mains = [e for e in line["events"] if e["is_main"]]
        if not line["events"]:
            assert line["polarity"] is None
            continue
        assert len(mains) == 1, line["entry_id"]
        assert line["polarity"] == mains[0]["polarity"]
    # What users read in chronology.jsonl is what the evaluation scores: compare with the gold.
    gold = _read_jsonl(CORPUS_DIR / "gold" / "seed_chronology_polarity.jsonl")
    by_start = {line["start"]: line for line in lines}
    agree = sum(by_start[g["start"]]["polarity"] == g["polarity"] for g in gold)
    assert len(gold) == 26 and agree >= 24, f"{agree}/26 entries agree with the gold polarity"
    assert record["events"] and all("is_main" in e for e in record["events"])


def test_chronology_heading_is_not_an_actor(seed_run: Path) -> None:
    (record,) = _read_jsonl(seed_run / "articles.jsonl")
    chronology = next(s for s in record["sections"] if s["kind"] == "chronology")
    first_entry = record["chronology"][0]["start"]
    inside = [a["text"] for a in record["actors"] if chronology["start"] <= a["start"] < first_entry]
    assert inside == []  # "Chronology of Japan - Korea Relations" names the relationship, not actors
    assert any(a["text"] == "Japan" for a in record["actors"])


def test_an_empty_folder_is_an_error_not_a_silent_success(tmp_path: Path) -> None:
    empty = tmp_path / "issue"
    empty.mkdir()
    (empty / ".DS_Store").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["annotate", str(empty), "--out", str(tmp_path / "o"), "--no-progress"])
    assert result.exit_code == 1
    assert "E018" in result.output
    passed = (tmp_path / "o" / "passed_over.jsonl").read_text(encoding="utf-8")
    assert '"reason": "a hidden file"' in passed or '"reason":"a hidden file"' in passed


def test_a_folder_in_use_by_another_run_exits_3_and_names_it(tmp_path: Path, seed_path: Path) -> None:
    import json
    import os
    import socket

    out = tmp_path / "o"
    out.mkdir()
    (out / ".ccpipeline.lock").write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname()}), encoding="utf-8")
    result = runner.invoke(app, ["annotate", str(seed_path), "--out", str(out), "--no-progress"])
    assert result.exit_code == 3
    assert "E070" in result.output and str(os.getpid()) in result.output
    assert not (out / "articles.jsonl").exists()


def test_a_smaller_rerun_does_not_replace_a_folder_without_being_asked(tmp_path: Path, seed_path: Path) -> None:
    inputs = tmp_path / "issue"
    inputs.mkdir()
    (inputs / "b.txt").write_text("Seoul and Tokyo held talks on Nov. 22, 2019.", encoding="utf-8")
    out = tmp_path / "o"
    first = runner.invoke(app, ["annotate", str(seed_path), str(inputs), "--out", str(out), "--no-progress"])
    assert first.exit_code == 0
    before = (out / "articles.jsonl").read_bytes()
    smaller = runner.invoke(app, ["annotate", str(inputs), "--out", str(out), "--no-progress"])
    assert smaller.exit_code == 3 and "E072" in smaller.output and "000_ed224ae42dbf410d" in smaller.output
    assert (out / "articles.jsonl").read_bytes() == before
    both = runner.invoke(app, ["annotate", str(inputs), "--out", str(out), "--no-progress", "--merge", "--replace"])
    assert both.exit_code == 2 and "give one of the two" in both.output
    merged = runner.invoke(app, ["annotate", str(inputs), "--out", str(out), "--no-progress", "--merge"])
    assert merged.exit_code == 0 and "merged: 1 article(s) of the folder kept" in merged.output
    ids = [json.loads(line)["doc_id"] for line in (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    assert ids == ["b", "000_ed224ae42dbf410d"]
    forced = runner.invoke(app, ["annotate", str(inputs), "--out", str(out), "--no-progress", "--replace"])
    assert forced.exit_code == 0
    assert (out / "articles.jsonl").read_bytes() != before


def test_reviewed_corrections_on_a_dropped_article_block_the_rerun(tmp_path: Path) -> None:
    import sqlite3

    inputs = tmp_path / "issue"
    inputs.mkdir()
    (inputs / "b.txt").write_text("Seoul and Tokyo held talks on Nov. 22, 2019.", encoding="utf-8")
    out = tmp_path / "o"
    out.mkdir()
    with sqlite3.connect(out / "corrections.sqlite") as db:
        db.execute("CREATE TABLE corrections (doc_id TEXT, undone_at TEXT)")
        db.execute("INSERT INTO corrections VALUES ('gone-article', NULL), ('gone-article', NULL), ('b', NULL)")
    result = runner.invoke(app, ["annotate", str(inputs), "--out", str(out), "--no-progress"])
    assert result.exit_code == 3
    assert "E072" in result.output and "2 reviewed correction(s)" in result.output
    assert not (out / "articles.jsonl").exists()


def test_unreadable_corrections_keep_the_folder_as_it_is(tmp_path: Path) -> None:
    inputs = tmp_path / "issue"
    inputs.mkdir()
    (inputs / "b.txt").write_text("Seoul and Tokyo held talks on Nov. 22, 2019.", encoding="utf-8")
    out = tmp_path / "o"
    out.mkdir()
    (out / "corrections.sqlite").write_bytes(b"this is not a database")
    result = runner.invoke(app, ["annotate", str(inputs), "--out", str(out), "--no-progress"])
    assert result.exit_code == 3 and "E072" in result.output and "cannot be read" in result.output
    assert (out / "corrections.sqlite").read_bytes() == b"this is not a database"


def test_two_concurrent_runs_with_wait_both_finish_and_leave_one_runs_files(tmp_path: Path) -> None:
    import subprocess
    import sys

    from pipeline.manifest import verify

    inputs = tmp_path / "issue"
    inputs.mkdir()
    for name in ("a", "b", "c"):
        (inputs / f"{name}.txt").write_text(f"Seoul and Tokyo held talks on Nov. {ord(name) - 90}, 2019.\n", encoding="utf-8")
    out = tmp_path / "o"
    command = [sys.executable, "-m", "pipeline", "annotate", str(inputs), "--out", str(out), "--no-progress", "--wait", "120"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    # whichever came second waited for (or followed) the other; nothing of the two is mixed
    assert (out / "manifest.json").is_file() and verify(out) == []
    lone = tmp_path / "lone"
    assert subprocess.run([*command[:6], str(lone), "--no-progress"], capture_output=True).returncode == 0
    assert (out / "articles.jsonl").read_bytes() == (lone / "articles.jsonl").read_bytes()
    assert not (out / ".ccpipeline.lock").exists()


def test_ctrl_c_with_two_workers_stops_at_once_and_leaves_nothing_behind(tmp_path: Path) -> None:
    import shutil
    import signal
    import subprocess
    import sys
    import time

    inputs = tmp_path / "issue"
    inputs.mkdir()
    source = Path(__file__).resolve().parent.parent / "corpus" / "articles" / "us-china-2023-3.txt"
    for k in range(40):
        shutil.copy(source, inputs / f"a{k:02d}.txt")
    out = tmp_path / "o"
    out.mkdir()
    (out / "articles.jsonl").write_text("", encoding="utf-8")  # an earlier, empty run's file
    run = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "annotate", str(inputs), "--out", str(out), "--workers", "2", "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as on a terminal
    )
    journal = out / ".ccpipeline.journal.jsonl"
    deadline = time.monotonic() + 120
    while not (journal.is_file() and journal.stat().st_size) and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.05)  # wait until articles are being finished
    assert run.poll() is None, "the run ended before it could be interrupted"
    run.send_signal(signal.SIGINT)
    sent = time.monotonic()
    _, err = run.communicate(timeout=30)
    assert run.returncode == 130 and time.monotonic() - sent < 5
    assert "--resume" in err
    assert (out / "articles.jsonl").read_text(encoding="utf-8") == ""  # the folder as it was
    assert not list(out.glob(".*.tmp")) and not (out / ".ccpipeline.lock").exists()
    leftover = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if str(out).encode() in (proc / "cmdline").read_bytes():
                leftover.append(proc.name)
        except OSError:
            continue  # gone meanwhile
    assert leftover == [], f"worker processes left behind: {leftover}"


def test_annotate_into_a_reviewed_folder_says_which_corrections_still_apply(tmp_path: Path) -> None:
    import json

    from pipeline.records import ArticleRecord
    from pipeline.review import edits
    from pipeline.review.reattach import apply_corrections
    from pipeline.review.store import CorrectionStore

    source = Path(__file__).resolve().parent.parent / "corpus" / "articles" / "us-china-2023-3.txt"
    article = tmp_path / "issue" / "us-china-2023-3.txt"
    article.parent.mkdir()
    text = source.read_text(encoding="utf-8")
    article.write_text(text, encoding="utf-8")
    out = tmp_path / "o"
    assert runner.invoke(app, ["annotate", str(article.parent), "--out", str(out), "--no-progress"]).exit_code == 0
    record = ArticleRecord.model_validate(json.loads((out / "articles.jsonl").read_text(encoding="utf-8").splitlines()[0]))
    event = record.events[len(record.events) // 2]
    store = CorrectionStore(out / "corrections.sqlite")
    other = "neutral" if event.polarity != "neutral" else "escalatory"
    for c in edits.set_fields(apply_corrections(record, []), "event", event.id, {"polarity": other}, "ana"):
        store.add(c)
    # a sentence inserted at the top of the text: the correction is found again
    cut = text.index("\n\n") + 2
    article.write_text(text[:cut] + "An editor's note was added here.\n\n" + text[cut:], encoding="utf-8")
    rerun = runner.invoke(app, ["annotate", str(article.parent), "--out", str(out), "--no-progress"])
    assert rerun.exit_code == 0, rerun.output
    assert "1 of 1 still apply (1 found again after the text changed), 0 no longer fit" in rerun.output
    # the event's words are gone: listed as no longer fitting
    article.write_text(text.replace(event.text, "nothing of the kind"), encoding="utf-8")
    gone = runner.invoke(app, ["annotate", str(article.parent), "--out", str(out), "--no-progress"])
    assert "0 of 1 still apply" in gone.output and "1 no longer fit" in gone.output
    assert f"no longer fits: #1 {record.doc_id} event {event.id}" in gone.output
