"""The ``dipl_events`` component: events, roles and polarity for narrative, captions, chronology.

Reads ``doc.spans["sections"]`` (``section_kind`` narrative|caption|chronology),
``doc.spans["chronology"]`` (``entry_id``, ``entry_date``), ``doc.spans["actors"]``
(``actor_id``), ``doc.spans["agreements"]`` (``agreement_id``), ``doc.spans["dates"]``
(``date_value``) and the parse.  Writes ``doc.spans["events"]`` with the ``event_*``
attributes of :mod:`pipeline.extensions`.

Each event span covers its own clause (the trigger's subtree minus other events' clauses),
so two events of one sentence have different offsets; spaCy keys span attributes by
offsets, so identical offsets would make two events share attributes.  Where two clauses
still coincide the later event falls back to its trigger's offsets.
"""

from __future__ import annotations

import bisect
import shutil
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from pipeline.errors import PipelineError
from pipeline.events.classifier import MODES, PolarityClassifier, combine
from pipeline.events.extract import PREDICATE_CONFIDENCE, EventFinding, extract_events
from pipeline.events.features import actor_masks, event_words
from pipeline.events.features import unit_words as unit_words_of
from pipeline.events.learnt import LearntEvents
from pipeline.events.lexicon import CueLexicon, cues_to_jsonl, read_cue_file
from pipeline.events.units import doc_units
from pipeline.extensions import (
    ACTORS,
    AGREEMENTS,
    CHRONOLOGY,
    DATES,
    EVENTS,
    SECTIONS,
    register_extensions,
    without_gc,
)

CUES_FILE = "cues.jsonl"
CLASSIFIER_DIR = "polarity_classifier"
EVENT_SECTION_KINDS = ("narrative", "caption")


def event_id(start: int, end: int, k: int) -> str:
    """Stable id: the event's offsets and its rank among the events of its sentence."""
    return f"evt-{start}-{end}-{k}"


def event_sentences(doc: Doc) -> list[tuple[Span, Span, str | None, Span | None]]:
    """(sentence, region, section id, entry) for every sentence events are looked for in:
    sentences of narrative and caption sections, and of each chronology entry (cut to it)."""
    sections = list(doc.spans[SECTIONS]) if SECTIONS in doc.spans else []
    entries = list(doc.spans[CHRONOLOGY]) if CHRONOLOGY in doc.spans else []
    regions: list[tuple[Span, str | None, Span | None]] = []
    for section in sections:
        if section._.section_kind in EVENT_SECTION_KINDS:
            regions.append((section, section._.section_id, None))
    chronology_sections = [s for s in sections if s._.section_kind == "chronology"]
    for entry in entries:
        owner = next(
            (s for s in chronology_sections if s.start <= entry.start and entry.end <= s.end), None
        )
        regions.append((entry, owner._.section_id if owner is not None else None, entry))
    captions = [s for s in sections if s._.section_kind == "caption"]
    out: list[tuple[Span, Span, str | None, Span | None]] = []
    sents = list(doc.sents)
    sent_ends = [sent.end for sent in sents]
    for region, section_id, entry in regions:
        for sent in _sentences(doc, region, sents, sent_ends):
            if region._.section_kind == "narrative" and any(
                c.start <= sent.start and sent.end <= c.end for c in captions
            ):
                continue  # a caption inside a narrative section belongs to the caption
            out.append((sent, region, section_id, entry))
    return out


def narrative_sentences(
    doc: Doc, sentences: Sequence[tuple[Span, Span, str | None, Span | None]] | None = None
) -> list[tuple[Span, str | None]]:
    """The narrative and caption sentences (each gets a polarity), with their section ids;
    ``sentences`` as for ``find_doc_events``."""
    every = event_sentences(doc) if sentences is None else sentences
    return [(sent, section_id) for sent, _, section_id, entry in every if entry is None]


