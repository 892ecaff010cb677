"""The trainable polarity classifier (a spaCy textcat) and how it combines with the lexicon."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

import numpy
import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Model

from pipeline.errors import PipelineError
from pipeline.events.features import FEATURE_VERSION
from pipeline.events.lexicon import POLARITIES, Polarity

Mode = Literal["lexicon", "classifier", "combined"]
MODES: tuple[str, ...] = ("lexicon", "classifier", "combined")


class PolarityClassifier:
    """A spaCy pipeline with an exclusive ``textcat`` over the three polarities."""

    def __init__(self, nlp: Language, path: Path | None = None) -> None:
        if "textcat" not in nlp.pipe_names:
            raise PipelineError("E021", f"the polarity model at {path} has no textcat component")
        labels = set(nlp.get_pipe("textcat").labels)  # type: ignore[attr-defined]
        if labels != set(POLARITIES):
            raise PipelineError(
                "E021",
                f"the polarity model at {path} has labels {sorted(labels)}, not {POLARITIES}",
            )
        self.nlp = nlp
        self.path = path
        self.textcat = nlp.get_pipe("textcat")
        self.labels: tuple[str, ...] = tuple(self.textcat.labels)  # type: ignore[attr-defined]
        self.reads_only_word_ids = reads_only_word_ids(self.textcat.model)  # type: ignore[attr-defined]
        info = nlp.meta.get("ccpipeline_polarity", {})
        # A model trained on tokens + feature words (pipeline.events.features) reads words;
        # an older one reads the clause text.
        self.reads_words = info.get("inputs") == "words"
        if self.reads_words and info.get("feature_version") != FEATURE_VERSION:
            raise PipelineError(
                "E021",
                f"the polarity model at {path} was trained on feature version "
                f"{info.get('feature_version')}, this pipeline builds version {FEATURE_VERSION}; retrain it",
            )

    @classmethod
    def load(cls, path: Path | str) -> PolarityClassifier:
        """Load a saved textcat. A words model (tokens + feature words) never tokenizes: it
        is handed words, so it is built with a tokenizer of no rules and its saved tokenizer
        is not read, which spares the English tokenizer's 5,000 special cases (0.15-0.2 s of
        every annotate run's start); its vocabulary, and so its scores, are the same."""
        path = Path(path)
        try:
            if _reads_words(path):
                nlp = spacy.load(path, exclude=["tokenizer"],
                                 config={"nlp": {"tokenizer": {"@tokenizers": PLAIN_TOKENIZER}}})
            else:
                nlp = spacy.load(path)
        except (OSError, ValueError) as exc:
            raise PipelineError("E021", f"cannot load the polarity model {path}: {exc}") from exc
        return cls(nlp, path)

    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        return [{k: float(v) for k, v in doc.cats.items()} for doc in self.nlp.pipe(texts)]

    def score_units(self, texts: Sequence[str], words: Sequence[Sequence[str]],
                    vocab: Vocab | None = None) -> list[dict[str, float]]:
        """Scores for units given as text and as words: a words model reads the words.

        ``vocab`` is where the word docs are made: the article's own vocabulary already holds
        nearly every word (the textcat reads hashed word ids, the same in any vocabulary),
        where the classifier's would build a throwaway entry for each of them every time."""
        if not self.reads_words:
            return self.scores(texts)
        if self.reads_only_word_ids:
            # A bag-of-words model reads nothing of a Doc but its words' ids: hand it those,
            # without making a Doc for every unit and event (the same scores, to the bit).
            if not words:
                return []
            rows = self.textcat.model.predict([WordIds(list(w) or ["."]) for w in words])  # type: ignore[attr-defined]
            return [
                {label: float(rows[i, j]) for j, label in enumerate(self.labels)} for i in range(len(words))
            ]
        docs = [Doc(vocab or self.nlp.vocab, words=list(w) or ["."]) for w in words]
        return [{k: float(v) for k, v in doc.cats.items()} for doc in self.textcat.pipe(docs)]  # type: ignore[attr-defined]


