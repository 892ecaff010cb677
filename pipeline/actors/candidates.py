"""Candidate actor spans: registry names, the model's entities, and how the two are merged.

Pure functions over a parsed ``Doc`` (they read its tokens, entities and span groups and
write nothing to it); ``pipeline.actors.find`` puts them together.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, ORTH
from spacy.tokens import Doc

from pipeline.actors.vocabulary import (
    CONNECTORS,
    HEAD_WORDS,
    MODEL_LABELS,
    NON_ACTOR_HEADS,
    POSSESSIVES,
    STRIPPABLE,
)
from pipeline.extensions import CHRONOLOGY, SECTIONS, reading_text
from pipeline.registry.actors import ActorRegistry, AliasHit
from pipeline.registry.names import TITLE_HEADS, TITLE_VOCABULARY, matching_key


# eq=False: candidates are compared by identity (value comparison made the title pass quadratic).
@dataclass(eq=False)
class Candidate:
    start_tok: int
    end_tok: int
    start: int
    end: int
    source: str  # registry | model | surname | group | titled | government | acronym
    hits: list[AliasHit] = field(default_factory=list)
    label: str | None = None  # model label
    kind: str = "name"  # name | metonym | adjective | not_actor | compound
    drop: bool = False
    modifier_country: str | None = None
    title: str | None = None
    group_country: str | None = None
    # a state named in an office title's "to" complement ("Ambassador to Russia Zhang"): a
    # mention of its own, not the person's attribute
    complement: bool = False


def doc_text(doc: Doc) -> str:
    """``doc.text``, read once per document (``pipeline.extensions.reading_text``)."""
    return reading_text(doc)


def excluded_ranges(doc: Doc, keep_title: bool = False) -> list[tuple[int, int]]:
    """Front matter (byline, "Connect" block), the chronology's heading and period line (the
    relationship label, not actors) and photo credits are not actor text. With
    ``keep_title`` the article's title is left out of the front matter: registry names in a
    title are mentions ("Hu Visits Cambodia"), though the model's guesses there are not."""
    ranges: list[tuple[int, int]] = []
    metadata = doc._.metadata if isinstance(doc._.metadata, dict) else {}
    title = (metadata.get("title") or "") if keep_title else ""
    if SECTIONS in doc.spans:
        for section in doc.spans[SECTIONS]:
            if section._.section_kind == "front_matter":
                ranges.extend(_without_title(doc_text(doc), section.start_char, section.end_char, title))
            elif section._.section_kind == "chronology":
                entries = doc.spans.get(CHRONOLOGY, [])
                first_entry = min((e.start_char for e in entries), default=section.end_char)
                ranges.append((section.start_char, first_entry))
    for match in re.finditer(r"Photo:[^\n]*", doc_text(doc)):
        ranges.append((match.start(), match.end()))
    return ranges


def _without_title(text: str, start: int, end: int, title: str) -> list[tuple[int, int]]:
    """The front matter less its title: a title is text ("Hu Visits Cambodia"), the rest of
    the header (byline, affiliations, citation) is not."""
    words = title.split()
    if not words:
        return [(start, end)]
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
    pieces: list[tuple[int, int]] = []
    at = start
    for m in pattern.finditer(text, start, end):
        if m.start() > at:
            pieces.append((at, m.start()))
        at = m.end()
    if at < end:
        pieces.append((at, end))
    return pieces


def inside(start: int, end: int, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in ranges)


def is_cap(text: str) -> bool:
    return bool(text) and (text[0].isupper() or text[0].isdigit())


def registry_candidates(doc: Doc, registry: ActorRegistry) -> list[Candidate]:
    """Longest registry names first, no overlaps; hyphen compounds marked, not dropped."""
    found: list[Candidate] = []
    n = len(doc)
    text_of_doc = doc_text(doc)
    # Each token's text, offsets and flags read in one call (making every Token to ask it is
    # the slow part of a long document); only capitalised tokens start a window.
    columns = doc.to_array([ORTH, IDX, IS_SPACE, IS_PUNCT]).tolist() if n else []
    strings = doc.vocab.strings
    texts = [strings[row[0]] for row in columns]
    starts = [row[1] for row in columns]
    ends = [row[1] + len(t) for row, t in zip(columns, texts, strict=True)]
    skipped = [bool(row[2] or row[3]) or t in POSSESSIVES for row, t in zip(columns, texts, strict=True)]
    for i, word in enumerate(texts):
        if not is_cap(word) or word.lower() == "the":
            continue
        # The longest window whose matching key some name's key still starts with: a longer
        # window's key extends a shorter one's, so none past it can be a name.
        reach = i
        for j in range(i + 1, min(n, i + registry.max_words) + 1):
            if not registry.could_start(matching_key(text_of_doc[starts[i]:ends[j - 1]])):
                break
            reach = j
        for j in range(reach, i, -1):
            if skipped[j - 1]:
                continue
            start, end = starts[i], ends[j - 1]
            text = text_of_doc[start:end]
            if "\n" in text:
                continue
            hits = registry.lookup(text)
            if hits:
                found.append(Candidate(i, j, start, end, "registry", hits))
                break
    found.sort(key=lambda c: (-(c.end - c.start), c.start))
    chosen: list[Candidate] = []
    taken: set[int] = set()
    for cand in found:
        if any(k in taken for k in range(cand.start_tok, cand.end_tok)):
            continue
        taken.update(range(cand.start_tok, cand.end_tok))
        cand.kind = kind_of(cand.hits)
        if cand.kind != "not_actor" and in_compound(doc_text(doc), cand.start, cand.end):
            cand.kind = "compound"
        chosen.append(cand)
    chosen.sort(key=lambda c: c.start)
    return chosen