def find_doc_events(doc: Doc, lexicon: CueLexicon, predicate_events: bool = True,
                    learnt: LearntEvents | None = None,
                    sentences: Sequence[tuple[Span, Span, str | None, Span | None]] | None = None,
                    ) -> list[EventFinding]:
    """Run ``extract_events`` over every narrative/caption sentence and chronology entry
    (``sentences``: ``event_sentences(doc)``, when the caller has them already); learnt
    modality markers (``pipeline.events.learnt``) then decide the modality of the events they
    stand next to."""
    actors = list(doc.spans[ACTORS]) if ACTORS in doc.spans else []
    agreements = list(doc.spans[AGREEMENTS]) if AGREEMENTS in doc.spans else []
    dates = list(doc.spans[DATES]) if DATES in doc.spans else []
    findings: list[EventFinding] = []
    actors_at, agreements_at, dates_at = _ByStart(actors), _ByStart(agreements), _ByStart(dates)
    for sent, region, section_id, entry in event_sentences(doc) if sentences is None else sentences:
        findings += extract_events(
            sent,
            actors_at.starting_in(region.start, region.end),
            agreements_at.starting_in(region.start, region.end),
            lexicon,
            date_spans=dates_at.starting_in(region.start, region.end),
            entry_date=entry._.entry_date if entry is not None else None,
            section_id=section_id,
            chronology_entry_id=entry._.entry_id if entry is not None else None,
            predicate_events=predicate_events,
        )
    if learnt is not None and learnt.markers:
        apply_learnt_modality(doc, findings, learnt)
    return one_event_per_trigger(findings)


def apply_learnt_modality(doc: Doc, findings: Sequence[EventFinding], learnt: LearntEvents) -> None:
    for finding in findings:
        span = doc.char_span(int(finding.trigger["start"]), int(finding.trigger["end"]), alignment_mode="expand")
        modality = learnt.modality_for(span.root) if span is not None else None
        if modality is not None and modality != finding.modality:
            finding.modality = modality
            if finding.decision is not None:
                finding.decision.modality = modality  # type: ignore[assignment]


def one_event_per_trigger(findings: list[EventFinding]) -> list[EventFinding]:
    """One event per trigger: when the speech frame follows what was said ("X, officials said"),
    the act is found both on its own and as reported speech; the reported reading, which
    carries the speaker, is kept."""
    by_trigger: dict[tuple[int, int], EventFinding] = {}
    for finding in findings:
        key = (int(finding.trigger["start"]), int(finding.trigger["end"]))
        kept = by_trigger.get(key)
        if kept is None or (kept.modality != "reported" and finding.modality == "reported"):
            by_trigger[key] = finding
    return sorted(by_trigger.values(), key=lambda f: (f.start, f.end, f.trigger["start"]))


def _sentences(doc: Doc, region: Span, sents: Sequence[Span], sent_ends: Sequence[int]) -> list[Span]:
    """Sentences of a region, cut to the region (a chronology entry may share a sentence);
    ``sents`` in order with their ``sent_ends``, so only the overlapping ones are looked at."""
    out: list[Span] = []
    for k in range(bisect.bisect_right(sent_ends, region.start), len(sents)):
        sent = sents[k]
        if sent.start >= region.end:
            break
        start, end = max(sent.start, region.start), min(sent.end, region.end)
        if start < end:
            out.append(doc[start:end])
    return out


class _ByStart:
    """Spans whose start token falls in a range, in their original order, without scanning
    every span for every sentence."""

    def __init__(self, spans: Sequence[Span]) -> None:
        self.items = sorted(((span.start, i) for i, span in enumerate(spans)))
        self.starts = [start for start, _ in self.items]
        self.spans = list(spans)

    def starting_in(self, start: int, end: int) -> list[Span]:
        lo, hi = bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)
        return [self.spans[i] for i in sorted(i for _, i in self.items[lo:hi])]