PLAIN_TOKENIZER = "dipl.plain_tokenizer.v1"


@registry.tokenizers(PLAIN_TOKENIZER)
def create_plain_tokenizer() -> Callable[[Language], Tokenizer]:
    """A tokenizer with no rules, for a model that is only ever handed words."""

    def create(nlp: Language) -> Tokenizer:
        return Tokenizer(nlp.vocab)

    return create


def _reads_words(path: Path) -> bool:
    """Whether the saved model's meta marks it a words model (see ``mark_words_model``)."""
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False  # spacy.load then reports what is wrong with the folder
    info = meta.get("ccpipeline_polarity") if isinstance(meta, dict) else None
    return isinstance(info, dict) and info.get("inputs") == "words"


# The layers of spaCy's bag-of-words textcat (TextCatBOW): only ``extract_ngrams`` reads the
# Docs, and it reads one attribute of them.
_BOW_LEAVES = frozenset({"extract_ngrams", "sparse_linear", "softmax_activation", "logistic"})


def reads_only_word_ids(model: Model) -> bool:
    """True when the textcat model reads nothing of its Docs but their words' ORTH ids: its
    only input layer is ``extract_ngrams`` over ORTH, and every other leaf is one that works on
    what that layer gives (any tok2vec, vectors or attention would need real Docs)."""
    leaves = [node for node in model.walk() if not node.layers]
    names = {node.name for node in leaves}
    return (
        "extract_ngrams" in names
        and names <= _BOW_LEAVES
        and all(node.attrs.get("attr") == ORTH for node in leaves if node.name == "extract_ngrams")
    )


class WordIds:
    """The part of a Doc a bag-of-words textcat reads: its length and ``to_array([ORTH])``,
    the hashed ids of its words (the same in every vocabulary)."""

    __slots__ = ("ids",)

    def __init__(self, words: Sequence[str]) -> None:
        self.ids = numpy.fromiter((get_string_id(w) for w in words), dtype=numpy.uint64, count=len(words))

    def __len__(self) -> int:
        return len(self.ids)

    def to_array(self, attrs: Sequence[int]) -> numpy.ndarray:
        if list(attrs) != [ORTH]:
            raise PipelineError("E021", f"a bag-of-words polarity model asked for attributes {attrs}, not ORTH")
        return self.ids


def mark_words_model(nlp: Language) -> Language:
    """Record in the model's meta that it reads tokens + feature words of this version."""
    nlp.meta["ccpipeline_polarity"] = {"inputs": "words", "feature_version": FEATURE_VERSION}
    return nlp


def lexicon_distribution(polarity: str, confidence: float) -> dict[str, float]:
    """The lexicon's decision as a distribution: its confidence on its label, the rest shared."""
    rest = (1.0 - confidence) / (len(POLARITIES) - 1)
    return {label: (confidence if label == polarity else rest) for label in POLARITIES}


def combine(
    polarity: str,
    confidence: float,
    scores: dict[str, float] | None,
    mode: str,
    classifier_weight: float = 0.5,
) -> tuple[Polarity, float]:
    """Final (polarity, confidence) under ``mode``.

    lexicon: the lexicon decides.  classifier: the classifier's top label.  combined: a
    weighted average of both distributions (``classifier_weight`` on the classifier).
    """
    if mode == "lexicon" or scores is None:
        if mode != "lexicon":
            raise PipelineError("E030", f"mode {mode!r} needs classifier scores")
        return polarity, confidence  # type: ignore[return-value]
    if mode == "classifier":
        best = max(POLARITIES, key=lambda label: scores.get(label, 0.0))
        return best, round(scores[best], 3)
    if mode == "combined":
        lex = lexicon_distribution(polarity, confidence)
        mixed = {
            label: (1 - classifier_weight) * lex[label] + classifier_weight * scores.get(label, 0.0)
            for label in POLARITIES
        }
        best = max(POLARITIES, key=lambda label: mixed[label])
        return best, round(mixed[best], 3)
    raise PipelineError("E030", f"unknown polarity mode {mode!r}; use one of {MODES}")
