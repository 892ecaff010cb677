"""One run per output folder, stale temporaries cleared, write failures coded (pipeline.atomic)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.atomic import LOCK_FILE, OutputLock
from pipeline.errors import PipelineError


def test_a_second_run_is_refused_while_the_first_holds_the_folder(tmp_path: Path) -> None:
    with OutputLock(tmp_path):
        with pytest.raises(PipelineError) as err:
            OutputLock(tmp_path).acquire()
        assert err.value.code == "E070" and str(os.getpid()) in err.value.message
    assert not (tmp_path / LOCK_FILE).exists()


def test_a_killed_runs_lock_and_temporaries_are_cleared(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / LOCK_FILE).write_text(json.dumps({"pid": dead.pid, "host": socket.gethostname()}), encoding="utf-8")
    stale = tmp_path / ".articles.jsonl.abc123.tmp"
    stale.write_text("half a record", encoding="utf-8")
    other = tmp_path / ".notes.tmp"
    other.write_text("not ours", encoding="utf-8")
    with OutputLock(tmp_path):
        assert not stale.exists()
        assert other.exists()  # only this tool's own temporaries are removed


def test_a_lock_held_on_another_host_is_respected(tmp_path: Path) -> None:
    (tmp_path / LOCK_FILE).write_text(json.dumps({"pid": 1, "host": "another-machine"}), encoding="utf-8")
    with pytest.raises(PipelineError) as err:
        OutputLock(tmp_path).acquire()
    assert "another-machine" in err.value.message


def test_a_read_only_output_folder_is_a_coded_error_and_keeps_the_old_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import spacy

    import pipeline.annotate as annotate_module

    article = tmp_path / "a.txt"
    article.write_text("Talks resumed in Seoul.", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "articles.jsonl").write_text("previous\n", encoding="utf-8")

    class FullDisk(annotate_module.AtomicWriter):
        def write_line(self, name: str, line: str) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(annotate_module, "AtomicWriter", FullDisk)
    nlp = spacy.blank("en")
    with pytest.raises(PipelineError) as err:
        annotate_module.annotate([article], out, nlp)
    assert err.value.code == "E071" and "free some space" in err.value.message
    assert (out / "articles.jsonl").read_text(encoding="utf-8") == "previous\n"
    assert not (out / LOCK_FILE).exists()
    assert not list(out.glob(".*.tmp"))


def test_a_lock_just_made_and_not_yet_written_is_respected(tmp_path: Path) -> None:
    (tmp_path / LOCK_FILE).write_text("", encoding="utf-8")  # a run between create and write
    with pytest.raises(PipelineError) as err:
        OutputLock(tmp_path).acquire()
    assert err.value.code == "E070" and "just starting" in err.value.message


def test_an_old_unreadable_lock_is_taken_over(tmp_path: Path) -> None:
    lock = tmp_path / LOCK_FILE
    lock.write_text("half", encoding="utf-8")
    old = os.path.getmtime(lock) - 60
    os.utime(lock, (old, old))
    with OutputLock(tmp_path):
        assert json.loads(lock.read_text(encoding="utf-8"))["pid"] == os.getpid()


def test_with_wait_a_second_run_takes_the_folder_when_the_first_lets_go(tmp_path: Path) -> None:
    import threading

    first = OutputLock(tmp_path)
    first.acquire()
    timer = threading.Timer(0.3, first.release)
    timer.start()
    try:
        second = OutputLock(tmp_path, wait_seconds=10, poll_seconds=0.05)
        second.acquire()  # returns once the first run let go
        assert second.held
        owner = json.loads((tmp_path / LOCK_FILE).read_text(encoding="utf-8"))
        assert owner["pid"] == os.getpid()
        second.release()
    finally:
        timer.cancel()
    assert not (tmp_path / LOCK_FILE).exists()


def test_waiting_runs_out_with_E070_saying_how_long(tmp_path: Path) -> None:
    with OutputLock(tmp_path), pytest.raises(PipelineError) as err:
        OutputLock(tmp_path, wait_seconds=0.2, poll_seconds=0.05).acquire()
    assert err.value.code == "E070" and "waited 0.2 s" in err.value.message and str(os.getpid()) in err.value.message