def kind_of(hits: Sequence[AliasHit]) -> str:
    kinds = {h.kind for h in hits}
    for kind in ("not_actor", "name", "metonym", "adjective"):
        if kind in kinds:
            return kind
    return "name"


def in_compound(text: str, start: int, end: int) -> bool:
    """ "Japan" in "Japan-South Korea relations", "ROK" in "US-ROK alliance"."""
    before = text[start - 2 : start] if start >= 2 else ""
    after = text[end : end + 2]
    return (len(before) == 2 and before[1] == "-" and before[0].isalnum()) or (
        len(after) == 2 and after[0] in "-\u2013" and after[1].isalpha() and after[1].isupper()
    )


def clean_model_span(doc: Doc, start_tok: int, end_tok: int) -> tuple[int, int] | None:
    """Trim "the", possessives, punctuation, newlines and title words off a model entity."""
    tokens = doc[start_tok:end_tok]
    # Cut at a line break: "Mintaro Oba\nWest Wing Writers".
    for k, tok in enumerate(tokens):
        if "\n" in tok.text or "\n" in tok.whitespace_ and k < len(tokens) - 1:
            end_tok = start_tok + k + (0 if tok.is_space else 1)
            break
    s, e = start_tok, end_tok
    while s < e and (doc[s].lower_ in {"the", "a", "an"} or doc[s].is_punct or doc[s].is_space):
        s += 1
    while s < e and (doc[e - 1].is_punct or doc[e - 1].is_space or doc[e - 1].text in POSSESSIVES):
        e -= 1
    # Leading title words ("Defense Esper", "State"), kept only if a name remains.
    k = s
    while k < e and (
        doc[k].lower_ in STRIPPABLE or doc[k].lower_ in CONNECTORS or head_at(doc, k)
    ):
        k += 1
    if k < e and k > s:
        s = k
    elif k >= e:
        return None
    # Only title words left ("Foreign Ministers"): no actor.
    if all(
        doc[t].lower_ in TITLE_VOCABULARY or doc[t].text.rstrip("s") in HEAD_WORDS
        for t in range(s, e)
    ):
        return None
    # Trailing title heads ("Economic Association Chair").
    while e > s + 1 and head_word(doc[e - 1].text):
        e -= 1
    if s >= e:
        return None
    return s, e


def head_word(word: str) -> bool:
    return word in {"Chair", "Chairman", "Chairwoman", "Spokesperson", "Spokesman"}


# All office titles in one pattern (longest first, so alternation backtracks like the
# any() over separate patterns it replaces), compiled once.
_TITLE_HEAD_RE = re.compile(
    "(?:" + "|".join(re.escape(h) for h in sorted(TITLE_HEADS, key=len, reverse=True)) + r")\b"
)


def head_at(doc: Doc, k: int) -> bool:
    """Does an office title start at token k?"""
    text = doc_text(doc)[doc[k].idx : doc[k].idx + 60]
    return _TITLE_HEAD_RE.match(text) is not None


@dataclass
class CandidateIndex:
    """Registry candidates by their first and last token, and the persons' first tokens and
    identities: built once per document so that resolving a candidate looks its neighbours
    up instead of scanning every candidate (which made the stage quadratic)."""

    by_end: dict[int, list[Candidate]] = field(default_factory=dict)
    by_start: dict[int, list[Candidate]] = field(default_factory=dict)
    person_starts: set[int] = field(default_factory=set)
    person_ids: set[int] = field(default_factory=set)

    @classmethod
    def build(cls, reg: Sequence[Candidate], persons: Sequence[Candidate]) -> CandidateIndex:
        index = cls()
        for r in reg:  # in list order, so the first match stays the first
            index.by_end.setdefault(r.end_tok, []).append(r)
            index.by_start.setdefault(r.start_tok, []).append(r)
        index.person_starts = {p.start_tok for p in persons}
        index.person_ids = {id(p) for p in persons}
        return index


