"""Event corrections besides polarity into the events stage's learnt tables
(:mod:`pipeline.events.learnt`).

**Modality.** Each corrected event is found again, in the records the review was made on
(its sentence or entry, parsed by the parent pipeline) or else in its clause parsed alone,
and the words of its trigger's modality context are read. A word becomes a marker of
modality M when events whose context holds it were corrected to M in at least
``MARKER_MIN_ARTICLES`` articles and it is in the context of no event corrected to another
modality; each correction teaches at most its nearest such word. One article is not enough,
because a marker acts on every event next to it: a word common to two sentences of one
article ("later", "said") would otherwise become a rule.

**Main event.** A reviewer who makes event B the main event of its sentence or entry says
the rules were wrong to pick A there. With the records, A is the unit's main event as the
pipeline wrote it; the pair (A's trigger lemmas, B's) is learnt from one correction, since it
acts only on units holding both. Two corrections that say opposite things are both left out.

Each table has its stage's guard (``pipeline.training.guards``): modality accuracy on the
seed's event gold, main-event accuracy on the chronology gold.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from pipeline.events.learnt import LearntEvents, lemma_of, modality_context, span_lemmas
from pipeline.events.units import EVENT_STAGES_AFTER, as_one_section
from pipeline.training.corrections import EventFieldCorrection
from pipeline.training.errors import training_error

EVENTS_PIPE = "dipl_events"
PARSE_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
MARKER_MIN_ARTICLES = 2


def read_records(folders: Sequence[Path], doc_ids: set[str]) -> dict[str, dict[str, Any]]:
    """The article records of those articles, from the output folders reviewed."""
    found: dict[str, dict[str, Any]] = {}
    for folder in folders:
        path = Path(folder) / "articles.jsonl"
        if not path.is_file():
            continue
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError as exc:
                    raise training_error("E051", f"{path}, line {number}: not a JSON record ({exc})") from exc
                if record.get("doc_id") in doc_ids and isinstance(record.get("text"), str):
                    found.setdefault(record["doc_id"], record)
    return found


def _parse(nlp: Language, text: str) -> Doc:
    doc = nlp.make_doc(text)
    for name in PARSE_PIPES:
        if name in nlp.pipe_names:
            doc = nlp.get_pipe(name)(doc)
    return doc


def _unit(record: Mapping[str, Any], event: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The chronology entry or the sentence the event belongs to, from the record."""
    entry_id = event.get("chronology_entry_id")
    if entry_id:
        return next((e for e in record.get("chronology") or [] if e.get("id") == entry_id), None)
    trigger = event.get("trigger") or {}
    at = int(trigger.get("start", event.get("start", 0)))
    return next((s for s in record.get("sentences") or [] if s["start"] <= at < s["end"]), None)


def _token_in(doc: Doc, offset: int, trigger: Mapping[str, Any]) -> Token | None:
    span = doc.char_span(int(trigger["start"]) - offset, int(trigger["end"]) - offset, alignment_mode="expand")
    return span.root if span is not None else None


def _from_record(nlp: Language, record: Mapping[str, Any], event_id: str) -> tuple[Token, str] | None:
    event = next((e for e in record.get("events") or [] if e.get("id") == event_id), None)
    if event is None or not event.get("trigger"):
        return None
    unit = _unit(record, event)
    if unit is None:
        return None
    doc = _parse(nlp, record["text"][unit["start"] : unit["end"]])
    token = _token_in(doc, int(unit["start"]), event["trigger"])
    return (token, str(event["trigger"]["text"])) if token is not None else None


def _from_text(nlp: Language, text: str) -> tuple[Token, str] | None:
    """The clause parsed alone as one narrative unit; its main event's trigger."""
    from pipeline.components.events import find_doc_events
    from pipeline.events.entries import main_finding

    tagger: Any = nlp.get_pipe(EVENTS_PIPE)
    disabled = [name for name in EVENT_STAGES_AFTER if name in nlp.pipe_names]
    with nlp.select_pipes(disable=disabled):
        doc = as_one_section(nlp(text))
    findings = find_doc_events(doc, tagger.lexicon, learnt=tagger.learnt)
    main = main_finding(doc, findings, tagger.learnt.preferences)
    if main is None:
        return None
    token = _token_in(doc, 0, main.trigger)
    return (token, str(main.trigger["text"])) if token is not None else None


def _latest(corrections: Sequence[EventFieldCorrection]) -> list[EventFieldCorrection]:
    """The last correction of each event (a reviewer may change their mind)."""
    by_event: dict[tuple[str | None, str], EventFieldCorrection] = {}
    for c in corrections:
        by_event.pop((c.article, c.event_id), None)
        by_event[(c.article, c.event_id)] = c
    return list(by_event.values())


def _no_events_stage(nlp: Language, corrections: Sequence[EventFieldCorrection]) -> list[dict[str, Any]] | None:
    """One skipped row per correction when the pipeline has no events stage, else None."""
    if EVENTS_PIPE in nlp.pipe_names:
        return None
    return [{"event_id": c.event_id, "outcome": "skipped", "reason": f"no {EVENTS_PIPE} in the pipeline"}
            for c in corrections]


