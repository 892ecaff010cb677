"""Output records (contract v1) and the one place that turns a processed Doc into them.

Every offset in a record is a character offset into the record's ``text`` (the article as
read, before layout noise was taken out of the reading flow), so ``text[start:end]`` is
always the span.  Components never write JSON; they fill span groups, and this module reads
them.
"""

from __future__ import annotations

import bisect
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from spacy.tokens import Doc, Span

from pipeline import SCHEMA_VERSION, __version__
from pipeline import extensions as ext
from pipeline.reading import OffsetMap

SectionKind = Literal["front_matter", "narrative", "caption", "chronology"]
ActorType = Literal["PERSON", "STATE", "ORG", "GROUP"]
Polarity = Literal["escalatory", "de-escalatory", "neutral"]
Modality = Literal["asserted", "negated", "hypothetical", "reported"]
DateMod = Literal["START", "MID", "END", "APPROX", "BEFORE", "AFTER"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceInfo(Record):
    path: str = Field(description="The input file as given on the command line.")
    sha256: str = Field(description="SHA-256 of the input file's bytes.")
    format: Literal["txt", "html", "pdf"] = Field(description="How the input was read.")
    first_page: int | None = Field(
        None, description="PDF input: the page of the file (1-based) the record's text starts on."
    )
    last_page: int | None = Field(None, description="PDF input: the page of the file the record's text ends on.")
    issue_id: str | None = Field(
        None, description="An article cut from a whole-issue PDF: the issue's id in issues.jsonl."
    )


class Period(Record):
    start: str | None = Field(None, description="First month covered, YYYY-MM.")
    end: str | None = Field(None, description="Last month covered, YYYY-MM.")


class Author(Record):
    name: str = Field(description="The author's name as printed.")
    affiliation: str | None = Field(None, description="Affiliation from the 'Connect' block.")


class DocumentDate(Record):
    value: str = Field(description="TIMEX3 value of the date the text is about or was published.")
    anchor: Literal["period", "publication", "running_header", "dateline", "latest_date"] = Field(
        description="Where it came from: the period covered, the publication line or citation, "
        "a PDF running header, a news dateline, or the latest full date in the text."
    )


class ArticleMetadata(Record):
    journal_section: str | None = Field(None, description="Journal section line, e.g. 'Articles'.")
    relationship: str | None = Field(None, description="The bilateral relationship, e.g. 'Japan-Korea'.")
    period: Period = Field(default_factory=Period, description="The period the article covers.")
    title: str | None = Field(None, description="The article's title.")
    authors: list[Author] = Field(default_factory=list, description="Authors in byline order.")
    journal: str | None = Field(None, description="Journal name.")
    volume: int | None = Field(None, description="Volume number.")
    issue: int | None = Field(None, description="Issue number within the volume.")
    published: str | None = Field(None, description="Publication month, YYYY-MM.")
    pages: str | None = Field(None, description="Page range, e.g. '121-128'.")
    citation: str | None = Field(None, description="The preferred citation as printed.")
    document_date: DocumentDate | None = Field(
        None, description="The document's own date, which anchors partial dates and offices."
    )
    chronology_order: Literal["oldest_first", "newest_first"] | None = Field(
        None, description="How the chronology's entries are ordered, as printed (null: unknown)."
    )


class SpanRecord(Record):
    start: int = Field(description="Start offset into the article text.")
    end: int = Field(description="End offset (exclusive) into the article text.")


class PageSpan(SpanRecord):
    number: int = Field(description="The page of the PDF file (1-based).")
    label: str | None = Field(None, description="The page number printed on the page, if found.")


class Section(SpanRecord):
    id: str = Field(description="Stable id, e.g. 'sec-03'.")
    page: int | None = Field(None, description="PDF input: the page the section starts on.")
    kind: SectionKind = Field(description="What the section is.")
    heading: str | None = Field(None, description="The section's heading line, if it has one.")
    credit: str | None = Field(None, description="Photo credit, for captions.")


class Paragraph(SpanRecord):
    id: str = Field(description="Stable id, e.g. 'par-012'.")
    section_id: str = Field(description="The section holding the paragraph.")


class Sentence(SpanRecord):
    id: str = Field(description="Stable id, e.g. 'snt-0042'.")
    section_id: str | None = Field(None, description="The section holding the sentence.")
    polarity: Polarity | None = Field(
        None, description="Narrative and caption sentences: the polarity of the sentence (its main event's)."
    )
    confidence: float | None = Field(None, description="Confidence of the sentence's polarity, 0-1.")
    main_event_id: str | None = Field(None, description="The sentence's main event, when it has one.")


class ChronologyEntry(SpanRecord):
    id: str = Field(description="Stable id, e.g. 'chr-007'.")
    date_text: str = Field(description="The entry's date as printed ('' when it was lost).")
    date: str | None = Field(None, description="TIMEX3 value of the entry's (first) day.")
    date_end: str | None = Field(None, description="Last day of a date range entry.")
    text: str = Field(description="The entry's text after its date.")
    text_start: int = Field(description="Offset where the entry's text starts.")
    page: int | None = Field(None, description="PDF input: the page the entry starts on.")
    polarity: Polarity | None = Field(
        None, description="Polarity of the entry (its main event's); null only when no events stage ran."
    )
    confidence: float | None = Field(None, description="Confidence of the entry's polarity, 0-1.")
    main_event_id: str | None = Field(None, description="The entry's main event, when it has one.")


class ActorMention(SpanRecord):
    id: str = Field(description="Stable id.")
    text: str = Field(description="The mention as printed.")
    type: ActorType = Field(description="PERSON, STATE, ORG or GROUP.")
    country: str | None = Field(None, description="ISO 3166-1 alpha-3 of the actor's state.")
    canonical_id: str | None = Field(None, description="One id for all mentions of this actor.")
    canonical_name: str | None = Field(None, description="Normalised name.")
    role: str | None = Field(None, description="Office held at the time of the mention.")
    metonymy: bool = Field(False, description="A capital or building standing for a government.")


class DateMention(SpanRecord):
    id: str = Field(description="Stable id.")
    text: str = Field(description="The expression as printed.")
    value: str | None = Field(None, description="TIMEX3 value, or null when unresolved.")
    mod: DateMod | None = Field(None, description="TIMEX3 modifier.")
    granularity: str | None = Field(None, description="day, month, season, year, ...")
    anchor: str | None = Field(None, description="What a partial or relative date was resolved against.")
    reason: str | None = Field(None, description="Why the value is null.")


class AgreementMention(SpanRecord):
    id: str = Field(description="Stable id.")
    text: str = Field(description="The mention as printed.")
    canonical_id: str | None = Field(None, description="Registry id, or a derived id for unlisted agreements.")
    canonical_name: str | None = Field(None, description="Normalised name.")


class Trigger(SpanRecord):
    text: str = Field(description="The word or phrase that expresses the event.")


class AlignmentLink(Record):
    entry_id: str = Field(description="The chronology entry the event is linked to.")
    score: float = Field(description="Link score, higher is better.")
    reasons: list[str] = Field(default_factory=list, description="Signals that carried the link.")


class Event(SpanRecord):
    id: str = Field(description="Stable id.")
    text: str = Field(description="The clause or sentence holding the event.")
    trigger: Trigger | None = Field(None, description="The event's trigger.")
    source: list[str] = Field(default_factory=list, description="Actor ids of who acted.")
    target: list[str] = Field(default_factory=list, description="Actor ids of who was acted upon.")
    agreements: list[str] = Field(default_factory=list, description="Agreement ids concerned.")
    date: str | None = Field(None, description="TIMEX3 value of when it happened.")
    polarity: Polarity = Field(description="Effect on relations between the actors.")
    confidence: float = Field(description="Confidence of the polarity, 0-1.")
    modality: Modality = Field(description="asserted, negated, hypothetical or reported.")
    cameo_root: str | None = Field(None, description="Two-digit CAMEO root.")
    cues: list[str] = Field(default_factory=list, description="Words the polarity rested on.")
    section_id: str | None = Field(None, description="Section holding the event.")
    chronology_entry_id: str | None = Field(None, description="Chronology entry holding the event.")
    is_main: bool = Field(False, description="The main event of its sentence or chronology entry (first main clause).")
    page: int | None = Field(None, description="PDF input: the page the event's text starts on.")
    aligned_entries: list[AlignmentLink] = Field(
        default_factory=list, description="Chronology entries reporting the same happening, best first."
    )


class Warning_(Record):
    code: str = Field(description="Stable warning code, e.g. 'W101'.")
    message: str = Field(description="What was noticed.")


class LayoutNoise(SpanRecord):
    kind: str = Field(description="page_header, hyphen_break, spaced_letters, line_wrap, ...")


class Provenance(Record):
    pipeline_version: str = Field(description="Version of the pipeline package.")
    model: str = Field(description="Name of the pipeline (a trained model's name, else the English model's).")
    base_model: str | None = Field(None, description="The statistical English model and its version.")
    config_sha256: str = Field(description="sha256 of the pipeline's config: stages, order, settings.")
    model_sha256: str = Field(description="sha256 of the data the project's stages ran with (registries, lexicon, classifier).")


class ArticleRecord(Record):
    schema_version: str = Field(description="Version of this record contract.")
    pipeline_version: str = Field(description="Version of the pipeline that wrote it.")
    model: str | None = Field(None, description="The spaCy pipeline the article went through.")
    provenance: Provenance | None = Field(None, description="What made the record (see docs/records.md).")
    doc_id: str = Field(description="Stable id of the article (from its file name).")
    source: SourceInfo = Field(description="Where the article came from.")
    text: str = Field(description="The article text all offsets point into.")
    pages: list[PageSpan] = Field(
        default_factory=list, description="PDF input: where each page's text lies (form feeds end pages)."
    )
    metadata: ArticleMetadata = Field(description="Header metadata.")
    sections: list[Section] = Field(default_factory=list, description="Sections in text order.")
    paragraphs: list[Paragraph] = Field(default_factory=list, description="Paragraphs in text order.")
    sentences: list[Sentence] = Field(default_factory=list, description="Sentences in text order.")
    chronology: list[ChronologyEntry] = Field(default_factory=list, description="Chronology entries.")
    layout_noise: list[LayoutNoise] = Field(
        default_factory=list, description="Spans kept out of the reading flow (page headers, ...)."
    )
    actors: list[ActorMention] = Field(default_factory=list, description="Actor mentions.")
    dates: list[DateMention] = Field(default_factory=list, description="Temporal expressions.")
    agreements: list[AgreementMention] = Field(default_factory=list, description="Agreement mentions.")
    events: list[Event] = Field(default_factory=list, description="Events with polarity.")
    alignment: dict[str, Any] | None = Field(None, description="Alignment summary, when aligned.")
    warnings: list[Warning_] = Field(default_factory=list, description="Structural warnings.")


class NarrativeLink(SpanRecord):
    event_id: str = Field(description="The aligned narrative event.")
    text: str = Field(description="The event's text.")
    score: float = Field(description="Link score.")
    polarity: Polarity | None = Field(None, description="The narrative event's polarity.")


class ChronologyRecord(Record):
    schema_version: str = Field(description="Version of this record contract.")
    doc_id: str = Field(description="The article the entry belongs to.")
    entry_id: str = Field(description="Stable id of the entry within the article.")
    date: str | None = Field(None, description="TIMEX3 value of the entry's (first) day.")
    date_end: str | None = Field(None, description="Last day of a range entry.")
    date_text: str = Field(description="The date as printed.")
    text: str = Field(description="The entry's text.")
    start: int = Field(description="Offset of the entry in the article text.")
    end: int = Field(description="End offset of the entry in the article text.")
    page: int | None = Field(None, description="PDF input: the page the entry starts on.")
    actors: list[ActorMention] = Field(default_factory=list, description="Actors in the entry.")
    agreements: list[AgreementMention] = Field(default_factory=list, description="Agreements in the entry.")
    events: list[Event] = Field(default_factory=list, description="Events in the entry.")
    polarity: Polarity | None = Field(
        None, description="Polarity of the entry (its main event's); null only when no events stage ran."
    )
    confidence: float | None = Field(None, description="Confidence of the entry's polarity, 0-1.")
    main_event_id: str | None = Field(None, description="The entry's main event, when it has one.")
    narrative: list[NarrativeLink] = Field(
        default_factory=list, description="Narrative passages reporting the same happening, best first."
    )


class IssueArticleRef(Record):
    doc_id: str = Field(description="The article's record in articles.jsonl.")
    banner: str = Field(description="The banner the article opens with, as printed.")
    relationship: str | None = Field(None, description="The relationship, for a bilateral article.")
    title: str | None = Field(None, description="The title under the banner, as printed.")
    first_page: int = Field(description="First page of the article in the issue PDF (1-based).")
    last_page: int = Field(description="Last page of the article in the issue PDF.")
    printed_pages: str | None = Field(None, description="The printed page range, e.g. '121-128'.")


class IssueRecord(Record):
    schema_version: str = Field(description="Version of this record contract.")
    issue_id: str = Field(description="Stable id of the issue (from its file name).")
    source: SourceInfo = Field(description="The issue PDF.")
    volume: int | None = Field(None, description="Volume number.")
    issue: int | None = Field(None, description="Issue number within the volume.")
    published: str | None = Field(None, description="Publication month, YYYY-MM.")
    page_count: int = Field(description="Pages in the PDF.")
    contents_found: bool = Field(description="Whether a table of contents was read.")
    articles: list[IssueArticleRef] = Field(default_factory=list, description="Articles found, in page order.")
    unassigned_pages: list[int] = Field(
        default_factory=list, description="Pages that belong to no article (cover, contents, ...)."
    )


class ErrorRecord(Record):
    schema_version: str = Field(description="Version of this record contract.")
    path: str = Field(description="The input that failed.")
    code: str = Field(description="Stable error code, e.g. 'E003'.")
    message: str = Field(description="What is wrong with the input.")


class PassedOverRecord(Record):
    schema_version: str = Field(description="Version of this record contract.")
    path: str = Field(description="A file found in a folder that is not an article.")
    reason: str = Field(description="Why it was passed over (hidden, other format, broken link, ...).")


# --------------------------------------------------------------------------------------
# Doc -> records


def _group(doc: Doc, name: str) -> list[Span]:
    if name not in doc.spans:
        return []
    return sorted(doc.spans[name], key=lambda s: (s.start_char, s.end_char))


class _Mapper:
    """Maps reading-text offsets of a Doc to offsets in the original text."""

    def __init__(self, doc: Doc) -> None:
        runs = doc._.offset_runs
        self.map = OffsetMap.from_runs(runs) if runs is not None else None
        self.original: str = doc._.source_text if doc._.source_text is not None else doc.text

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self.map is None:
            return start, end
        return self.map.span(start, end)

    def text(self, start: int, end: int) -> str:
        return self.original[start:end]


def _actor(span: Span, m: _Mapper) -> ActorMention:
    start, end = m.span(span.start_char, span.end_char)
    return ActorMention(
        id=span._.actor_id or f"act-{start}-{end}",
        start=start,
        end=end,
        text=m.text(start, end),
        type=span._.actor_type,
        country=span._.actor_country,
        canonical_id=span._.actor_canonical_id,
        canonical_name=span._.actor_canonical_name,
        role=span._.actor_role,
        metonymy=bool(span._.actor_metonymy),
    )


def _date(span: Span, m: _Mapper) -> DateMention:
    start, end = m.span(span.start_char, span.end_char)
    return DateMention(
        id=span._.date_id or f"date-{start}-{end}",
        start=start,
        end=end,
        text=m.text(start, end),
        value=span._.date_value,
        mod=span._.date_mod,
        granularity=span._.date_granularity,
        anchor=span._.date_anchor,
        reason=span._.date_reason,
    )


def _agreement(span: Span, m: _Mapper) -> AgreementMention:
    start, end = m.span(span.start_char, span.end_char)
    return AgreementMention(
        id=span._.agreement_id or f"agr-{start}-{end}",
        start=start,
        end=end,
        text=m.text(start, end),
        canonical_id=span._.agreement_canonical_id,
        canonical_name=span._.agreement_canonical_name,
    )


def actor_mentions(doc: Doc) -> list[ActorMention]:
    """The doc's actor mentions as they are written to the record (original-text offsets)."""
    m = _Mapper(doc)
    return [_actor(s, m) for s in _group(doc, ext.ACTORS)]


def event_mentions(doc: Doc) -> list[Event]:
    """The doc's events as they are written to the record."""
    m = _Mapper(doc)
    return [_event(s, m) for s in _group(doc, ext.EVENTS)]


def agreement_mentions(doc: Doc) -> list[AgreementMention]:
    """The doc's agreement mentions as they are written to the record."""
    m = _Mapper(doc)
    return [_agreement(s, m) for s in _group(doc, ext.AGREEMENTS)]


def _event(span: Span, m: _Mapper) -> Event:
    start, end = m.span(span.start_char, span.end_char)
    trigger = None
    raw_trigger = span._.event_trigger
    if raw_trigger:
        t_start, t_end = m.span(int(raw_trigger["start"]), int(raw_trigger["end"]))
        trigger = Trigger(start=t_start, end=t_end, text=m.text(t_start, t_end))
    links = [AlignmentLink(**link) for link in (span._.event_aligned_entries or [])]
    return Event(
        id=span._.event_id or f"evt-{start}-{end}",
        start=start,
        end=end,
        text=m.text(start, end),
        trigger=trigger,
        source=list(span._.event_source or []),
        target=list(span._.event_target or []),
        agreements=list(span._.event_agreements or []),
        date=span._.event_date,
        # No defaults here: a stage that leaves these unset is a bug the record must not hide.
        polarity=span._.event_polarity,
        confidence=span._.event_confidence,
        modality=span._.event_modality,
        cameo_root=span._.event_cameo_root,
        cues=list(span._.event_cues or []),
        section_id=span._.event_section_id,
        chronology_entry_id=span._.event_chronology_entry_id,
        is_main=bool(span._.event_is_main),
        aligned_entries=links,
    )


def _section_of(start: int, sections: list[Section]) -> str | None:
    for section in sections:
        if section.start <= start < section.end:
            return section.id
    return None


PAGE_BREAK = "\f"


def page_spans(text: str, first_page: int = 1) -> list[PageSpan]:
    """The pages of a PDF's text: each ends with a form feed (the last one may not)."""
    from pipeline.reading import page_edge_noise

    bounds = [0]
    pos = text.find(PAGE_BREAK)
    while pos != -1:
        bounds.append(pos + 1)
        pos = text.find(PAGE_BREAK, pos + 1)
    if bounds[-1] < len(text):
        bounds.append(len(text))
    pieces = [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    spans = []
    for k, (start, piece, noise) in enumerate(zip(bounds, pieces, page_edge_noise(pieces), strict=False)):
        numbers = [piece[s:e].strip() for s, e, kind in noise if kind == "page_number"]
        label = "".join(ch for ch in numbers[-1] if ch.isdigit()) if numbers else None
        spans.append(PageSpan(number=first_page + k, start=start, end=start + len(piece), label=label or None))
    return spans


class _PageIndex:
    def __init__(self, pages: list[PageSpan]) -> None:
        self.starts = [p.start for p in pages]
        self.numbers = [p.number for p in pages]

    def page(self, offset: int) -> int | None:
        if not self.starts:
            return None
        return self.numbers[max(bisect.bisect_right(self.starts, offset) - 1, 0)]


def doc_to_article_record(
    doc: Doc,
    *,
    doc_id: str,
    source: SourceInfo,
    model: str | None = None,
    provenance: Provenance | None = None,
) -> ArticleRecord:
    """Build the article record from a fully processed Doc."""
    m = _Mapper(doc)
    pages = page_spans(m.original, source.first_page or 1) if source.format == "pdf" else []
    index = _PageIndex(pages)
    sections: list[Section] = []
    for span in _group(doc, ext.SECTIONS):
        start, end = m.span(span.start_char, span.end_char)
        sections.append(
            Section(
                id=span._.section_id,
                kind=span._.section_kind,
                heading=span._.section_heading,
                credit=span._.section_credit,
                start=start,
                end=end,
                page=index.page(start),
            )
        )
    paragraphs = []
    for span in _group(doc, ext.PARAGRAPHS):
        start, end = m.span(span.start_char, span.end_char)
        paragraphs.append(
            Paragraph(id=span._.paragraph_id, section_id=span._.paragraph_section_id, start=start, end=end)
        )
    units = doc._.polarity_units or {}
    sentence_units: dict[int, dict[str, Any]] = units.get("sentences", {})
    entry_units: dict[str, dict[str, Any]] = units.get("entries", {})
    sentences = []
    if doc.has_annotation("SENT_START"):
        text = doc.text
        for i, sent in enumerate(doc.sents):
            # the span's text, sliced once (Span.text rebuilds it token by token on each access)
            raw = text[sent.start_char : sent.end_char]
            stripped = raw.strip()
            if not stripped:
                continue
            lead = len(raw) - len(raw.lstrip())
            r_start = sent.start_char + lead
            start, end = m.span(r_start, r_start + len(stripped))
            unit = sentence_units.get(sent.start, {})
            sentences.append(
                Sentence(
                    id=f"snt-{i:04d}",
                    start=start,
                    end=end,
                    section_id=_section_of(start, sections),
                    polarity=unit.get("polarity"),
                    confidence=unit.get("confidence"),
                    main_event_id=unit.get("main_event_id"),
                )
            )
    chronology = []
    for span in _group(doc, ext.CHRONOLOGY):
        start, end = m.span(span.start_char, span.end_char)
        text_start, _ = m.span(span._.entry_text_start, span.end_char)
        unit = entry_units.get(span._.entry_id, {})
        chronology.append(
            ChronologyEntry(
                id=span._.entry_id,
                date_text=span._.entry_date_text or "",
                date=span._.entry_date,
                date_end=span._.entry_date_end,
                text=m.text(text_start, end),
                text_start=text_start,
                start=start,
                end=end,
                page=index.page(start),
                polarity=unit.get("polarity"),
                confidence=unit.get("confidence"),
                main_event_id=unit.get("main_event_id"),
            )
        )
    noise = []
    if m.map is not None:
        noise = [LayoutNoise(start=s, end=e, kind=k) for s, e, k in m.map.removed]
    events = [_event(s, m) for s in _group(doc, ext.EVENTS)]
    for event in events:
        event.page = index.page(event.start)
    return ArticleRecord(
        schema_version=SCHEMA_VERSION,
        pipeline_version=__version__,
        model=model,
        provenance=provenance,
        doc_id=doc_id,
        source=source,
        text=m.original,
        pages=pages,
        metadata=ArticleMetadata.model_validate(doc._.metadata or {}),
        sections=sections,
        paragraphs=paragraphs,
        sentences=sentences,
        chronology=chronology,
        layout_noise=noise,
        actors=[_actor(s, m) for s in _group(doc, ext.ACTORS)],
        dates=[_date(s, m) for s in _group(doc, ext.DATES)],
        agreements=[_agreement(s, m) for s in _group(doc, ext.AGREEMENTS)],
        events=events,
        alignment=doc._.alignment_summary,
        warnings=[Warning_(**w) for w in (doc._.warnings or [])],
    )


def _main_event(events: list[Event]) -> Event | None:
    """The entry's main event as the event stage marked it; else its first event in text order."""
    if not events:
        return None
    marked = [e for e in events if e.is_main]
    return min(marked or events, key=lambda e: (e.start, -e.end))


def _inside(span: SpanRecord, entry: ChronologyEntry) -> bool:
    return entry.start <= span.start and span.end <= entry.end


def chronology_records(article: ArticleRecord) -> list[ChronologyRecord]:
    """One record per chronology entry, with what later stages attached to it."""
    by_id = {e.id: e for e in article.events}
    out = []
    for entry in article.chronology:
        events = [e for e in article.events if e.chronology_entry_id == entry.id or _inside(e, entry)]
        main = _main_event(events)
        narrative: list[NarrativeLink] = []
        for event in article.events:
            for link in event.aligned_entries:
                if link.entry_id == entry.id and event.id in by_id:
                    narrative.append(
                        NarrativeLink(
                            event_id=event.id,
                            text=event.text,
                            start=event.start,
                            end=event.end,
                            score=link.score,
                            polarity=event.polarity,
                        )
                    )
        narrative.sort(key=lambda n: -n.score)
        out.append(
            ChronologyRecord(
                schema_version=SCHEMA_VERSION,
                doc_id=article.doc_id,
                entry_id=entry.id,
                date=entry.date,
                date_end=entry.date_end,
                date_text=entry.date_text,
                text=entry.text,
                start=entry.start,
                end=entry.end,
                page=entry.page,
                actors=[a for a in article.actors if _inside(a, entry)],
                agreements=[a for a in article.agreements if _inside(a, entry)],
                events=events,
                polarity=entry.polarity,
                confidence=entry.confidence,
                main_event_id=entry.main_event_id or (main.id if main else None),
                narrative=narrative,
            )
        )
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the output files' records."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"ccpipeline output contract v{SCHEMA_VERSION}",
        "files": {
            "articles.jsonl": ArticleRecord.model_json_schema(),
            "chronology.jsonl": ChronologyRecord.model_json_schema(),
            "errors.jsonl": ErrorRecord.model_json_schema(),
            "issues.jsonl": IssueRecord.model_json_schema(),
        },
    }


def dumps(record: BaseModel) -> str:
    """One JSONL line (no trailing newline), keys in model order, non-ASCII kept."""
    return json.dumps(record.model_dump(mode="json"), ensure_ascii=False)
