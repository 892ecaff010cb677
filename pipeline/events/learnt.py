"""What reviewers' corrections taught the events stage besides polarity.

Two tables, written with a trained pipeline (``dipl_events/modality_markers.jsonl`` and
``dipl_events/main_preferences.jsonl``) and read back with it; the packaged pipeline has
neither, so it behaves as the rules say.

- **Modality markers**: a lemma that, found next to an event's trigger, gives the event a
  modality (``reportedly`` -> reported, ``consider`` -> hypothetical, or ``asserted`` for a
  word the rules wrongly read as a marker). "Next to" is the trigger's *modality context*
  (:func:`modality_context`): its auxiliaries, adverbs, negation, marks and verb-form prepositions ("according"),
  then each head above it (up to four steps) with the head's auxiliaries, adverbs, negation
  and marks. The nearest context word that is a learnt marker decides the modality.
- **Main-event preferences**: pairs ``(over, prefer)`` of trigger lemmas. When the rules
  pick an event whose trigger lemma is ``over`` as a unit's main event and the unit also has
  an event whose trigger lemma is ``prefer``, that event is the main one instead.

How corrections become these tables is :mod:`pipeline.training.events`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Token

from pipeline.events.extract import EventFinding

MODALITY_FILE = "modality_markers.jsonl"
MAIN_FILE = "main_preferences.jsonl"
MODALITIES = ("asserted", "negated", "hypothetical", "reported")

# Dependents of the trigger (and of each head above it) that can carry modality.
TRIGGER_CONTEXT_DEPS = frozenset({"aux", "auxpass", "advmod", "neg", "npadvmod", "mark"})
HEAD_CONTEXT_DEPS = frozenset({"aux", "auxpass", "advmod", "neg", "npadvmod", "mark"})
HEAD_STEPS = 4
# Words of every clause that say nothing of modality by themselves.
NEUTRAL_LEMMAS = frozenset({"be", "have", "do", "to", "that", "which", "who", "and", "also", "then", "as"})


def lemma_of(token: Token) -> str:
    return token.lemma_.lower() or token.lower_


def modality_context(token: Token) -> list[Token]:
    """The words around an event's trigger that may say whether it happened, nearest first."""
    seen = {token.i}
    out: list[Token] = []

    def add(t: Token) -> None:
        if t.i in seen or t.is_punct or t.is_space or lemma_of(t) in NEUTRAL_LEMMAS:
            return
        seen.add(t.i)
        out.append(t)

    for child in token.children:
        # a preposition only when it is a verb form ("according to"), not "against", "by"
        if child.dep_ in TRIGGER_CONTEXT_DEPS or child.dep_ == "prep" and child.pos_ == "VERB":
            add(child)
    node = token
    for _ in range(HEAD_STEPS):
        if node.head.i == node.i:
            break
        node = node.head
        add(node)
        for child in node.children:
            if child.dep_ in HEAD_CONTEXT_DEPS:
                add(child)
    return out


def span_lemmas(doc: Doc, start: int, end: int) -> str | None:
    """The lemmas of the words between two character offsets, as cues are written."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    return " ".join(lemma_of(t) for t in span if not t.is_punct) or None


@dataclass
class LearntEvents:
    """The events stage's learnt tables (empty: the rules alone)."""

    markers: dict[str, str] = field(default_factory=dict)  # lemma -> modality
    preferences: frozenset[tuple[str, str]] = frozenset()  # (over, prefer)

    def __bool__(self) -> bool:
        return bool(self.markers or self.preferences)

    def modality_for(self, trigger: Token) -> str | None:
        """The modality a learnt marker in the trigger's context gives, if any."""
        if not self.markers:
            return None
        for token in modality_context(trigger):
            found = self.markers.get(lemma_of(token))
            if found is not None:
                return found
        return None

    def write(self, directory: Path) -> None:
        for name, rows in ((MODALITY_FILE, [{"lemma": k, "modality": v} for k, v in sorted(self.markers.items())]),
                           (MAIN_FILE, [{"over": a, "prefer": b} for a, b in sorted(self.preferences)])):
            path = directory / name
            if rows:
                path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
            elif path.exists():
                path.unlink()

    @classmethod
    def read(cls, directory: Path) -> LearntEvents:
        markers: dict[str, str] = {}
        preferences: set[tuple[str, str]] = set()
        for row in _rows(directory / MODALITY_FILE):
            if row.get("modality") not in MODALITIES or not row.get("lemma"):
                raise ValueError(f"{directory / MODALITY_FILE}: not a modality marker: {row}")
            markers[str(row["lemma"])] = str(row["modality"])
        for row in _rows(directory / MAIN_FILE):
            if not row.get("over") or not row.get("prefer"):
                raise ValueError(f"{directory / MAIN_FILE}: not a main-event preference: {row}")
            preferences.add((str(row["over"]), str(row["prefer"])))
        return cls(markers, frozenset(preferences))


def _rows(path: Path) -> Iterable[dict[str, object]]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def preferred_main(doc: Doc, chosen: EventFinding | None, ordered: Sequence[EventFinding],
                   preferences: frozenset[tuple[str, str]]) -> EventFinding | None:
    """The event a learnt preference puts before the rules' choice (or the choice)."""
    if not preferences or chosen is None:
        return chosen
    over = _finding_lemmas(doc, chosen)
    if over is None:
        return chosen
    for finding in ordered:
        if finding is not chosen and (over, _finding_lemmas(doc, finding)) in preferences:
            return finding
    return chosen


def _finding_lemmas(doc: Doc, finding: EventFinding) -> str | None:
    return span_lemmas(doc, int(finding.trigger["start"]), int(finding.trigger["end"]))
