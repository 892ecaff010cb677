"""Train the polarity textcat: one implementation for ``ccpipeline train`` and
``scripts/train_polarity.py``.

A spaCy ``textcat`` with exclusive classes escalatory/de-escalatory/neutral
(``spacy.TextCatBOW.v3``, unigrams and bigrams, 2^16 hashed features), CPU only and
deterministic for a given seed. The seed fixes the order in which the examples are shuffled
each epoch, and so which examples share a minibatch of ``BATCH_SIZE``; it also seeds
spaCy/thinc's random state, but this architecture does not use it: its weights start at
zero and it has no dropout layer. So the seed matters only when the examples fill more than
one batch; with a single batch every seed gives the same model.

An example's ``weight`` is a whole number of copies per epoch: a reviewer's correction counts
several times, so a handful of corrections can outweigh the shipped examples they contradict.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from pipeline.events.lexicon import POLARITIES

TEXTCAT_MODEL: dict[str, Any] = {
    "@architectures": "spacy.TextCatBOW.v3",
    "exclusive_classes": True,
    "ngram_size": 2,
    "no_output_layer": False,
    "length": 2**16,
}
# A small CNN over hashed word embeddings beside the bag of words (spaCy's ensemble).
ENSEMBLE_MODEL: dict[str, Any] = {
    "@architectures": "spacy.TextCatEnsemble.v2",
    "tok2vec": {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {
            "@architectures": "spacy.MultiHashEmbed.v2",
            "width": 64,
            "rows": [2000, 2000, 500, 1000, 500],
            "attrs": ["NORM", "LOWER", "PREFIX", "SUFFIX", "SHAPE"],
            "include_static_vectors": False,
        },
        "encode": {
            "@architectures": "spacy.MaxoutWindowEncoder.v2",
            "width": 64,
            "window_size": 1,
            "maxout_pieces": 3,
            "depth": 2,
        },
    },
    "linear_model": dict(TEXTCAT_MODEL),
}
ARCHITECTURES: dict[str, dict[str, Any]] = {"bow": TEXTCAT_MODEL, "ensemble": ENSEMBLE_MODEL}
DEFAULT_EPOCHS = 20
DEFAULT_SEED = 13
BATCH_SIZE = 16
DROPOUT = 0.2


@dataclass(frozen=True)
class TextcatItem:
    """One training sentence for the classifier."""

    text: str
    label: str
    weight: int = 1
    # The words the model reads (tokens + feature words, see pipeline.events.features);
    # None: the text, tokenised.
    words: tuple[str, ...] | None = None


def item_doc(nlp: Language, item: TextcatItem) -> Doc:
    return Doc(nlp.vocab, words=list(item.words)) if item.words else nlp.make_doc(item.text)


def blank_textcat(seed: int, architecture: str = "bow") -> Language:
    """An English blank pipeline with an untrained exclusive textcat over the polarities."""
    if architecture not in ARCHITECTURES:
        raise ValueError(f"unknown textcat architecture {architecture!r}; use one of {sorted(ARCHITECTURES)}")
    fix_random_seed(seed)
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat", config={"model": ARCHITECTURES[architecture]})
    for label in POLARITIES:
        textcat.add_label(label)  # type: ignore[attr-defined]
    return nlp


def train_textcat(
    items: Sequence[TextcatItem],
    *,
    epochs: int = DEFAULT_EPOCHS,
    seed: int = DEFAULT_SEED,
    architecture: str = "bow",
) -> Language:
    """Train a fresh textcat on ``items`` (weights as copies); same items + seed -> same model."""
    if not items:
        raise ValueError("no training examples")
    unknown = sorted({i.label for i in items} - set(POLARITIES))
    if unknown:
        raise ValueError(f"labels {unknown} are not polarities {POLARITIES}")
    nlp = blank_textcat(seed, architecture)
    examples: list[Example] = []
    for item in items:
        cats = {p: float(p == item.label) for p in POLARITIES}
        example = Example.from_dict(item_doc(nlp, item), {"cats": cats})
        examples.extend([example] * max(1, int(item.weight)))
    optimizer = nlp.initialize(lambda: examples, sgd=None)
    order = random.Random(seed)
    for _ in range(epochs):
        batch_order = list(examples)
        order.shuffle(batch_order)
        losses: dict[str, float] = {}
        for batch in minibatch(batch_order, size=BATCH_SIZE):
            nlp.update(batch, sgd=optimizer, losses=losses, drop=DROPOUT)
    return nlp


def predict(nlp: Language, texts: Sequence[str]) -> list[str]:
    """The top label for each text."""
    return [max(doc.cats, key=lambda k: doc.cats[k]) for doc in nlp.pipe(texts)]


def predict_words(nlp: Language, words: Sequence[Sequence[str]]) -> list[dict[str, float]]:
    """The class distribution for each list of words (tokens + feature words)."""
    textcat = nlp.get_pipe("textcat")
    docs = [Doc(nlp.vocab, words=list(w) or ["."]) for w in words]
    return [{k: float(v) for k, v in doc.cats.items()} for doc in textcat.pipe(docs)]  # type: ignore[attr-defined]


def with_words(nlp: Language, items: Sequence[TextcatItem]) -> list[TextcatItem]:
    """The items with the words a words model reads: each text parsed on its own by ``nlp``
    (a full pipeline with the events stage), tokens + feature words."""
    from pipeline.events.units import bare_text_words

    words = bare_text_words(nlp, [item.text for item in items])
    return [
        TextcatItem(item.text, item.label, item.weight, tuple(w))
        for item, w in zip(items, words, strict=True)
    ]


def train_words_classifier(
    nlp: Language,
    items: Sequence[TextcatItem],
    *,
    epochs: int = DEFAULT_EPOCHS,
    seed: int = DEFAULT_SEED,
    architecture: str = "bow",
) -> Language:
    """A textcat over tokens + feature words (``pipeline.events.features``), marked as such."""
    from pipeline.events.classifier import mark_words_model

    featured = list(items) if all(i.words for i in items) else with_words(nlp, items)
    return mark_words_model(train_textcat(featured, epochs=epochs, seed=seed, architecture=architecture))
