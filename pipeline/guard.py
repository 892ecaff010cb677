"""Limits on one article's processing: a time budget and a memory guard.

Both raise an exception inside the code they watch, so that the article fails alone with a
coded error (``E032`` over time, ``E033`` over memory) and the batch goes on. In a process's
main thread on a POSIX system (the annotate command's, or a worker process's) they work by a
signal delivered to that thread. In any other thread (a Dask worker runs each task in one)
they ask CPython to raise the exception in the article's thread
(``PyThreadState_SetAsyncExc``); it is raised at the thread's next Python step, so code
inside one long C call is stopped when that call returns, as with the signal.
:func:`limits_available` says whether they can be enforced where they are asked for, and
the annotate command warns when they cannot.

The memory guard reads the process's resident set size (``/proc/self/statm``) from a small
watcher thread. Code that allocates without returning to Python (inside one spaCy component)
is stopped when it returns; the parent of a worker process also watches each worker's memory
from outside and ends a worker that runs far past the limit (``pipeline.workers``).
"""

from __future__ import annotations

import contextlib
import os
import platform
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path


class ArticleTimeout(Exception):
    """The time budget of an article (or of a batch) ran out."""


class ArticleOverMemory(Exception):
    """The process grew past the memory limit while it processed an article."""

    def __init__(self, rss: int, limit: int) -> None:
        super().__init__(f"{rss / 2**20:,.0f} MB resident, the limit is {limit / 2**20:,.0f} MB")
        self.rss = rss
        self.limit = limit


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_bytes(pid: int | str = "self") -> int | None:
    """The resident set size of a process (this one by default), or None where the system
    does not say (no ``/proc``) or the process is gone."""
    try:
        fields = Path(f"/proc/{pid}/statm").read_text(encoding="ascii").split()
    except (OSError, ValueError):
        return None
    return int(fields[1]) * _PAGE


def _signals_here() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


_ASYNC_RAISE = platform.python_implementation() == "CPython"


def limits_available() -> bool:
    """Whether the time budget and memory guard can be enforced in this thread."""
    return _signals_here() or _ASYNC_RAISE


def _raise_in(ident: int, exc_type: type[BaseException] | None) -> bool:
    """Have CPython raise ``exc_type`` in thread ``ident`` at its next Python step (None
    takes back one not yet raised); True when the thread was found."""
    import ctypes

    exc = ctypes.py_object(exc_type) if exc_type is not None else None
    return bool(ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), exc) == 1)


@contextlib.contextmanager
def _raised_from_outside(exc_type: type[BaseException],
                         arm: Callable[[Callable[[], None]], Callable[[], None]]) -> Iterator[None]:
    """Run the block in this thread; ``arm(fire)`` starts whatever calls ``fire()`` when the
    limit is passed and returns how to stop it. ``fire`` raises ``exc_type`` in this thread
    unless the block has ended; one raised too late to land inside the block is taken back."""
    ident = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = _raise_in(ident, exc_type)

    stop = arm(fire)
    try:
        yield
    finally:
        with lock:
            state["done"] = True
        stop()
        if state["fired"]:
            _raise_in(ident, None)


def memory_available() -> bool:
    return rss_bytes() is not None


@contextlib.contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise ``ArticleTimeout`` in the code run inside when ``seconds`` pass (a real-time
    timer). With ``seconds`` of 0 or None, or where a signal cannot reach the code (see
    :func:`limits_available`), there is no limit."""
    if not seconds or not limits_available():
        yield
        return
    if not _signals_here():

        def arm(fire: Callable[[], None]) -> Callable[[], None]:
            timer = threading.Timer(float(seconds), fire)
            timer.daemon = True
            timer.start()
            return timer.cancel

        with _raised_from_outside(ArticleTimeout, arm):
            yield
        return

    def _expired(signum: int, frame: object) -> None:
        raise ArticleTimeout()

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, float(seconds))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def memory_guard(limit: int | None, interval: float = 0.02) -> Iterator[None]:
    """Raise ``ArticleOverMemory`` in the code run inside when this process's resident memory
    passes ``limit`` bytes (checked every ``interval`` seconds). With no limit, or where it
    cannot be enforced (no ``/proc``, not the main thread), there is none."""
    if not limit or not limits_available() or not memory_available():
        yield
        return
    if not _signals_here():
        seen: list[int] = []
        cap = int(limit)

        class _Over(ArticleOverMemory):
            def __init__(self) -> None:
                super().__init__(seen[0] if seen else 0, cap)

        def arm(fire: Callable[[], None]) -> Callable[[], None]:
            halt = threading.Event()

            def watch() -> None:
                while not halt.wait(interval):
                    rss = rss_bytes()
                    if rss is not None and rss > cap:
                        seen.append(rss)
                        fire()
                        return

            thread = threading.Thread(target=watch, name="memory-guard", daemon=True)
            thread.start()

            def stop() -> None:
                halt.set()
                thread.join()

            return stop

        with _raised_from_outside(_Over, arm):
            yield
        return
    main = threading.main_thread().ident
    assert main is not None
    stop = threading.Event()
    over: list[int] = []

    def _raise(signum: int, frame: object) -> None:
        if over:
            raise ArticleOverMemory(over[0], limit)

    def _watch() -> None:
        while not stop.wait(interval):
            rss = rss_bytes()
            if rss is not None and rss > limit:
                over.append(rss)
                signal.pthread_kill(main, signal.SIGUSR1)
                return

    previous = signal.signal(signal.SIGUSR1, _raise)
    watcher = threading.Thread(target=_watch, name="memory-guard", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join()
        signal.signal(signal.SIGUSR1, previous)
