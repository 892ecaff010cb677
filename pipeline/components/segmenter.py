"""dipl_segmenter: the article's structure as span groups, metadata and sentence starts."""

from __future__ import annotations

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import extensions as ext
from pipeline.extensions import without_gc
from pipeline.segment import ArticleStructure, segment_article


class ArticleSegmenter:
    """Reads ``doc.text``; writes ``doc.spans`` sections/paragraphs/chronology, ``doc._.metadata``,
    ``doc._.warnings`` and ``token.is_sent_start`` at every line start (so sentences never
    cross a paragraph, heading, caption credit or chronology entry)."""

    def __init__(self, nlp: Language, name: str = "dipl_segmenter") -> None:
        self.name = name

    @without_gc
    def __call__(self, doc: Doc) -> Doc:
        structure = segment_article(ext.reading_text(doc), page_headers=removed_page_headers(doc))
        write_structure(doc, structure)
        return doc


def removed_page_headers(doc: Doc) -> list[str]:
    """The running headers the reading layer took out (original text), in order."""
    runs = doc._.offset_runs or {}
    source = doc._.source_text or ""
    return [source[start:end] for start, end, kind in runs.get("removed") or [] if kind == "page_header"]


def _span(doc: Doc, start: int, end: int) -> Span:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:  # only for an empty range
        raise ValueError(f"no tokens in the range {start}-{end}")
    return span


def write_structure(doc: Doc, structure: ArticleStructure) -> None:
    sections, paragraphs, entries = [], [], []
    for s in structure.sections:
        span = _span(doc, s.start, s.end)
        span._.section_id = s.id
        span._.section_kind = s.kind
        span._.section_heading = s.heading
        span._.section_heading_start = s.heading_start
        span._.section_heading_end = s.heading_end
        span._.section_credit = s.credit
        sections.append(span)
    for p in structure.paragraphs:
        span = _span(doc, p.start, p.end)
        span._.paragraph_id = p.id
        span._.paragraph_section_id = p.section_id
        paragraphs.append(span)
    for e in structure.entries:
        span = _span(doc, e.start, e.end)
        span._.entry_id = e.id
        span._.entry_date_text = e.date_text
        span._.entry_date = e.date
        span._.entry_date_end = e.date_end
        span._.entry_text_start = e.text_start
        entries.append(span)
    doc.spans[ext.SECTIONS] = sections
    doc.spans[ext.PARAGRAPHS] = paragraphs
    doc.spans[ext.CHRONOLOGY] = entries
    doc._.metadata = structure.metadata
    warnings = list(structure.warnings)
    if doc._.offset_runs and doc._.offset_runs.get("removed"):
        kinds = sorted({k for _, _, k in doc._.offset_runs["removed"]})
        warnings.append({"code": "W106", "message": f"layout noise taken out of the reading flow: {', '.join(kinds)}"})
    doc._.warnings = warnings
    # Sentence starts are written as one array: setting ``token.is_sent_start`` one token at
    # a time makes spaCy check the whole document's annotation on every call (quadratic on a
    # text of many short lines).
    starts = set(structure.sentence_starts)
    values = doc.to_array([SENT_START]).astype("int64").reshape(-1)  # 1 start, -1 not, 0 unset
    for start, end in structure.single_sentences:
        line = doc.char_span(start, end, alignment_mode="expand")
        if line is not None:
            values[line.start + 1 : line.end] = -1
    previous_breaks = False
    for token in doc:
        breaks = token.is_space and "\n" in token.text
        if values[token.i] != -1 and not token.is_space and (token.idx in starts or previous_breaks):
            values[token.i] = 1
        previous_breaks = breaks
    doc.from_array([SENT_START], values.astype("uint64").reshape(-1, 1))  # type: ignore[arg-type]


@Language.factory(
    "dipl_segmenter",
    assigns=["doc.spans", "doc._.metadata", "doc._.warnings", "token.is_sent_start"],
)
def make_segmenter(nlp: Language, name: str) -> ArticleSegmenter:
    return ArticleSegmenter(nlp, name)
