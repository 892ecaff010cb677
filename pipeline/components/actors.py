"""The ``dipl_actors`` component: people, states, organisations and groups, resolved to the registry.

Reads ``doc.ents`` (PERSON, ORG, GPE; NORP is ignored: adjectives are not actors),
``doc.spans["sections"]`` (front matter and photo credits are skipped), ``doc.spans["chronology"]``
(``entry_date`` dates a mention's role) and ``doc._.metadata["period"]``.
Writes ``doc.spans["actors"]`` with ``actor_id`` (``act-<start>-<end>``), ``actor_type``,
``actor_country``, ``actor_canonical_id``, ``actor_canonical_name``, ``actor_role`` and
``actor_metonymy``.

Precedence (see docs/actors.md): NOT_ACTOR registry names (places, agreements, weapons) >
registry names > the model's entities; a model ORG that names an organisation after a state
("The Japan Times") beats the state name inside it; words of an office title are never a
mention of their own (they become the role of the person they introduce).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from pipeline.errors import PipelineError
from pipeline.extensions import ACTORS, CHRONOLOGY, SECTIONS, register_extensions
from pipeline.registry.actors import ActorEntry, ActorRegistry, AliasHit, interval, load_registry
from pipeline.registry.names import (
    TITLE_HEADS,
    TITLE_VOCABULARY,
    matching_key,
    strip_accents,
    strip_possessive,
)

REGISTRY_FILE = "actors.jsonl"
MODEL_LABELS = ("PERSON", "ORG", "GPE")
CONNECTORS = frozenset({"of", "for", "and", "the", "on", ",", "-", "&"})
POSSESSIVES = frozenset({"'s", "\u2019s", "'", "\u2019"})
# Plural nouns that make "<Korean|US> ___" a GROUP actor.
GROUP_NOUNS = frozenset(
    [
        "officials",
        "counterparts",
        "consumers",
        "companies",
        "firms",
        "businesses",
        "negotiators",
        "lawmakers",
        "diplomats",
        "citizens",
        "voters",
        "protesters",
        "activists",
        "physicians",
        "workers",
        "laborers",
        "troops",
        "forces",
        "delegation",
        "delegates",
        "leaders",
        "ministers",
        "authorities",
        "conservatives",
        "progressives",
        "legislators",
        "prosecutors",
        "courts",
        "media",
        "lobby",
        "group",
        "groups",
    ]
)
# A model ORG ending with one of these is an event or a treaty, not an actor.
NON_ACTOR_HEADS = frozenset(
    [
        "festival",
        "summit",
        "meeting",
        "meetings",
        "conference",
        "talks",
        "dialogue",
        "games",
        "olympics",
        "expo",
        "agreement",
        "agreements",
        "treaty",
        "accord",
        "accords",
        "pact",
        "declaration",
        "act",
        "fta",
        "initiative",
        "strategy",
        "program",
        "programme",
        "plan",
    ]
)
# Words before a capital that make it a place, not a government ("visits Seoul").
PLACE_WORDS = frozenset(
    [
        "in",
        "at",
        "into",
        "near",
        "visit",
        "visits",
        "visited",
        "visiting",
        "arrive",
        "arrives",
        "arrived",
        "arriving",
        "trip",
        "travel",
        "travels",
        "traveled",
        "travelled",
        "flew",
        "fly",
        "held",
        "hosted",
    ]
)


@dataclass
class ActorMention:
    """One actor mention, found by ``find_actors`` and written by ``write_actors``."""

    start: int
    end: int
    text: str
    type: str
    country: str | None = None
    canonical_id: str | None = None
    canonical_name: str | None = None
    role: str | None = None
    metonymy: bool = False
    source: str = "registry"  # registry | model | surname | group (how it was found)


# eq=False: candidates are compared by identity (value comparison made the title pass quadratic).
@dataclass(eq=False)
class _Candidate:
    start_tok: int
    end_tok: int
    start: int
    end: int
    source: str  # registry | model | surname | group
    hits: list[AliasHit] = field(default_factory=list)
    label: str | None = None  # model label
    kind: str = "name"  # name | metonym | adjective | not_actor | compound
    drop: bool = False
    modifier_country: str | None = None
    title: str | None = None
    group_country: str | None = None



_TEXT_KEY = "dipl_actors.text_cache"


def _text(doc: Doc) -> str:
    """``doc.text`` rebuilds the string from every token on each call; read it once per run."""
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is None:
        cached = doc.text
        doc.user_data[_TEXT_KEY] = cached
    return str(cached)


def actor_id(start: int, end: int) -> str:
    """Stable id of an actor mention: its character offsets."""
    return f"act-{start}-{end}"


# --------------------------------------------------------------------------------------
# Finding


def _excluded_ranges(doc: Doc) -> list[tuple[int, int]]:
    """Front matter (byline, "Connect" block), the chronology's heading and period line (the
    relationship label, not actors) and photo credits are not actor text."""
    ranges: list[tuple[int, int]] = []
    if SECTIONS in doc.spans:
        for section in doc.spans[SECTIONS]:
            if section._.section_kind == "front_matter":
                ranges.append((section.start_char, section.end_char))
            elif section._.section_kind == "chronology":
                entries = doc.spans.get(CHRONOLOGY, [])
                first_entry = min((e.start_char for e in entries), default=section.end_char)
                ranges.append((section.start_char, first_entry))
    for match in re.finditer(r"Photo:[^\n]*", _text(doc)):
        ranges.append((match.start(), match.end()))
    return ranges


def _inside(start: int, end: int, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in ranges)


def _is_cap(text: str) -> bool:
    return bool(text) and (text[0].isupper() or text[0].isdigit())


def _registry_candidates(doc: Doc, registry: ActorRegistry) -> list[_Candidate]:
    """Longest registry names first, no overlaps; hyphen compounds marked, not dropped."""
    found: list[_Candidate] = []
    tokens = list(doc)
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if not _is_cap(tok.text) or tok.lower_ == "the":
            continue
        for j in range(min(n, i + registry.max_words), i, -1):
            last = tokens[j - 1]
            if last.is_space or last.is_punct or last.text in POSSESSIVES:
                continue
            start, end = tok.idx, last.idx + len(last.text)
            text = _text(doc)[start:end]
            if "\n" in text:
                continue
            hits = registry.lookup(text)
            if hits:
                found.append(_Candidate(i, j, start, end, "registry", hits))
                break
    found.sort(key=lambda c: (-(c.end - c.start), c.start))
    chosen: list[_Candidate] = []
    taken: set[int] = set()
    for cand in found:
        if any(k in taken for k in range(cand.start_tok, cand.end_tok)):
            continue
        taken.update(range(cand.start_tok, cand.end_tok))
        cand.kind = _kind_of(cand.hits)
        if cand.kind != "not_actor" and _in_compound(_text(doc), cand.start, cand.end):
            cand.kind = "compound"
        chosen.append(cand)
    chosen.sort(key=lambda c: c.start)
    return chosen


def _kind_of(hits: Sequence[AliasHit]) -> str:
    kinds = {h.kind for h in hits}
    for kind in ("not_actor", "name", "metonym", "adjective"):
        if kind in kinds:
            return kind
    return "name"


def _in_compound(text: str, start: int, end: int) -> bool:
    """ "Japan" in "Japan-South Korea relations", "ROK" in "US-ROK alliance"."""
    before = text[start - 2 : start] if start >= 2 else ""
    after = text[end : end + 2]
    return (len(before) == 2 and before[1] == "-" and before[0].isalnum()) or (
        len(after) == 2 and after[0] in "-\u2013" and after[1].isalpha() and after[1].isupper()
    )


def _clean_model_span(doc: Doc, start_tok: int, end_tok: int) -> tuple[int, int] | None:
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
        doc[k].lower_ in _STRIPPABLE or doc[k].lower_ in CONNECTORS or _head_at(doc, k)
    ):
        k += 1
    if k < e and k > s:
        s = k
    elif k >= e:
        return None
    # Only title words left ("Foreign Ministers"): no actor.
    if all(
        doc[t].lower_ in TITLE_VOCABULARY or doc[t].text.rstrip("s") in _HEAD_WORDS
        for t in range(s, e)
    ):
        return None
    # Trailing title heads ("Economic Association Chair").
    while e > s + 1 and _head_word(doc[e - 1].text):
        e -= 1
    if s >= e:
        return None
    return s, e


_HEAD_WORDS = frozenset(w for head in TITLE_HEADS for w in head.replace("-", " ").split())
# Title words trimmed off the front of a model entity; state words stay, as they may open
# an organisation's name ("Korean Air", "Japan-Korea Cultural Foundation").
_STRIPPABLE = TITLE_VOCABULARY - {"korea", "korean", "japan", "japanese", "north", "south"}


def _head_word(word: str) -> bool:
    return word in {"Chair", "Chairman", "Chairwoman", "Spokesperson", "Spokesman"}


def _head_at(doc: Doc, k: int) -> bool:
    """Does an office title start at token k?"""
    text = _text(doc)[doc[k].idx : doc[k].idx + 60]
    return any(re.match(re.escape(h) + r"\b", text) for h in TITLE_HEADS)


def _model_candidates(doc: Doc, excluded: list[tuple[int, int]]) -> list[_Candidate]:
    found: list[_Candidate] = []
    for ent in doc.ents:
        if ent.label_ not in MODEL_LABELS:
            continue
        cleaned = _clean_model_span(doc, ent.start, ent.end)
        if cleaned is None:
            continue
        s, e = cleaned
        start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
        if _inside(start, end, excluded):
            continue
        last = doc[e - 1].lower_
        if ent.label_ == "ORG" and last in NON_ACTOR_HEADS:
            continue
        if _whole_line(_text(doc), ent.start_char, ent.end_char):
            continue  # a heading the model took for a name
        found.append(_Candidate(s, e, start, end, "model", label=ent.label_))
    return found


def _overlaps(a: _Candidate, b: _Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def _merge(
    doc: Doc, registry: ActorRegistry, reg: list[_Candidate], model: list[_Candidate]
) -> list[_Candidate]:
    """Registry names win over the model, except for organisations named after a state."""
    kept: list[_Candidate] = []
    for cand in model:
        inside = [r for r in reg if _overlaps(r, cand)]
        if any(r.kind == "not_actor" for r in inside):
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
            cleaned = _clean_model_span(doc, s, cand.end_tok)
            if cleaned and all(doc[t].is_title for t in range(*cleaned)):
                s2, e2 = cleaned
                kept.append(
                    _Candidate(
                        s2,
                        e2,
                        doc[s2].idx,
                        doc[e2 - 1].idx + len(doc[e2 - 1].text),
                        "model",
                        label=cand.label,
                    )
                )
    return kept


def _whole_line(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    return not text[line_start:start].strip() and not text[end:line_end].strip()


def _title_chain(
    doc: Doc, cand: _Candidate, blockers: list[_Candidate], others: list[_Candidate]
) -> tuple[str | None, list[_Candidate], int]:
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
        if any(b.start_tok <= k - 1 < b.end_tok for b in blockers):
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
        if doc[p].text[:1].isupper() and _head_at(doc, p):
            head = p
            break
    if head is None:
        return None, [], cand.start_tok
    title = _text(doc)[doc[head].idx : cand.start].strip().rstrip(",").strip()
    swallowed = [o for o in others if o.start_tok >= k and o.end_tok <= cand.start_tok]
    return title or None, swallowed, head


def _country_of_hits(registry: ActorRegistry, hits: Sequence[AliasHit]) -> str | None:
    countries = {registry.entries[h.entry_id].country for h in hits}
    return countries.pop() if len(countries) == 1 else None


def _modifier_before(
    doc: Doc, registry: ActorRegistry, tok_index: int, reg: list[_Candidate]
) -> tuple[str | None, _Candidate | None]:
    """A state word directly before token ``tok_index`` ("South Korean", "Japan’s", "US")."""
    k = tok_index
    possessive = False
    if k > 0 and doc[k - 1].text in POSSESSIVES:
        possessive = True
        k -= 1
    for r in reg:
        if r.end_tok == k and r.kind in {"adjective", "name", "metonym"}:
            country = _country_of_hits(
                registry,
                [h for h in r.hits if registry.entries[h.entry_id].type == "STATE"],
            )
            if country and (r.kind == "adjective" or possessive):
                return country, r
    return None, None


def _context_dates(doc: Doc, start: int) -> tuple[date, date] | None:
    """The day of the chronology entry holding a mention, else the article's period."""
    if CHRONOLOGY in doc.spans:
        for entry in doc.spans[CHRONOLOGY]:
            if entry.start_char <= start < entry.end_char and entry._.entry_date:
                first = interval(entry._.entry_date)[0]
                last_value = entry._.entry_date_end or entry._.entry_date
                return first, interval(last_value)[1]
    metadata = doc._.metadata or {}
    period = metadata.get("period") if isinstance(metadata, dict) else None
    if isinstance(period, dict) and period.get("start"):
        try:
            return interval(period["start"])[0], interval(period.get("end") or period["start"])[1]
        except ValueError:
            return None
    return None


