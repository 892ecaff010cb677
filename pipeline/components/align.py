"""dipl_align: link narrative and caption events to the chronology entries reporting them.

Reads ``doc.spans["events"]`` (``event_id``, ``event_date``, ``event_source``,
``event_target``, ``event_agreements``, ``event_cameo_root``, ``event_trigger``,
``event_chronology_entry_id``), ``doc.spans["actors"]`` (``actor_id``,
``actor_canonical_id``, ``actor_country``), ``doc.spans["agreements"]`` (``agreement_id``,
``agreement_canonical_id``), ``doc.spans["dates"]`` (``date_value``, ``date_mod``),
``doc.spans["chronology"]`` (``entry_id``, ``entry_date``, ``entry_date_end``,
``entry_text_start``) and ``doc.spans["paragraphs"]``.  Writes ``event_aligned_entries`` on
every event outside the chronology and ``doc._.alignment_summary``.

The scoring lives in :mod:`pipeline.alignment`; this module only gathers plain data from the
Doc (``gather_*``) and writes the result (``write_alignment``).
"""

from __future__ import annotations

import bisect
import dataclasses
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import extensions as ext
from pipeline.alignment.dates import locates_happening
from pipeline.alignment.model import (
    ActorRef,
    AgreementRef,
    ChronologyEvidence,
    DateRef,
    Link,
    NarrativeEvent,
)
from pipeline.alignment.scoring import AlignmentScorer, score_pairs, select_links
from pipeline.alignment.summary import summarize
from pipeline.errors import PipelineError
from pipeline.extensions import without_gc


@spacy.registry.misc("dipl.alignment_scorer.v1")
def make_alignment_scorer_v1(
    date_weight: float = 0.4,
    actor_weight: float = 0.2,
    agreement_weight: float = 0.1,
    words_weight: float = 0.3,
    type_weight: float = 0.1,
    context_date_factor: float = 0.5,
    context_words_factor: float = 0.5,
    words_saturation: float = 4.0,
    threshold: float = 0.45,
    min_evidence: float = 0.15,
    relative_floor: float = 0.75,
    max_reason_words: int = 4,
) -> AlignmentScorer:
    """Version 1 of the scorer: a weighted sum of date, actor, agreement, word and type
    signals (docs/alignment.md)."""
    return AlignmentScorer(
        date_weight=date_weight,
        actor_weight=actor_weight,
        agreement_weight=agreement_weight,
        words_weight=words_weight,
        type_weight=type_weight,
        context_date_factor=context_date_factor,
        context_words_factor=context_words_factor,
        words_saturation=words_saturation,
        threshold=threshold,
        min_evidence=min_evidence,
        relative_floor=relative_floor,
        max_reason_words=max_reason_words,
    )


def _group(doc: Doc, name: str) -> list[Span]:
    return list(doc.spans[name]) if name in doc.spans else []


def _inside(span: Span, start: int, end: int) -> bool:
    return start <= span.start_char and span.end_char <= end


def _context(doc: Doc, span: Span) -> tuple[int, int]:
    """The sentence around an event; the event itself when the Doc has no sentences (a
    paragraph would lend every event in it the same actors and dates)."""
    if doc.has_annotation("SENT_START"):
        sent = doc[span.start].sent
        return sent.start_char, max(sent.end_char, span.end_char)
    return span.start_char, span.end_char


def _actor_ref(span: Span, text: str) -> ActorRef:
    """``text``: the document's text, to slice the mention from (``span.text`` rebuilds it)."""
    u = span._
    return ActorRef(text[span.start_char : span.end_char], u.actor_canonical_id, u.actor_country, span.start_char)


def _agreement_ref(span: Span) -> AgreementRef:
    return AgreementRef(span.text, span._.agreement_canonical_id, span.start_char)


def _date_refs(spans: Iterable[Span]) -> tuple[DateRef, ...]:
    return tuple(DateRef(u.date_value, u.date_mod) for u in (s._ for s in spans) if u.date_value)


