"""The ``ccpipeline`` command line. The typer app is ``pipeline.cli.commands.app``; ``main`` loads it
with the garbage collector paused (importing it loads spaCy and every stage, see
``pipeline.gcpause``) and then runs it. ``from pipeline.cli import app`` still works.
"""

from __future__ import annotations

import gc
from typing import Any

from pipeline.gcpause import paused_gc


def load_app() -> Any:
    """The typer app, imported with the collector paused."""
    with paused_gc():
        from pipeline.cli.commands import app
    return app


def main() -> None:
    app = load_app()
    # What was just imported lives as long as the process: no collection need walk it again.
    gc.freeze()
    app()


def __getattr__(name: str) -> Any:
    if name == "app":
        return load_app()
    raise AttributeError(f"module 'pipeline.cli' has no attribute {name!r}")
