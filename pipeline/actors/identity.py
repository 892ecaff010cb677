"""One identity for every person across a document.

``find_actors`` links a person to the registry when it can, and a bare surname to the one
person named before it. This pass completes that for the whole document:

- a person the registry does not hold gets a document-scoped id (``local:<slug>``), shared
  by the full name, the surname, the title forms and close misspellings in the same text
  ("Kim Jung Un" beside "Kim Jong Un");
- a bare surname with no identity joins the one person of the document (before or after it)
  whose first or last name it is; when two people share it, it stays unresolved (no guess);
- every mention of a person takes the country that one of its mentions gives.

Only mentions left without an identity are given one; an id found earlier is never changed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc

from pipeline.actors.context import context_dates, role_of
from pipeline.actors.find_types import ActorMention
from pipeline.actors.vocabulary import PLACE_WORDS
from pipeline.extensions import reading_text
from pipeline.registry.actors import ActorRegistry
from pipeline.registry.names import TITLE_VOCABULARY, matching_key, strip_accents, strip_possessive

LOCAL_PREFIX = "local:"
_HONORIFICS = frozenset(
    {"Mr.", "Ms.", "Mrs.", "Dr.", "Adm.", "Gen.", "Lt.", "Col.", "Maj.", "Capt.", "Sen.", "Rep.",
     "Amb.", "Prof.", "Gov."}
)
# Name particles and initials are not what a bare surname is matched on.
_SKIP_WORDS = frozenset({"de", "van", "von", "der", "da", "bin", "al", "le", "jr", "sr"})


@dataclass
class _Person:
    id: str
    name: str
    keys: set[str] = field(default_factory=set)  # matching keys of full names
    name_words: set[str] = field(default_factory=set)  # first and last words of full names
    country: str | None = None


# Words a model's PERSON span sometimes carries that are not part of a name
# ("Presidents Hu", "Both Hu", "BIDEN OFF" in an upper-case title).
_NOT_NAME_WORDS = frozenset(
    {"both", "presidents", "leaders", "premiers", "ministers", "off", "to", "and", "with", "in", "on", "at"}
)


def _words(name: str) -> list[str]:
    """The name's words, without title words or stray function words at either end."""
    words = [w for w in re.split(r"[\s]+", strip_accents(strip_possessive(name)).strip()) if w]

    def not_name(word: str) -> bool:
        low = word.lower().strip(".,")
        return low in _NOT_NAME_WORDS or low in TITLE_VOCABULARY

    while words and not_name(words[0]):
        words = words[1:]
    while words and not_name(words[-1]):
        words = words[:-1]
    return words


def _edge_words(name: str) -> set[str]:
    words = [w for w in _words(name) if matching_key(w) and matching_key(w) not in _SKIP_WORDS]
    words = [w for w in words if len(matching_key(w)) > 1]  # initials ("A.") are not names
    if len(words) < 2:
        return set()
    return {matching_key(words[0]), matching_key(words[-1])}


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", strip_accents(strip_possessive(name)).lower()).strip("-")


def _close(a: str, b: str) -> bool:
    """Two name keys a letter or two apart (a misspelling), long enough to be safe."""
    if a == b:
        return True
    if min(len(a), len(b)) < 7 or abs(len(a) - len(b)) > 2 or a[0] != b[0]:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    # One letter for names of ordinary length; two only for long ones ("Kim Jong Un" and
    # "Kim Jong Il" are two letters apart and two people).
    return previous[-1] <= (2 if min(len(a), len(b)) >= 12 else 1)


def assign_identities(mentions: list[ActorMention]) -> list[ActorMention]:
    """The mentions with every person given one identity for the document (see module doc)."""
    people: dict[str, _Person] = {}
    # 1. People with an identity already (the registry, or a surname linked to one).
    for m in mentions:
        if m.type != "PERSON" or m.canonical_id is None:
            continue
        person = people.setdefault(m.canonical_id, _Person(m.canonical_id, m.canonical_name or m.text))
        for name in (m.canonical_name or "", strip_possessive(m.text)):
            if len(_words(name)) >= 2:
                person.keys.add(matching_key(name))
                person.name_words |= _edge_words(name)
        person.country = person.country or m.country
    # 2. Full names without one: the person with that name (or one letter or two off), else new.
    local: dict[int, str] = {}
    for k, m in enumerate(mentions):
        if m.type != "PERSON" or m.canonical_id is not None:
            continue
        name = " ".join(_words(m.text))
        if len(_words(name)) == 1:
            continue  # "Presidents Hu" is the surname "Hu": step 3
        if len(_edge_words(name)) == 0:
            continue
        key = matching_key(name)
        same = [p for p in people.values() if any(_close(key, other) for other in p.keys)]
        if len(same) == 1:
            person = same[0]
        elif not same:
            pid = LOCAL_PREFIX + _slug(name)
            person = people.setdefault(pid, _Person(pid, name))
        else:
            continue  # two people it could be: no guess
        person.keys.add(key)
        person.name_words |= _edge_words(name)
        person.country = person.country or m.country
        local[k] = person.id
    # 3. Bare surnames (one word) without one: the one person of the document it names.
    single: dict[str, list[int]] = {}
    for k, m in enumerate(mentions):
        if m.type != "PERSON" or m.canonical_id is not None or k in local:
            continue
        words = _words(m.text)
        if len(words) != 1:
            continue  # two words that are no known name (initials, say): left alone
        key = matching_key(words[0])
        if not key:
            continue
        owners = [p for p in people.values() if key in p.name_words]
        if len(owners) == 1:
            local[k] = owners[0].id
            owners[0].country = owners[0].country or m.country
        elif not owners:
            single.setdefault(key, []).append(k)
    # A name that only ever appears alone ("Aquilino" seven times) is one person too.
    for key, indexes in single.items():
        name = strip_possessive(mentions[indexes[0]].text).strip()
        pid = LOCAL_PREFIX + _slug(name)
        person = people.setdefault(pid, _Person(pid, name))
        person.name_words.add(key)
        for k in indexes:
            local[k] = pid
            person.country = person.country or mentions[k].country
    out: list[ActorMention] = []
    for k, m in enumerate(mentions):
        if m.type != "PERSON":
            out.append(m)
            continue
        found = local.get(k, m.canonical_id)
        if found is None:
            out.append(m)
            continue
        person = people[found]
        out.append(
            replace(
                m,
                canonical_id=found,
                canonical_name=m.canonical_name if m.canonical_id else person.name,
                country=m.country or person.country,
            )
        )
    return out


