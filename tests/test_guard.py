"""The time budget and memory guard outside a process's main thread (a Dask worker runs each
article in a thread of its own): the limit is raised inside the article's thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from pipeline.guard import (
    ArticleOverMemory,
    ArticleTimeout,
    limits_available,
    memory_guard,
    time_budget,
)


def _in_a_thread(work: Callable[[], object]) -> object:
    result: list[object] = []

    def run() -> None:
        try:
            result.append(work())
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            result.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    return result[0]


def _busy(seconds: float) -> str:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        sum(range(500))
    return "finished"


def test_the_time_budget_stops_an_article_in_another_thread() -> None:
    assert _in_a_thread(limits_available) is True

    def over_budget() -> object:
        started = time.monotonic()
        try:
            with time_budget(0.2):
                _busy(5)
        except ArticleTimeout:
            return time.monotonic() - started
        return "not stopped"

    stopped_after = _in_a_thread(over_budget)
    assert isinstance(stopped_after, float) and 0.2 <= stopped_after < 2.0


def test_a_block_that_ends_in_time_is_never_interrupted_later() -> None:
    def in_time() -> str:
        with time_budget(0.2):
            _busy(0.05)
        return _busy(0.5)  # well past the budget, outside the block

    assert _in_a_thread(in_time) == "finished"


def test_the_memory_guard_stops_an_article_in_another_thread() -> None:
    def grows() -> object:
        kept = []
        try:
            with memory_guard(40 * 2**20 + _rss()):
                for _ in range(2000):
                    kept.append(bytearray(10**6))
                    time.sleep(0.001)
        except ArticleOverMemory as exc:
            return exc
        return "not stopped"

    stopped = _in_a_thread(grows)
    assert isinstance(stopped, ArticleOverMemory) and "the limit is" in str(stopped)


def _rss() -> int:
    from pipeline.guard import rss_bytes

    return rss_bytes() or 0


def test_a_stage_runs_with_the_cycle_collector_paused_and_leaves_it_as_it_was() -> None:
    import gc

    from pipeline.extensions import without_gc

    seen: list[bool] = []

    class Stage:
        @without_gc
        def __call__(self, doc):  # type: ignore[no-untyped-def]
            seen.append(gc.isenabled())
            if doc == "boom":
                raise ValueError("a stage that fails")
            return doc

    assert gc.isenabled()
    assert Stage()("doc") == "doc" and seen == [False] and gc.isenabled()
    with pytest.raises(ValueError):
        Stage()("boom")
    assert gc.isenabled()  # given back when the stage fails too
    gc.disable()
    try:
        Stage()("doc")
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()