def _role_of(entry: ActorEntry, when: tuple[date, date] | None) -> str | None:
    if when is None or not entry.offices:
        return None
    # Within a period, the office held at its end (the latest that overlaps it).
    return entry.role_on(when[0], when[1])


def _person_words(text: str) -> list[str]:
    return [w for w in re.split(r"\s+", strip_accents(text)) if w]


def find_actors(doc: Doc, registry: ActorRegistry) -> list[ActorMention]:
    """Every actor mention in ``doc`` with its type, country, identity, role and metonymy."""
    text = _text(doc)
    excluded = _excluded_ranges(doc)
    reg = [r for r in _registry_candidates(doc, registry) if not _inside(r.start, r.end, excluded)]
    model = _merge(doc, registry, reg, _model_candidates(doc, excluded))
    reg = [r for r in reg if not r.drop]

    # Full person names in the article, to spot bare surnames the model missed.
    family_words: set[str] = set()
    for r in reg:
        for h in r.hits:
            e = registry.entries[h.entry_id]
            if e.type == "PERSON" and e.family_name:
                family_words.add(matching_key(e.family_name))
    for m in model:
        if m.label == "PERSON" and m.end_tok - m.start_tok >= 2:
            words = _person_words(text[m.start : m.end])
            family_words.update({matching_key(words[0]), matching_key(words[-1])})
    covered = {t for c in reg + model for t in range(c.start_tok, c.end_tok)}
    surnames = [
        _Candidate(t.i, t.i + 1, t.idx, t.idx + len(t.text), "surname", label="PERSON")
        for t in doc
        if t.i not in covered
        and t.is_title
        and t.is_alpha
        and matching_key(t.text) in family_words
        and not _inside(t.idx, t.idx + 1, excluded)
    ]

    # Groups: "<state word> [one word] <plural group noun>".
    groups: list[_Candidate] = []
    for r in reg:
        if (
            r.kind not in {"adjective", "name"}
            or r.kind == "name"
            and not all(registry.entries[h.entry_id].type == "STATE" for h in r.hits)
        ):
            continue
        for width in (2, 1):
            j = r.end_tok + width - 1
            if (
                j < len(doc)
                and doc[j].lower_ in GROUP_NOUNS
                and all(doc[x].is_lower or x == j for x in range(r.end_tok, j + 1))
            ):
                country = _country_of_hits(registry, r.hits)
                groups.append(
                    _Candidate(
                        r.start_tok,
                        j + 1,
                        r.start,
                        doc[j].idx + len(doc[j].text),
                        "group",
                        label="GROUP",
                        group_country=country,
                    )
                )
                r.drop = True
                break
    reg = [r for r in reg if not r.drop]

    candidates = sorted(reg + model + surnames + groups, key=lambda c: c.start)
    persons = [
        c
        for c in candidates
        if c.label == "PERSON"
        or c.source == "registry"
        and c.kind == "name"
        and any(registry.entries[h.entry_id].type == "PERSON" for h in c.hits)
        or c.label == "ORG"
        and c.end_tok - c.start_tok == 1
        and matching_key(text[c.start : c.end]) in family_words
    ]
    for p in persons:
        if p.label == "ORG":
            p.label = "PERSON"
    # Office titles before persons: their words are the role, state words the country.
    for p in persons:
        blockers = [c for c in persons if c is not p]
        others = [c for c in candidates if c is not p and c not in persons]
        title, swallowed, head = _title_chain(doc, p, blockers, others)
        p.title = title
        for o in swallowed:
            if o.start_tok < head:
                if o.kind in {"adjective", "name", "metonym"} and o.source == "registry":
                    country = _country_of_hits(registry, o.hits)
                    if country and p.modifier_country is None:
                        p.modifier_country = country
                    nxt = doc[o.end_tok] if o.end_tok < len(doc) else None
                    if nxt is None or nxt.text not in POSSESSIVES:
                        o.drop = True
            else:
                o.drop = True
        if p.modifier_country is None:
            country, _ = _modifier_before(doc, registry, head if title else p.start_tok, reg)
            p.modifier_country = country

    mentions: list[ActorMention] = []
    seen_people: list[tuple[set[str], str | None, str, str | None, str | None]] = []
    for c in candidates:
        if c.drop or c.kind in {"not_actor", "compound", "adjective"}:
            continue
        surface = text[c.start : c.end]
        mention = _resolve(doc, registry, c, surface, reg, persons, seen_people)
        if mention is not None:
            mentions.append(mention)
    return mentions


