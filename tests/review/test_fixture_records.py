"""The checked-in fixture records are valid and match what the builder makes."""

from __future__ import annotations

from pathlib import Path

from pipeline.review.loader import load_articles, load_chronology
from tests.review.fixture_records import FIXTURE_DIR, write_fixture_dir


def test_checked_in_fixtures_match_the_builder(tmp_path: Path) -> None:
    fresh = write_fixture_dir(tmp_path)
    for name in ("articles.jsonl", "chronology.jsonl"):
        assert (FIXTURE_DIR / name).read_text(encoding="utf-8") == (fresh / name).read_text(encoding="utf-8")
    articles = load_articles(FIXTURE_DIR)
    assert len(articles) == 2 and len(load_chronology(FIXTURE_DIR)) == 4
    for article in articles.values():
        for group in (article.actors, article.dates, article.agreements, article.events):
            for item in group:
                assert article.text[item.start : item.end] == item.text