_DEFINED_ACRONYM = re.compile(r"\s*\(\s*(?P<acronym>[A-Z][A-Za-z]{1,9})\s*\)")


def share_organisation_identities(mentions: list[ActorMention], text: str) -> list[ActorMention]:
    """An acronym defined after a name ("Unification Ministry (MOU)") is that organisation
    wherever it stands, and mentions of one organisation spelled alike share what one of them
    knows (its country, its registry id). A government named by a common noun ("the
    government") is not one body wherever it stands, so it shares nothing."""
    known: dict[str, ActorMention] = {}
    for m in mentions:
        if m.type == "PERSON" or m.source == "government":  # "the government" names no one body
            continue
        key = matching_key(m.text)
        if m.country or m.canonical_id:
            known.setdefault(key, m)
        defined = _DEFINED_ACRONYM.match(text, m.end)
        if defined and (m.country or m.canonical_id):
            known.setdefault(matching_key(defined.group("acronym")), m)
    out: list[ActorMention] = []
    for m in mentions:
        source = known.get(matching_key(m.text)) if m.type != "PERSON" and m.source != "government" else None
        if source is None or source is m or (m.country and m.canonical_id):
            out.append(m)
            continue
        out.append(
            replace(
                m,
                country=m.country or source.country,
                canonical_id=m.canonical_id or source.canonical_id,
                canonical_name=m.canonical_name if m.canonical_id else (source.canonical_name or m.canonical_name),
            )
        )
    return out


def complete_person_mentions(
    doc: Doc,
    registry: ActorRegistry,
    mentions: list[ActorMention],
    excluded: list[tuple[int, int]],
) -> list[ActorMention]:
    """Surnames of the document's people that the first pass did not mark.

    Once a person is known (a registry person, or someone the text names alone), a
    capitalised proper noun elsewhere that is their surname, and nobody else's in the text,
    is that person ("Pompeo" at the start of a chronology entry the model skipped); an
    unknown one-word organisation with that name is the person too ("Aquilino" read as ORG).
    """
    owners: dict[str, set[str]] = {}
    sample: dict[str, ActorMention] = {}
    person_count: dict[str, int] = {}
    text = reading_text(doc)
    for m in mentions:
        if m.type == "PERSON" and m.canonical_id is not None:
            # an honorific or rank before the name ("Adm. Aquilino") is as good as a title
            before = text[max(0, m.start - 6) : m.start].split()
            titled = bool(before) and before[-1] in _HONORIFICS
            person_count[m.canonical_id] = person_count.get(m.canonical_id, 0) + (2 if titled else 1)
    for m in mentions:
        if m.type != "PERSON" or m.canonical_id is None:
            continue
        keys: set[str] = set()
        entry = registry.entries.get(m.canonical_id)
        if entry is not None and entry.family_name:
            keys.add(matching_key(entry.family_name))
        elif len(_words(m.text)) == 1 and (m.role or person_count.get(m.canonical_id, 0) >= 2):
            # A person the text only names alone counts once a title says so, or once they
            # were read as a person twice ("Aquilino"); one PERSON guess ("Woodside") does not.
            keys.add(matching_key(_words(m.text)[0]))
        for key in keys:
            owners.setdefault(key, set()).add(m.canonical_id)
        sample.setdefault(m.canonical_id, m)
    unique = {key: next(iter(ids)) for key, ids in owners.items() if len(ids) == 1 and len(key) > 1}
    if not unique:
        return mentions
    out: list[ActorMention] = []
    for m in mentions:
        key = matching_key(m.text)
        if m.type == "ORG" and m.canonical_id is None and " " not in m.text.strip() and key in unique:
            person = sample[unique[key]]
            m = replace(m, type="PERSON", country=m.country or person.country,
                        canonical_id=person.canonical_id, canonical_name=person.canonical_name)
        out.append(m)
    taken = sorted((m.start, m.end) for m in out)
    starts = [s for s, _ in taken]
    added: list[ActorMention] = []
    for token in doc:
        if not ((token.is_title or token.is_upper and len(token) > 2) and token.is_alpha and token.pos_ == "PROPN"):
            continue
        key = matching_key(token.text)
        if key not in unique:
            continue
        start, end = token.idx, token.idx + len(token.text)
        k = bisect.bisect_right(starts, start) - 1
        if k >= 0 and taken[k][0] <= start < taken[k][1]:
            continue  # inside a mention already
        if any(s <= start and end <= e for s, e in excluded):
            continue
        if token.i > 0 and doc[token.i - 1].lower_ in PLACE_WORDS:
            continue  # "in Woodside": a place
        person = sample[unique[key]]
        entry = registry.entries.get(person.canonical_id or "")
        role = role_of(entry, context_dates(doc, start)) if entry is not None else None
        added.append(ActorMention(start, end, token.text, "PERSON", person.country, person.canonical_id,
                                  person.canonical_name, role, False, "surname"))
    return sorted(out + added, key=lambda m: m.start)