def _resolve(
    doc: Doc,
    registry: ActorRegistry,
    c: _Candidate,
    surface: str,
    reg: list[_Candidate],
    persons: list[_Candidate],
    seen_people: list[tuple[set[str], str | None, str, str | None, str | None]],
) -> ActorMention | None:
    when = _context_dates(doc, c.start)
    if c.source == "group":
        return ActorMention(
            c.start, c.end, surface, "GROUP", c.group_country, None, surface, None, False, "group"
        )
    modifier, _ = (
        (c.modifier_country, None)
        if c.modifier_country
        else _modifier_before(doc, registry, c.start_tok, reg)
    )
    if c in persons:
        return _resolve_person(doc, registry, c, surface, modifier, when, seen_people)
    if c.source == "registry":
        hits = [h for h in c.hits if h.kind in {"name", "metonym"}]
        entries = [registry.entries[h.entry_id] for h in hits]
        if modifier:
            narrowed = [e for e in entries if e.country == modifier]
            entries = narrowed or entries
        metonymy = c.kind == "metonym"
        if metonymy and _is_place_use(doc, c.start_tok):
            return None
        if (
            not metonymy
            and entries
            and all(e.type == "STATE" for e in entries)
            and _attributive(doc, c, reg, persons)
        ):
            return None  # "US" in "US Department of State": a modifier, not a mention
        types = {e.type for e in entries}
        type_ = types.pop() if len(types) == 1 else "ORG"
        if len(entries) == 1:
            e = entries[0]
            return ActorMention(
                c.start, c.end, surface, type_, e.country, e.id, e.name, None, metonymy, "registry"
            )
        return ActorMention(
            c.start,
            c.end,
            surface,
            type_,
            modifier,
            None,
            strip_possessive(surface),
            None,
            metonymy,
            "registry",
        )
    # An organisation (or group) the registry does not know.
    country = modifier or _state_in_name(doc, registry, c, reg)
    return ActorMention(
        c.start,
        c.end,
        surface,
        "ORG",
        country,
        None,
        strip_possessive(surface),
        None,
        False,
        "model",
    )


