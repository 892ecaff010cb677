"""The held-out article (us-china-2023-3) and its hand-made gold files are consistent.

Offsets must point at the annotated text, every field must pass the scoring models, and every
chronology reference must name an entry the segmenter finds in the article.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pipeline.evaluation.actors import GoldActor
from pipeline.evaluation.actors import read_gold as read_actor_gold
from pipeline.evaluation.alignment import read_gold as read_alignment_gold
from pipeline.evaluation.dates import read_gold as read_date_gold
from pipeline.registry.actors import load_registry
from pipeline.segment import ArticleStructure, segment_article
from tests.conftest import CORPUS_DIR

NAME = "us-china-2023-3"
ARTICLE = CORPUS_DIR / "articles" / f"{NAME}.txt"
GOLD_DIR = CORPUS_DIR / "gold"
ACTORS = GOLD_DIR / f"{NAME}.actors.jsonl"
DATES = GOLD_DIR / f"{NAME}.dates.jsonl"
POLARITY = GOLD_DIR / f"{NAME}.chronology_polarity.jsonl"
ALIGNMENT = GOLD_DIR / f"{NAME}.alignment.jsonl"

ACTOR_TYPES = {"PERSON", "STATE", "ORG", "GROUP"}
POLARITIES = {"escalatory", "de-escalatory", "neutral"}
TIMEX = re.compile(
    r"^(?:\d{4}(?:-\d{2}(?:-\d{2})?|-(?:SP|SU|FA|WI)|-W\d{2}|-Q[1-4]|-H[12])?|\d{2,3})$"
)
POLARITY_KEYS = {
    "article", "entry_index", "entry_date", "order_on_date", "start", "end", "polarity",
    "main_trigger", "note",
}  # fmt: skip


@pytest.fixture(scope="module")
def text() -> str:
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def structure(text: str) -> ArticleStructure:
    return segment_article(text)


@pytest.fixture(scope="module")
def polarity_rows() -> list[dict[str, Any]]:
    lines = POLARITY.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _no_overlaps(spans: list[tuple[int, int]]) -> None:
    ordered = sorted(spans)
    for (s1, e1), (s2, e2) in zip(ordered, ordered[1:], strict=False):
        assert e1 <= s2, f"spans overlap: {(s1, e1)} and {(s2, e2)}"


def _front_matter_end(structure: ArticleStructure) -> int:
    return min(s.start for s in structure.sections if s.kind != "front_matter")


def test_article_has_the_journal_layout(text: str, structure: ArticleStructure) -> None:
    meta = structure.metadata
    assert meta["period"] == {"start": "2023-09", "end": "2023-12"}
    assert meta["published"] == "2024-01"
    assert len(meta["authors"]) == 2
    kinds = Counter(s.kind for s in structure.sections)
    assert kinds["narrative"] >= 4 and kinds["caption"] == 1 and kinds["chronology"] == 1
    assert 20 <= len(structure.entries) <= 25
    dates = Counter(e.date for e in structure.entries)
    assert max(dates.values()) == 2, "two entries share one date"
    assert any(e.date_end and e.date_end != e.date for e in structure.entries), "a range entry"
    assert text.rstrip("\n").count("\n") > 50


def test_actor_gold_offsets_and_fields(text: str, structure: ArticleStructure) -> None:
    gold = read_actor_gold(ACTORS)
    assert len(gold) > 100
    registry = load_registry()
    body_start = _front_matter_end(structure)
    for g in gold:
        assert text[g.start : g.end] == g.text, g
        assert g.start >= body_start, f"front matter is not annotated: {g}"
        assert g.type in ACTOR_TYPES, g
        assert g.country is None or re.fullmatch(r"[A-Z]{3}", g.country), g
        if g.canonical_id is not None:
            entry = registry.entries.get(g.canonical_id)
            assert entry is not None, f"unknown registry id: {g}"
            assert entry.type == g.type and entry.country == g.country, g
    _no_overlaps([(g.start, g.end) for g in gold])


def test_actor_gold_keeps_titles_out_of_spans(text: str) -> None:
    titles = ("President ", "Secretary ", "Minister ", "Gen. ", "Premier ", "the ")
    for g in read_actor_gold(ACTORS):
        assert not g.text.startswith(titles), g
        assert g.text == g.text.strip() and not g.text.endswith(("’s", "'s")), g


def test_actor_gold_joins_mentions_of_one_person() -> None:
    by_id: dict[str, set[str]] = {}
    for g in read_actor_gold(ACTORS):
        if g.canonical_id:
            by_id.setdefault(g.canonical_id, set()).add(g.text)
    assert by_id["xi-jinping"] == {"Xi", "Xi Jinping"}
    assert by_id["CHN"] >= {"China", "Beijing"}


def test_actor_gold_model_rejects_unknown_fields() -> None:
    with pytest.raises(ValueError):
        GoldActor.model_validate(
            {"start": 0, "end": 2, "text": "US", "type": "STATE", "metonymy": True}
        )


def test_date_gold_offsets_and_values(text: str) -> None:
    gold = read_date_gold(DATES)
    assert len(gold) > 60
    for g in gold:
        assert text[g.start : g.end] == g.text, g
        assert g.value is not None and TIMEX.match(g.value), g
    _no_overlaps([(g.start, g.end) for g in gold])


def test_date_gold_has_every_entry_header(structure: ArticleStructure) -> None:
    gold = {g.start: g for g in read_date_gold(DATES)}
    for entry in structure.entries:
        header = gold.get(entry.start)
        assert header is not None, f"no gold for the header of {entry.id}"
        assert header.value == entry.date, entry


def test_date_gold_covers_the_kinds_the_brief_asks_for() -> None:
    gold = read_date_gold(DATES)
    mods = Counter(g.mod for g in gold)
    assert mods["START"] and mods["MID"] and mods["END"]
    assert any(re.search(r"-(SP|SU|FA|WI)$", g.value or "") for g in gold)
    relative = [g for g in gold if re.search(r"(next|following|same) day|later|earlier", g.text)]
    assert len(relative) >= 5


def test_polarity_gold_matches_the_entries(
    text: str, structure: ArticleStructure, polarity_rows: list[dict[str, Any]]
) -> None:
    entries = structure.entries
    assert len(polarity_rows) == len(entries)
    seen: Counter[str] = Counter()
    for row, entry in zip(polarity_rows, entries, strict=True):
        assert set(row) == POLARITY_KEYS, row
        assert row["article"] == NAME
        assert row["entry_index"] == int(entry.id.removeprefix("chr-"))
        assert (row["start"], row["end"]) == (entry.start, entry.end)
        assert row["entry_date"] == entry.date
        seen[row["entry_date"]] += 1
        assert row["order_on_date"] == seen[row["entry_date"]]
        assert row["polarity"] in POLARITIES
        trigger = row["main_trigger"]
        assert text[trigger["start"] : trigger["end"]] == trigger["text"]
        assert entry.text_start <= trigger["start"] < trigger["end"] <= entry.end


def test_polarity_gold_uses_all_three_labels(polarity_rows: list[dict[str, Any]]) -> None:
    assert {row["polarity"] for row in polarity_rows} == POLARITIES


def test_alignment_gold_points_at_narrative_and_real_entries(
    text: str, structure: ArticleStructure
) -> None:
    gold = read_alignment_gold(ALIGNMENT)
    entries = {e.id: e for e in structure.entries}
    prose = [(s.start, s.end) for s in structure.sections if s.kind in ("narrative", "caption")]
    for link in gold:
        entry = entries.get(link.entry_id)
        assert entry is not None, link
        assert link.entry_date == entry.date, link
        assert any(s <= link.passage_start < link.passage_end <= e for s, e in prose), link
        passage = text[link.passage_start : link.passage_end]
        assert passage == passage.strip() and passage, link
    linked = {link.entry_id for link in gold}
    assert len(linked) >= 15
    # Narrative events with no entry are normal: the B-52 intercept is one on purpose.
    intercept = text.index("Two days later, a Chinese J-11")
    assert not any(g.passage_start <= intercept < g.passage_end for g in gold)


def test_gold_files_are_plain_jsonl() -> None:
    for path in (ACTORS, DATES, POLARITY, ALIGNMENT):
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        assert lines and all(json.loads(line) for line in lines), path