def _trigger_lemma(doc: Doc, trigger: Mapping[str, Any] | None) -> str | None:
    if not trigger:
        return None
    span = doc.char_span(int(trigger["start"]), int(trigger["end"]), alignment_mode="expand")
    if span is None or not len(span):
        return None
    token = span.root if doc.has_annotation("DEP") else span[0]
    return (token.lemma_ or token.text).lower()


@dataclass(frozen=True)
class _Mentions:
    actors: list[Span]
    agreements: list[Span]
    dates: list[Span]
    paragraphs: list[Span]
    entries: list[Span]

    @classmethod
    def of(cls, doc: Doc) -> _Mentions:
        return cls(
            _group(doc, ext.ACTORS),
            _group(doc, ext.AGREEMENTS),
            sorted(_group(doc, ext.DATES), key=lambda s: s.start_char),
            _group(doc, ext.PARAGRAPHS),
            _group(doc, ext.CHRONOLOGY),
        )

    def in_chronology(self, span: Span) -> bool:
        return self.entry_index.holds(span)

    def _index(self, name: str) -> _SpanIndex:
        key = f"_{name}_index"
        index = self.__dict__.get(key)
        if index is None:
            index = _SpanIndex(getattr(self, name))
            object.__setattr__(self, key, index)
        return index

    @property
    def entry_index(self) -> _SpanIndex:
        return self._index("entries")

    def actors_inside(self, start: int, end: int) -> list[Span]:
        return self._index("actors").inside(start, end)

    def agreements_inside(self, start: int, end: int) -> list[Span]:
        return self._index("agreements").inside(start, end)

    def dates_inside(self, start: int, end: int) -> list[Span]:
        return self._index("dates").inside(start, end)

    def paragraph_at(self, offset: int) -> Span | None:
        """The first paragraph (in document order) holding ``offset``."""
        return self._index("paragraphs").first_holding(offset)


class _SpanIndex:
    """Spans by start offset, for the spans inside a range without scanning them all (a
    chronology of thousands of entries would otherwise cost entries x mentions)."""

    def __init__(self, spans: Sequence[Span]) -> None:
        self.items = sorted(((s.start_char, i, s) for i, s in enumerate(spans)), key=lambda x: (x[0], x[1]))
        self.starts = [x[0] for x in self.items]
        self.max_length = max((s.end_char - s.start_char for s in spans), default=0)

    def inside(self, start: int, end: int) -> list[Span]:
        """The spans with ``start <= span.start_char`` and ``span.end_char <= end``, in their
        original order."""
        lo, hi = bisect.bisect_left(self.starts, start), bisect.bisect_right(self.starts, end)
        found = [(i, s) for _, i, s in self.items[lo:hi] if s.end_char <= end]
        return [s for _, s in sorted(found, key=lambda x: x[0])]

    def first_holding(self, offset: int) -> Span | None:
        """The first span, in original order, with ``start_char <= offset < end_char``."""
        lo = bisect.bisect_left(self.starts, offset - self.max_length)
        hi = bisect.bisect_right(self.starts, offset)
        found = [(i, s) for _, i, s in self.items[lo:hi] if s.start_char <= offset < s.end_char]
        return min(found, key=lambda x: x[0])[1] if found else None

    def holds(self, span: Span) -> bool:
        """Some indexed span contains ``span``."""
        lo = bisect.bisect_left(self.starts, span.start_char - self.max_length)
        hi = bisect.bisect_right(self.starts, span.start_char)
        return any(_inside(span, s.start_char, s.end_char) for _, _, s in self.items[lo:hi])


def _event_dates(
    span: Span, context: tuple[int, int], m: _Mentions
) -> tuple[tuple[DateRef, ...], tuple[DateRef, ...]]:
    """The event's own dates and the dates it inherits from its paragraph."""
    in_sentence = m.dates_inside(*context)
    own: tuple[DateRef, ...] = ()
    event_date = span._.event_date
    if event_date:
        mods = [u.date_mod for u in (d._ for d in in_sentence) if u.date_value == event_date]
        own = (DateRef(event_date, mods[0] if mods else None),)
    own += _date_refs(m.dates_inside(span.start_char, span.end_char))
    if not own:
        own = _date_refs(in_sentence)
    paragraph = m.paragraph_at(span.start_char)
    inherited: tuple[DateRef, ...] = ()
    if paragraph is not None:
        before = [
            ref for ref in _date_refs(m.dates_inside(paragraph.start_char, context[0]))
            if locates_happening(ref)
        ]
        inherited = tuple(before[-1:])
    return tuple(dict.fromkeys(own)), inherited


