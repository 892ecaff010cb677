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


def test_scoring_every_document_at_once_gives_each_documents_match() -> None:
    """``match_all`` (from the postings) equals ``match`` document by document: the same
    score to the last bit and the same contributions in the same order."""
    docs = ["Pompeo and Kang hold a telephone call on GSOMIA", "Abe meets Moon in Bangkok",
            "Kang and Motegi talk by telephone; Kang calls again", "", "GSOMIA GSOMIA extended"]
    index = BM25Index(docs)
    for query in (weighted_query([("Kang called Pompeo about GSOMIA by telephone", 1.0),
                                  ("Moon and Abe met in Bangkok", 0.5)]), {}, {"absent": 1.0}):
        together = index.match_all(query)
        assert len(together) == len(docs)
        for i, found in enumerate(together):
            alone = index.match(query, i)
            assert found.score == alone.score
            assert list(found.contributions.items()) == list(alone.contributions.items())
    assert index.match_all({"kang": 1.0})[2].score > index.match_all({"kang": 1.0})[0].score > 0


def test_terms_of_a_text_with_other_letters_read_word_by_word() -> None:
    """ASCII texts are lower-cased whole; others word by word. "K" (the Kelvin sign) lower-
    cases to an ASCII "k", which the pattern must not then join to a word."""
    assert terms("Kim's visit to Pyeongchang") == ["kim", "visit", "pyeongchang"]
    assert terms("Moon Jae-in in Séoul") == ["moon", "jae", "oul"]
    assert terms("\u212aang met Kim") == ["ang", "met", "kim"]
    assert terms("Kang met Kim") == ["kang", "met", "kim"]
