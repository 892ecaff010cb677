"""The trainable polarity classifier (a spaCy textcat) and how it combines with the lexicon."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import spacy
from spacy.language import Language

from pipeline.errors import PipelineError
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

    @classmethod
    def load(cls, path: Path | str) -> PolarityClassifier:
        path = Path(path)
        try:
            nlp = spacy.load(path)
        except (OSError, ValueError) as exc:
            raise PipelineError("E021", f"cannot load the polarity model {path}: {exc}") from exc
        return cls(nlp, path)

    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        return [{k: float(v) for k, v in doc.cats.items()} for doc in self.nlp.pipe(texts)]


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