def _state_in_name(
    doc: Doc, registry: ActorRegistry, c: _Candidate, reg: list[_Candidate]
) -> str | None:
    """ "Korean Air" -> KOR; "Japan-Korea Cultural Foundation" -> None (two states)."""
    countries = set()
    for k in range(c.start_tok, c.end_tok):
        hits = registry.lookup(doc[k].text)
        for h in hits:
            e = registry.entries[h.entry_id]
            if e.type == "STATE" and h.kind in {"name", "adjective"}:
                countries.add(e.country)
    return countries.pop() if len(countries) == 1 else None


def _attributive(doc: Doc, c: _Candidate, reg: list[_Candidate], persons: list[_Candidate]) -> bool:
    """A state name used as a modifier: followed by a title or another actor mention."""
    if c.end_tok >= len(doc):
        return False
    nxt = doc[c.end_tok]
    if nxt.text in POSSESSIVES:
        return False
    if _head_at(doc, c.end_tok):
        return True
    return any(
        r.start_tok == c.end_tok and r.kind == "name" and r.source == "registry" and not r.drop
        for r in reg
    ) or any(p.start_tok == c.end_tok for p in persons)


def _is_place_use(doc: Doc, tok_index: int) -> bool:
    """ "in Seoul", "visited Seoul", "a visit ... to Pyongyang": a place, not a government."""
    if tok_index == 0:
        return False
    prev = doc[tok_index - 1].lower_
    if prev in PLACE_WORDS:
        return True
    if prev in {"to", "from"}:
        window = doc[max(0, tok_index - 7) : tok_index - 1]
        return any(
            t.lower_.startswith(("visit", "trip", "travel", "flew", "arriv")) for t in window
        )
    return False


