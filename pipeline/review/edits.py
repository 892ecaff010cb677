"""Turn a reviewer's request into corrections, checked against the article as shown.

The value *before* and the anchor always come from the overlaid record on the server, never
from the browser.  Each function returns unsaved ``Correction`` objects (pure; the caller
stores them), or raises ``EditError`` with a message fit to show the reviewer.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from pipeline import __version__
from pipeline.review.reattach import (
    ELEMENT_LISTS,
    ELEMENT_MODELS,
    SPAN_KINDS,
    Overlay,
    added_event_id,
    anchor_of,
    span_id,
)
from pipeline.review.store import EDITABLE_FIELDS, Anchor, Correction, now_utc


class EditError(ValueError):
    """A correction that cannot be made; the message is shown to the reviewer."""


def parse_ids(raw: str) -> list[str]:
    """The actor references typed in a source/target field: ids, "Name [id]" as the form
    shows them, or plain names (resolved by ``resolve_actor_refs``)."""
    out = []
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        bracket = re.fullmatch(r".*\[([^\[\]]+)\]\s*", part)
        out.append(bracket.group(1).strip() if bracket else part)
    return out


def actor_label(actor: Any) -> str:
    """How the form shows an actor reference: its name and, in brackets, its id."""
    name = actor.canonical_name or actor.text
    return f"{name} [{actor.id}]"


def resolve_actor_refs(overlay: Overlay, refs: list[str], near: int) -> list[str]:
    """Ids for typed references: an id stays; a name ("Japan", "Moon Jae-in") becomes the
    mention of that actor nearest ``near`` (the event's start). A name that fits actors of
    two identities, or none, is refused, naming the candidates."""
    assert overlay.article is not None
    known = known_actor_ids(overlay)
    out: list[str] = []
    for ref in refs:
        if ref in known:
            out.append(ref)
            continue
        key = " ".join(ref.lower().split())
        matches = [a for a in overlay.article.actors
                   if key in {" ".join(a.text.lower().split()), " ".join((a.canonical_name or "").lower().split())}]
        identities = {a.canonical_id or a.text for a in matches}
        if not matches:
            raise EditError(f"no actor called {ref!r} in this article; choose one from the list")
        if len(identities) > 1:
            names = ", ".join(sorted(f"{a.canonical_name or a.text} ({a.canonical_id or 'no id'})"
                                     for a in {m.canonical_id or m.text: m for m in matches}.values()))
            raise EditError(f"{ref!r} names several actors ({names}); choose one from the list")
        out.append(min(matches, key=lambda a: abs(a.start - near)).id)
    return out


def _element(overlay: Overlay, kind: str, element_id: str) -> dict[str, Any]:
    if overlay.article is None:
        raise EditError(f"the article {overlay.doc_id} is not in the records")
    for item in getattr(overlay.article, ELEMENT_LISTS[kind]):
        if item.id == element_id:
            return item.model_dump(mode="json")
    raise EditError(f"no {kind} with id {element_id} in this article")


def _new(overlay: Overlay, reviewer: str, **fields: Any) -> Correction:
    version = overlay.article.pipeline_version if overlay.article is not None else __version__
    return Correction(
        doc_id=overlay.doc_id,
        reviewer=reviewer,
        created_at=now_utc(),
        pipeline_version=version,
        **fields,
    )


def _validate(kind: str, data: dict[str, Any]) -> None:
    try:
        ELEMENT_MODELS[kind].model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise EditError(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from exc


def _anchor(overlay: Overlay, element: dict[str, Any]) -> Anchor:
    """The element's anchor with the text around it, so the correction is found again after
    the article's text is edited."""
    return anchor_of(element, overlay.article.text if overlay.article is not None else None)


def known_actor_ids(overlay: Overlay) -> set[str]:
    assert overlay.article is not None
    ids = {a.id for a in overlay.article.actors}
    ids |= {a.canonical_id for a in overlay.article.actors if a.canonical_id}
    return ids


def set_fields(
    overlay: Overlay, kind: str, element_id: str, values: dict[str, Any], reviewer: str
) -> list[Correction]:
    """One 'set' correction per field whose value really changes."""
    if kind not in EDITABLE_FIELDS:
        raise EditError(f"a {kind} has no editable fields")
    element = _element(overlay, kind, element_id)
    out: list[Correction] = []
    anchor = _anchor(overlay, element)
    # The span first: the other fields of the same form are anchored where it moved the
    # element, since they are laid over the record after it.
    ordered = sorted(values.items(), key=lambda item: item[0] != "span")
    for name, value in ordered:
        if name not in EDITABLE_FIELDS[kind]:
            raise EditError(f"the field {name!r} of a {kind} cannot be corrected")
        if name == "span":
            start, end = int(value["start"]), int(value["end"])
            assert overlay.article is not None
            if not (0 <= start < end <= len(overlay.article.text)):
                raise EditError(f"the offsets {start}-{end} fall outside the article")
            if (start, end) == (element["start"], element["end"]):
                continue
            before: Any = {
                "start": element["start"],
                "end": element["end"],
                "text": element["text"],
            }
            after: Any = {"start": start, "end": end, "text": overlay.article.text[start:end]}
            out.append(_new(overlay, reviewer, kind=kind, element_id=element_id, op="set", field=name,
                            before=before, after=after, anchor=anchor))
            anchor = _anchor(overlay, {**element, **after})
            continue
        else:
            if name in ("source", "target"):
                value = resolve_actor_refs(overlay, list(value or []), element["start"])
            if kind == "entry":
                value = value or None
                if value is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
                    raise EditError(f"an entry's {name.replace('_', ' ')} is a day, YYYY-MM-DD (not {value!r})")
                other = values.get("date_end" if name == "date" else "date", element.get("date_end" if name == "date" else "date"))
                first, last = (value, other) if name == "date" else (other, value)
                if first and last and last < first:
                    raise EditError(f"the entry's last day {last} is before its first day {first}")
            if name == "is_main" and value is not True:
                raise EditError("an event is made the main event of its sentence or entry; "
                                "to change the main event, make another event the main one")
            before, after = element.get(name), value
            if before == after:
                continue
            _validate(kind, {**element, name: after})
        out.append(
            _new(
                overlay,
                reviewer,
                kind=kind,
                element_id=element_id,
                op="set",
                field=name,
                before=before,
                after=after,
                anchor=anchor,
            )
        )
    return out


def add_span(
    overlay: Overlay, kind: str, start: int, end: int, fields: dict[str, Any], reviewer: str
) -> Correction:
    if kind not in SPAN_KINDS:
        raise EditError(f"spans of kind {kind!r} cannot be added")
    if overlay.article is None:
        raise EditError("the article is not in the records")
    text = overlay.article.text
    if not (0 <= start < end <= len(text)):
        raise EditError(f"the offsets {start}-{end} fall outside the article")
    new_id = span_id(kind, start, end)
    if any(item.id == new_id for item in getattr(overlay.article, SPAN_KINDS[kind][0])):
        raise EditError(f"a {kind} with id {new_id} already exists; correct it instead")
    data = {
        **{k: v for k, v in fields.items() if v is not None},
        "id": new_id,
        "start": start,
        "end": end,
        "text": text[start:end],
    }
    _validate(kind, data)
    return _new(overlay, reviewer, kind=kind, element_id=new_id, op="add", after=data,
                anchor=_anchor(overlay, data))


def identity_of(actor: Any) -> str:
    """What makes mentions one actor in an article: the canonical id, else the name as written."""
    return actor.canonical_id or " ".join(actor.text.lower().split())


def identity_mentions(overlay: Overlay, actor_id: str) -> list[Any]:
    """Every mention of the article with the same identity as the mention ``actor_id``."""
    assert overlay.article is not None
    actor = next((a for a in overlay.article.actors if a.id == actor_id), None)
    if actor is None:
        raise EditError(f"no actor {actor_id} in this article")
    key = identity_of(actor)
    return [a for a in overlay.article.actors if identity_of(a) == key]


def merge_identity(overlay: Overlay, actor_id: str, into: str, reviewer: str) -> list[Correction]:
    """Every mention of ``actor_id``'s identity becomes the actor ``into`` names (an id or a
    "Name [id]" choice): its canonical id and name, type and country. One correction per
    changed field of each mention, so the merge can be undone piece by piece."""
    assert overlay.article is not None
    refs = parse_ids(into)
    if len(refs) != 1:
        raise EditError("choose the one actor to merge this identity into")
    target_id = resolve_actor_refs(overlay, refs, 0)[0]
    target = next((a for a in overlay.article.actors if a.id == target_id or a.canonical_id == target_id), None)
    if target is None:
        raise EditError(f"no actor {refs[0]!r} in this article")
    if identity_of(target) == identity_of(next(a for a in overlay.article.actors if a.id == actor_id)):
        raise EditError("that is already this actor's identity")
    if target.canonical_id is None:
        raise EditError(f"{target.text!r} has no canonical id to merge into; give it one first")
    values = {"canonical_id": target.canonical_id, "canonical_name": target.canonical_name,
              "type": target.type, "country": target.country}
    out: list[Correction] = []
    for mention in identity_mentions(overlay, actor_id):
        out += set_fields(overlay, "actor", mention.id, values, reviewer)
    return out


def unit_of(overlay: Overlay, offset: int) -> tuple[str, Any] | None:
    """The chronology entry, else the sentence, holding ``offset``: ("entry" | "sentence", unit)."""
    assert overlay.article is not None
    for entry in overlay.article.chronology:
        if entry.text_start <= offset < entry.end:
            return "entry", entry
    for sentence in overlay.article.sentences:
        if sentence.start <= offset < sentence.end:
            return "sentence", sentence
    return None


def add_event(
    overlay: Overlay, trigger_start: int, trigger_end: int, fields: dict[str, Any], reviewer: str
) -> Correction:
    """An event the pipeline missed: its trigger is the selected text; its span is the sentence
    or chronology entry holding the trigger; polarity (required), modality, source and target
    as the reviewer gives them."""
    if overlay.article is None:
        raise EditError("the article is not in the records")
    article = overlay.article
    text = article.text
    if not (0 <= trigger_start < trigger_end <= len(text)):
        raise EditError(f"the offsets {trigger_start}-{trigger_end} fall outside the article")
    if not text[trigger_start:trigger_end].strip():
        raise EditError("the trigger is blank; select the word that says what happened")
    holder = unit_of(overlay, trigger_start)
    if holder is None:
        raise EditError("the trigger is not inside a narrative sentence or a chronology entry")
    where, unit = holder
    start = unit.text_start if where == "entry" else unit.start
    end = unit.end
    if trigger_end > end:
        raise EditError("the trigger runs past the end of its sentence or entry")
    for event in article.events:
        if event.trigger is not None and (event.trigger.start, event.trigger.end) == (trigger_start, trigger_end):
            raise EditError(f"the event {event.id} already has this trigger; correct it instead")
    if not fields.get("polarity"):
        raise EditError("choose the polarity of the added event")
    data: dict[str, Any] = {
        "id": added_event_id(start, end, trigger_start),
        "start": start,
        "end": end,
        "text": text[start:end],
        "trigger": {"start": trigger_start, "end": trigger_end, "text": text[trigger_start:trigger_end]},
        "source": resolve_actor_refs(overlay, list(fields.get("source") or []), trigger_start),
        "target": resolve_actor_refs(overlay, list(fields.get("target") or []), trigger_start),
        "polarity": fields["polarity"],
        "modality": fields.get("modality") or "asserted",
        "confidence": 1.0,
        "cues": [],
        "section_id": getattr(unit, "section_id", None),
        "chronology_entry_id": unit.id if where == "entry" else None,
        "date": unit.date if where == "entry" else None,
    }
    _validate("event", data)
    return _new(overlay, reviewer, kind="event", element_id=data["id"], op="add", after=data,
                anchor=_anchor(overlay, data))


def remove_span(overlay: Overlay, kind: str, element_id: str, reviewer: str) -> Correction:
    """Remove a span, or an event the pipeline should not have found."""
    if kind not in SPAN_KINDS and kind != "event":
        raise EditError(f"a {kind} cannot be removed")
    element = _element(overlay, kind, element_id)
    return _new(
        overlay,
        reviewer,
        kind=kind,
        element_id=element_id,
        op="remove",
        before=element,
        anchor=_anchor(overlay, element),
    )


def judge_entry_links(overlay: Overlay, entry_id: str, op: str, reviewer: str) -> list[Correction]:
    """Accept or reject, at once, every link between the entry and the narrative events the
    overlay links it to; links already so decided are left alone."""
    if op not in ("accept", "reject"):
        raise EditError("an entry's links are accepted or rejected")
    assert overlay.article is not None
    if not any(e.id == entry_id for e in overlay.article.chronology):
        raise EditError(f"no chronology entry {entry_id}")
    out = []
    for event in overlay.article.events:
        link = next((lk for lk in event.aligned_entries if lk.entry_id == entry_id), None)
        if link is None or overlay.decisions.get((event.id, entry_id)) == op:
            continue
        out.append(judge_alignment(overlay, event.id, entry_id, op, reviewer))
    return out


def judge_alignment(
    overlay: Overlay, event_id: str, entry_id: str, op: str, reviewer: str
) -> Correction:
    if op not in ("accept", "reject"):
        raise EditError("an alignment link is accepted or rejected")
    event = _element(overlay, "event", event_id)
    assert overlay.article is not None
    if not any(e.id == entry_id for e in overlay.article.chronology):
        raise EditError(f"no chronology entry {entry_id}")
    link = next((lk for lk in event["aligned_entries"] if lk["entry_id"] == entry_id), None)
    return _new(
        overlay,
        reviewer,
        kind="alignment",
        element_id=f"{event_id}>{entry_id}",
        op=op,
        before=link,
        after=op,
        anchor=_anchor(overlay, event),
    )


def comment(overlay: Overlay, element_id: str, text: str, reviewer: str) -> Correction:
    text = text.strip()
    if not text:
        raise EditError("the comment is empty")
    anchor = None
    if element_id != "doc":
        for kind in ELEMENT_LISTS:
            try:
                anchor = _anchor(overlay, _element(overlay, kind, element_id))
                break
            except EditError:
                continue
        else:
            raise EditError(f"no element with id {element_id}")
    return _new(
        overlay,
        reviewer,
        kind="comment",
        element_id=element_id,
        op="comment",
        after=text,
        anchor=anchor,
    )
