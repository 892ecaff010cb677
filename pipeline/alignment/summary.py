"""The per-article alignment summary: what an editor checks after linking."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from difflib import SequenceMatcher
from typing import Any

from pipeline.alignment.model import (
    ActorRef,
    AgreementRef,
    ChronologyEvidence,
    Link,
    NarrativeEvent,
)
from pipeline.alignment.scoring import AlignmentScorer, ScoredPair

# Two surfaces closer than this (difflib ratio, case-folded) are one name spelled two ways.
SPELLING_SIMILARITY = 0.75


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"[-.]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def spelled_differently(a: str, b: str) -> bool:
    """Two surfaces of one identity that look like variant spellings, not short forms:
    "Kang Kyung-hwa"/"Kang Kyung-wha" and "GSOMIA"/"GSOMNIA" yes; "Kang"/"Kang Kyung-wha"
    (a short form) and "GSOMIA"/"General Security of ..." (acronym and long form) no."""
    fa, fb = _fold(a), _fold(b)
    if fa == fb:
        return False
    ta, tb = fa.split(), fb.split()
    if set(ta) <= set(tb) or set(tb) <= set(ta):
        return False
    return SequenceMatcher(None, fa, fb).ratio() >= SPELLING_SIMILARITY


def _surface_groups(
    mentions: Iterable[ActorRef | AgreementRef],
) -> dict[str, dict[str, list[int]]]:
    groups: dict[str, dict[str, list[int]]] = {}
    for mention in mentions:
        if mention.canonical_id:
            groups.setdefault(mention.canonical_id, {}).setdefault(mention.text, []).append(
                mention.start
            )
    return groups


def spelling_inconsistencies(
    kind: str,
    narrative: Iterable[ActorRef | AgreementRef],
    chronology: Iterable[ActorRef | AgreementRef],
    entry_of: Mapping[int, str],
) -> list[dict[str, Any]]:
    """Canonical identities written one way in the narrative and another in the chronology."""
    ours = _surface_groups(narrative)
    theirs = _surface_groups(chronology)
    found: list[dict[str, Any]] = []
    for canonical_id in sorted(ours.keys() & theirs.keys()):
        for narrative_text, starts in sorted(ours[canonical_id].items()):
            for chronology_text, entry_starts in sorted(theirs[canonical_id].items()):
                if spelled_differently(narrative_text, chronology_text):
                    found.append({
                        "kind": kind,
                        "canonical_id": canonical_id,
                        "narrative": narrative_text,
                        "narrative_starts": sorted(starts),
                        "chronology": chronology_text,
                        "entry_ids": sorted({entry_of[s] for s in entry_starts if s in entry_of}),
                    })
    return found


def _entry_of(entries: Sequence[ChronologyEvidence]) -> dict[int, str]:
    owner: dict[int, str] = {}
    for entry in entries:
        mentions: list[ActorRef | AgreementRef] = [*entry.actors, *entry.agreements]
        for mention in mentions:
            owner[mention.start] = entry.entry_id
    return owner


def date_inconsistencies(
    pairs: Sequence[ScoredPair],
    links: Mapping[str, Sequence[Link]],
    events: Sequence[NarrativeEvent],
    entries: Sequence[ChronologyEvidence],
    scorer: AlignmentScorer,
) -> list[dict[str, Any]]:
    """Pairs that look like one happening but carry different dates: linked pairs whose dates
    disagree, and unlinked pairs whose evidence other than the date alone reaches the threshold
    (the date kept them apart)."""
    linked = {(link.event_id, link.entry_id) for ls in links.values() for link in ls}
    event_by_id = {e.event_id: e for e in events}
    entry_by_id = {e.entry_id: e for e in entries}
    found: list[dict[str, Any]] = []
    for pair in pairs:
        if not pair.signals.date_disagrees:
            continue
        is_linked = (pair.event_id, pair.entry_id) in linked
        if not is_linked and scorer.evidence_without_date(pair.signals) < scorer.threshold:
            continue
        event, entry = event_by_id[pair.event_id], entry_by_id[pair.entry_id]
        dates = event.dates or event.context_dates
        found.append({
            "event_id": pair.event_id,
            "entry_id": pair.entry_id,
            "narrative_date": dates[0].value if dates else None,
            "entry_date": entry.date,
            "linked": is_linked,
            "score": pair.score,
            "reasons": list(pair.signals.reasons),
            "start": event.start,
            "end": event.end,
        })
    return found


def summarize(
    events: Sequence[NarrativeEvent],
    entries: Sequence[ChronologyEvidence],
    pairs: Sequence[ScoredPair],
    links: Mapping[str, Sequence[Link]],
    scorer: AlignmentScorer,
    narrative_actors: Sequence[ActorRef] = (),
    narrative_agreements: Sequence[AgreementRef] = (),
) -> dict[str, Any]:
    """The plain dict stored in ``doc._.alignment_summary``.

    ``narrative_actors`` / ``narrative_agreements`` are all mentions outside the chronology
    (not only those inside events), so a misspelling is found wherever it sits.
    """
    linked_entries = {link.entry_id for ls in links.values() for link in ls}
    chronology_actors = [a for entry in entries for a in entry.actors]
    chronology_agreements = [a for entry in entries for a in entry.agreements]
    owner = _entry_of(entries)
    return {
        "threshold": scorer.threshold,
        "links": sum(len(ls) for ls in links.values()),
        "narrative_events": len(events),
        "entries": len(entries),
        "linked_events": sorted(e for e, ls in links.items() if ls),
        "entries_without_narrative": [e.entry_id for e in entries if e.entry_id not in linked_entries],
        "events_without_entry": [e.event_id for e in events if not links.get(e.event_id)],
        "dated_differently": date_inconsistencies(pairs, links, events, entries, scorer),
        "spelled_differently": (
            spelling_inconsistencies("actor", narrative_actors, chronology_actors, owner)
            + spelling_inconsistencies("agreement", narrative_agreements, chronology_agreements,
                                       owner)
        ),
    }
