"""dipl_dates: every temporal expression as a span in ``doc.spans["dates"]`` with its TIMEX3 value."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import extensions as ext
from pipeline.dates.normalize import (
    Anchor,
    DateContext,
    NormalizedDate,
    PrecedingDate,
    normalize,
    normalize_range,
)
from pipeline.dates.overrides import (
    OVERRIDES_FILE,
    DateOverride,
    adjust_mentions,
    apply_override,
    overrides_by_key,
    read_overrides,
    surface_key,
    write_overrides,
)
from pipeline.dates.recognize import (
    PATTERN_RESOURCE,
    DateMention,
    PatternLine,
    build_matcher,
    find_date_mentions,
    load_default_pattern_text,
    read_pattern_lines,
)
from pipeline.extensions import without_gc


class DateNormalizer(Protocol):
    """What the component needs from a normaliser (registered as ``dipl.date_normalizer.*``)."""

    def normalize(self, span_text: str, context: DateContext) -> NormalizedDate: ...

    def normalize_range(
        self, first_text: str, second_text: str, context: DateContext
    ) -> tuple[NormalizedDate, NormalizedDate]: ...


@dataclass(frozen=True)
class RuleDateNormalizer:
    """Version 1: the rules of ``pipeline.dates.normalize``."""

    def normalize(self, span_text: str, context: DateContext) -> NormalizedDate:
        return normalize(span_text, context)

    def normalize_range(
        self, first_text: str, second_text: str, context: DateContext
    ) -> tuple[NormalizedDate, NormalizedDate]:
        return normalize_range(first_text, second_text, context)


@spacy.registry.misc("dipl.date_normalizer.v1")
def make_rule_date_normalizer() -> DateNormalizer:
    return RuleDateNormalizer()


@dataclass(frozen=True)
class ResolvedDate:
    """A mention with its normalised value: what the write step puts on the Doc."""

    mention: DateMention
    result: NormalizedDate

    @property
    def date_id(self) -> str:
        return f"date-{self.mention.start_char}-{self.mention.end_char}"


@dataclass(frozen=True)
class _Region:
    start: int
    end: int
    entry_date: str | None = None


def _regions(doc: Doc) -> tuple[list[_Region], list[_Region]]:
    """Chronology entries and paragraphs as plain offset ranges."""
    entries = [
        _Region(span.start_char, span.end_char, span._.entry_date)
        for span in doc.spans.get(ext.CHRONOLOGY, [])
    ]
    paragraphs = [_Region(span.start_char, span.end_char) for span in doc.spans.get(ext.PARAGRAPHS, [])]
    return entries, paragraphs


def _containing(regions: Iterable[_Region], start: int, end: int) -> _Region | None:
    for region in regions:
        if region.start <= start and end <= region.end:
            return region
    return None


def resolve_mentions(
    text: str,
    mentions: list[DateMention],
    entries: list[_Region],
    paragraphs: list[_Region],
    metadata: Mapping[str, Any] | None,
    normalizer: DateNormalizer,
    overrides: Mapping[str, DateOverride] | None = None,
) -> list[ResolvedDate]:
    """Give every mention a value, in text order, carrying paragraph state forward.

    The state of a paragraph (or chronology entry) is what earlier mentions in it resolved to
    and the references they fixed ("the day before the deadline" fixes the deadline).
    """
    metadata = metadata or {}
    period = metadata.get("period") or {}
    published = metadata.get("published")
    published_anchor: Anchor = "publication_date"
    document = metadata.get("document_date") or {}
    document_value = document.get("value") if isinstance(document, Mapping) else None
    if not published and not period.get("end") and document_value and len(document_value) >= 7:
        published, published_anchor = document_value[:7], "document_date"
    document_day = document_value if document_value and len(document_value) == 10 else None
    state: dict[tuple[int, int], tuple[list[PrecedingDate], dict[str, str]]] = {}
    resolved: dict[int, NormalizedDate] = {}
    previous_end: dict[tuple[int, int], tuple[int, str | None]] = {}
    index_of = {id(m): i for i, m in enumerate(mentions)}
    ranges: dict[int, list[DateMention]] = {}
    for mention in mentions:
        if mention.range_group is not None:
            ranges.setdefault(mention.range_group, []).append(mention)
    for i, mention in enumerate(mentions):
        if i in resolved:
            continue
        entry = _containing(entries, mention.start_char, mention.end_char)
        region = entry or _containing(paragraphs, mention.start_char, mention.end_char)
        key = (region.start, region.end) if region else (-1, -1)
        preceding, references = state.setdefault(key, ([], {}))
        appositive = None
        if key in previous_end:
            end, value = previous_end[key]
            if value and len(value) == 10 and text[end : mention.start_char].strip() == ",":
                appositive = value
        context = DateContext(
            entry_date=entry.entry_date if entry else None,
            preceding=tuple(preceding),
            period_start=period.get("start"),
            period_end=period.get("end"),
            published=published,
            published_anchor=published_anchor,
            document_date=document_day,
            appositive_value=appositive,
            references=dict(references),
        )
        group = ranges.get(mention.range_group) if mention.range_group is not None else None
        if group and len(group) == 2:
            first, second = normalizer.normalize_range(group[0].text, group[1].text, context)
            outcomes = [(index_of[id(group[0])], first), (index_of[id(group[1])], second)]
        else:
            own = normalizer.normalize(mention.text, context)
            override = overrides.get(surface_key(mention.text)) if overrides else None
            if override is not None and override.expect == "date":
                own = apply_override(override, own, context)  # a form reviewers corrected
            outcomes = [(i, own)]
        for index, outcome in outcomes:
            resolved[index] = outcome
            references.update(outcome.defines)
            # a time of day anchors what follows as its day ("the next day")
            value, granularity = outcome.value, outcome.granularity
            if granularity == "time" and value is not None:
                value, granularity = value[:10], "day"
            if value is not None and granularity is not None:
                explicit_year = outcome.anchor == "explicit" and value[:4].isdigit()
                preceding.append(PrecedingDate(value, granularity, explicit_year, outcome.derived))
            previous_end[key] = (mentions[index].end_char, value)
    return [ResolvedDate(mention, resolved[i]) for i, mention in enumerate(mentions)]


def write_dates(doc: Doc, dates: Iterable[ResolvedDate]) -> None:
    """Put the resolved dates on the Doc as ``doc.spans["dates"]`` with ``date_*`` attributes."""
    spans: list[Span] = []
    for item in dates:
        span = doc.char_span(item.mention.start_char, item.mention.end_char, alignment_mode="expand")
        if span is None:
            continue
        span._.date_id = item.date_id
        span._.date_value = item.result.value
        span._.date_mod = item.result.mod
        span._.date_granularity = item.result.granularity
        span._.date_anchor = item.result.anchor
        span._.date_reason = item.result.reason
        spans.append(span)
    doc.spans[ext.DATES] = spans


class DateRecognizer:
    """Reads ``doc.ents`` (DATE), ``doc.spans["chronology"]`` (``entry_date``),
    ``doc.spans["paragraphs"]`` and ``doc._.metadata`` (``period``, ``published``); writes
    ``doc.spans["dates"]`` with ``date_id``, ``date_value``, ``date_mod``,
    ``date_granularity``, ``date_anchor`` and ``date_reason``."""

    def __init__(self, nlp: Language, name: str, normalizer: DateNormalizer,
                 use_entities: bool) -> None:
        self.name = name
        self.vocab = nlp.vocab
        self.normalizer = normalizer
        self.use_entities = use_entities
        self.set_patterns(load_default_pattern_text(), PATTERN_RESOURCE)
        self.set_overrides([])

    def set_overrides(self, overrides: list[DateOverride]) -> None:
        """Date forms learnt from corrections (``pipeline.dates.overrides``)."""
        self.overrides = list(overrides)
        self._overrides_by_key = overrides_by_key(self.overrides)

    def set_patterns(self, text: str, source: str) -> None:
        self.pattern_text = text
        self.patterns: list[PatternLine] = read_pattern_lines(text.splitlines(), source)
        self.matcher = build_matcher(self.vocab, self.patterns)

    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None,
                   nlp: Language | None = None, patterns_path: str | None = None) -> None:
        if patterns_path:
            path = Path(patterns_path)
            self.set_patterns(path.read_text(encoding="utf-8"), str(path))

    @without_gc
    def __call__(self, doc: Doc) -> Doc:
        mentions = find_date_mentions(doc, self.matcher, self.patterns, self.use_entities)
        if self.overrides:
            mentions = adjust_mentions(
                ext.reading_text(doc), mentions, self.overrides,
                lambda start, end, text: DateMention(start, end, text, "correction"),
            )
        entries, paragraphs = _regions(doc)
        metadata = doc._.metadata if Doc.has_extension("metadata") else None
        write_dates(doc, resolve_mentions(ext.reading_text(doc), mentions, entries, paragraphs, metadata,
                                          self.normalizer, self._overrides_by_key))
        return doc

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / PATTERN_RESOURCE).write_text(self.pattern_text, encoding="utf-8")
        if self.overrides:
            (path / OVERRIDES_FILE).write_text(write_overrides(self.overrides), encoding="utf-8")

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> DateRecognizer:
        file = Path(path) / PATTERN_RESOURCE
        self.set_patterns(file.read_text(encoding="utf-8"), str(file))
        learnt = Path(path) / OVERRIDES_FILE
        self.set_overrides(read_overrides(learnt.read_text(encoding="utf-8"), str(learnt)) if learnt.is_file() else [])
        return self


@Language.factory(
    "dipl_dates",
    assigns=["doc.spans"],
    requires=["doc.ents"],
    default_config={
        "normalizer": {"@misc": "dipl.date_normalizer.v1"},
        "use_entities": True,
    },
)
def make_dates(nlp: Language, name: str, normalizer: DateNormalizer,
               use_entities: bool) -> DateRecognizer:
    return DateRecognizer(nlp, name, normalizer, use_entities)