def model_candidates(doc: Doc, excluded: list[tuple[int, int]]) -> list[Candidate]:
    found: list[Candidate] = []
    for ent in doc.ents:
        if ent.label_ not in MODEL_LABELS:
            continue
        cleaned = clean_model_span(doc, ent.start, ent.end)
        if cleaned is None:
            continue
        s, e = cleaned
        if ent.label_ == "PERSON":
            e = _through_hyphenated_syllable(doc, e)
        start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
        if inside(start, end, excluded):
            continue
        last = doc[e - 1].lower_
        if ent.label_ == "ORG" and last in NON_ACTOR_HEADS:
            continue
        if whole_line(doc_text(doc), ent.start_char, ent.end_char):
            continue  # a heading the model took for a name
        found.append(Candidate(s, e, start, end, "model", label=ent.label_))
    return found


def _through_hyphenated_syllable(doc: Doc, end_tok: int) -> int:
    """A romanised given name the model cut at its hyphen ("Ryu Hae" of "Ryu Hae-won"): the
    person ends after the lower-case syllable written onto it."""
    if end_tok + 1 < len(doc) and not doc[end_tok - 1].whitespace_:
        hyphen, syllable = doc[end_tok], doc[end_tok + 1]
        if hyphen.text == "-" and not hyphen.whitespace_ and syllable.is_alpha and syllable.is_lower:
            return end_tok + 2
    return end_tok


def overlaps(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def merge(
    doc: Doc, registry: ActorRegistry, reg: list[Candidate], model: list[Candidate]
) -> list[Candidate]:
    """Registry names win over the model, except for organisations named after a state."""
    kept: list[Candidate] = []
    # Registry candidates by start offset: the ones overlapping a model span are found
    # without scanning them all (a long chronology has thousands of each).
    ordered = sorted(range(len(reg)), key=lambda k: (reg[k].start, k))
    starts = [reg[k].start for k in ordered]
    longest = max((r.end - r.start for r in reg), default=0)
    for cand in model:
        lo = bisect.bisect_left(starts, cand.start - longest)
        hi = bisect.bisect_left(starts, cand.end)
        inside = [reg[k] for k in sorted(ordered[lo:hi]) if overlaps(reg[k], cand)]
        if any(r.kind == "not_actor" for r in inside):
            continue
        if not inside and any(h.kind == "not_actor" for h in registry.lookup(doc_text(doc)[cand.start:cand.end])):
            # a NOT_ACTOR name the registry scan does not try (it starts in lower case: "intel")
            continue
        if not inside:
            if cand.label == "GPE":
                continue  # a place the registry does not know as a state: not an actor
            kept.append(cand)
            continue
        state_only = all(
            r.kind in {"adjective", "compound"}
            or r.kind in {"name", "metonym"}
            and all(registry.entries[h.entry_id].type == "STATE" for h in r.hits)
            for r in inside
        )
        contained = all(cand.start <= r.start and r.end <= cand.end for r in inside)
        extra = [
            t
            for t in doc[cand.start_tok : cand.end_tok]
            if not any(r.start <= t.idx < r.end for r in inside)
            and t.is_alpha
            and t.text[0].isupper()
            and t.lower_ not in TITLE_VOCABULARY
        ]
        if cand.label == "ORG" and state_only and contained and extra:
            for r in inside:
                r.drop = True  # "Japan" in "The Japan Times" is part of a name
            kept.append(cand)
            continue
        # Otherwise the registry wins; what the model saw beyond it may be a name
        # ("the Ministry of Foreign Affairs Takizaki" -> "Takizaki").
        residual = [
            t.i
            for t in doc[cand.start_tok : cand.end_tok]
            if not any(r.start <= t.idx < r.end for r in inside)
        ]
        if residual and residual[-1] == cand.end_tok - 1:
            k = len(residual) - 1
            while k > 0 and residual[k - 1] == residual[k] - 1:
                k -= 1
            s = residual[k]
            cleaned = clean_model_span(doc, s, cand.end_tok)
            if cleaned and all(doc[t].is_title for t in range(*cleaned)):
                s2, e2 = cleaned
                kept.append(
                    Candidate(
                        s2,
                        e2,
                        doc[s2].idx,
                        doc[e2 - 1].idx + len(doc[e2 - 1].text),
                        "model",
                        label=cand.label,
                    )
                )
    return kept


def whole_line(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    return not text[line_start:start].strip() and not text[end:line_end].strip()
