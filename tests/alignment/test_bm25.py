"""The BM25 index over entry texts."""

from __future__ import annotations

import math

from pipeline.alignment.bm25 import BM25Index, stem, terms, weighted_query


def test_terms_drop_function_words_and_titles_and_stem() -> None:
    assert terms("The Minister visited Seoul for talks") == ["visit", "seoul", "talk"]
    assert terms("Kang Kyung-wha") == ["kang", "kyung", "wha"]


def test_stem_keeps_short_words() -> None:
    assert stem("calls") == "call"
    assert stem("has") == "has"


def test_rare_term_outscores_common_term() -> None:
    index = BM25Index(["leaders meet", "leaders meet again", "physicians visit leaders"])
    rare = index.match({"physician": 1.0}, 2).score
    common = index.match({"leader": 1.0}, 2).score
    assert rare > common > 0


def test_idf_is_never_negative() -> None:
    index = BM25Index(["gsomia gsomia", "gsomia", "gsomia talk"])
    assert index.idf["gsomia"] > 0
    assert math.isclose(index.idf["gsomia"], math.log(1 + 0.5 / 3.5))


def test_contributions_name_the_matched_terms() -> None:
    index = BM25Index(["pompeo and kang hold a telephone call", "abe meets moon"])
    match = index.match(weighted_query([("Pompeo called Kang by telephone", 1.0)]), 0)
    assert set(match.contributions) == {"pompeo", "kang", "telephone", "call"}
    assert len(match.top_terms(2)) == 2
    assert index.match(weighted_query([("Pompeo", 1.0)]), 1).score == 0


def test_weighted_query_keeps_the_highest_weight() -> None:
    query = weighted_query([("deadline talks", 0.5), ("talks", 1.0)])
    assert query == {"deadline": 0.5, "talk": 1.0}
