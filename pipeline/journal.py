"""Durable progress of an annotate run, and what ``--resume`` may reuse.

While a run works, each finished article is appended to ``<out>/.ccpipeline.journal.jsonl``
(its article record and chronology lines, flushed and fsynced), so a crash, a kill -9 or a
power cut loses at most the article being processed. The journal is removed when the run's
outputs are committed. ``annotate --resume`` reuses an article's lines, from the journal of
an interrupted run or from the folder's committed outputs, only when they were made from the
same input bytes (``source.sha256``) by the same pipeline (``provenance``: package version,
model, config and data hashes); everything else is annotated again. Because the pipeline is
deterministic, the outputs are then byte-identical to an uninterrupted run's.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

JOURNAL_FILE = ".ccpipeline.journal.jsonl"


@dataclass(frozen=True)
class Done:
    """One finished article: its record line and its chronology lines, as written."""

    doc_id: str
    sha256: str
    provenance: dict[str, Any] | None
    article_line: str
    chronology_lines: tuple[str, ...]


class Journal:
    """Append-only, fsynced per article."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / JOURNAL_FILE
        self.handle: IO[str] | None = None

    def open(self) -> None:
        self.handle = self.path.open("w", encoding="utf-8", newline="\n")

    def add(self, article_line: str, chronology_lines: list[str]) -> None:
        assert self.handle is not None
        self.handle.write(json.dumps({"article": article_line, "chronology": chronology_lines}, ensure_ascii=False) + "\n")
        self.handle.flush()
        os.fsync(self.handle.fileno())

    def close(self, remove: bool) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        if remove:
            self.path.unlink(missing_ok=True)


def _done(article_line: str, chronology_lines: list[str]) -> Done | None:
    try:
        record = json.loads(article_line)
        return Done(
            doc_id=str(record["doc_id"]),
            sha256=str(record["source"]["sha256"]),
            provenance=record.get("provenance"),
            article_line=article_line,
            chronology_lines=tuple(chronology_lines),
        )
    except (ValueError, KeyError, TypeError):
        return None


def finished_articles(out_dir: Path, articles_file: str, chronology_file: str) -> dict[str, Done]:
    """What an earlier run finished: the committed outputs, then an interrupted run's journal
    (a later journal entry wins; a line cut off by a kill is ignored)."""
    done: dict[str, Done] = {}
    articles = out_dir / articles_file
    if articles.is_file():
        by_doc: dict[str, list[str]] = {}
        chronology = out_dir / chronology_file
        if chronology.is_file():
            for line in chronology.read_text(encoding="utf-8").splitlines():
                try:
                    by_doc.setdefault(str(json.loads(line)["doc_id"]), []).append(line)
                except (ValueError, KeyError, TypeError):
                    continue
        for line in articles.read_text(encoding="utf-8").splitlines():
            item = _done(line, [])
            if item is not None:
                done[item.doc_id] = Done(item.doc_id, item.sha256, item.provenance, line, tuple(by_doc.get(item.doc_id, [])))
    journal = out_dir / JOURNAL_FILE
    if journal.is_file():
        for line in journal.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
                item = _done(str(entry["article"]), [str(x) for x in entry["chronology"]])
            except (ValueError, KeyError, TypeError):
                continue  # the line a kill cut short
            if item is not None:
                done[item.doc_id] = item
    return done
