"""The polarity classifier: combining with the lexicon, and the shipped model."""

from __future__ import annotations

import json

import pytest

from pipeline.errors import PipelineError
from pipeline.events.classifier import PolarityClassifier, combine, lexicon_distribution
from tests.conftest import REPO_ROOT

MODEL = REPO_ROOT / "pipeline" / "data" / "polarity-v2"
EXAMPLES = REPO_ROOT / "corpus" / "training" / "polarity_examples.jsonl"


def test_lexicon_mode_keeps_the_lexicon_decision():
    assert combine("escalatory", 0.8, None, "lexicon") == ("escalatory", 0.8)


def test_classifier_mode_takes_the_top_label():
    scores = {"escalatory": 0.1, "de-escalatory": 0.7, "neutral": 0.2}
    assert combine("escalatory", 0.9, scores, "classifier") == ("de-escalatory", 0.7)


def test_combined_mode_weights_both():
    scores = {"escalatory": 0.05, "de-escalatory": 0.9, "neutral": 0.05}
    assert combine("escalatory", 0.6, scores, "combined", 0.5)[0] == "de-escalatory"
    assert combine("escalatory", 0.9, scores, "combined", 0.2)[0] == "escalatory"


def test_unknown_mode_is_an_error():
    with pytest.raises(PipelineError):
        combine("neutral", 0.5, {"neutral": 1.0}, "vote")


def test_lexicon_distribution_sums_to_one():
    assert sum(lexicon_distribution("neutral", 0.7).values()) == pytest.approx(1.0)


def test_training_set_is_large_and_covers_all_labels():
    rows = [json.loads(x) for x in EXAMPLES.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 300
    assert {r["label"] for r in rows} == {"escalatory", "de-escalatory", "neutral"}
    assert all(set(r) == {"text", "label", "family", "article"} for r in rows)
    assert len({r["text"] for r in rows}) == len(rows)


def test_shipped_model_is_small_and_separates_clear_cases():
    from pipeline.events.units import bare_text_words
    from pipeline.nlp import build_pipeline

    size = sum(p.stat().st_size for p in MODEL.rglob("*") if p.is_file())
    assert size < 5_000_000
    classifier = PolarityClassifier.load(MODEL)
    assert classifier.reads_words
    texts = [
        "Beijing imposed sanctions on the defense firms.",
        "The two leaders held a summit.",
        "The finance ministry reshuffled its senior staff.",
    ]
    scores = classifier.score_units(texts, list(bare_text_words(build_pipeline(), texts)))
    assert [max(s, key=s.get) for s in scores] == ["escalatory", "de-escalatory", "neutral"]


def test_a_words_model_of_another_feature_version_is_refused(tmp_path):
    classifier = PolarityClassifier.load(MODEL)
    classifier.nlp.meta["ccpipeline_polarity"]["feature_version"] = -1
    classifier.nlp.to_disk(tmp_path / "old")
    with pytest.raises(PipelineError) as err:
        PolarityClassifier.load(tmp_path / "old")
    assert err.value.code == "E021" and "feature version" in err.value.message


def test_loading_a_missing_model_is_e021(tmp_path):
    with pytest.raises(PipelineError) as info:
        PolarityClassifier.load(tmp_path / "nothing")
    assert info.value.code == "E021"


def test_word_ids_give_the_docs_scores_to_the_bit():
    """The shipped bag-of-words model scored from word ids equals it scored on real Docs."""
    from spacy.tokens import Doc

    classifier = PolarityClassifier.load(MODEL)
    assert classifier.reads_only_word_ids
    words = [
        ["Beijing", "imposed", "sanctions", "on", "Seoul", "."],
        [],  # an empty unit reads as "."
        ["talks", "talks", "talks"],
        ["Kōno", "and", "Kang", "met", "in", "Tōkyō"],
        ["__pred:meet", "__src:STATE", "summit"],
    ]
    fast = classifier.score_units((), words, None)
    docs = [Doc(classifier.nlp.vocab, words=w or ["."]) for w in words]
    slow = [dict(doc.cats) for doc in classifier.textcat.pipe(docs)]
    assert fast == slow
    assert classifier.score_units((), [], None) == []


def test_a_model_that_reads_more_than_word_ids_gets_real_docs():
    import spacy

    from pipeline.events.classifier import reads_only_word_ids

    nlp = spacy.blank("en")
    ensemble = nlp.add_pipe("textcat")  # spaCy's default: an ensemble with its own tok2vec
    assert not reads_only_word_ids(ensemble.model)
    bow = nlp.add_pipe("textcat", name="bow", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 1,
        "no_output_layer": False}})
    assert reads_only_word_ids(bow.model)
    lower = nlp.add_pipe("textcat", name="lower", config={"model": {
        "@architectures": "spacy.TextCatCNN.v2", "exclusive_classes": True,
        "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None, "width": 8,
                    "depth": 1, "embed_size": 100, "window_size": 1, "maxout_pieces": 2,
                    "subword_features": False}}})
    assert not reads_only_word_ids(lower.model)


def test_a_words_model_loads_without_the_english_tokenizer_and_scores_the_same(tmp_path):
    """The quick load (no tokenizer rules) gives the same vocabulary and scores as spacy.load,
    and a model saved from it loads again both ways."""
    import spacy
    from spacy.tokens import Doc

    classifier = PolarityClassifier.load(MODEL)
    assert classifier.reads_words
    assert len(classifier.nlp.tokenizer.rules or {}) == 0  # the quick path was taken
    full = spacy.load(MODEL)
    assert len(full.tokenizer.rules or {}) > 1000
    words = [["Japan", "protests", "the", "visit", "__lex_escalatory"], ["Kōno", "meets", "Kang"]]
    quick = [dict(d.cats) for d in classifier.textcat.pipe([Doc(classifier.nlp.vocab, words=w) for w in words])]
    usual = [dict(d.cats) for d in full.get_pipe("textcat").pipe([Doc(full.vocab, words=w) for w in words])]
    assert quick == usual
    assert classifier.nlp.vocab["Protests"].norm_ == full.vocab["Protests"].norm_
    classifier.nlp.to_disk(tmp_path / "saved")
    again = PolarityClassifier.load(tmp_path / "saved")
    assert again.score_units((), words, None) == classifier.score_units((), words, None)


def test_a_text_model_keeps_its_tokenizer(tmp_path):
    import spacy

    text_model = spacy.load(MODEL)
    del text_model.meta["ccpipeline_polarity"]  # an older text-only model has no such mark
    text_model.to_disk(tmp_path / "text")
    loaded = PolarityClassifier.load(tmp_path / "text")
    assert not loaded.reads_words
    assert len(loaded.nlp.tokenizer.rules or {}) > 1000
