"""The cue lexicon: words and phrases that signal an event, with CAMEO root and polarity.

Each line of ``pipeline/data/cues.jsonl`` is one :class:`Cue`.  See ``docs/events.md``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from spacy.tokens import Doc, Span, Token

from pipeline.errors import PipelineError
from pipeline.events.arguments import argument_classes, reversal_object
from pipeline.registry.jsonl import read_entries, read_rule_lines

PACKAGED_CUES = "cues.jsonl"

Polarity = Literal["escalatory", "de-escalatory", "neutral"]
POLARITIES: tuple[Polarity, ...] = ("escalatory", "de-escalatory", "neutral")


def crosswalk_polarity(cameo_root: str) -> Polarity:
    """The guide's crosswalk: CAMEO 01-08 de-escalatory, 09 neutral, 10-20 escalatory."""
    number = int(cameo_root)
    if number <= 8:
        return "de-escalatory"
    if number == 9:
        return "neutral"
    return "escalatory"


def _check_crosswalk(cameo_root: str | None, polarity: Polarity) -> None:
    """A non-neutral reading must agree with the guide's crosswalk for its CAMEO root."""
    if cameo_root is not None and polarity != "neutral":
        expected = crosswalk_polarity(cameo_root)
        if expected != polarity:
            raise ValueError(f"cameo_root {cameo_root} maps to {expected}, not {polarity}")


