"""The units that get a polarity: narrative sentences and chronology entries, with their events.

``doc_units`` lists them for an annotated article (after the events stage has found the
lexicon's events); ``bare_text_words`` builds the classifier's words for a sentence given on
its own (training data, corrections), parsed as one narrative section as in an article.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.events.entries import main_finding
from pipeline.events.extract import EventFinding
from pipeline.events.features import actor_masks, unit_words
from pipeline.extensions import CHRONOLOGY, SECTIONS

# Stages after which a bare sentence has everything the events stage reads.
EVENT_STAGES_AFTER = ("dipl_events", "dipl_align")


@dataclass
class Unit:
    """A sentence of a narrative (or caption) section, or a chronology entry's text."""

    kind: str  # "sentence" | "entry"
    span: Span
    findings: list[EventFinding]
    section_id: str | None = None
    entry_id: str | None = None
    preferences: frozenset[tuple[str, str]] = frozenset()  # learnt main-event preferences

    @property
    def main(self) -> EventFinding | None:
        return main_finding(self.span.doc, self.findings, self.preferences)

    def words(self) -> list[str]:
        return unit_words(self.span, self.findings, self.main, actor_masks(self.span.doc))


def entry_text_span(entry: Span) -> Span:
    """The entry without its printed date ("Nov. 4, 2019: ...")."""
    start = entry._.entry_text_start
    if start is None:
        return entry
    text = entry.doc.char_span(start, entry.end_char, alignment_mode="expand")
    return text if text is not None and len(text) else entry


def doc_units(doc: Doc, findings: Sequence[EventFinding], sentences: Iterable[tuple[Span, str | None]],
              preferences: frozenset[tuple[str, str]] = frozenset()) -> list[Unit]:
    """Units of an article: each chronology entry, and each given narrative sentence."""
    units: list[Unit] = []
    by_entry: dict[str, list[EventFinding]] = {}
    loose: list[EventFinding] = []
    for finding in findings:
        if finding.chronology_entry_id is not None:
            by_entry.setdefault(finding.chronology_entry_id, []).append(finding)
        else:
            loose.append(finding)
    for entry in doc.spans.get(CHRONOLOGY, []):
        units.append(
            Unit("entry", entry_text_span(entry), by_entry.get(entry._.entry_id, []), entry_id=entry._.entry_id,
                 preferences=preferences)
        )
    loose.sort(key=lambda f: f.start)
    k = 0
    for sent, section_id in sentences:
        while k < len(loose) and loose[k].start < sent.start_char:
            k += 1
        inside: list[EventFinding] = []
        j = k
        while j < len(loose) and loose[j].start < sent.end_char:
            inside.append(loose[j])
            j += 1
        units.append(Unit("sentence", sent, inside, section_id=section_id, preferences=preferences))
    return units


def as_one_section(doc: Doc) -> Doc:
    """A bare sentence has no article structure: make it one narrative section."""
    section = doc[:]
    doc.spans[SECTIONS] = [section]
    section._.section_id = "sec-bare"
    section._.section_kind = "narrative"
    doc.spans[CHRONOLOGY] = []
    return doc


def bare_text_words(nlp: Language, texts: Sequence[str], batch_size: int = 64) -> Iterator[list[str]]:
    """The classifier's words for each text parsed on its own as one narrative unit."""
    from pipeline.components.events import find_doc_events

    tagger = nlp.get_pipe("dipl_events")
    lexicon = tagger.lexicon  # type: ignore[attr-defined]
    disabled = [name for name in EVENT_STAGES_AFTER if name in nlp.pipe_names]
    with nlp.select_pipes(disable=disabled):
        for doc in nlp.pipe(texts, batch_size=batch_size):
            as_one_section(doc)
            learnt = tagger.learnt  # type: ignore[attr-defined]
            findings = find_doc_events(doc, lexicon, learnt=learnt)
            yield unit_words(doc[:], findings, main_finding(doc, findings, learnt.preferences), actor_masks(doc))
