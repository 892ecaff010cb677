"""What made a record: the pipeline version, the model and a hash of everything it ran with.

``pipeline_provenance(nlp)`` is computed once per run and written into every article record,
so an output can be traced to the exact stages, data and trained classifier that produced it:

- ``model``: the pipeline's name (a trained model's folder name, else the English model's);
- ``base_model``: the statistical English model and its version;
- ``config_sha256``: the hash of the spaCy config (the stages, their order and settings);
- ``model_sha256``: the hash of the data every project stage saves with the pipeline (actor
  and agreement registries, date settings, cue lexicon, polarity classifier weights), taken
  from their own ``to_disk`` output, so two runs with the same hash used the same data.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

from spacy.language import Language

from pipeline import __version__

PROJECT_STAGE_PREFIX = "dipl_"


def _counts(path: Path, folder: Path) -> bool:
    """A spaCy vocab's string store grows with every text read (it interns new words); it
    is not model content, so it is left out of the hash."""
    parts = path.relative_to(folder).parts
    return not (len(parts) >= 2 and parts[-2] == "vocab" and parts[-1] == "strings.json")


def _hash_folder(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and _counts(p, folder)):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def pipeline_provenance(nlp: Language) -> dict[str, Any]:
    """The provenance block for records made by ``nlp`` (see the module doc)."""
    meta = nlp.meta
    with tempfile.TemporaryDirectory(prefix="ccpipeline-provenance-") as tmp:
        root = Path(tmp)
        for name, component in nlp.pipeline:
            if name.startswith(PROJECT_STAGE_PREFIX) and hasattr(component, "to_disk"):
                component.to_disk(root / name)
        model_sha = _hash_folder(root)
    base = meta.get("ccpipeline_base_model")
    return {
        "pipeline_version": __version__,
        "model": str(meta.get("name") or base or "unnamed"),
        "base_model": f"{base} {meta.get('version', '')}".strip() if base else None,
        "config_sha256": hashlib.sha256(nlp.config.to_str().encode("utf-8")).hexdigest(),
        "model_sha256": model_sha,
    }
