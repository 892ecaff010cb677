"""Coded errors of the training loop (codes E052, E060-E064 in pipeline/errors.py)."""

from __future__ import annotations

from pipeline.errors import ERRORS, PipelineError


def training_error(code: str, detail: str) -> PipelineError:
    """A ``PipelineError`` whose message starts with the code's description."""
    return PipelineError(code, f"{ERRORS[code]}: {detail}")