def gather_events(doc: Doc) -> list[NarrativeEvent]:
    """Plain data for every event outside the chronology (narrative and captions)."""
    m = _Mentions.of(doc)
    actors_by_id = {s._.actor_id: s for s in m.actors if s._.actor_id}
    agreements_by_id = {s._.agreement_id: s for s in m.agreements if s._.agreement_id}
    events: list[NarrativeEvent] = []
    text = ext.reading_text(doc)
    for span in _group(doc, ext.EVENTS):
        u = span._  # one accessor for all the event's attributes
        if u.event_chronology_entry_id is not None or m.in_chronology(span):
            continue
        context = _context(doc, span)
        role_ids = list(u.event_source or []) + list(u.event_target or [])
        actors = [actors_by_id[i] for i in role_ids if i in actors_by_id]
        actors += m.actors_inside(span.start_char, span.end_char)
        if not actors:
            actors = m.actors_inside(*context)
        agreements = [agreements_by_id[i] for i in u.event_agreements or []
                      if i in agreements_by_id]
        agreements += m.agreements_inside(span.start_char, span.end_char)
        if not agreements:
            agreements = m.agreements_inside(*context)
        dates, inherited = _event_dates(span, context, m)
        events.append(
            NarrativeEvent(
                event_id=u.event_id or f"evt-{span.start_char}-{span.end_char}",
                start=span.start_char,
                end=span.end_char,
                text=text[span.start_char : span.end_char],  # what span.text rebuilds token by token
                context_text=text[context[0] : context[1]],
                dates=dates,
                context_dates=inherited,
                actors=tuple(dict.fromkeys(_actor_ref(a, text) for a in actors)),
                agreements=tuple(dict.fromkeys(_agreement_ref(a) for a in agreements)),
                cameo_root=u.event_cameo_root,
                trigger_lemma=_trigger_lemma(doc, u.event_trigger),
            )
        )
    return events


def gather_entries(doc: Doc) -> list[ChronologyEvidence]:
    """Plain data for every chronology entry, with the events found inside it."""
    m = _Mentions.of(doc)
    events = _group(doc, ext.EVENTS)
    entries: list[ChronologyEvidence] = []
    text = ext.reading_text(doc)
    by_entry: dict[str | None, list[int]] = {}
    for k, e in enumerate(events):
        by_entry.setdefault(e._.event_chronology_entry_id, []).append(k)
    event_index, actor_index, agreement_index = _SpanIndex(events), _SpanIndex(m.actors), _SpanIndex(m.agreements)
    position = {id(e): k for k, e in enumerate(events)}
    for entry in m.entries:
        start, end = entry.start_char, entry.end_char
        text_start = entry._.entry_text_start if entry._.entry_text_start is not None else start
        # The entry's events (by id, or lying inside it), in the events' order.
        chosen = set(by_entry.get(entry._.entry_id, [])) | {position[id(e)] for e in event_index.inside(start, end)}
        own_events = [events[k] for k in sorted(chosen)]
        entries.append(
            ChronologyEvidence(
                entry_id=entry._.entry_id,
                start=start,
                end=end,
                text=text[text_start:end],
                date=entry._.entry_date,
                date_end=entry._.entry_date_end,
                actors=tuple(_actor_ref(a, text) for a in actor_index.inside(start, end)),
                agreements=tuple(_agreement_ref(a) for a in agreement_index.inside(start, end)),
                cameo_roots=frozenset(e._.event_cameo_root for e in own_events
                                      if e._.event_cameo_root),
                trigger_lemmas=frozenset(
                    lemma for e in own_events
                    if (lemma := _trigger_lemma(doc, e._.event_trigger))
                ),
            )
        )
    return entries


