"""One reader for the project's rule data: JSONL files, one validated entry per line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from pipeline.errors import PipelineError

EntryT = TypeVar("EntryT", bound=BaseModel)


def describe_validation_error(error: ValidationError) -> str:
    """``field 'offices.0.start': <message>`` for the first problem pydantic found."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(entry)"
    return f"field {where!r}: {first['msg']}"


def read_entries(lines: Iterable[str], source: str, model: type[EntryT]) -> Iterator[tuple[int, EntryT]]:
    """Yield ``(line number, entry)``; blank lines and ``//`` comments are passed over.

    A bad line raises ``E040`` naming the source, the line and the field, so a user who
    extends a registry can find the mistake without reading code.
    """
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text or text.startswith("//"):
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PipelineError("E040", f"{source}, line {number}: not valid JSON ({exc.msg})") from exc
        if not isinstance(data, dict):
            raise PipelineError("E040", f"{source}, line {number}: an entry must be a JSON object")
        try:
            yield number, model.model_validate(data)
        except ValidationError as exc:
            raise PipelineError("E040", f"{source}, line {number}, {describe_validation_error(exc)}") from exc


def read_rule_lines(path: Path | str) -> list[str]:
    """The lines of a user's rule file; an unreadable file raises ``E040`` naming it."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise PipelineError("E040", f"{path}: cannot be read ({exc})") from exc
