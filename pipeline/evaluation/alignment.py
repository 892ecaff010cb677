"""Score narrative-chronology links against gold at sentence level.

A gold line names a narrative passage (a sentence or clause, file offsets) and the entry it
reports.  Predictions and gold are both reduced to (sentence, entry) units: a predicted link
sits in the sentence holding the middle of its event; a gold passage covers every sentence it
overlaps.  A predicted unit is correct when a gold passage with the same entry covers its
sentence; a gold link is found when a predicted unit with its entry sits in one of its
sentences.

``interim_events`` builds one pseudo-event per narrative or caption sentence, for use only
while the pipeline has no event stage; evaluation reports say which input they used.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from spacy.tokens import Doc

from pipeline import extensions as ext
from pipeline.alignment.dates import locates_happening
from pipeline.alignment.model import ActorRef, ChronologyEvidence, DateRef, Link, NarrativeEvent
from pipeline.components.align import gather_entries
from pipeline.errors import PipelineError


class GoldLink(BaseModel):
    """One gold link: a narrative passage and the chronology entry it reports."""

    model_config = ConfigDict(extra="forbid")
    passage_start: int = Field(description="start offset of the passage in the file text")
    passage_end: int = Field(description="end offset (exclusive)")
    entry_id: str = Field(description="the chronology entry, chr-NNN in chronology order")
    entry_date: str | None = Field(description="the entry's TIMEX3 day")
    note: str = Field(default="", description="annotator's remark")


class PredictedLink(BaseModel):
    """One predicted link."""

    model_config = ConfigDict(extra="forbid")
    event_id: str = Field(description="the narrative event")
    start: int = Field(description="event start offset")
    end: int = Field(description="event end offset")
    entry_id: str = Field(description="the linked entry")
    score: float = Field(description="link score")
    reasons: list[str] = Field(default_factory=list, description="signals behind the link")


class AlignmentScores(BaseModel):
    model_config = ConfigDict(extra="forbid")
    predicted_units: int = Field(description="distinct (sentence, entry) predictions")
    correct_units: int = Field(description="predicted units a gold passage supports")
    gold_links: int = Field(description="gold links")
    found_links: int = Field(description="gold links with a predicted unit")
    precision: float = Field(description="correct / predicted")
    recall: float = Field(description="found / gold")
    f1: float = Field(description="harmonic mean")
    false_positives: list[dict[str, Any]] = Field(description="predicted units no gold supports")
    misses: list[dict[str, Any]] = Field(description="gold links not found")


def read_gold(path: Path) -> list[GoldLink]:
    links = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            links.append(GoldLink.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise PipelineError("E040", f"{path}:{number}: {exc}") from exc
    return links


def _sentence_at(sentences: Sequence[tuple[int, int]], offset: int) -> int | None:
    for i, (start, end) in enumerate(sentences):
        if start <= offset < end:
            return i
    return None


def _sentences_over(sentences: Sequence[tuple[int, int]], start: int, end: int) -> set[int]:
    return {i for i, (s, e) in enumerate(sentences) if s < end and start < e}


def score_alignment(
    gold: Sequence[GoldLink],
    predicted: Sequence[PredictedLink],
    sentences: Sequence[tuple[int, int]],
) -> AlignmentScores:
    """Sentence-level link precision, recall and F1 (see the module docstring)."""
    units: dict[tuple[int, str], PredictedLink] = {}
    for link in predicted:
        sentence = _sentence_at(sentences, (link.start + link.end) // 2)
        if sentence is None:
            continue
        key = (sentence, link.entry_id)
        if key not in units or link.score > units[key].score:
            units[key] = link
    gold_units = [(_sentences_over(sentences, g.passage_start, g.passage_end), g) for g in gold]
    correct = {key for key in units if any(key[0] in s and key[1] == g.entry_id
                                           for s, g in gold_units)}
    found = [g for s, g in gold_units if any(i in s and e == g.entry_id for i, e in units)]
    precision = len(correct) / len(units) if units else 0.0
    recall = len(found) / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    false_positives = [
        {"sentence": list(sentences[key[0]]), "entry_id": key[1], "event_id": link.event_id,
         "score": link.score, "reasons": link.reasons}
        for key, link in sorted(units.items()) if key not in correct
    ]
    found_ids = {id(g) for g in found}
    misses = [g.model_dump() for g in gold if id(g) not in found_ids]
    return AlignmentScores(
        predicted_units=len(units), correct_units=len(correct), gold_links=len(gold),
        found_links=len(found), precision=round(precision, 4), recall=round(recall, 4),
        f1=round(f1, 4), false_positives=false_positives, misses=misses,
    )


def predictions_from_doc(doc: Doc) -> list[PredictedLink]:
    """The links ``dipl_align`` wrote on the event spans."""
    out = []
    for span in doc.spans.get(ext.EVENTS, []):
        for link in span._.event_aligned_entries or []:
            out.append(PredictedLink(
                event_id=span._.event_id or f"evt-{span.start_char}-{span.end_char}",
                start=span.start_char, end=span.end_char, entry_id=link["entry_id"],
                score=link["score"], reasons=list(link["reasons"]),
            ))
    return out


def predictions_from_links(
    events: Sequence[NarrativeEvent], links: dict[str, list[Link]]
) -> list[PredictedLink]:
    by_id = {e.event_id: e for e in events}
    return [
        PredictedLink(event_id=event_id, start=by_id[event_id].start, end=by_id[event_id].end,
                      entry_id=link.entry_id, score=link.score, reasons=list(link.reasons))
        for event_id, event_links in links.items() for link in event_links
    ]


# -- interim input: one pseudo-event per sentence ---------------------------------------------
# Used only when the Doc has no doc.spans["events"]; the country cues stand in for the actor
# stage when doc.spans["actors"] is missing too.  Crude on purpose, and reported as interim.
_COUNTRY_CUES = [
    (re.compile(r"\bNorth Korea\w*|\bPyongyang\b|\bDPRK\b"), "PRK"),
    (re.compile(r"\bSeoul\b|\bROK\b|(?<!North )\bKorean?\b"), "KOR"),
    (re.compile(r"\bJapan\w*|\bTokyo\b"), "JPN"),
    (re.compile(r"\bUnited States\b|\bUS\b|\bWashington\b|\bAmerican\b"), "USA"),
    (re.compile(r"\bChina\b|\bChinese\b|\bBeijing\b"), "CHN"),
]


def guess_countries(text: str, offset: int = 0) -> tuple[ActorRef, ...]:
    """Country-level pseudo-actors from cue words (interim stand-in for the actor stage)."""
    found: list[ActorRef] = []
    for pattern, country in _COUNTRY_CUES:
        for match in pattern.finditer(text):
            found.append(ActorRef(match.group(0), country, country, offset + match.start()))
    return tuple(found)


def interim_events(doc: Doc) -> list[NarrativeEvent]:
    """One pseudo-event per sentence of a narrative or caption section (interim input)."""
    sections = [s for s in doc.spans.get(ext.SECTIONS, [])
                if s._.section_kind in ("narrative", "caption")]
    captions = [s for s in sections if s._.section_kind == "caption"]
    dates = sorted(doc.spans.get(ext.DATES, []), key=lambda s: s.start_char)
    actors = list(doc.spans.get(ext.ACTORS, [])) if ext.ACTORS in doc.spans else None
    paragraphs = list(doc.spans.get(ext.PARAGRAPHS, []))
    events: list[NarrativeEvent] = []
    seen: set[tuple[int, int]] = set()
    for section in sections:
        for sent in section.sents:
            start, end = sent.start_char, sent.end_char
            if (start, end) in seen or not sent.text.strip():
                continue
            if section._.section_kind == "narrative" and any(
                c.start_char <= start < c.end_char for c in captions
            ):
                continue
            seen.add((start, end))
            own = tuple(DateRef(d._.date_value, d._.date_mod) for d in dates
                        if start <= d.start_char < end and d._.date_value)
            paragraph = next((p for p in paragraphs if p.start_char <= start < p.end_char), None)
            inherited: tuple[DateRef, ...] = ()
            if paragraph is not None:
                before = [DateRef(d._.date_value, d._.date_mod) for d in dates
                          if paragraph.start_char <= d.start_char and d.end_char <= start
                          and d._.date_value]
                before = [d for d in before if locates_happening(d)]
                inherited = tuple(before[-1:])
            if actors is None:
                sentence_actors = guess_countries(sent.text, start)
            else:
                sentence_actors = tuple(
                    ActorRef(a.text, a._.actor_canonical_id, a._.actor_country, a.start_char)
                    for a in actors if start <= a.start_char < end
                )
            events.append(NarrativeEvent(
                event_id=f"sent-{start}-{end}", start=start, end=end, text=sent.text,
                context_text=sent.text, dates=own, context_dates=inherited,
                actors=sentence_actors,
            ))
    return events


def interim_entries(doc: Doc) -> list[ChronologyEvidence]:
    """The entries as ``dipl_align`` gathers them, with cue-word countries standing in for
    actors when the Doc has no actor stage (interim input)."""
    entries = gather_entries(doc)
    if ext.ACTORS in doc.spans:
        return entries
    return [replace(e, actors=guess_countries(e.text, e.end - len(e.text))) for e in entries]
