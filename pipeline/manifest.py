"""The manifest an annotate run writes last: which output files belong together.

The outputs are renamed into place one after the other; ``manifest.json`` is written after
the last of them, naming each file's sha256 and line count and the pipeline that made them
(``provenance``). A reader that finds a file not matching the manifest has caught a run in
the middle of committing, or outputs from two runs mixed: ``verify`` says which
(``ccpipeline diff`` refuses such a folder with ``E091``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pipeline import SCHEMA_VERSION

MANIFEST_FILE = "manifest.json"


def manifest_text(files: dict[str, dict[str, Any]], provenance: dict[str, Any] | None) -> str:
    return json.dumps(
        {"schema_version": SCHEMA_VERSION, "provenance": provenance, "files": files},
        indent=1, sort_keys=True, ensure_ascii=False,
    ) + "\n"


def verify(out_dir: Path) -> list[str]:
    """Problems found: files that do not match the folder's manifest (none without one)."""
    path = Path(out_dir) / MANIFEST_FILE
    if not path.is_file():
        return []
    try:
        files = json.loads(path.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [f"{path} cannot be read ({exc})"]
    problems = []
    for name, expected in sorted(files.items()):
        target = Path(out_dir) / name
        if not target.is_file():
            problems.append(f"{name} is missing")
            continue
        if hashlib.sha256(target.read_bytes()).hexdigest() != expected.get("sha256"):
            problems.append(f"{name} is not the file the last run wrote")
    return problems
