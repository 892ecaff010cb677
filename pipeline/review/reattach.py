"""Lay stored corrections over a (possibly re-run) article record, and say which still fit.

Pure functions: no database, no web.  A correction *fits* when what it names is still there:
the element with its stable id exists and still has the offsets and text it had when it was
corrected (its anchor); an added span's text is still at its offsets; an alignment's event and
chronology entry both exist.  Corrections are applied in the order they were made, each checked
against the record as the earlier ones left it.  A correction that does not fit is never
dropped: it comes back as an ``Attachment`` with status ``orphaned`` and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from pipeline.records import (
    ActorMention,
    AgreementMention,
    AlignmentLink,
    ArticleRecord,
    ChronologyEntry,
    DateMention,
    Event,
)
from pipeline.review.store import Anchor, Correction

# kind -> (record list attribute, element model, id prefix for reviewer-added spans)
SPAN_KINDS: dict[str, tuple[str, type[BaseModel], str]] = {
    "actor": ("actors", ActorMention, "act"),
    "date": ("dates", DateMention, "date"),
    "agreement": ("agreements", AgreementMention, "agr"),
}
ELEMENT_LISTS: dict[str, str] = {
    "actor": "actors",
    "date": "dates",
    "agreement": "agreements",
    "event": "events",
    "entry": "chronology",
}
ELEMENT_MODELS: dict[str, type[BaseModel]] = {
    "actor": ActorMention,
    "date": DateMention,
    "agreement": AgreementMention,
    "event": Event,
    "entry": ChronologyEntry,
}

REVIEWER_ACCEPTED = "reviewer-accepted"
REVIEWER_ADDED = "reviewer-added"


@dataclass
class Attachment:
    """What became of one correction on the current records."""

    correction: Correction
    status: Literal["applied", "orphaned"]
    reason: str | None = None  # why it is orphaned
    note: str | None = None  # something the reviewer should know although it applied


@dataclass
class Overlay:
    """An article record with its corrections laid over it."""

    doc_id: str
    article: ArticleRecord | None
    attachments: list[Attachment] = field(default_factory=list)
    # (kind, element_id) -> fields corrected ("*" for an added span)
    corrected: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    removed: list[dict[str, Any]] = field(default_factory=list)  # removed spans, for display
    decisions: dict[tuple[str, str], str] = field(default_factory=dict)  # (event, entry) -> op
    comments: list[Correction] = field(default_factory=list)
    touched_events: set[str] = field(default_factory=set)  # events added, removed or set
    made_main: list[str] = field(default_factory=list)  # events a reviewer made main, in order

    @property
    def orphans(self) -> list[Attachment]:
        return [a for a in self.attachments if a.status == "orphaned"]

    def is_corrected(self, kind: str, element_id: str) -> bool:
        return (kind, element_id) in self.corrected


def span_id(kind: str, start: int, end: int) -> str:
    """The id a reviewer-added span gets; the same form the pipeline uses, so they merge."""
    return f"{SPAN_KINDS[kind][2]}-{start}-{end}"


def added_event_id(start: int, end: int, trigger_start: int) -> str:
    """The id of a reviewer-added event: its unit's span and its trigger's start ("r" marks the
    reviewer, so it never collides with a pipeline event's rank)."""
    return f"evt-{start}-{end}-r{trigger_start}"


CONTEXT = 40


def place_of(data: dict[str, Any]) -> tuple[int, int]:
    """The offsets of an element's quoted text: a chronology entry's text starts after its
    date (``text_start``); every other element's text is its whole span."""
    return int(data.get("text_start", data["start"])), int(data["end"])


def anchor_of(element: dict[str, Any] | BaseModel, text: str | None = None) -> Anchor:
    """Where an element is, with the text around it when the article ``text`` is given."""
    data = element.model_dump() if isinstance(element, BaseModel) else element
    start, end = place_of(data)
    if text is None:
        return Anchor(start=start, end=end, text=data["text"])
    return Anchor(start=start, end=end, text=data["text"],
                  prefix=text[max(0, start - CONTEXT):start], suffix=text[end:end + CONTEXT])


def _shared_tail(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _shared_head(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def relocate(anchor: Anchor, text: str) -> tuple[int, int] | None:
    """Where the anchored quote is in an edited ``text``: the occurrence whose surroundings
    agree most with the anchor's context, the nearest to the old offsets among equals; None
    when the quote is gone or two occurrences are equally good (no guess)."""
    quote = anchor.text
    if not quote:
        return None
    found: list[tuple[int, int, int]] = []  # (-context, distance, start)
    at = text.find(quote)
    while at != -1:
        context = (_shared_tail(text[max(0, at - CONTEXT):at], anchor.prefix)
                   + _shared_head(text[at + len(quote):at + len(quote) + CONTEXT], anchor.suffix))
        found.append((-context, abs(at - anchor.start), at))
        at = text.find(quote, at + 1)
    if not found:
        return None
    found.sort()
    if len(found) > 1 and found[0][:2] == found[1][:2]:
        return None
    start = found[0][2]
    return start, start + len(quote)


def _find(items: list[dict[str, Any]], element_id: str) -> dict[str, Any] | None:
    for item in items:
        if item["id"] == element_id:
            return item
    return None


def _anchor_problem(element: dict[str, Any] | None, anchor: Anchor | None, text: str) -> str | None:
    if element is None:
        return "the element is no longer in the records"
    if anchor is None:
        return None
    start, end = place_of(element)
    if (start, end) != (anchor.start, anchor.end):
        return f"the element moved from {anchor.start}-{anchor.end} to {start}-{end}"
    if element["text"] != anchor.text or text[anchor.start : anchor.end] != anchor.text:
        return f"the element's text changed (was {anchor.text!r})"
    return None


class _Misfit(Exception):
    pass


def _locate(items: list[dict[str, Any]], element_id: str, anchor: Anchor | None,
            text: str) -> tuple[dict[str, Any], str | None]:
    """The element a correction names: by its id where it still has its anchor, else (the text
    around it was edited) the element now at the anchor's quote found again; raise _Misfit."""
    element = _find(items, element_id)
    problem = _anchor_problem(element, anchor, text)
    if problem is None:
        assert element is not None
        return element, None
    if anchor is not None:
        place = relocate(anchor, text)
        again = next((e for e in items if place_of(e) == place), None) if place else None
        if place is not None and again is not None and again["text"] == anchor.text:
            return again, f"found again at {place[0]}-{place[1]} (it was at {anchor.start}-{anchor.end})"
    raise _Misfit(problem)


def _checked(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    try:
        return ELEMENT_MODELS[kind].model_validate(data).model_dump(mode="json")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise _Misfit(f"the corrected value is invalid ({where}: {first['msg']})") from exc


def _apply_one(data: dict[str, Any], text: str, c: Correction, overlay: Overlay) -> str | None:
    """Apply one correction to the record dict in place; return a note, raise _Misfit."""
    if c.kind == "comment":
        if c.element_id != "doc" and not any(
            _find(data[name], c.element_id) for name in ELEMENT_LISTS.values()
        ):
            raise _Misfit("the element commented on is no longer in the records")
        overlay.comments.append(c)
        return None

    if c.kind == "alignment":
        event_id, sep, entry_id = c.element_id.partition(">")
        if not sep:
            raise _Misfit("an alignment id must read '<event_id>><entry_id>'")
        event, refound = _locate(data["events"], event_id, c.anchor, text)
        event_id = event["id"]
        if _find(data["chronology"], entry_id) is None:
            raise _Misfit(f"the chronology entry {entry_id} is no longer in the records")
        links = event["aligned_entries"]
        present = [link for link in links if link["entry_id"] == entry_id]
        note = refound
        if c.op == "reject":
            if not present:
                gone = "the pipeline no longer proposes this link"
                note = f"{note}; {gone}" if note else gone
            event["aligned_entries"] = [link for link in links if link["entry_id"] != entry_id]
        else:
            if present:
                if REVIEWER_ACCEPTED not in present[0]["reasons"]:
                    present[0]["reasons"].append(REVIEWER_ACCEPTED)
            else:
                link = AlignmentLink(entry_id=entry_id, score=1.0, reasons=[REVIEWER_ADDED])
                links.append(link.model_dump(mode="json"))
        overlay.decisions[(event_id, entry_id)] = c.op
        overlay.corrected.setdefault(("event", event_id), set()).add("aligned_entries")
        return note

    items: list[dict[str, Any]] = data[ELEMENT_LISTS[c.kind]]
    if c.op == "add" and c.kind == "event":
        return _add_event(items, text, c, overlay)
    if c.op == "add":
        if not isinstance(c.after, dict):
            raise _Misfit("an added span needs its fields")
        start, end = int(c.after.get("start", -1)), int(c.after.get("end", -1))
        quote = str(c.after.get("text") or "")
        note = None
        if not (0 <= start < end <= len(text)) or text[start:end] != quote:
            # the text around it was edited: find the quote again by its context
            anchor = c.anchor or Anchor(start=max(start, 0), end=max(end, 0), text=quote)
            place = relocate(anchor, text) if quote else None
            if place is None:
                if not (0 <= start < end <= len(text)):
                    raise _Misfit(f"the offsets {start}-{end} fall outside the article")
                raise _Misfit(f"the text at {start}-{end} is now {text[start:end]!r}, not {quote!r}")
            note = f"found again at {place[0]}-{place[1]} (it was at {start}-{end})"
            start, end = place
        element_id = c.element_id if note is None else span_id(c.kind, start, end)
        new = _checked(c.kind, {**c.after, "id": element_id, "start": start, "end": end})
        existing = _find(items, element_id)
        if existing is not None:
            existing.update(new)
            itself = "the pipeline now finds this span itself; the reviewer's values are kept"
            note = f"{note}; {itself}" if note else itself
        else:
            items.append(new)
            items.sort(key=lambda e: (e["start"], e["end"]))
        overlay.corrected.setdefault((c.kind, element_id), set()).add("*")
        return note

    element, refound = _locate(items, c.element_id, c.anchor, text)
    element_id = element["id"]
    if c.kind == "event":
        overlay.touched_events.add(element_id)

    if c.op == "remove":
        items.remove(element)
        overlay.removed.append({"kind": c.kind, **element})
        overlay.corrected.setdefault((c.kind, element_id), set()).add("removed")
        return refound

    assert c.field is not None
    note = refound
    if c.field == "span":
        if not isinstance(c.after, dict):
            raise _Misfit("a span correction needs start and end")
        start, end = int(c.after.get("start", -1)), int(c.after.get("end", -1))
        if not (0 <= start < end <= len(text)):
            raise _Misfit(f"the offsets {start}-{end} fall outside the article")
        if "text" in c.after and text[start:end] != c.after["text"]:
            raise _Misfit(f"the text at {start}-{end} is no longer {c.after['text']!r}")
        updated = {**element, "start": start, "end": end, "text": text[start:end]}
    else:
        current = element.get(c.field)
        if current != c.before:
            changed = f"the pipeline's value changed from {c.before!r} to {current!r} since"
            note = f"{note}; {changed}" if note else changed
        updated = {**element, c.field: c.after}
        if c.kind == "event" and c.field == "is_main":
            overlay.made_main.append(element_id)
        if c.kind == "entry" and c.field == "date":
            # the entry's events that were dated by the entry move with it
            for event in data["events"]:
                if event.get("chronology_entry_id") == element_id and event.get("date") == current:
                    event["date"] = c.after
    element.clear()
    element.update(_checked(c.kind, updated))
    items.sort(key=lambda e: (e["start"], e["end"]))
    overlay.corrected.setdefault((c.kind, element_id), set()).add(c.field)
    return note


def _add_event(items: list[dict[str, Any]], text: str, c: Correction, overlay: Overlay) -> str | None:
    """Lay a reviewer-added event over the record: at its offsets while its sentence reads the
    same, else where its sentence is found again (the trigger moves with it)."""
    if not isinstance(c.after, dict) or not isinstance(c.after.get("trigger"), dict):
        raise _Misfit("an added event needs its fields and trigger")
    start, end = int(c.after.get("start", -1)), int(c.after.get("end", -1))
    quote = str(c.after.get("text") or "")
    note = None
    shift = 0
    if not (0 <= start < end <= len(text)) or text[start:end] != quote:
        anchor = c.anchor or Anchor(start=max(start, 0), end=max(end, 0), text=quote)
        place = relocate(anchor, text) if quote else None
        if place is None:
            raise _Misfit("the sentence the event was added to is no longer in the article")
        shift = place[0] - start
        note = f"found again at {place[0]}-{place[1]} (it was at {start}-{end})"
    trigger = dict(c.after["trigger"])
    trigger["start"] = int(trigger["start"]) + shift
    trigger["end"] = int(trigger["end"]) + shift
    if text[trigger["start"]:trigger["end"]] != trigger.get("text"):
        raise _Misfit(f"the trigger {trigger.get('text')!r} is no longer where it was added")
    # the id follows the offsets, as the pipeline's and a relocated span's do
    event_id = c.after.get("id") if not shift else added_event_id(start + shift, end + shift, trigger["start"])
    new = _checked("event", {**c.after, "id": event_id, "start": start + shift, "end": end + shift,
                             "trigger": trigger, "is_main": False, "aligned_entries": []})
    same = next((e for e in items if e.get("trigger")
                 and (e["trigger"]["start"], e["trigger"]["end"]) == (trigger["start"], trigger["end"])), None)
    if same is not None:
        for name in ("polarity", "modality", "source", "target"):
            same[name] = new[name]
        same["confidence"] = new["confidence"]
        itself = "the pipeline now finds this event itself; the reviewer's values are kept"
        note = f"{note}; {itself}" if note else itself
        element_id = same["id"]
    else:
        items.append(new)
        items.sort(key=lambda e: (e["start"], e["end"]))
        element_id = new["id"]
    overlay.touched_events.add(element_id)
    overlay.corrected.setdefault(("event", element_id), set()).add("*")
    return note


def _settle_units(data: dict[str, Any], overlay: Overlay) -> None:
    """Keep each corrected sentence's and entry's main event and polarity as the records
    define them (the unit's polarity is its main event's) after events were added, removed,
    re-labelled or made main. Units no event correction touched are left as they are."""
    events = data["events"]
    by_id = {e["id"]: e for e in events}
    touched = overlay.touched_events

    def anchor_at(e: dict[str, Any]) -> int:
        return int(e["trigger"]["start"]) if e.get("trigger") else int(e["start"])

    units: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    for entry in data["chronology"]:
        units.append((entry, [e for e in events if e.get("chronology_entry_id") == entry["id"]]))
    for sentence in data["sentences"]:
        units.append((sentence, [e for e in events if e.get("chronology_entry_id") is None
                                 and sentence["start"] <= anchor_at(e) < sentence["end"]]))
    for unit, inside in units:
        if not any(e["id"] in touched for e in inside) and unit.get("main_event_id") not in touched:
            continue
        ids = {e["id"] for e in inside}
        chosen = next((by_id[i] for i in reversed(overlay.made_main) if i in ids), None)
        main = (chosen or by_id.get(unit.get("main_event_id") or "")
                or next((e for e in inside if e.get("is_main")), None) or (inside[0] if inside else None))
        for e in inside:
            e["is_main"] = e is main
        if main is not None:
            unit["main_event_id"] = main["id"]
            unit["polarity"] = main["polarity"]
            unit["confidence"] = main["confidence"]
        else:
            unit["main_event_id"] = None


def apply_corrections(
    article: ArticleRecord | None, corrections: list[Correction], doc_id: str | None = None
) -> Overlay:
    """Lay the active corrections of one article over its record, oldest first."""
    ident = article.doc_id if article is not None else (doc_id or "")
    overlay = Overlay(doc_id=ident, article=article)
    active = sorted((c for c in corrections if c.undone_at is None), key=lambda c: c.id or 0)
    if article is None:
        overlay.attachments = [
            Attachment(c, "orphaned", reason="the article is no longer in the records")
            for c in active
        ]
        return overlay
    data = article.model_dump(mode="json")
    for c in active:
        if c.doc_id != article.doc_id:
            overlay.attachments.append(
                Attachment(c, "orphaned", reason="belongs to another article")
            )
            continue
        try:
            note = _apply_one(data, article.text, c, overlay)
        except _Misfit as misfit:
            overlay.attachments.append(Attachment(c, "orphaned", reason=str(misfit)))
        else:
            overlay.attachments.append(Attachment(c, "applied", note=note))
    if overlay.touched_events:
        _settle_units(data, overlay)
    overlay.article = ArticleRecord.model_validate(data)
    return overlay


def overlay_all(
    articles: dict[str, ArticleRecord], corrections: list[Correction]
) -> dict[str, Overlay]:
    """Overlays for every article, plus one per corrected doc_id that has no record any more."""
    by_doc: dict[str, list[Correction]] = {}
    for c in corrections:
        by_doc.setdefault(c.doc_id, []).append(c)
    out = {doc_id: apply_corrections(a, by_doc.get(doc_id, [])) for doc_id, a in articles.items()}
    for doc_id, cs in by_doc.items():
        if doc_id not in articles:
            out[doc_id] = apply_corrections(None, cs, doc_id=doc_id)
    return out