def _resolve_person(
    doc: Doc,
    registry: ActorRegistry,
    c: _Candidate,
    surface: str,
    modifier: str | None,
    when: tuple[date, date] | None,
    seen_people: list[tuple[set[str], str | None, str, str | None, str | None]],
) -> ActorMention:
    """Registry person, a surname linked to an earlier full name, or an unknown person."""
    name = strip_possessive(surface)
    words = _person_words(name)
    hits = [h for h in c.hits if registry.entries[h.entry_id].type == "PERSON"]
    if c.source == "registry" and hits:
        entries = [registry.entries[h.entry_id] for h in hits]
        if modifier:
            entries = [e for e in entries if e.country == modifier] or entries
        if len(entries) == 1:
            e = entries[0]
            assert e.family_name is not None
            seen_people.append(({matching_key(e.family_name)}, e.id, e.name, e.country, None))
            return ActorMention(
                c.start,
                c.end,
                surface,
                "PERSON",
                e.country,
                e.id,
                e.name,
                _role_of(e, when) or c.title,
                False,
                "registry",
            )
    if len(words) >= 2:
        # An unknown full name: either end may be the family name.
        seen_people.append(
            ({matching_key(words[0]), matching_key(words[-1])}, None, name, modifier, c.title)
        )
        return ActorMention(
            c.start, c.end, surface, "PERSON", modifier, None, name, c.title, False, c.source
        )
    # A bare surname: link to the one earlier person who has it, else refuse to guess.
    key = matching_key(name)
    earlier: dict[str, tuple[str | None, str, str | None, str | None]] = {}
    for keys, cid, cname, country, role in seen_people:
        if key in keys:
            earlier[cid or matching_key(cname)] = (cid, cname, country, role)
    if len(earlier) == 1:
        cid, cname, country, role = next(iter(earlier.values()))
        if cid is not None:
            role = _role_of(registry.entries[cid], when) or c.title
        else:
            role = c.title or role
        return ActorMention(
            c.start,
            c.end,
            surface,
            "PERSON",
            country or modifier,
            cid,
            cname,
            role,
            False,
            "surname",
        )
    if len(earlier) > 1:
        return ActorMention(
            c.start, c.end, surface, "PERSON", modifier, None, name, None, False, "surname"
        )
    # Nobody earlier: a registry person with this family name in office then, if only one.
    if when is not None:
        in_office = [
            e
            for e in registry.persons_with_family_name(name)
            if e.role_on(when[0], when[1]) and (modifier is None or e.country == modifier)
        ]
        if len(in_office) == 1:
            e = in_office[0]
            seen_people.append(({key}, e.id, e.name, e.country, None))
            return ActorMention(
                c.start,
                c.end,
                surface,
                "PERSON",
                e.country,
                e.id,
                e.name,
                _role_of(e, when),
                False,
                "surname",
            )
    if c.source == "surname":
        return ActorMention(
            c.start, c.end, surface, "PERSON", modifier, None, name, None, False, "surname"
        )
    return ActorMention(
        c.start, c.end, surface, "PERSON", modifier, None, name, c.title, False, c.source
    )


