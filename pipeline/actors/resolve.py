"""From a candidate span to an actor mention: type, country, identity, role, metonymy."""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc

from pipeline.actors.candidates import Candidate, CandidateIndex, head_at
from pipeline.actors.context import (
    context_dates,
    modifier_before,
    person_words,
    role_of,
)
from pipeline.actors.find_types import ActorMention
from pipeline.actors.vocabulary import PLACE_WORDS, POSSESSIVES
from pipeline.registry.actors import ActorEntry, ActorRegistry
from pipeline.registry.names import matching_key, strip_possessive


def resolve(
    doc: Doc,
    registry: ActorRegistry,
    c: Candidate,
    surface: str,
    reg: list[Candidate],
    persons: list[Candidate],
    seen_people: list[tuple[set[str], str | None, str, str | None, str | None]],
    index: CandidateIndex | None = None,
) -> ActorMention | None:
    index = index or CandidateIndex.build(reg, persons)
    when = context_dates(doc, c.start)
    if c.source == "group":
        return ActorMention(
            c.start, c.end, surface, "GROUP", c.group_country, None, surface, None, False, "group"
        )
    if c.source == "government":  # "the government": a body of no name of its own
        return ActorMention(
            c.start, c.end, surface, "ORG", c.group_country, None, surface, None, False, "government"
        )
    modifier, _ = (
        (c.modifier_country, None)
        if c.modifier_country
        else modifier_before(doc, registry, c.start_tok, reg, index=index)
    )
    if id(c) in index.person_ids:
        return resolve_person(doc, registry, c, surface, modifier, when, seen_people)
    if modifier is None:
        # An organisation named after its state: "PRC Foreign Ministry", "ROK Navy".
        modifier, _ = modifier_before(doc, registry, c.start_tok, reg, attributive_names=True, index=index)
    if c.source == "registry":
        hits = [h for h in c.hits if h.kind in {"name", "metonym"}]
        entries = [registry.entries[h.entry_id] for h in hits]
        if modifier:
            narrowed = [e for e in entries if e.country == modifier]
            entries = narrowed or entries
        metonymy = c.kind == "metonym"
        if metonymy and is_place_use(doc, c.start_tok):
            return None
        if (
            not metonymy
            and entries
            and all(e.type == "STATE" for e in entries)
            and attributive(doc, c, reg, persons, index)
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
    # An organisation (or group) the registry does not know. A state named inside a name an
    # acronym defines says what it is about, not whose it is ("Association for Relations
    # Across the Taiwan Strait" is the mainland's): only a state before it says that.
    country = modifier or (None if c.source == "acronym" else state_in_name(doc, registry, c, reg))
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
        "acronym" if c.source == "acronym" else "model",
    )


def state_in_name(
    doc: Doc, registry: ActorRegistry, c: Candidate, reg: list[Candidate]
) -> str | None:
    """ "Korean Air" -> KOR; "Japan-Korea Cultural Foundation" -> None (two states)."""
    countries = set()
    for k in range(c.start_tok, c.end_tok):
        hits = registry.lookup(doc[k].text)
        for h in hits:
            e = registry.entries[h.entry_id]
            if e.type == "STATE" and h.kind in {"name", "adjective", "metonym"}:
                countries.add(e.country)
    return countries.pop() if len(countries) == 1 else None


def attributive(
    doc: Doc,
    c: Candidate,
    reg: list[Candidate],
    persons: list[Candidate],
    index: CandidateIndex | None = None,
) -> bool:
    """A state name used as a modifier: followed by a title or another actor mention."""
    if c.end_tok >= len(doc) or c.complement:
        return False
    nxt = doc[c.end_tok]
    if nxt.text in POSSESSIVES:
        return False
    if head_at(doc, c.end_tok):
        return True
    index = index or CandidateIndex.build(reg, persons)
    return any(
        r.kind == "name" and r.source == "registry" and not r.drop
        for r in index.by_start.get(c.end_tok, [])
    ) or c.end_tok in index.person_starts


def is_place_use(doc: Doc, tok_index: int) -> bool:
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


def resolve_person(
    doc: Doc,
    registry: ActorRegistry,
    c: Candidate,
    surface: str,
    modifier: str | None,
    when: tuple[date, date] | None,
    seen_people: list[tuple[set[str], str | None, str, str | None, str | None]],
) -> ActorMention:
    """Registry person, a surname linked to an earlier full name, or an unknown person."""
    name = strip_possessive(surface)
    words = person_words(name)
    hits = [h for h in c.hits if registry.entries[h.entry_id].type == "PERSON"]
    if c.source == "registry" and hits:
        entries = [registry.entries[h.entry_id] for h in hits]
        if modifier:
            entries = [e for e in entries if e.country == modifier] or entries
        if len(entries) == 1:
            e = entries[0]
            assert e.family_name is not None
            seen_people.append(({matching_key(e.family_name)}, e.id, e.name, e.country, None))
            return _registry_person(c, surface, e, role_of(e, when) or c.title, "registry")
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
            role = role_of(registry.entries[cid], when) or c.title
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
            return _registry_person(c, surface, e, role_of(e, when), "surname")
        # Nobody in office then: the one registry person with this family name at all
        # ("Trump" in a text dated after his term), if the registry has only one.
        anyone = [
            e
            for e in registry.persons_with_family_name(name)
            if modifier is None or e.country == modifier
        ]
        if not in_office and len(anyone) == 1:
            e = anyone[0]
            seen_people.append(({key}, e.id, e.name, e.country, None))
            return _registry_person(c, surface, e, role_of(e, when), "surname")
    if c.source == "surname":
        return ActorMention(
            c.start, c.end, surface, "PERSON", modifier, None, name, None, False, "surname"
        )
    return ActorMention(
        c.start, c.end, surface, "PERSON", modifier, None, name, c.title, False, c.source
    )


def _registry_person(
    c: Candidate, surface: str, entry: ActorEntry, role: str | None, source: str
) -> ActorMention:
    """A mention of a registry person, with the role it held then."""
    return ActorMention(
        c.start, c.end, surface, "PERSON", entry.country, entry.id, entry.name, role, False, source
    )
