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


def blank_textcat(seed: int) -> Language:
    """An English blank pipeline with an untrained exclusive textcat over the polarities."""
    fix_random_seed(seed)
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat", config={"model": TEXTCAT_MODEL})
    for label in POLARITIES:
        textcat.add_label(label)  # type: ignore[attr-defined]
    return nlp


def train_textcat(
    items: Sequence[TextcatItem], *, epochs: int = DEFAULT_EPOCHS, seed: int = DEFAULT_SEED
) -> Language:
    """Train a fresh textcat on ``items`` (weights as copies); same items + seed -> same model."""
    if not items:
        raise ValueError("no training examples")
    unknown = sorted({i.label for i in items} - set(POLARITIES))
    if unknown:
        raise ValueError(f"labels {unknown} are not polarities {POLARITIES}")
    nlp = blank_textcat(seed)
    examples: list[Example] = []
    for item in items:
        cats = {p: float(p == item.label) for p in POLARITIES}
        example = Example.from_dict(nlp.make_doc(item.text), {"cats": cats})
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