def write_events(doc: Doc, findings: Sequence[EventFinding]) -> list[Span]:
    """Write findings to ``doc.spans["events"]``; offsets are made unique (see module doc)."""
    spans: list[Span] = []
    used: set[tuple[int, int]] = set()
    rank: dict[tuple[str | None, str | None, int], int] = {}
    for finding in findings:
        span = doc.char_span(finding.start, finding.end, alignment_mode="expand")
        trigger = finding.trigger
        if span is None or (span.start_char, span.end_char) in used:
            span = doc.char_span(trigger["start"], trigger["end"], alignment_mode="expand")
        if span is None or (span.start_char, span.end_char) in used:
            continue
        used.add((span.start_char, span.end_char))
        sentence_key = (finding.section_id, finding.chronology_entry_id, span.sent.start)
        k = rank.get(sentence_key, 0)
        rank[sentence_key] = k + 1
        u = span._  # one accessor for the thirteen attributes
        u.event_id = event_id(span.start_char, span.end_char, k)
        u.event_trigger = dict(trigger)
        u.event_source = list(finding.source)
        u.event_target = list(finding.target)
        u.event_agreements = list(finding.agreements)
        u.event_date = finding.date
        u.event_polarity = finding.polarity
        u.event_confidence = finding.confidence
        u.event_modality = finding.modality
        u.event_cameo_root = finding.cameo_root
        u.event_cues = list(finding.cues)
        u.event_section_id = finding.section_id
        u.event_chronology_entry_id = finding.chronology_entry_id
        spans.append(span)
    doc.spans[EVENTS] = spans
    return spans


PACKAGED_CLASSIFIER = "packaged"  # classifier_path value for the classifier shipped in the package
PACKAGED_CLASSIFIER_DIR = "polarity-v2"


def resolve_classifier_path(classifier_path: str) -> str:
    """``"packaged"`` is the textcat shipped in ``pipeline/data``; anything else is a path."""
    if classifier_path == PACKAGED_CLASSIFIER:
        return str(resources.files("pipeline.data").joinpath(PACKAGED_CLASSIFIER_DIR))
    return classifier_path


