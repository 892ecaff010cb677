"""Debian's chromium for the tests that need a real browser: where it is, how it starts, and
a page that records JavaScript errors and refuses every request that leaves the test."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("CCREVIEW_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_available() -> bool:
    return CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is not None


def require_chromium(what: str) -> None:
    """Fail under CI (where `make test` installs it), else skip, when chromium is missing."""
    if chromium_available():
        return
    message = f"chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(f"{message}; {what} run only where it is")


def guarded_page(context: Any, allowed: Callable[[str], bool], console_errors: bool = False) -> tuple[Any, list[str], list[str]]:
    """A new page of ``context`` whose requests outside ``allowed`` are aborted and listed,
    and whose JavaScript errors (and console errors, with ``console_errors``) are collected:
    ``(page, errors, outside)``; the caller asserts both lists are empty at the end."""
    outside: list[str] = []
    errors: list[str] = []

    def keep_local(route: Any) -> None:
        url = route.request.url
        if allowed(url):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", keep_local)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    if console_errors:
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return page, errors, outside


@contextlib.contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread on a free local port; yields its base URL and
    stops the server on exit (a test fails when it does not start within 20 s)."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the review app did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
