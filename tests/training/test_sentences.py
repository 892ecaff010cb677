"""The polarity sentence set: valid, distinct, balanced, with a fixed test split."""

from __future__ import annotations

from collections import Counter

from pipeline.training.sentences import (
    SENTENCES_DIR,
    SPLIT_GENERATIONS,
    expected_test_split,
    read_batch,
    read_sentences,
    read_test_split,
    sentence_key,
    split,
)


def test_every_sentence_is_valid_and_distinct() -> None:
    rows = read_sentences()
    assert len(rows) >= 3000
    assert len({sentence_key(r.text) for r in rows}) == len(rows)


def test_labels_styles_and_hard_cases_are_spread() -> None:
    rows = read_sentences()
    labels = Counter(r.label for r in rows)
    assert max(labels.values()) - min(labels.values()) <= 0.05 * len(rows)
    assert min(Counter(r.style for r in rows).values()) >= 0.25 * len(rows)
    assert sum(r.hard_case != "none" for r in rows) >= 0.35 * len(rows)
    assert len({r.dyad for r in rows}) >= 12
    assert {r.year for r in rows} >= set(range(1999, 2026))


def test_the_committed_test_split_is_the_stratified_choice_and_disjoint() -> None:
    rows = read_sentences()
    committed = read_test_split()
    assert committed == expected_test_split()
    # Every generation of batches gives its own share, chosen among its own rows.
    for generation in SPLIT_GENERATIONS:
        keys = {sentence_key(r.text) for b in generation for r in read_batch(SENTENCES_DIR / f"batch-{b}.jsonl")}
        assert 0.12 <= len(keys & committed) / len(keys) <= 0.18
    train, test = split(rows)
    assert len(test) == len(committed) and len(train) + len(test) == len(rows)
    assert not {sentence_key(r.text) for r in train} & committed
    assert min(Counter(r.label for r in test).values()) >= 120
