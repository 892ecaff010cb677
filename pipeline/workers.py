"""Worker processes for ``annotate --workers N``: each article alone, under its own limits.

Every worker is a fork of the annotate process, so it shares the loaded pipeline and the
articles read (copy on write) and is told only an article's index. It runs the article under
the time budget and memory guard (``pipeline.guard``) in its own main thread and sends back
what ``work`` made of it (the record lines, built in the worker too) or the coded error.

The parent hands out one article at a time to whichever worker is free, so a long article
never holds up the others, and yields the results in input order. It also watches from
outside: a worker that neither answers within the budget (stuck where no signal is seen) nor
stays within a generous margin over the memory limit is killed, and so is one that dies by
itself (a crash, the kernel's out-of-memory killer); its article gets the coded error and a
fresh worker takes its place. Ctrl-C reaches the parent only; the workers are stopped on the
way out, so none is left behind.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

from pipeline.errors import PipelineError
from pipeline.guard import rss_bytes

T = TypeVar("T")
R = TypeVar("R")

# How long past its own budget a worker may stay silent before the parent ends it, and how
# far past the memory limit the parent lets it grow (the worker's own guard fires first).
GRACE_SECONDS = 5.0
MEMORY_MARGIN = 1.5
_POLL = 0.25


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _worker(conn: Connection, items: Sequence[Any], work: Callable[[Any], Any]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            index = conn.recv()
        except (EOFError, OSError):
            return
        if index is None:
            return
        conn.send((index, work(items[index])))


@dataclass
class _Slot(Generic[T]):
    process: Any
    conn: Connection
    index: int | None = None
    started: float = 0.0


class WorkerPool(Generic[T, R]):
    """Run ``work(item)`` for every item in ``workers`` forked processes.

    ``work`` must not raise: it returns its result or a value describing the failure (the
    annotate pipeline returns a ``PipelineError``). When the parent has to end a worker, the
    item it was on gets ``on_lost(item, error)`` instead."""

    def __init__(
        self,
        items: Sequence[T],
        work: Callable[[T], R],
        on_lost: Callable[[T, PipelineError], R],
        workers: int,
        max_seconds: float | None = None,
        max_memory: int | None = None,
        grace_seconds: float = GRACE_SECONDS,
        order: Sequence[int] | None = None,
        on_result: Callable[[int, R], None] | None = None,
    ) -> None:
        if not fork_available():
            raise PipelineError("E030", "--workers above 1 needs processes started by fork, which this system lacks; use --workers 1")
        self.items = items
        self.work = work
        self.on_lost = on_lost
        self.workers = max(1, min(workers, len(items)))
        self.max_seconds = max_seconds
        self.max_memory = max_memory
        self.grace_seconds = grace_seconds
        # the order the items are handed out in (the results still come back in input order):
        # longest first, so that no worker is left with a long article at the end
        self.order = list(order) if order is not None else list(range(len(items)))
        if sorted(self.order) != list(range(len(items))):
            raise ValueError("order must list every item index once")
        # told of each result as it arrives, in whatever order the workers finish (the caller
        # journals it then; the iteration itself keeps the input order)
        self.on_result = on_result
        self._context = multiprocessing.get_context("fork")
        self._slots: list[_Slot[T]] = []
        self._queue: Iterator[int] = iter(())

    def _start(self) -> _Slot[T]:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker, args=(child, self.items, self.work), daemon=True)
        process.start()
        child.close()
        return _Slot(process, parent)

    def _stop(self, slot: _Slot[T], kill: bool = False) -> None:
        if kill and slot.process.is_alive():
            os.kill(slot.process.pid, signal.SIGKILL)
        else:
            with contextlib.suppress(OSError, ValueError):
                slot.conn.send(None)
        slot.process.join(timeout=None if kill else 5)
        if slot.process.is_alive():
            os.kill(slot.process.pid, signal.SIGKILL)
            slot.process.join()
        slot.conn.close()

    def __iter__(self) -> Iterator[tuple[int, R]]:
        """``(index, result)`` for every item, in input order."""
        if not self.items:
            return
        pending: dict[int, R] = {}
        next_out = 0
        self._queue = iter(self.order)
        try:
            # Objects made so far (the loaded pipeline) are left out of the workers' garbage
            # collection, so that collecting does not copy every page they share with us.
            gc.freeze()
            self._slots = [self._start() for _ in range(self.workers)]
            for slot in self._slots:
                self._hand_out(slot)
            while next_out < len(self.items):
                for index, result in self._collect():
                    if self.on_result is not None:
                        self.on_result(index, result)
                    pending[index] = result
                while next_out in pending:
                    yield next_out, pending.pop(next_out)
                    next_out += 1
        finally:
            for slot in self._slots:
                self._stop(slot, kill=slot.index is not None)
            self._slots = []
            gc.unfreeze()

    def _hand_out(self, slot: _Slot[T]) -> None:
        """Give ``slot`` the next article, if any is left."""
        index = next(self._queue, None)
        slot.index = index
        slot.started = time.monotonic()
        if index is not None:
            slot.conn.send(index)

    def _collect(self) -> list[tuple[int, R]]:
        """Wait for answers (or trouble) and hand out the next articles."""
        busy = [s for s in self._slots if s.index is not None]
        if not busy:
            return []
        ready = wait([s.conn for s in busy] + [s.process.sentinel for s in busy], timeout=_POLL)
        out: list[tuple[int, R]] = []
        for k, slot in enumerate(self._slots):
            if slot.index is None:
                continue
            index = slot.index
            if slot.conn in ready:
                try:
                    answered, result = slot.conn.recv()
                except (EOFError, OSError):
                    answered = None
                if answered == index:
                    out.append((index, result))
                    self._hand_out(slot)
                    continue
            if not slot.process.is_alive() or slot.process.sentinel in ready:
                slot.process.join(timeout=5)  # reaped, so that its exit code is known
                code = slot.process.exitcode
                how = f"was killed by signal {-code}" if code is not None and code < 0 else f"exited with code {code}"
                out.append((index, self._lost(k, PipelineError(
                    "E030", f"the worker processing the article {how} (a crash, or the system ran out of memory)"))))
                continue
            elapsed = time.monotonic() - slot.started
            if self.max_seconds and elapsed > self.max_seconds + self.grace_seconds + 0.1 * self.max_seconds:
                out.append((index, self._lost(k, PipelineError(
                    "E032", f"the article took longer than {self.max_seconds:g} s, the time budget (--max-seconds), "
                    "and its worker did not stop; the worker was ended and the batch went on"))))
                continue
            if self.max_memory:
                rss = rss_bytes(slot.process.pid)
                if rss is not None and rss > self.max_memory * MEMORY_MARGIN:
                    out.append((index, self._lost(k, PipelineError(
                        "E033", f"the article's worker grew to {rss / 2**20:,.0f} MB, past the memory limit "
                        f"(--max-memory {self.max_memory / 2**20:,.0f} MB); the worker was ended and the batch went on"))))
        return out

    def _lost(self, k: int, error: PipelineError) -> R:
        """End worker ``k`` (if it still runs), start a fresh one, and give its article ``error``."""
        slot = self._slots[k]
        assert slot.index is not None
        item = self.items[slot.index]
        slot.index = None
        self._stop(slot, kill=True)
        fresh = self._start()
        self._slots[k] = fresh
        self._hand_out(fresh)
        return self.on_lost(item, error)
