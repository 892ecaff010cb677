"""What around a mention tells who it is: the office title before it, a state word before
it, and the dates it is read at (its chronology entry, else the document's period)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from spacy.tokens import Doc

from pipeline.actors.candidates import Candidate, CandidateIndex, doc_text, head_at
from pipeline.actors.vocabulary import CONNECTORS, POSSESSIVES
from pipeline.extensions import CHRONOLOGY
from pipeline.registry.actors import ActorEntry, ActorRegistry, AliasHit, interval
from pipeline.registry.names import strip_accents


def title_chain(
    doc: Doc, cand: Candidate, blocked: Callable[[int], bool], others: Sequence[Candidate],
    other_starts: Sequence[int] | None = None,
) -> tuple[str | None, list[Candidate], int]:
    """The office title before a person ("US Secretary of Defense" before "Mark Esper").

    Returns the title text, the registry candidates it swallows (state words before the
    head become modifiers; organisations after it are part of the title), and the token
    where the chain starts.
    """
    k = cand.start_tok
    while k > 0:
        tok = doc[k - 1]
        if "\n" in tok.whitespace_ or tok.is_space:
            break
        if blocked(k - 1):  # another person's words
            break
        if tok.is_sent_start and not (tok.text[:1].isupper()):
            break
        ok = tok.lower_ in CONNECTORS or (
            tok.text[:1].isupper() and (tok.is_alpha or "-" in tok.text or "." in tok.text)
        )
        if not ok:
            break
        k -= 1
        if tok.is_sent_start:
            break
    head = None
    for p in range(k, cand.start_tok):
        if doc[p].text[:1].isupper() and head_at(doc, p):
            head = p
            break
    if head is None:
        return None, [], cand.start_tok
    title = doc_text(doc)[doc[head].idx : cand.start].strip().rstrip(",").strip()
    # ``others`` in text order; ``other_starts`` their first tokens, to start at ``k``
    first = bisect.bisect_left(other_starts, k) if other_starts is not None else 0
    swallowed = []
    for o in others[first:]:
        if other_starts is not None and o.start_tok >= cand.start_tok:
            break
        if o.start_tok >= k and o.end_tok <= cand.start_tok:
            swallowed.append(o)
    return title or None, swallowed, head


def country_of_hits(registry: ActorRegistry, hits: Sequence[AliasHit]) -> str | None:
    countries = {registry.entries[h.entry_id].country for h in hits}
    return countries.pop() if len(countries) == 1 else None


def modifier_before(
    doc: Doc,
    registry: ActorRegistry,
    tok_index: int,
    reg: list[Candidate],
    attributive_names: bool = False,
    index: CandidateIndex | None = None,
) -> tuple[str | None, Candidate | None]:
    """A state word directly before token ``tok_index`` ("South Korean", "Japan’s", "US").

    With ``attributive_names`` a bare state name counts too ("PRC Foreign Ministry", "ROK
    Navy"): for an organisation it says whose it is."""
    k = tok_index
    possessive = False
    if k > 0 and doc[k - 1].text in POSSESSIVES:
        possessive = True
        k -= 1
    ending_here = index.by_end.get(k, []) if index is not None else [r for r in reg if r.end_tok == k]
    for r in ending_here:
        if r.kind in {"adjective", "name", "metonym"}:
            country = country_of_hits(
                registry,
                [h for h in r.hits if registry.entries[h.entry_id].type == "STATE"],
            )
            if country and (r.kind == "adjective" or possessive or attributive_names and r.kind == "name"):
                return country, r
    return None, None


# The dated chronology entries of the document being read, by start: looked up for every
# mention, so built once per document (the cache holds the last document only).
_ENTRY_CACHE: list[Any] = [None, None]


def _dated_entries(doc: Doc) -> list[tuple[int, int, str, str | None]]:
    cached_doc, entries = _ENTRY_CACHE
    if cached_doc is doc and entries is not None and entries[0] == len(doc.spans[CHRONOLOGY]):
        return entries[1]
    spans = list(doc.spans[CHRONOLOGY])
    dated = sorted(
        (e.start_char, e.end_char, str(e._.entry_date), e._.entry_date_end) for e in spans if e._.entry_date
    )
    _ENTRY_CACHE[0], _ENTRY_CACHE[1] = doc, (len(spans), dated)
    return dated


def context_dates(doc: Doc, start: int) -> tuple[date, date] | None:
    """The day of the chronology entry holding a mention, else the article's period, else
    the document date."""
    if CHRONOLOGY in doc.spans:
        dated = _dated_entries(doc)
        # Entries do not overlap: only the last one starting at or before ``start`` can hold it.
        k = bisect.bisect_right(dated, (start, float("inf"))) - 1
        if k >= 0 and start < dated[k][1]:
            value, value_end = dated[k][2], dated[k][3]
            return interval(value)[0], interval(value_end or value)[1]
    metadata = doc._.metadata or {}
    period = metadata.get("period") if isinstance(metadata, dict) else None
    if isinstance(period, dict) and period.get("start"):
        try:
            return interval(period["start"])[0], interval(period.get("end") or period["start"])[1]
        except ValueError:
            return None
    # No period (news, a PDF extraction, a republication): the document date.
    document = metadata.get("document_date") if isinstance(metadata, dict) else None
    if isinstance(document, dict) and document.get("value"):
        try:
            day = interval(document["value"])
        except ValueError:
            return None
        return day[0], day[1]
    return None


def role_of(entry: ActorEntry, when: tuple[date, date] | None) -> str | None:
    if when is None or not entry.offices:
        return None
    # Within a period, the office held at its end (the latest that overlaps it).
    return entry.role_on(when[0], when[1])


def person_words(text: str) -> list[str]:
    return [w for w in re.split(r"\s+", strip_accents(text)) if w]