class ArgumentSense(BaseModel):
    """A reading a cue takes when one of its arguments is of a class: "withdrew its troops"
    is a retreat, not an exit; "released the captain" frees a person, it publishes nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    argument: Literal["person", "force", "goods"] = Field(description="The argument's class.")
    family: str = Field(min_length=1)
    polarity: Polarity
    cameo_root: str | None = Field(default=None, pattern=r"^(0[1-9]|1[0-9]|20)$")

    @model_validator(mode="after")
    def _crosswalk(self) -> ArgumentSense:
        _check_crosswalk(self.cameo_root, self.polarity)
        return self


class Cue(BaseModel):
    """One cue: a lemma (or lemma sequence) of a given kind and what it signals."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cue: str = Field(min_length=1, description="Lemma, or space-separated lemmas for a phrase.")
    kind: Literal["verb", "noun", "adj", "phrase"] = Field(description="Which tokens it matches.")
    family: str = Field(min_length=1, description="Cue family (meet, threaten, withdraw, ...).")
    polarity: Polarity = Field(description="Polarity of the act when asserted.")
    cameo_root: str | None = Field(
        default=None, pattern=r"^(0[1-9]|1[0-9]|20)$", description="Two-digit CAMEO root."
    )
    role: Literal["act", "frame", "reversal"] = Field(
        default="act",
        description="act: the cue is the event; frame: it embeds another event (say, urge, "
        "fail); reversal: it undoes its object (lift sanctions, withdraw from GSOMIA).",
    )
    frame: Literal["speech", "decision", "appeal", "failure"] | None = Field(
        default=None, description="For frames: how the embedded event is read."
    )
    default_polarity: Polarity | None = Field(
        default=None, description="A frame's polarity when it embeds no cue (else `polarity`)."
    )
    lifecycle: Literal["exit", "stay", "join"] | None = Field(
        default=None, description="What the act does to an agreement, if anything."
    )
    symmetric: bool = Field(
        default=False, description="Joint acts (meet, talk): coordinated subjects form a dyad."
    )
    requires_agreement: bool = Field(
        default=False, description="Only a cue when an agreement is among its arguments."
    )
    blocked_by_deps: list[str] = Field(
        default_factory=list, description="Not a cue when the token has a child with these deps."
    )
    negated_polarity: Polarity | None = Field(
        default=None, description="Polarity when negated, if not the default rule."
    )
    senses: list[ArgumentSense] = Field(
        default_factory=list,
        description="Readings that replace the cue's own when an argument is of their class "
        "(the first that applies); the cue is then a plain act. Classes: person, force, goods.",
    )
    requires_sense: bool = Field(
        default=False, description="Only a cue when one of its senses applies (free + prisoners)."
    )
    requires_object: bool = Field(
        default=False,
        description="For a reversal: only a cue when what it undoes is an act or an agreement "
        "('leave the talks', not 'left for Tokyo' or 'left him no choice').",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Cue:
        if (self.role == "frame") != (self.frame is not None):
            raise ValueError("`frame` is required for role 'frame' and only for it")
        if self.requires_sense and not self.senses:
            raise ValueError("`requires_sense` needs at least one sense")
        if self.requires_object and self.role != "reversal":
            raise ValueError("`requires_object` is for reversals only")
        _check_crosswalk(self.cameo_root, self.polarity)
        return self

    def read_as(self, sense: ArgumentSense) -> Cue:
        """The plain act this cue is when ``sense`` applies: its family, polarity and root,
        no frame, reversal or agreement lifecycle of its own (validated like any cue)."""
        fields = self.model_dump()
        fields.update(
            family=sense.family, polarity=sense.polarity, cameo_root=sense.cameo_root, role="act",
            frame=None, default_polarity=None, negated_polarity=None, lifecycle=None, senses=[],
            requires_sense=False, requires_object=False,
        )
        return Cue.model_validate(fields)

    @property
    def lemmas(self) -> tuple[str, ...]:
        return tuple(self.cue.lower().replace("-", " ").split())


def _parse_lines(lines: Iterable[str], source: str) -> list[Cue]:
    cues: list[Cue] = []
    seen: set[tuple[str, str]] = set()
    for number, cue in read_entries(lines, source, Cue):
        key = (cue.cue, cue.kind)
        if key in seen:
            raise PipelineError(
                "E040", f"{source}, line {number}, field 'cue': {cue.cue!r} ({cue.kind}) twice"
            )
        seen.add(key)
        cues.append(cue)
    return cues


def read_cue_file(path: Path | str) -> list[Cue]:
    """Read and validate one cue file; a bad line raises ``E040``."""
    return _parse_lines(read_rule_lines(path), str(path))


def packaged_cues() -> list[Cue]:
    text = resources.files("pipeline.data").joinpath(PACKAGED_CUES).read_text(encoding="utf-8")
    return _parse_lines(text.splitlines(), f"pipeline/data/{PACKAGED_CUES}")


def cues_to_jsonl(cues: Iterable[Cue]) -> str:
    return "".join(
        json.dumps(c.model_dump(exclude_defaults=True), ensure_ascii=False) + "\n" for c in cues
    )


_VERB_POS = {"VERB"}
_NOUN_POS = {"NOUN", "PROPN"}
_ADJ_POS = {"ADJ"}


@dataclass(frozen=True)
class CueMatch:
    """A cue found in a sentence: the head token index and all token indices it covers."""

    head: int
    tokens: tuple[int, ...]
    cue: Cue


class CueLexicon:
    """Cues indexed for matching; user files extend or override (cue, kind) pairs."""

    def __init__(self, cues: Sequence[Cue]) -> None:
        self.cues = list(cues)
        self._single: dict[tuple[str, str], Cue] = {}
        # each cue's readings under its senses, built once: (cue, kind) -> [(class, cue as read)]
        self._readings: dict[tuple[str, str], list[tuple[str, Cue]]] = {
            (c.cue, c.kind): [(sense.argument, c.read_as(sense)) for sense in c.senses]
            for c in cues if c.senses
        }
        self._phrases: list[Cue] = []
        for cue in self.cues:
            if cue.kind == "phrase" or len(cue.lemmas) > 1:
                self._phrases.append(cue)
            else:
                self._single[(cue.kind, cue.lemmas[0])] = cue
        self._phrases.sort(key=lambda c: -len(c.lemmas))
        # Each phrase's words, and where phrases of each first word stand in that order, so
        # a sentence tries only the phrases whose first word it holds.
        self._phrase_lemmas = [c.lemmas for c in self._phrases]
        self._phrases_by_first: dict[str, list[int]] = {}
        for position, words in enumerate(self._phrase_lemmas):
            self._phrases_by_first.setdefault(words[0], []).append(position)

    @classmethod
    def load(
        cls, extra_paths: Sequence[Path | str] = (), include_packaged: bool = True
    ) -> CueLexicon:
        by_key: dict[tuple[str, str], Cue] = {}
        if include_packaged:
            for cue in packaged_cues():
                by_key[(cue.cue, cue.kind)] = cue
        for path in extra_paths:
            for cue in read_cue_file(path):
                by_key[(cue.cue, cue.kind)] = cue
        return cls(list(by_key.values()))

    def match(self, sentence: Span, agreement_tokens: set[int] | None = None) -> list[CueMatch]:
        """Cue matches in a sentence: phrases first (longest), then single tokens."""
        agreement_tokens = agreement_tokens or set()
        words = [t for t in sentence if not (t.is_punct and t.text in "-‐–")]
        lemmas = [_norm(t) for t in words]
        used: set[int] = set()
        found: list[CueMatch] = []
        # Where each first word stands, so a phrase is tried only where it can start.
        starts: dict[str, list[int]] = {}
        for k, (word, lemma) in enumerate(zip(words, lemmas, strict=True)):
            starts.setdefault(lemma, []).append(k)
            if word.lower_ != lemma:
                starts.setdefault(word.lower_, []).append(k)
        positions = sorted({p for first in starts for p in self._phrases_by_first.get(first, ())})
        for position in positions:
            cue, cue_lemmas = self._phrases[position], self._phrase_lemmas[position]
            size = len(cue_lemmas)
            for k in sorted(set(starts[cue_lemmas[0]])):
                if k + size > len(words):
                    continue
                window = words[k : k + size]
                if any(t.i in used for t in window):
                    continue
                if (
                    tuple(lemmas[k : k + size]) != cue_lemmas
                    and tuple(t.lower_ for t in window) != cue_lemmas
                ):
                    continue
                indices = tuple(t.i for t in window)
                head = _phrase_head(window)
                if cue.kind != "phrase" and not _pos_fits(head, cue.kind):
                    continue
                if cue.requires_agreement and not _has_agreement_argument(head, agreement_tokens):
                    continue  # "continue in office", "the tariffs take effect"
                used.update(indices)
                found.append(CueMatch(head.i, indices, cue))
        # The words already read (the hyphens left out are punctuation, never a cue).
        for token, lemma in zip(words, lemmas, strict=True):
            if token.i in used:
                continue
            kind = _kind_of(token)
            if kind is None:
                continue
            found_cue = self._single.get((kind, lemma)) or self._single.get((kind, token.lower_))
            if found_cue is None:
                continue
            cue = found_cue
            if cue.kind == "verb" and token.dep_ == "amod" and token.tag_ == "VBG":
                continue  # a participle describing a noun reports no act ("a supporting role")
            if cue.blocked_by_deps and any(c.dep_ in cue.blocked_by_deps for c in token.children):
                continue
            if cue.requires_agreement and not _has_agreement_argument(token, agreement_tokens):
                continue
            used.add(token.i)
            found.append(CueMatch(token.i, (token.i,), cue))
        return sorted(self._read_arguments(found, sentence, agreement_tokens), key=lambda m: m.head)

    def _read_arguments(self, found: list[CueMatch], sentence: Span, agreement_tokens: set[int]) -> list[CueMatch]:
        """Apply the cues' argument senses, then drop a sense-only cue no sense applies to and
        a reversal that undoes neither an act nor an agreement."""
        doc = sentence.doc
        read: list[CueMatch] = []
        for match in found:
            readings = self._readings.get((match.cue.cue, match.cue.kind))
            if readings:
                classes = argument_classes(doc[match.head], {argument for argument, _ in readings})
                sensed = next((cue for argument, cue in readings if argument in classes), None)
                if sensed is not None:
                    match = CueMatch(match.head, match.tokens, sensed)
                elif match.cue.requires_sense:
                    continue
            read.append(match)
        return _with_objects(read, doc, agreement_tokens)


def _with_objects(read: list[CueMatch], doc: Doc, agreement_tokens: set[int]) -> list[CueMatch]:
    """Drop a reversal that needs an object and undoes neither an act nor an agreement."""
    # what a reversal undoes is an act: a frame ("left it no choice") has none of its own
    heads = {m.head for m in read if m.cue.role != "frame"}
    return [
        m for m in read
        if not m.cue.requires_object
        or reversal_object(doc[m.head], heads.__contains__, agreement_tokens, {m.head}, m.tokens) != (None, False)
    ]


def _norm(token: Token) -> str:
    return token.lemma_.lower()


def _kind_of(token: Token) -> str | None:
    if token.pos_ in _VERB_POS:
        return "verb"
    if token.pos_ in _NOUN_POS:
        return "noun"
    if token.pos_ in _ADJ_POS:
        return "adj"
    return None


def _pos_fits(token: Token, kind: str) -> bool:
    return _kind_of(token) == kind


def _phrase_head(window: list[Token]) -> Token:
    indices = {t.i for t in window}
    for token in window:
        if token.head.i not in indices or token.head.i == token.i:
            return token
    return window[0]


def _has_agreement_argument(token: Token, agreement_tokens: set[int]) -> bool:
    """An agreement among the token's prepositional or object arguments."""
    for child in token.children:
        if child.dep_ in ("prep", "dobj", "nsubjpass", "nsubj") and any(
            t.i in agreement_tokens for t in child.subtree
        ):
            return True
    return False