def narrative_mentions(doc: Doc) -> tuple[list[ActorRef], list[AgreementRef]]:
    """Every actor and agreement mention outside the chronology entries."""
    m = _Mentions.of(doc)
    text = ext.reading_text(doc)
    actors = [_actor_ref(a, text) for a in m.actors if not m.in_chronology(a)]
    agreements = [_agreement_ref(a) for a in m.agreements if not m.in_chronology(a)]
    return actors, agreements


def find_alignment(
    events: Sequence[NarrativeEvent],
    entries: Sequence[ChronologyEvidence],
    scorer: AlignmentScorer,
    narrative_actors: Sequence[ActorRef] = (),
    narrative_agreements: Sequence[AgreementRef] = (),
) -> tuple[dict[str, list[Link]], dict[str, Any]]:
    """Links per event id and the article's alignment summary, from plain data."""
    pairs = score_pairs(events, entries, scorer, every_pair=False) if entries else []
    chosen = select_links(pairs, scorer) if pairs else {}
    links = {e.event_id: chosen.get(e.event_id, []) for e in events}
    summary = summarize(events, entries, pairs, links, scorer, narrative_actors,
                        narrative_agreements)
    return links, summary


def write_alignment(doc: Doc, links: Mapping[str, Sequence[Link]], summary: dict[str, Any]) -> None:
    """Put the links on the narrative event spans and the summary on the Doc."""
    for span in _group(doc, ext.EVENTS):
        event_id = span._.event_id or f"evt-{span.start_char}-{span.end_char}"
        if event_id in links:
            span._.event_aligned_entries = [link.as_attribute() for link in links[event_id]]
    doc._.alignment_summary = summary


LEARNT_FILE = "learnt.json"


class ChronologyAligner:
    """The ``dipl_align`` component (see the module docstring for what it reads and writes)."""

    def __init__(self, nlp: Language, name: str, scorer: AlignmentScorer) -> None:
        self.name = name
        self.scorer = scorer
        self.learnt: dict[str, Any] | None = None  # what training changed (``learn``)

    def learn(self, threshold: float, judgements: int) -> None:
        """Use a threshold learnt from reviewed links (``pipeline.alignment.learn``); it is
        saved with the pipeline and applied over the config's when the pipeline is loaded."""
        self.learnt = {"threshold": threshold, "judgements": judgements, "config_threshold": self.scorer.threshold}
        self.scorer = dataclasses.replace(self.scorer, threshold=threshold)

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.learnt is not None:
            (path / LEARNT_FILE).write_text(json.dumps(self.learnt, indent=1) + "\n", encoding="utf-8")

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> ChronologyAligner:
        file = Path(path) / LEARNT_FILE
        if file.is_file():
            try:
                learnt = json.loads(file.read_text(encoding="utf-8"))
                threshold = float(learnt["threshold"])
            except (ValueError, KeyError, TypeError) as exc:
                raise PipelineError("E041", f"{file}: the learnt alignment threshold cannot be read ({exc})") from exc
            self.learnt = learnt
            self.scorer = dataclasses.replace(self.scorer, threshold=threshold)
        return self

    @without_gc
    def __call__(self, doc: Doc) -> Doc:
        events = gather_events(doc)
        entries = gather_entries(doc)
        actors, agreements = narrative_mentions(doc)
        links, summary = find_alignment(events, entries, self.scorer, actors, agreements)
        write_alignment(doc, links, summary)
        ext.drop_reading_text(doc)  # the last stage: the text cache is not output
        return doc


@Language.factory(
    "dipl_align",
    assigns=["span._.event_aligned_entries", "doc._.alignment_summary"],
    default_config={"scorer": {"@misc": "dipl.alignment_scorer.v1"}},
)
def make_align(nlp: Language, name: str, scorer: AlignmentScorer) -> ChronologyAligner:
    return ChronologyAligner(nlp, name, scorer)
