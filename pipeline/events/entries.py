"""The main event of a chronology entry or a sentence: the first main clause, per the guide."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from pipeline.events.extract import MAIN_CLAUSE_DEPS, EventFinding, participation_verb
from pipeline.events.learnt import preferred_main
from pipeline.extensions import EVENTS


def heads_main_clause(token: Token) -> bool:
    """The token is its sentence's root, or reaches it through main-clause links only."""
    for _ in range(4):
        if token.dep_ == "ROOT":
            return True
        verb = participation_verb(token)  # "engage in exercises": the exercises are the act
        if verb is not None:
            token = verb
            continue
        if token.dep_ not in MAIN_CLAUSE_DEPS:
            return False
        token = token.head
    return False


def _trigger_is_main(doc: Doc, event: Span) -> bool:
    trigger = event._.event_trigger or {}
    span = doc.char_span(trigger.get("start", 0), trigger.get("end", 0), alignment_mode="expand")
    return span is not None and heads_main_clause(span.root)


def entry_events(doc: Doc, entry_id: str) -> list[Span]:
    """The events of one chronology entry, in text order."""
    events = [e for e in doc.spans.get(EVENTS, []) if e._.event_chronology_entry_id == entry_id]
    return sorted(events, key=lambda e: (e._.event_trigger or {}).get("start", e.start_char))


def entry_main_event(doc: Doc, entry_id: str) -> Span | None:
    """The entry's main event as the events stage marked it (``event_is_main``: the rules,
    with what the model learnt), else the first event heading a main clause, else the
    entry's first event."""
    events = entry_events(doc, entry_id)
    marked = next((e for e in events if e._.event_is_main), None)
    if marked is not None:
        return marked
    for event in events:
        if _trigger_is_main(doc, event):
            return event
    return events[0] if events else None


def entry_polarity(doc: Doc, entry_id: str) -> str | None:
    """Polarity of the entry's main event; None when the entry has no event."""
    main = entry_main_event(doc, entry_id)
    return main._.event_polarity if main is not None else None


def main_finding(doc: Doc, findings: Sequence[EventFinding],
                 preferences: frozenset[tuple[str, str]] = frozenset()) -> EventFinding | None:
    """The main event of findings not yet written: the first heading a main clause, else the
    first; a learnt preference (``pipeline.events.learnt``) may then put another first."""
    ordered = sorted(findings, key=lambda f: int(f.trigger["start"]))
    chosen = ordered[0] if ordered else None
    for finding in ordered:
        span = doc.char_span(int(finding.trigger["start"]), int(finding.trigger["end"]), alignment_mode="expand")
        if span is not None and heads_main_clause(span.root):
            chosen = finding
            break
    return preferred_main(doc, chosen, ordered, preferences)
