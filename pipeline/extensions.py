"""The one table of span groups and custom attributes the pipeline's stages share.

Stages talk through the ``Doc``: each writes named span groups and plain-valued
attributes (strings, numbers, lists and dicts of those; never ``Span`` objects), so a
processed ``Doc`` round-trips through ``DocBin`` and ``n_process`` workers.

spaCy stores a span attribute under the span's character offsets, not under its group,
so two spans with the same offsets in different groups would share values.  Every span
attribute name therefore starts with its group (``section_id``, ``actor_canonical_id``),
and no two groups use the same attribute.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import Any

from spacy.tokens import Doc, Span

# Span group names (doc.spans[...]).
SECTIONS = "sections"
PARAGRAPHS = "paragraphs"
CHRONOLOGY = "chronology"
ACTORS = "actors"
DATES = "dates"
AGREEMENTS = "agreements"
EVENTS = "events"

# name -> default value, per object type.  Register once with ``register_extensions``.
DOC_EXTENSIONS: dict[str, Any] = {
    # Article metadata as a plain dict shaped like records.ArticleMetadata.
    "metadata": None,
    # Layout map: reading-text offsets -> original-text offsets (see pipeline.reading).
    "offset_runs": None,
    # The original text, before layout noise was taken out of the reading flow.
    "source_text": None,
    # Structural warnings found while reading the article: [{"code", "message"}].
    "warnings": None,
    # Alignment summary written by the alignment stage (plain dict).
    "alignment_summary": None,
    # Polarity of every narrative sentence and chronology entry, written by the events stage:
    # {"sentences": {sentence start token: unit}, "entries": {entry id: unit}}, a unit being
    # {"polarity", "confidence", "main_event_id" (or None)}.
    "polarity_units": None,
}

SPAN_EXTENSIONS: dict[str, Any] = {
    # sections
    "section_id": None,
    "section_kind": None,  # front_matter | narrative | caption | chronology
    "section_heading": None,
    "section_heading_start": None,  # reading offsets of the heading line, if any
    "section_heading_end": None,
    "section_credit": None,  # photo credit of a caption
    # paragraphs
    "paragraph_id": None,
    "paragraph_section_id": None,
    # chronology entries
    "entry_id": None,
    "entry_date_text": None,
    "entry_date": None,  # TIMEX3 value of the entry's (first) day, or None if lost
    "entry_date_end": None,  # last day of a range entry ("Nov. 22-23, 2019")
    "entry_text_start": None,  # reading offset where the entry's text (after the colon) starts
    # actors
    "actor_id": None,
    "actor_type": None,  # PERSON | STATE | ORG | GROUP
    "actor_country": None,  # ISO 3166-1 alpha-3 or None
    "actor_canonical_id": None,
    "actor_canonical_name": None,
    "actor_role": None,
    "actor_metonymy": False,
    "actor_media": False,  # a news organisation (registry `media`); not written to records
    # dates
    "date_id": None,
    "date_value": None,  # TIMEX3 value or None when unresolved
    "date_mod": None,  # START | MID | END | APPROX | BEFORE | AFTER | None
    "date_granularity": None,
    "date_anchor": None,
    "date_reason": None,
    # agreements
    "agreement_id": None,
    "agreement_canonical_id": None,
    "agreement_canonical_name": None,
    # events
    "event_id": None,
    "event_trigger": None,  # {"text", "start", "end"}
    "event_source": None,  # list of actor ids
    "event_target": None,  # list of actor ids
    "event_agreements": None,  # list of agreement ids
    "event_date": None,
    "event_polarity": None,
    "event_confidence": None,
    "event_modality": None,
    "event_cameo_root": None,
    "event_cues": None,
    "event_section_id": None,
    "event_chronology_entry_id": None,
    "event_is_main": False,  # the main event of its chronology entry (the guide's first main clause)
    "event_aligned_entries": None,  # [{"entry_id", "score", "reasons"}]
}


def register_extensions() -> None:
    """Declare every custom attribute once; safe to call repeatedly."""
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


register_extensions()


# ``Doc.text`` rebuilds the string from every token on each access (a few ms for an
# article); the stages read it through ``reading_text``, which keeps it in ``doc.user_data``
# from the tokenizer on. The last stage (``dipl_align``) drops it: a cache, not output.
READING_TEXT_KEY = "dipl.reading_text"


def reading_text(doc: Doc) -> str:
    """``doc.text``, read once per document."""
    cached = doc.user_data.get(READING_TEXT_KEY)
    if isinstance(cached, tuple) and cached[0] == len(doc):
        return str(cached[1])
    text = doc.text
    set_reading_text(doc, text)
    return text


def set_reading_text(doc: Doc, text: str) -> None:
    """Keep ``text`` (the doc's own text) for ``reading_text``, with the doc's token count as
    a check that it belongs to this doc."""
    doc.user_data[READING_TEXT_KEY] = (len(doc), text)


def drop_reading_text(doc: Doc) -> None:
    doc.user_data.pop(READING_TEXT_KEY, None)


def without_gc(call: Callable[[Any, Doc], Doc]) -> Callable[[Any, Doc], Doc]:
    """Run a stage with Python's cyclic garbage collector paused.

    A stage allocates many small objects that reference counting frees as it goes; the
    collector would meanwhile walk every live object of a long article again and again,
    which makes a stage's time grow faster than the article (measured on the alignment of
    an eight-times-longer narrative: 10x the time with it, 6.8x without). Cycles a stage
    leaves are collected after it, when the collector runs again."""

    @functools.wraps(call)
    def run(self: Any, doc: Doc) -> Doc:
        if not gc.isenabled():
            return call(self, doc)
        gc.disable()
        try:
            return call(self, doc)
        finally:
            gc.enable()

    return run

