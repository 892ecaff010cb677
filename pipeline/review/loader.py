"""Read a records folder (``articles.jsonl``, ``chronology.jsonl``) into validated models."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from pipeline.errors import ERRORS, PipelineError
from pipeline.records import ArticleRecord, ChronologyRecord

ARTICLES_FILE = "articles.jsonl"
CHRONOLOGY_FILE = "chronology.jsonl"

def review_error(code: str, detail: str) -> PipelineError:
    return PipelineError(code, f"{ERRORS[code]}: {detail}")


def _read_jsonl(path: Path, model: type[ArticleRecord] | type[ChronologyRecord]) -> list:
    out = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                out.append(model.model_validate(json.loads(line)))
            except (json.JSONDecodeError, ValidationError) as exc:
                first = str(exc).splitlines()[0]
                raise review_error("E051", f"{path}, line {number}: {first}") from exc
    return out


def load_articles(records_dir: Path) -> dict[str, ArticleRecord]:
    """Article records by doc_id, in file order."""
    path = Path(records_dir) / ARTICLES_FILE
    if not path.is_file():
        raise review_error("E050", str(records_dir))
    return {a.doc_id: a for a in _read_jsonl(path, ArticleRecord)}


def load_chronology(records_dir: Path) -> list[ChronologyRecord]:
    """Chronology records, if the file is there (the review derives them from the articles)."""
    path = Path(records_dir) / CHRONOLOGY_FILE
    return _read_jsonl(path, ChronologyRecord) if path.is_file() else []
