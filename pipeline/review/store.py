"""The corrections store: one embedded SQLite file holding every reviewer correction.

A correction never edits a record.  It names what it corrects by a stable id (the article's
``doc_id`` plus the element's id), keeps the value before and after, who made it, when and
with which pipeline version, and an *anchor* (the element's offsets and text when it was
corrected) so it can be checked against a later run.  Undo marks a correction as undone; rows
are never deleted, so the history stays complete.  All SQL is parameterised.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pipeline import __version__

STORE_SCHEMA_VERSION = "1"
DEFAULT_DB_NAME = "corrections.sqlite"

Kind = Literal["actor", "date", "agreement", "event", "entry", "alignment", "comment"]
Op = Literal["set", "add", "remove", "accept", "reject", "comment"]

# Which operations make sense for which kind of element.
ALLOWED_OPS: dict[str, frozenset[str]] = {
    "actor": frozenset({"set", "add", "remove"}),
    "date": frozenset({"set", "add", "remove"}),
    "agreement": frozenset({"set", "add", "remove"}),
    "event": frozenset({"set", "add", "remove"}),
    "entry": frozenset({"set"}),
    "alignment": frozenset({"accept", "reject"}),
    "comment": frozenset({"comment"}),
}

# Fields a "set" correction may change, per kind ("span" moves the element's offsets).
EDITABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "actor": ("type", "country", "canonical_id", "canonical_name", "role", "metonymy", "span"),
    "date": ("value", "mod", "granularity", "span"),
    "agreement": ("canonical_id", "canonical_name", "span"),
    "event": ("polarity", "modality", "source", "target", "is_main"),
    "entry": ("date", "date_end"),
}


class Anchor(BaseModel):
    """Where the corrected element was when the correction was made."""

    model_config = ConfigDict(extra="forbid")

    start: int = Field(description="Start offset of the element in the article text.")
    end: int = Field(description="End offset of the element in the article text.")
    text: str = Field(description="The element's text at that time.")
    # What stood around it then: the correction is found again by its quote and context
    # after the text around it was edited (the offsets are then only a hint).
    prefix: str = Field("", description="Up to 40 characters before the element.")
    suffix: str = Field("", description="Up to 40 characters after the element.")


class Correction(BaseModel):
    """One reviewer correction, as stored and as exported (one JSONL line)."""

    model_config = ConfigDict(extra="forbid")

    id: int | None = Field(None, description="Row id in the store (None before insertion).")
    uid: str = Field(default_factory=lambda: uuid.uuid4().hex, description="Globally unique id.")
    doc_id: str = Field(description="The article corrected.")
    kind: Kind = Field(description="What kind of element is corrected.")
    element_id: str = Field(
        description="Stable id of the element; for alignment '<event_id>><entry_id>'; "
        "for a comment the element commented on, or 'doc'."
    )
    op: Op = Field(description="set, add, remove, accept, reject or comment.")
    field: str | None = Field(None, description="The field a 'set' changes.")
    before: Any = Field(None, description="Value before the correction (JSON).")
    after: Any = Field(None, description="Value after the correction (JSON).")
    anchor: Anchor | None = Field(
        None, description="The element's offsets and text when corrected."
    )
    reviewer: str = Field(description="Who made the correction.")
    created_at: str = Field(description="When, ISO 8601 UTC.")
    pipeline_version: str = Field(description="Pipeline version of the records corrected.")
    undone_at: str | None = Field(None, description="When it was undone, if it was.")
    undone_by: str | None = Field(None, description="Who undid it.")


class StoreError(ValueError):
    """A correction that cannot be stored (unknown kind, op or field)."""


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def validate_shape(correction: Correction) -> None:
    """Reject corrections whose kind, op and field do not go together."""
    if correction.op not in ALLOWED_OPS[correction.kind]:
        raise StoreError(f"operation {correction.op!r} does not apply to a {correction.kind}")
    if correction.op == "set":
        allowed = EDITABLE_FIELDS[correction.kind]
        if correction.field not in allowed:
            raise StoreError(
                f"field {correction.field!r} of a {correction.kind} cannot be corrected "
                f"(allowed: {', '.join(allowed)})"
            )
    elif correction.field is not None:
        raise StoreError(f"operation {correction.op!r} takes no field")


_SCHEMA = """
CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    element_id TEXT NOT NULL,
    op TEXT NOT NULL,
    field TEXT,
    before TEXT,
    after TEXT,
    anchor TEXT,
    reviewer TEXT NOT NULL,
    created_at TEXT NOT NULL,
    pipeline_version TEXT NOT NULL,
    undone_at TEXT,
    undone_by TEXT
);
CREATE INDEX IF NOT EXISTS corrections_doc ON corrections (doc_id, id);
"""

_COLUMNS = (
    "id, uid, doc_id, kind, element_id, op, field, before, after, anchor, reviewer, "
    "created_at, pipeline_version, undone_at, undone_by"
)


def _row_to_correction(row: sqlite3.Row) -> Correction:
    return Correction(
        id=row["id"],
        uid=row["uid"],
        doc_id=row["doc_id"],
        kind=row["kind"],
        element_id=row["element_id"],
        op=row["op"],
        field=row["field"],
        before=json.loads(row["before"]) if row["before"] is not None else None,
        after=json.loads(row["after"]) if row["after"] is not None else None,
        anchor=Anchor.model_validate_json(row["anchor"]) if row["anchor"] else None,
        reviewer=row["reviewer"],
        created_at=row["created_at"],
        pipeline_version=row["pipeline_version"],
        undone_at=row["undone_at"],
        undone_by=row["undone_by"],
    )


class CorrectionStore:
    """Corrections in one SQLite file; a short-lived connection per call (thread-safe)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)
            db.execute(
                "INSERT OR IGNORE INTO store_meta (key, value) VALUES (?, ?)",
                ("schema_version", STORE_SCHEMA_VERSION),
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        try:
            with db:  # commits on success, rolls back on error
                yield db
        finally:
            db.close()

    def add(self, correction: Correction) -> Correction:
        """Store a correction and return it with its row id."""
        validate_shape(correction)
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO corrections (uid, doc_id, kind, element_id, op, field, before, after, "
                "anchor, reviewer, created_at, pipeline_version, undone_at, undone_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    correction.uid,
                    correction.doc_id,
                    correction.kind,
                    correction.element_id,
                    correction.op,
                    correction.field,
                    json.dumps(correction.before, ensure_ascii=False),
                    json.dumps(correction.after, ensure_ascii=False),
                    correction.anchor.model_dump_json() if correction.anchor else None,
                    correction.reviewer,
                    correction.created_at,
                    correction.pipeline_version,
                    correction.undone_at,
                    correction.undone_by,
                ),
            )
            row_id = cursor.lastrowid
        return correction.model_copy(update={"id": row_id})

    def record(
        self,
        *,
        doc_id: str,
        kind: Kind,
        element_id: str,
        op: Op,
        reviewer: str,
        field: str | None = None,
        before: Any = None,
        after: Any = None,
        anchor: Anchor | None = None,
        pipeline_version: str = __version__,
    ) -> Correction:
        """Build and store a correction made now."""
        return self.add(
            Correction(
                doc_id=doc_id,
                kind=kind,
                element_id=element_id,
                op=op,
                field=field,
                before=before,
                after=after,
                anchor=anchor,
                reviewer=reviewer,
                created_at=now_utc(),
                pipeline_version=pipeline_version,
            )
        )

    def get(self, correction_id: int) -> Correction | None:
        with self._connect() as db:
            row = db.execute(
                f"SELECT {_COLUMNS} FROM corrections WHERE id = ?", (correction_id,)
            ).fetchone()
        return _row_to_correction(row) if row else None

    def history(
        self, doc_id: str | None = None, *, include_undone: bool = True
    ) -> list[Correction]:
        """Corrections in the order they were made, for one article or all."""
        query = f"SELECT {_COLUMNS} FROM corrections"
        clauses: list[str] = []
        params: list[Any] = []
        if doc_id is not None:
            clauses.append("doc_id = ?")
            params.append(doc_id)
        if not include_undone:
            clauses.append("undone_at IS NULL")
        if clauses:
            query += " WHERE " + " AND ".join(clauses)
        query += " ORDER BY id"
        with self._connect() as db:
            rows = db.execute(query, params).fetchall()
        return [_row_to_correction(r) for r in rows]

    def active(self, doc_id: str | None = None) -> list[Correction]:
        """Corrections that have not been undone, oldest first."""
        return self.history(doc_id, include_undone=False)

    def undo(self, correction_id: int, reviewer: str) -> Correction | None:
        """Mark one correction as undone; None if it does not exist or was undone already."""
        with self._connect() as db:
            cursor = db.execute(
                "UPDATE corrections SET undone_at = ?, undone_by = ? "
                "WHERE id = ? AND undone_at IS NULL",
                (now_utc(), reviewer, correction_id),
            )
            changed = cursor.rowcount
        return self.get(correction_id) if changed else None

    def undo_last(self, doc_id: str, reviewer: str) -> Correction | None:
        """Undo the most recent active correction on an article."""
        with self._connect() as db:
            row = db.execute(
                "SELECT id FROM corrections WHERE doc_id = ? AND undone_at IS NULL "
                "ORDER BY id DESC LIMIT 1",
                (doc_id,),
            ).fetchone()
        return self.undo(int(row["id"]), reviewer) if row else None

    def has_uid(self, uid: str) -> bool:
        with self._connect() as db:
            row = db.execute("SELECT 1 FROM corrections WHERE uid = ?", (uid,)).fetchone()
        return row is not None

    def count(self) -> int:
        with self._connect() as db:
            return int(db.execute("SELECT COUNT(*) FROM corrections").fetchone()[0])
