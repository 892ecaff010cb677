"""The models folder: saved pipelines, their training records, and which one is the default.

``<models>/default.json`` is ``{"default": "<folder name>", "set_at": ..., "macro_f1": ...}``.
A model reference is a folder path, a folder name inside the models folder, the word
``packaged`` (the English model with the packaged ``pipeline.cfg``), or a spaCy package name.
A folder holding only a polarity textcat (like ``pipeline/data/polarity-v2``) stands for the
packaged pipeline with that classifier in ``combined`` mode.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from confection import Config
from spacy.language import Language

from pipeline.nlp import build_pipeline
from pipeline.training.errors import training_error

DEFAULT_MODELS_DIR = Path("models")
DEFAULT_FILE = "default.json"
TRAINING_FILE = "training.json"
PACKAGED = "packaged"
EVENTS_PIPE = "dipl_events"


def read_default(models_dir: Path) -> str | None:
    """The default model's folder name, or None when no default is recorded."""
    path = Path(models_dir) / DEFAULT_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise training_error("E062", f"{path}: {exc}") from exc
    name = data.get("default") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name:
        raise training_error("E062", f"{path} has no 'default' name")
    return name


def write_default(models_dir: Path, name: str, **info: Any) -> Path:
    """Record ``name`` as the default (written to a temporary file, then renamed)."""
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    payload = {"default": name, "set_at": datetime.now(UTC).isoformat(timespec="seconds"), **info}
    fd, tmp = tempfile.mkstemp(dir=models_dir, prefix=".default.", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(payload, indent=2) + "\n")
    target = models_dir / DEFAULT_FILE
    os.replace(tmp, target)
    return target


def default_model_path(models_dir: Path) -> Path | None:
    """The default model's folder, when ``models_dir/default.json`` exists."""
    name = read_default(models_dir)
    if name is None:
        return None
    path = Path(models_dir) / name
    if not path.is_dir():
        raise training_error("E062", f"the default model {path} does not exist")
    return path


def resolve_reference(ref: str | Path, models_dir: Path) -> Path | str:
    """A folder for a path or a name in ``models_dir``; otherwise the reference unchanged."""
    text = str(ref)
    if text == PACKAGED:
        return PACKAGED
    direct = Path(text)
    if direct.is_dir():
        return direct
    inside = Path(models_dir) / text
    if inside.is_dir():
        return inside
    return text


@dataclass(frozen=True)
class ModelKind:
    kind: str  # "pipeline" | "classifier" | "packaged" | "package"
    path: Path | None


def model_kind(ref: Path | str) -> ModelKind:
    if ref == PACKAGED:
        return ModelKind("packaged", None)
    if not isinstance(ref, Path):
        return ModelKind("package", None)
    config_file = ref / "config.cfg"
    if not config_file.is_file():
        raise training_error("E062", f"{ref} holds no config.cfg: not a saved spaCy pipeline")
    try:
        names = list(Config().from_disk(config_file, interpolate=False)["nlp"]["pipeline"])
    except (OSError, KeyError, ValueError) as exc:
        raise training_error("E062", f"{config_file}: {exc}") from exc
    if EVENTS_PIPE in names:
        return ModelKind("pipeline", ref)
    if names == ["textcat"]:
        return ModelKind("classifier", ref)
    raise training_error("E062", f"{ref} is neither a full pipeline nor a polarity textcat")


def with_classifier(
    nlp: Language, classifier_path: Path, mode: str, classifier_weight: float
) -> Language:
    """Replace ``dipl_events`` by one using ``classifier_path``; the cue lexicon in use and
    what the stage learnt (modality markers, main-event preferences) are kept."""
    old: Any = nlp.get_pipe(EVENTS_PIPE)
    lexicon, learnt = old.lexicon, old.learnt
    config = dict(nlp.get_pipe_config(EVENTS_PIPE))
    config.pop("factory", None)
    config.update(
        {"mode": mode, "classifier_path": str(classifier_path), "classifier_weight": classifier_weight}
    )
    new: Any = nlp.replace_pipe(EVENTS_PIPE, EVENTS_PIPE, config=config)
    new._lexicon = lexicon  # a saved parent's lexicon is not re-read from the config paths
    new.learnt = learnt
    return nlp


def load_pipeline(ref: str | Path, models_dir: Path = DEFAULT_MODELS_DIR) -> Language:
    """A runnable pipeline for any model reference (see the module doc)."""
    resolved = resolve_reference(ref, models_dir)
    kind = model_kind(resolved)
    if kind.kind == "packaged":
        return build_pipeline()
    if kind.kind == "classifier":
        assert kind.path is not None
        return with_classifier(build_pipeline(), kind.path, "combined", 0.5)
    return build_pipeline(str(resolved))


def read_training_record(path: Path) -> dict[str, Any] | None:
    file = Path(path) / TRAINING_FILE
    if not file.is_file():
        return None
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise training_error("E062", f"{file}: {exc}") from exc
    return data if isinstance(data, dict) else None
