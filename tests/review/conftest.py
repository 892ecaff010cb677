"""Fixtures for the review tool: a records folder of invented articles and a store."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.records import ArticleRecord
from pipeline.review.store import CorrectionStore
from tests.review.fixture_records import hostile_article, main_article, write_fixture_dir


@pytest.fixture
def article() -> ArticleRecord:
    return main_article()


@pytest.fixture
def records_dir(tmp_path: Path) -> Path:
    return write_fixture_dir(tmp_path / "records")


@pytest.fixture
def articles() -> dict[str, ArticleRecord]:
    return {a.doc_id: a for a in (main_article(), hostile_article())}


@pytest.fixture
def store(tmp_path: Path) -> CorrectionStore:
    return CorrectionStore(tmp_path / "corrections.sqlite")