# --------------------------------------------------------------------------------------
# Writing and the component


def write_actors(doc: Doc, mentions: Iterable[ActorMention]) -> list[Span]:
    """Put the mentions into ``doc.spans["actors"]`` with their plain-valued attributes."""
    spans: list[Span] = []
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        span._.actor_id = actor_id(m.start, m.end)
        span._.actor_type = m.type
        span._.actor_country = m.country
        span._.actor_canonical_id = m.canonical_id
        span._.actor_canonical_name = m.canonical_name
        span._.actor_role = m.role
        span._.actor_metonymy = m.metonymy
        spans.append(span)
    doc.spans[ACTORS] = spans
    return spans


class ActorTagger:
    """Find actor mentions with the registry and the model's entities, then write them."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        extra_registry_paths: Sequence[str],
        use_packaged_registry: bool,
    ) -> None:
        register_extensions()
        self.name = name
        self.extra_registry_paths = list(extra_registry_paths)
        self.use_packaged_registry = use_packaged_registry
        # Checked now (a bad file fails at add_pipe), but a pipeline restored with
        # from_disk replaces it with its saved copy, so a config path need not exist then.
        self._registry: ActorRegistry | None = None
        self._load_error: PipelineError | None = None
        try:
            self._registry = load_registry(
                self.extra_registry_paths, packaged=use_packaged_registry
            )
        except PipelineError as exc:
            if any(not Path(p).exists() for p in self.extra_registry_paths):
                self._load_error = exc  # may be restored from disk; raised on first use
            else:
                raise

    @property
    def registry(self) -> ActorRegistry:
        if self._registry is None:
            if self._load_error is not None:
                raise self._load_error
            self._registry = load_registry(
                self.extra_registry_paths, packaged=self.use_packaged_registry
            )
        return self._registry

    @registry.setter
    def registry(self, value: ActorRegistry) -> None:
        self._registry = value
        self._load_error = None

    def __call__(self, doc: Doc) -> Doc:
        try:
            write_actors(doc, find_actors(doc, self.registry))
        finally:
            doc.user_data.pop(_TEXT_KEY, None)  # a cache, not output
        return doc

    def initialize(
        self,
        get_examples: object = None,
        *,
        nlp: Language | None = None,
        extra_registry_paths: Sequence[str] | None = None,
    ) -> None:
        """Rebuild the registry (e.g. from ``[initialize.components.<name>]`` paths)."""
        if extra_registry_paths is not None:
            self.extra_registry_paths = list(extra_registry_paths)
        self.registry = load_registry(
            self.extra_registry_paths, packaged=self.use_packaged_registry
        )

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the registry the component matches with, so a saved pipeline carries it."""
        folder = ensure_path(path)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / REGISTRY_FILE).write_text(
            "\n".join(self.registry.to_lines()) + "\n", encoding="utf-8"
        )

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> ActorTagger:
        """Restore the saved registry (the packaged files are not read again)."""
        file = ensure_path(path) / REGISTRY_FILE
        self.registry = load_registry([file], packaged=False)
        return self


@Language.factory(
    "dipl_actors",
    assigns=["doc.spans"],
    requires=["doc.ents"],
    default_config={"extra_registry_paths": [], "use_packaged_registry": True},
)
def make_actors(
    nlp: Language,
    name: str,
    extra_registry_paths: list[str],
    use_packaged_registry: bool,
) -> ActorTagger:
    """The actor stage; runs after ``ner``."""
    return ActorTagger(nlp, name, extra_registry_paths, use_packaged_registry)
