"""The SQLite corrections store: insert, history, undo, shape checks, parameterised SQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pipeline import __version__
from pipeline.review.store import Anchor, CorrectionStore, StoreError


def _polarity(store: CorrectionStore, doc_id: str = "doc-a", after: str = "neutral"):
    return store.record(
        doc_id=doc_id,
        kind="event",
        element_id="evt-1-9",
        op="set",
        field="polarity",
        before="escalatory",
        after=after,
        anchor=Anchor(start=1, end=9, text="protests"),
        reviewer="ana",
    )


def test_store_insert_keeps_every_field(store: CorrectionStore) -> None:
    made = _polarity(store)
    assert made.id is not None
    got = store.get(made.id)
    assert got is not None
    assert (got.doc_id, got.element_id, got.field, got.before, got.after) == (
        "doc-a",
        "evt-1-9",
        "polarity",
        "escalatory",
        "neutral",
    )
    assert got.reviewer == "ana" and got.pipeline_version == __version__
    assert got.anchor == Anchor(start=1, end=9, text="protests")
    assert got.created_at.endswith("+00:00") and got.undone_at is None


def test_store_history_is_in_order_and_per_article(store: CorrectionStore) -> None:
    first = _polarity(store, after="neutral")
    second = _polarity(store, after="de-escalatory")
    _polarity(store, doc_id="doc-b")
    assert [c.id for c in store.history("doc-a")] == [first.id, second.id]
    assert len(store.history()) == 3
    assert store.count() == 3


def test_store_undo_marks_but_keeps_the_row(store: CorrectionStore) -> None:
    made = _polarity(store)
    assert made.id is not None
    undone = store.undo(made.id, "ben")
    assert undone is not None and undone.undone_by == "ben" and undone.undone_at
    assert store.active("doc-a") == []
    assert [c.id for c in store.history("doc-a")] == [made.id]
    assert store.undo(made.id, "ben") is None  # already undone


def test_store_undo_last_takes_the_latest_active(store: CorrectionStore) -> None:
    first = _polarity(store, after="neutral")
    second = _polarity(store, after="de-escalatory")
    assert store.undo_last("doc-a", "ana").id == second.id  # type: ignore[union-attr]
    assert [c.id for c in store.active("doc-a")] == [first.id]
    assert store.undo_last("doc-a", "ana").id == first.id  # type: ignore[union-attr]
    assert store.undo_last("doc-a", "ana") is None


def test_store_rejects_a_field_that_cannot_be_corrected(store: CorrectionStore) -> None:
    with pytest.raises(StoreError, match="cannot be corrected"):
        store.record(
            doc_id="d",
            kind="event",
            element_id="e",
            op="set",
            field="confidence",
            after=1.0,
            reviewer="ana",
        )
    with pytest.raises(StoreError, match="does not apply"):
        store.record(doc_id="d", kind="event", element_id="e", op="accept", reviewer="ana")


def test_store_sql_is_parameterised(tmp_path: Path) -> None:
    store = CorrectionStore(tmp_path / "c.sqlite")
    hostile = "x'); DROP TABLE corrections; --"
    _polarity(store, doc_id=hostile)
    assert [c.doc_id for c in store.history(hostile)] == [hostile]
    with sqlite3.connect(tmp_path / "c.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM corrections").fetchone()[0] == 1


def test_store_persists_across_instances(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "c.sqlite"
    made = _polarity(CorrectionStore(path))
    again = CorrectionStore(path)
    assert [c.uid for c in again.history()] == [made.uid]
