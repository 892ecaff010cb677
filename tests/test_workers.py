"""Worker processes (pipeline.workers) and the per-article limits (pipeline.guard)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.guard import ArticleOverMemory, memory_guard, rss_bytes
from pipeline.workers import WorkerPool

MB = 2**20


def _square(x: int) -> int:
    return x * x


def _lost(x: int, error: PipelineError) -> str:
    return error.code


def _results(pool: WorkerPool) -> list:
    return [result for _, result in pool]


def test_results_come_back_in_input_order_from_every_worker() -> None:
    def slow_first(x: int) -> int:
        time.sleep(0.3 if x == 0 else 0.01)  # the first item finishes last
        return x * x

    pool = WorkerPool(list(range(12)), slow_first, _lost, workers=3)
    assert list(pool) == [(i, i * i) for i in range(12)]
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize(
    ("how", "said"),
    [(lambda: os._exit(7), "exited with code 7"), (lambda: os.kill(os.getpid(), signal.SIGKILL), "killed by signal 9")],
)
def test_a_worker_that_dies_loses_only_its_own_item(how, said: str) -> None:
    errors: list[PipelineError] = []

    def work(x: int) -> int:
        if x == 3:
            how()
        return x * x

    def lost(x: int, error: PipelineError) -> int:
        errors.append(error)
        return -1

    assert _results(WorkerPool(list(range(8)), work, lost, workers=2)) == [0, 1, 4, -1, 16, 25, 36, 49]
    assert [e.code for e in errors] == ["E030"] and said in errors[0].message


def test_a_worker_stuck_where_its_budget_cannot_reach_is_ended() -> None:
    def work(x: int) -> int:
        if x == 1:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(60)  # stands in for a stage stuck in compiled code
        return x

    started = time.monotonic()
    pool = WorkerPool([0, 1, 2, 3], work, _lost, workers=2, max_seconds=0.2, grace_seconds=0.3)
    assert _results(pool) == [0, "E032", 2, 3]
    assert time.monotonic() - started < 10


@pytest.mark.skipif(rss_bytes() is None, reason="needs /proc")
def test_a_worker_far_past_the_memory_limit_is_ended() -> None:
    base = rss_bytes()
    assert base is not None
    limit = base + 100 * MB

    def work(x: int) -> int:
        if x == 1:
            hog = bytearray(int(limit * 1.5) + 200 * MB)  # held without returning to Python checks
            time.sleep(30)
            return len(hog)
        return x

    pool = WorkerPool([0, 1, 2], work, _lost, workers=2, max_memory=limit)
    assert _results(pool) == [0, "E033", 2]


def test_stopping_early_leaves_no_worker_behind() -> None:
    def work(x: int) -> int:
        time.sleep(0.05)
        return x

    stream = iter(WorkerPool(list(range(50)), work, _lost, workers=2))
    assert next(stream) == (0, 0)
    stream.close()  # what Ctrl-C in the parent does to the generator
    assert multiprocessing.active_children() == []


@pytest.mark.skipif(rss_bytes() is None, reason="needs /proc")
def test_the_memory_guard_stops_the_code_that_grows_past_the_limit() -> None:
    base = rss_bytes()
    assert base is not None
    held = []
    with pytest.raises(ArticleOverMemory) as err, memory_guard(base + 150 * MB, interval=0.005):
        for _ in range(400):
            held.append(bytearray(8 * MB))  # 3.2 GB if nothing stopped it
            time.sleep(0.002)
    assert len(held) < 400 and "the limit is" in str(err.value)
    held.clear()
    # within the limit nothing happens
    with memory_guard(base + 2048 * MB):
        small = bytearray(MB)
    assert len(small) == MB


def _test_pipeline():
    import spacy
    from spacy.language import Language

    if "fault_for_test" not in Language.factories:

        @Language.component("fault_for_test")
        def _fault(doc):  # type: ignore[no-untyped-def]
            if "HOG" in doc.text:
                hog = [bytearray(8 * MB) for _ in range(200)]  # 1.6 GB, checked as it grows
                time.sleep(5)
                del hog
            if "CRASH" in doc.text:
                os._exit(3)
            return doc

    nlp = spacy.blank("en")
    nlp.add_pipe("fault_for_test")
    return nlp


@pytest.mark.skipif(rss_bytes() is None, reason="needs /proc")
@pytest.mark.parametrize("workers", [1, 2])
def test_annotate_gives_the_faulty_articles_their_codes_and_keeps_the_rest(tmp_path: Path, workers: int) -> None:
    from pipeline.annotate import annotate

    folder = tmp_path / "in"
    folder.mkdir()
    names = ["a.txt", "b-hog.txt", "c.txt", "d-crash.txt", "e.txt"] if workers > 1 else ["a.txt", "b-hog.txt", "c.txt"]
    for name in names:
        word = "HOG" if "hog" in name else "CRASH" if "crash" in name else "calm"
        (folder / name).write_text(f"Seoul and Tokyo talked. {word} day.\n", encoding="utf-8")
    base = rss_bytes()
    assert base is not None
    summary = annotate([folder], tmp_path / "out", _test_pipeline(), workers=workers, max_memory=base + 300 * MB)
    codes = sorted((e.path.name, e.code) for e in summary.errors)
    expected = [("b-hog.txt", "E033")] + ([("d-crash.txt", "E030")] if workers > 1 else [])
    assert codes == expected
    assert summary.articles == len(names) - len(expected)
    assert multiprocessing.active_children() == []


def test_items_are_handed_out_in_the_order_asked_and_come_back_in_input_order(tmp_path: Path) -> None:
    log = tmp_path / "started.txt"

    def work(x: int) -> int:
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"{x}\n")
        return x * 10

    pool = WorkerPool([0, 1, 2, 3, 4], work, _lost, workers=1, order=[4, 3, 2, 1, 0])
    assert list(pool) == [(i, i * 10) for i in range(5)]
    assert log.read_text(encoding="utf-8").split() == ["4", "3", "2", "1", "0"]
    with pytest.raises(ValueError):
        WorkerPool([0, 1], work, _lost, workers=1, order=[0, 0])


def test_each_result_is_told_as_it_arrives_before_the_ones_ahead_of_it_in_input_order() -> None:
    def slow_first(x: int) -> int:
        time.sleep(1.0 if x == 0 else 0.01)  # the first item finishes last
        return x * x

    told: list[int] = []
    yielded: list[tuple[int, int]] = []
    pool = WorkerPool(list(range(8)), slow_first, _lost, workers=2, on_result=lambda i, r: told.append(i))
    for index, result in pool:
        if not yielded:
            # the first item in input order comes out only once it is done, and by then the
            # items after it that finished sooner have been told already (a caller journals them)
            assert len(told) > 1 and told[-1] == 0 and index == 0
        yielded.append((index, result))
    assert yielded == [(i, i * i) for i in range(8)]
    assert sorted(told) == list(range(8)) and told[0] != 0