class EventTagger:
    """Lexicon-driven event finder with an optional trained polarity classifier."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        cue_paths: Sequence[str],
        include_packaged: bool,
        mode: str,
        classifier_path: str | None,
        classifier_weight: float,
        predicate_events: bool = True,
    ) -> None:
        register_extensions()
        if mode not in MODES:
            raise PipelineError("E030", f"unknown polarity mode {mode!r}; use one of {MODES}")
        if mode != "lexicon" and not classifier_path:
            raise PipelineError("E030", f"polarity mode {mode!r} needs a classifier_path")
        self.name = name
        self.cue_paths = list(cue_paths)
        self.include_packaged = include_packaged
        self.mode = mode
        self.classifier_path = classifier_path
        self.classifier_weight = classifier_weight
        self.predicate_events = predicate_events
        self._lexicon: CueLexicon | None = None
        self._classifier: PolarityClassifier | None = None
        self.learnt = LearntEvents()  # what corrections taught it (a trained pipeline's)

    @property
    def lexicon(self) -> CueLexicon:
        if self._lexicon is None:
            self._lexicon = CueLexicon.load(self.cue_paths, self.include_packaged)
        return self._lexicon

    @property
    def classifier(self) -> PolarityClassifier | None:
        if self.mode == "lexicon":
            return None
        if self._classifier is None:
            assert self.classifier_path is not None
            self._classifier = PolarityClassifier.load(resolve_classifier_path(self.classifier_path))
        return self._classifier

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        self._lexicon = CueLexicon.load(self.cue_paths, self.include_packaged)
        self._classifier = None

    @without_gc
    def __call__(self, doc: Doc) -> Doc:
        regions = event_sentences(doc)  # found once, for the events and for the units
        findings = find_doc_events(doc, self.lexicon, self.predicate_events, self.learnt, regions)
        units = doc_units(doc, findings, narrative_sentences(doc, regions), self.learnt.preferences)
        mains = [unit.main for unit in units]
        classifier = self.classifier
        if classifier is not None:
            # Words are built from the lexicon's readings, before the classifier changes them.
            masks = actor_masks(doc)
            unit_words = [unit_words_of(u.span, u.findings, main, masks) for u, main in zip(units, mains, strict=True)]
            event_words_ = [event_words(doc[f.token_start : f.token_end], f, masks) for f in findings]
            if classifier.reads_words:
                # one pass of the classifier over units and events; a words model needs no texts
                both = classifier.score_units((), [*unit_words, *event_words_], doc.vocab)
                unit_scores, event_scores = both[: len(units)], both[len(units) :]
            else:
                unit_scores = classifier.score_units([u.span.text for u in units], unit_words, doc.vocab)
                event_scores = classifier.score_units([f.text for f in findings], event_words_, doc.vocab)
            for finding, score in zip(findings, event_scores, strict=True):
                finding.polarity, finding.confidence = combine(
                    finding.polarity, finding.confidence, score, self.mode, self.classifier_weight
                )
        unit_results: list[tuple[str, float]] = []
        for k, main in enumerate(mains):
            lexicon_reading: tuple[str, float] = (
                (main.decision.polarity, main.decision.confidence)
                if main is not None and main.decision is not None
                else ("neutral", PREDICATE_CONFIDENCE)
            )
            if classifier is None:
                polarity, confidence = lexicon_reading
            else:
                polarity, confidence = combine(
                    lexicon_reading[0], lexicon_reading[1], unit_scores[k], self.mode, self.classifier_weight
                )
            if main is not None:
                # The guide: a unit's polarity is that of its main event.
                main.polarity, main.confidence = polarity, confidence
            unit_results.append((polarity, confidence))
        spans = write_events(doc, findings)
        by_trigger = {
            (int(s._.event_trigger["start"]), int(s._.event_trigger["end"])): s for s in spans
        }
        sentences: dict[int, dict[str, Any]] = {}
        entries: dict[str, dict[str, Any]] = {}
        for unit, main, (unit_polarity, unit_confidence) in zip(units, mains, unit_results, strict=True):
            main_span = (
                by_trigger.get((int(main.trigger["start"]), int(main.trigger["end"])))
                if main is not None
                else None
            )
            if main_span is not None:
                main_span._.event_is_main = True
            result = {
                "polarity": unit_polarity,
                "confidence": unit_confidence,
                "main_event_id": main_span._.event_id if main_span is not None else None,
            }
            if unit.kind == "entry" and unit.entry_id is not None:
                entries[unit.entry_id] = result
            else:
                sentences[unit.span.sent.start] = result
        doc._.polarity_units = {"sentences": sentences, "entries": entries}
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the cue lexicon (and the classifier, if one is used) with the pipeline."""
        directory = ensure_path(path)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / CUES_FILE).write_text(cues_to_jsonl(self.lexicon.cues), encoding="utf-8")
        self.learnt.write(directory)
        classifier = self.classifier
        if classifier is not None:
            target = directory / CLASSIFIER_DIR
            if target.exists():
                shutil.rmtree(target)
            classifier.nlp.to_disk(target)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> EventTagger:
        directory = ensure_path(path)
        self._lexicon = CueLexicon(read_cue_file(directory / CUES_FILE))
        try:
            self.learnt = LearntEvents.read(directory)
        except (OSError, ValueError) as exc:
            raise PipelineError("E030", f"the events stage's learnt tables in {directory}: {exc}") from exc
        if (directory / CLASSIFIER_DIR).exists():
            self._classifier = PolarityClassifier.load(directory / CLASSIFIER_DIR)
        return self


@Language.factory(
    "dipl_events",
    assigns=["doc.spans"],
    requires=["token.dep", "token.lemma", "token.pos"],
    default_config={
        "cue_paths": [],
        "include_packaged": True,
        "mode": "lexicon",
        "classifier_path": None,
        "classifier_weight": 0.5,
        "predicate_events": True,
    },
)
def make_events(
    nlp: Language,
    name: str,
    cue_paths: list[str],
    include_packaged: bool,
    mode: str,
    classifier_path: str | None,
    classifier_weight: float,
    predicate_events: bool,
) -> EventTagger:
    """``mode``: lexicon | classifier | combined; ``classifier_path``: a trained textcat
    pipeline directory, or ``"packaged"`` for the one shipped in ``pipeline/data/polarity-v2``."""
    return EventTagger(
        nlp, name, cue_paths, include_packaged, mode, classifier_path, classifier_weight, predicate_events
    )