def learn_modality(nlp: Language, corrections: Sequence[EventFieldCorrection],
                   records: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Modality corrections into learnt markers of the pipeline's events stage; one row per
    corrected event."""
    if not corrections:
        return []
    skipped = _no_events_stage(nlp, corrections)
    if skipped is not None:
        return skipped
    pipe: Any = nlp.get_pipe(EVENTS_PIPE)
    rows: list[dict[str, Any]] = []
    read: list[tuple[EventFieldCorrection, str, list[str]]] = []
    sources: dict[str, str] = {}  # event id -> "records" (its sentence) or "clause" (parsed alone)
    for c in _latest(corrections):
        record = records.get(c.article or "")
        found = _from_record(nlp, record, c.event_id) if record is not None else None
        read_from = "records" if found is not None else "clause"
        found = found or _from_text(nlp, c.text)
        row: dict[str, Any] = {"event_id": c.event_id, "article": c.article, "modality": c.modality, "before": c.before}
        if found is None:
            rows.append({**row, "outcome": "not-learnt", "reason": "the event was not found again in its text"})
            continue
        token, trigger = found
        read.append((c, trigger, [lemma_of(t) for t in modality_context(token)]))
        sources[c.event_id] = read_from
    articles: dict[tuple[str, str], set[str]] = {}
    modalities: dict[str, set[str]] = {}
    for c, _, lemmas in read:
        for lemma in set(lemmas):
            articles.setdefault((lemma, str(c.modality)), set()).add(c.article or c.source)
            modalities.setdefault(lemma, set()).add(str(c.modality))
    learnt = dict(pipe.learnt.markers)
    for c, trigger, lemmas in read:
        row = {"event_id": c.event_id, "article": c.article, "trigger": trigger, "modality": c.modality,
               "before": c.before, "context": lemmas, "read_from": sources[c.event_id]}
        marker = next((lemma for lemma in lemmas
                       if len(articles[(lemma, str(c.modality))]) >= MARKER_MIN_ARTICLES
                       and modalities[lemma] == {c.modality}), None)
        if marker is None:
            reason = ("no word next to the trigger" if not lemmas else
                      f"no word of its context was next to events corrected to {c.modality} in "
                      f"{MARKER_MIN_ARTICLES} articles (and to no other modality)")
            rows.append({**row, "outcome": "not-learnt", "reason": reason})
            continue
        learnt[marker] = str(c.modality)
        rows.append({**row, "outcome": "learnt", "marker": marker})
    pipe.learnt = LearntEvents(learnt, pipe.learnt.preferences)
    return rows


def learn_main_preferences(nlp: Language, corrections: Sequence[EventFieldCorrection],
                           records: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Main-event corrections into learnt preferences; one row per corrected unit."""
    if not corrections:
        return []
    skipped = _no_events_stage(nlp, corrections)
    if skipped is not None:
        return skipped
    pipe: Any = nlp.get_pipe(EVENTS_PIPE)
    rows: list[dict[str, Any]] = []
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for c in _latest(corrections):
        row: dict[str, Any] = {"event_id": c.event_id, "article": c.article}
        record = records.get(c.article or "")
        if record is None:
            rows.append({**row, "outcome": "not-learnt", "reason": "the records the review was made on were not "
                         "found (train with --records OUTPUT_FOLDER): the earlier main event is not known"})
            continue
        events = {e.get("id"): e for e in record.get("events") or []}
        new = events.get(c.event_id)
        unit = _unit(record, new) if new is not None else None
        old = events.get(unit.get("main_event_id")) if unit is not None else None
        if new is None or unit is None or not new.get("trigger"):
            rows.append({**row, "outcome": "not-learnt", "reason": "the event is not in the records"})
            continue
        if old is None or old.get("id") == c.event_id or not old.get("trigger"):
            rows.append({**row, "outcome": "known", "reason": "it already was its unit's main event"})
            continue
        doc = _parse(nlp, record["text"][unit["start"] : unit["end"]])
        offset = int(unit["start"])
        over = span_lemmas(doc, int(old["trigger"]["start"]) - offset, int(old["trigger"]["end"]) - offset)
        prefer = span_lemmas(doc, int(new["trigger"]["start"]) - offset, int(new["trigger"]["end"]) - offset)
        row.update({"over": over, "prefer": prefer, "was_main": old["trigger"]["text"], "made_main": new["trigger"]["text"]})
        if over is None or prefer is None or over == prefer:
            rows.append({**row, "outcome": "not-learnt", "reason": "both events have the same trigger words"})
            continue
        pairs.setdefault((over, prefer), []).append(row)
    preferences = set(pipe.learnt.preferences)
    for (over, prefer), group in pairs.items():
        if (prefer, over) in pairs:
            rows += [{**r, "outcome": "not-learnt", "reason": "other corrections prefer the other event"} for r in group]
            continue
        preferences.discard((prefer, over))
        preferences.add((over, prefer))
        rows += [{**r, "outcome": "learnt"} for r in group]
    pipe.learnt = LearntEvents(dict(pipe.learnt.markers), frozenset(preferences))
    return rows
