"""The indexed attribute-ruler matcher finds exactly the matches of spaCy's Matcher."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.ruler_index import IndexedRulerMatch, UnsupportedPattern, index_attribute_rulers

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "articles"


def _ruler_with(patterns: list[dict]) -> tuple[Language, object]:  # type: ignore[type-arg]
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)
    return nlp, ruler


def _doc(nlp: Language, words: list[str], tags: list[str], deps: list[str]) -> Doc:
    spaces = [w != "\n" for w in words]
    return Doc(nlp.vocab, words=words, spaces=spaces, tags=tags, deps=deps, heads=list(range(len(words))))


def test_model_ruler_matches_equal_spacy_on_seed_and_corpus(base_nlp: Language, seed_text: str) -> None:
    ruler = base_nlp.get_pipe("attribute_ruler")
    fast = IndexedRulerMatch(ruler)
    texts = [seed_text] + [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    docs = list(base_nlp.pipe(texts, disable=["attribute_ruler", "lemmatizer", "ner"]))
    assert sum(len(d) for d in docs) > 5_000
    for doc in docs:
        assert fast(doc) == sorted(set(ruler.match(doc)))


def test_index_decides_in_not_in_regex_flags_and_two_token_patterns_like_spacy() -> None:
    nlp, ruler = _ruler_with([
        {"patterns": [[{"TAG": "DT"}]], "attrs": {"POS": "DET"}},
        {"patterns": [[{"LOWER": {"IN": ["do", "does"]}, "DEP": {"IN": ["ROOT", "conj"]}}]], "attrs": {"POS": "VERB"}},
        {"patterns": [[{"TAG": {"NOT_IN": ["TO", ""]}, "DEP": {"IN": ["aux"]}}]], "attrs": {"POS": "AUX"}},
        {"patterns": [[{"LOWER": {"REGEX": "^n'?t$"}}]], "attrs": {"LEMMA": "not"}},
        {"patterns": [[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], "attrs": {"LEMMA": "you"}},
        {"patterns": [[{"LOWER": "kim"}, {"TAG": "NNP"}]], "attrs": {"POS": "PROPN"}, "index": -1},
        {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE"}},
        {"patterns": [[{"TAG": "DT", "LOWER": "the"}]], "attrs": {"MORPH": "Definite=Def"}},
    ])
    fast = IndexedRulerMatch(ruler)
    words = ["The", "leaders", "do", "n't", "meet", ";", "y'", "all", "do", "\n", "Kim", "Jong", "did", "the", "TO", "not"]
    tags = ["DT", "NNS", "VBP", "RB", "VB", ":", "PRP", "DT", "VBP", "_SP", "NNP", "NNP", "VBD", "DT", "TO", "RB"]
    deps = ["det", "nsubj", "aux", "neg", "ROOT", "punct", "nsubj", "appos", "conj", "dep", "nsubj", "flat", "aux", "det", "aux", "neg"]
    doc = _doc(nlp, words, tags, deps)
    expected = sorted(set(ruler.match(doc)))
    assert fast(doc) == expected
    matched = {(int(nlp.vocab.strings[m]), s, e) for _, m, s, e in expected}
    assert (3, 3, 4) in matched and (3, 15, 16) not in matched  # "n't" by the regex; "nt" is not
    assert (4, 6, 8) in matched and (5, 10, 12) in matched  # the two-token patterns
    assert (2, 2, 3) in matched and (2, 14, 15) not in matched  # aux, but not TO


def test_unsupported_pattern_keeps_spacys_matcher() -> None:
    nlp, ruler = _ruler_with([{"patterns": [[{"LOWER": "very", "OP": "+"}]], "attrs": {"POS": "ADV"}}])
    with pytest.raises(UnsupportedPattern):
        IndexedRulerMatch(ruler)
    assert index_attribute_rulers(nlp) == []


def test_indexed_ruler_sets_the_same_attributes_and_follows_new_patterns() -> None:
    nlp, ruler = _ruler_with([{"patterns": [[{"TAG": "DT"}]], "attrs": {"POS": "DET", "MORPH": "PronType=Art"}}])
    words, tags, deps = ["the", "summit"], ["DT", "NN"], ["det", "ROOT"]
    assert index_attribute_rulers(nlp) == ["attribute_ruler"]
    doc = ruler(_doc(nlp, words, tags, deps))
    assert doc[0].pos_ == "DET" and str(doc[0].morph) == "PronType=Art"
    ruler.add([[{"LOWER": "summit"}]], {"LEMMA": "meeting"})  # added after indexing: still honoured
    doc = ruler(_doc(nlp, words, tags, deps))
    assert doc[1].lemma_ == "meeting"


def test_pipeline_tokens_equal_those_of_spacys_matcher(seed_text: str) -> None:
    from pipeline.nlp import build_pipeline

    nlp = build_pipeline()
    ruler = nlp.get_pipe("attribute_ruler")
    assert "match" in vars(ruler)  # the pipeline runs the indexed matcher
    text = seed_text[:30_000]
    ours = nlp(text)
    del ruler.match  # back to spaCy's own
    theirs = nlp(text)
    attrs = [TAG, POS, MORPH, LEMMA, DEP]
    assert len(ours) == len(theirs) > 3_000
    assert (ours.to_array(attrs) == theirs.to_array(attrs)).all()
