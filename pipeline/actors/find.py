"""``find_actors``: every actor mention of a parsed article (pure: it writes nothing).

Precedence (see docs/actors.md): NOT_ACTOR registry names (places, agreements, weapons) >
registry names > the model's entities; a model ORG that names an organisation after a state
("The Japan Times") beats the state name inside it; words of an office title are never a
mention of their own (they become the role of the person they introduce).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from spacy.attrs import IDX, IS_ALPHA, IS_TITLE, ORTH
from spacy.tokens import Doc, Token

from pipeline.actors.candidates import (
    Candidate,
    CandidateIndex,
    doc_text,
    excluded_ranges,
    inside,
    merge,
    model_candidates,
    registry_candidates,
)
from pipeline.actors.context import country_of_hits, modifier_before, person_words, title_chain
from pipeline.actors.find_types import ActorMention
from pipeline.actors.identity import (
    assign_identities,
    complete_person_mentions,
    share_organisation_identities,
)
from pipeline.actors.resolve import resolve
from pipeline.actors.vocabulary import GROUP_NOUNS, POSSESSIVES, TITLE_NOUNS
from pipeline.registry.actors import ActorRegistry
from pipeline.registry.names import TITLE_VOCABULARY, matching_key

# Title words after which a capitalised word is a person's name (the long titles end in one
# of these: "Foreign Minister", "Assistant Secretary"); abbreviations as the journal prints them.
# Left out: words that also head names of bodies ("General Assembly", "Director" of ...).
NAME_INTRODUCING_TITLES = frozenset(
    {"President", "Premier", "Chancellor", "Chairman", "Chairwoman", "Minister", "Secretary",
     "Ambassador", "Envoy", "Spokesman", "Spokeswoman", "Spokesperson", "Senator", "Governor",
     "Mayor", "Admiral", "FM", "PM", "Gen.", "Adm.", "Amb.", "Sen.", "Gov."}
)


def _name_word(token: Token, taken: set[int]) -> bool:
    """A word that can be part of a person's name after a title."""
    return (
        token.i not in taken
        and token.pos_ == "PROPN"
        and token.is_alpha
        and token.is_title
        and token.lower_ not in TITLE_VOCABULARY
        and token.text not in NAME_INTRODUCING_TITLES
        and token.ent_type_ in ("", "PERSON")
    )


def _past_complement(doc: Doc, i: int, reg_at: dict[int, Candidate]) -> Candidate | None:
    """The registry mention ending ``doc[i:]`` = "to|for|of [the] <registry mention>" (a name
    may follow it)."""
    if doc[i].lower_ not in {"to", "for", "of"}:
        return None
    j = i + 1
    if j < len(doc) and doc[j].lower_ == "the":
        j += 1
    known = reg_at.get(j)
    return known if known is not None and known.end_tok < len(doc) else None


# Dependencies a name may hang by, below the title it ends ("ambassador for negotiations to
# normalize relations with Japan Song Il-ho": pobj, prep, dobj, acl, prep, pobj).
HOLDER_PATH_DEPS = frozenset({"pobj", "prep", "dobj", "acl", "compound", "appos", "nmod", "npadvmod"})


def _title_holder_country(doc: Doc, person: Candidate, state_at: dict[int, str]) -> str | None:
    """The state owning the title a person's name ends: "North Korea's envoy for talks with
    the US Kim Myong Gil" is North Korean. The parser hangs such a name deep inside the
    title's phrases; the title is the first title noun above it whose phrase ends with the
    name, and its possessor, a state, is the person's country."""
    node = doc[person.start_tok : person.end_tok].root
    for _ in range(8):
        if node.dep_ not in HOLDER_PATH_DEPS or node.head.i == node.i:
            return None
        node = node.head
        if node.pos_ == "NOUN" and node.lower_ in TITLE_NOUNS and node.right_edge.i == person.end_tok - 1:
            return next((state_at[c.i] for c in node.children if c.dep_ == "poss" and c.i in state_at), None)
    return None


# Words a long name may hold without an initial in its acronym ("Committee for the Peaceful
# Reunification of Korea (CPRK)").
LONG_FORM_CONNECTORS = frozenset({"of", "for", "the", "on", "and", "in", "to", "&", "-", "‐"})
MAX_UNMATCHED_WORDS = 2  # capitalised words of the name an acronym may leave out
# A long form names an actor only with one of these words in it: an acronym also defines
# agreements ("Regional Comprehensive Economic Partnership (RCEP)"), places ("Kaesong
# Industrial Zone (KIZ)") and weapons ("Terminal High Altitude Area Defense (THAAD)").
ORGANISATION_WORDS = frozenset({
    "administration", "agency", "army", "assembly", "association", "authority", "bank", "board",
    "bureau", "cabinet", "centre", "center", "command", "commission", "committee", "company",
    "conference", "congress", "corporation", "council", "court", "department", "federation",
    "force", "forces", "foundation", "front", "fund", "government", "group", "guard", "institute",
    "league", "ministry", "movement", "navy", "office", "organisation", "organization", "parliament",
    "party", "secretariat", "service", "union",
})
MAX_LONG_FORM_WORDS = 14


def _long_form_start(doc: Doc, close_paren: int, acronym: str, stop: int) -> int | None:
    """Where the name an acronym abbreviates starts, reading back from its "(": each letter,
    last first, is the initial of a word (the parts of a hyphenated word count apart); a word
    no letter takes must be a connector, or one of at most ``MAX_UNMATCHED_WORDS`` capitalised
    words ("Measures" in "Confidence-Building Measures in Asia (CICA)"); the name starts at
    the word of the first letter, which must be capitalised."""
    letters = [c for c in acronym.upper() if c.isalpha()]
    k = close_paren - 1
    skipped = 0
    while letters and k >= stop:
        token = doc[k]
        word = token.text
        if token.is_punct and word not in ("-", "‐", "&"):
            return None  # a comma, a colon: the name does not run on past it
        if word[:1].upper() == letters[-1] and (word[:1].isupper() or len(letters) > 1):
            letters.pop()
            if not letters:
                return k if word[:1].isupper() else None
        elif word.lower() in LONG_FORM_CONNECTORS:
            pass
        elif word[:1].isupper() and skipped < MAX_UNMATCHED_WORDS:
            skipped += 1
        else:
            return None
        k -= 1
    return None


def defined_long_forms(
    doc: Doc, reg: list[Candidate], model: list[Candidate], not_actor_text: list[tuple[int, int]]
) -> list[Candidate]:
    """An organisation's name defined by the acronym after it ("Committee for the Peaceful
    Reunification of Korea (CPRK)", "Conference on Interaction and Confidence-Building
    Measures in Asia (CICA)") is one mention, whatever the model made of its words: the
    candidates inside it go (a state name there is part of the name), unless one already
    covers it whole. Returns the model's candidates with the long forms added."""
    found: list[Candidate] = []
    by_token: dict[int, list[Candidate]] | None = None  # built at the first acronym, once
    for i in range(2, len(doc) - 2):
        if doc[i].text != "(" or doc[i + 2].text != ")":
            continue
        acronym = doc[i + 1].text
        if not (2 <= len(acronym) <= 9 and acronym[:1].isupper() and sum(c.isupper() for c in acronym) >= 2
                and acronym.isalpha()):
            continue
        start = _long_form_start(doc, i, acronym, max(doc[i].sent.start, i - MAX_LONG_FORM_WORDS))
        if start is None or i - start < 2:
            continue
        if not any(doc[k].lower_ in ORGANISATION_WORDS for k in range(start, i)):
            continue
        begin, end = doc[start].idx, doc[i - 1].idx + len(doc[i - 1].text)
        if inside(begin, end, not_actor_text):
            continue
        if by_token is None:
            by_token = {}
            for c in (*reg, *model):
                for t in range(c.start_tok, c.end_tok):
                    by_token.setdefault(t, []).append(c)
        if any(c.start_tok <= start and i <= c.end_tok and not c.drop for c in by_token.get(start, ())):
            continue  # a name or the model already has it whole
        for t in range(start, i):
            for c in by_token.get(t, ()):
                if start <= c.start_tok and c.end_tok <= i:
                    c.drop = True
        found.append(Candidate(start, i, begin, end, "acronym", label="ORG"))
        if not any(not c.drop for c in by_token.get(i + 1, ())):
            # the acronym in its brackets names the organisation too (one identity with it)
            found.append(Candidate(i + 1, i + 2, doc[i + 1].idx, doc[i + 1].idx + len(acronym), "acronym", label="ORG"))
    return [c for c in model if not c.drop] + found if found else model


# "the North" and "the South" stand for the two Korean states in an article about Korea.
KOREAN_HALVES = {"North": "North Korea", "South": "South Korea"}
_KOREAN_COUNTRIES = frozenset({"KOR", "PRK"})


def korean_halves(doc: Doc, registry: ActorRegistry, reg: list[Candidate], texts: Sequence[str],
                  not_actor_text: list[tuple[int, int]]) -> list[Candidate]:
    """"the North", "the South" as the two Koreas, where the document names either of them:
    after "the", not followed by a capitalised word ("the South China Sea", "the North
    Atlantic") or by a name's hyphen, and not at the start of a longer name."""
    if not any(registry.entries[h.entry_id].country in _KOREAN_COUNTRIES for r in reg for h in r.hits):
        return []
    covered = {t for c in reg if not c.drop for t in range(c.start_tok, c.end_tok)}
    found: list[Candidate] = []
    for i in range(1, len(doc)):
        name = KOREAN_HALVES.get(texts[i])
        if name is None or i in covered or texts[i - 1].lower() != "the":
            continue
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        if nxt is not None and (nxt.text[:1].isupper() or nxt.text in ("-", "‐", "–")):
            continue
        token = doc[i]
        if inside(token.idx, token.idx + len(token.text), not_actor_text):
            continue
        hits = [h for h in registry.lookup(name) if registry.entries[h.entry_id].type == "STATE"]
        if hits:
            found.append(Candidate(i, i + 1, token.idx, token.idx + len(token.text), "registry", hits=hits, kind="name"))
    return found


# Common nouns that name a government ("the government", "Burma's junta", "the Labor
# government"): actors the guide counts, found where no name covers them.
GOVERNMENT_NOUNS = frozenset({"government", "junta", "regime", "administration"})
# Dependents that make such a noun a reference ("the", "its", "Japan's", "Labor"), not a
# modifier or a mass noun ("government spending").
_REFERENCE_DEPS = frozenset({"det", "poss", "amod", "compound", "nmod"})


def government_nouns(
    doc: Doc, registry: ActorRegistry, reg: list[Candidate], others: Sequence[Candidate], texts: Sequence[str],
    not_actor_text: list[tuple[int, int]],
) -> list[Candidate]:
    """Governments named by a common noun that heads its phrase, with the country a state word
    before it ("the Philippine government", "Japan's government") or its "of" phrase ("the
    government of Japan") gives; the rest take one from the sentence later
    (``_sentence_country``)."""
    covered = {t for c in (*reg, *others) if not c.drop for t in range(c.start_tok, c.end_tok)}
    names = {t: r for r in reg if r.kind == "name" for t in range(r.start_tok, r.end_tok)}
    found: list[Candidate] = []
    for i, word in enumerate(texts):
        if word not in GOVERNMENT_NOUNS or i in covered:
            continue
        token = doc[i]
        if token.dep_ == "compound" or not any(c.dep_ in _REFERENCE_DEPS for c in token.children):
            continue
        if inside(token.idx, token.idx + len(word), not_actor_text):
            continue
        country, _ = modifier_before(doc, registry, i, reg)
        if country is None:
            for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"):
                for pobj in (g for g in prep.children if g.dep_ == "pobj"):
                    state = names.get(pobj.i)
                    if state is not None:
                        country = country_of_hits(registry, state.hits)
        found.append(Candidate(i, i + 1, token.idx, token.idx + len(word), "government", label="ORG",
                               group_country=country))
    return found


def _sentence_country(doc: Doc, mentions: list[ActorMention]) -> list[ActorMention]:
    """A government noun with no country of its own is the government of the state the nearest
    mention before it in its sentence belongs to ("ROK Supreme Court calls on the government",
    "Hosoda says the government will ..."); with none before it, it keeps none."""
    for k, mention in enumerate(mentions):
        if mention.source != "government" or mention.country is not None:
            continue
        sentence = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if sentence is None:
            continue
        sent_start = sentence.sent.start_char
        j = k - 1
        while j >= 0 and mentions[j].start >= sent_start:  # in text order: back to the sentence's start
            if mentions[j].country is not None:
                mention.country = mentions[j].country
                break
            j -= 1
    return mentions


def find_actors(doc: Doc, registry: ActorRegistry) -> list[ActorMention]:
    """Every actor mention in ``doc`` with its type, country, identity, role and metonymy."""
    text = doc_text(doc)
    excluded = excluded_ranges(doc)
    in_title_too = excluded_ranges(doc, keep_title=True)
    reg = [r for r in registry_candidates(doc, registry) if not inside(r.start, r.end, in_title_too)]
    model = merge(doc, registry, reg, model_candidates(doc, excluded))
    model = defined_long_forms(doc, reg, model, in_title_too)
    reg = [r for r in reg if not r.drop]
    reg += korean_halves(doc, registry, reg, [t.text for t in doc], in_title_too)

    # Full person names in the article, to spot bare surnames the model missed.
    family_words: set[str] = set()
    for r in reg:
        for h in r.hits:
            e = registry.entries[h.entry_id]
            if e.type == "PERSON" and e.family_name:
                family_words.add(matching_key(e.family_name))
    for m in model:
        if m.label == "PERSON" and m.end_tok - m.start_tok >= 2:
            words = person_words(text[m.start : m.end])
            family_words.update({matching_key(words[0]), matching_key(words[-1])})
        elif m.label == "PERSON" and registry.persons_with_family_name(text[m.start : m.end]):
            # A bare surname the model took for a person somewhere in the article, and which is
            # a known person's family name, is that person where the model missed it too
            # ("Trump calls for a third summit", tagged as a noun there).
            family_words.add(matching_key(text[m.start : m.end]))
    covered = {t for c in reg + model for t in range(c.start_tok, c.end_tok)}
    # Each token's text, offset and title/alpha flags, read in one call rather than token by
    # token (the two loops below look at every token of the document).
    columns = doc.to_array([ORTH, IDX, IS_TITLE, IS_ALPHA]).tolist() if len(doc) else []
    strings = doc.vocab.strings
    texts = [strings[row[0]] for row in columns]
    surnames = [
        Candidate(i, i + 1, row[1], row[1] + len(texts[i]), "surname", label="PERSON")
        for i, row in enumerate(columns)
        if i not in covered
        and row[2]
        and row[3]
        and matching_key(texts[i]) in family_words
        and not inside(row[1], row[1] + 1, in_title_too)
    ]

    # Names the model missed right after an office title ("FM Machimura", "Ambassador Zhang
    # Hanhui"): capitalised proper nouns that nothing else claims, one to three of them.
    taken = covered | {t for c in surnames for t in range(c.start_tok, c.end_tok)}
    titled: list[Candidate] = []
    # A title may name where or what the office is for before the name ("Ambassador to Russia
    # Zhang Hanhui", "Special Envoy for North Korea Stephen Biegun"): the name then starts
    # after that complement, when the complement is a known name (a registry mention).
    # ("for" and "of" complements are read as part of the title, as in "Secretary of Defense",
    # by ``title_chain``; a state after "to" is where the office serves, a mention of its own,
    # and the holder's country is the one before the title: "Chinese Ambassador to Russia".)
    after_complement: dict[int, tuple[int, Candidate]] = {}
    reg_at = {r.start_tok: r for r in reversed(reg)}  # the first registry mention starting at each token
    for i in range(1, len(doc) - 2):
        if texts[i - 1] in NAME_INTRODUCING_TITLES:
            found = _past_complement(doc, i, reg_at)
            if found is not None:
                after_complement[found.end_tok] = (i - 1, found)
                found.complement = doc[i].lower_ == "to"
    i = 1
    while i < len(doc):
        if (texts[i - 1] not in NAME_INTRODUCING_TITLES and i not in after_complement
                or i in taken or not _name_word(doc[i], taken)):
            i += 1
            continue
        end = i + 1
        while end < len(doc) and end - i < 3 and _name_word(doc[end], taken):
            end += 1
        last = doc[end - 1]
        following = doc[end] if end < len(doc) else None
        # a capitalised word right after makes it the name of something else ("First Vice
        # Minister Level Talks")
        named_thing = following is not None and following.is_alpha and following.is_title
        if not named_thing and not inside(doc[i].idx, last.idx + len(last.text), in_title_too):
            person = Candidate(i, end, doc[i].idx, last.idx + len(last.text), "titled", label="PERSON")
            titled.append(person)
        i = end
    surnames += titled

    # Groups: "<state word> [one word] <plural group noun>".
    groups: list[Candidate] = []
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
                country = country_of_hits(registry, r.hits)
                groups.append(
                    Candidate(
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

    candidates = sorted(reg + model + surnames + groups + government_nouns(doc, registry, reg, model + surnames + groups,
                                                                           texts, in_title_too),
                        key=lambda c: c.start)
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
    person_ids = {id(c) for c in persons}
    others = [c for c in candidates if id(c) not in person_ids]  # the same for every person
    index = CandidateIndex.build(reg, persons)
    # which persons hold each token, so a title stops at another person's words
    holders: dict[int, list[Candidate]] = {}
    for c in persons:
        for t in range(c.start_tok, c.end_tok):
            holders.setdefault(t, []).append(c)
    other_starts = [o.start_tok for o in others]

    def blocked_for(person: Candidate) -> Callable[[int], bool]:
        return lambda t: any(c is not person for c in holders.get(t, ()))

    # the state of each token a state's name covers, for the titles whose holder is named last
    state_at: dict[int, str] = {}
    for r in reg:
        if r.kind == "name" and all(registry.entries[h.entry_id].type == "STATE" for h in r.hits):
            country = country_of_hits(registry, r.hits)
            if country is not None:
                state_at.update(dict.fromkeys(range(r.start_tok, r.end_tok), country))
    for p in persons:
        title, swallowed, head = title_chain(doc, p, blocked_for(p), others, other_starts)
        p.title = title
        for o in swallowed:
            if o.start_tok < head:
                if o.kind in {"adjective", "name", "metonym"} and o.source == "registry":
                    country = country_of_hits(registry, o.hits)
                    if country and p.modifier_country is None:
                        p.modifier_country = country
                    nxt = doc[o.end_tok] if o.end_tok < len(doc) else None
                    if nxt is None or nxt.text not in POSSESSIVES:
                        o.drop = True
            else:
                o.drop = True
        title_at, place = after_complement.get(p.start_tok, (None, None))
        if place is not None and place.complement and title_at is not None and not title:
            # "Chinese Ambassador to Russia Zhang Hanhui": the title and its country are before
            # the complement
            p.title = text[doc[title_at].idx : place.end].strip()
            if p.modifier_country is None:
                p.modifier_country, _ = modifier_before(doc, registry, title_at, reg, index=index)
        if p.modifier_country is None:
            country, _ = modifier_before(doc, registry, head if title else p.start_tok, reg, index=index)
            p.modifier_country = country
        if p.modifier_country is None:
            p.modifier_country = _title_holder_country(doc, p, state_at)

    mentions: list[ActorMention] = []
    seen_people: list[tuple[set[str], str | None, str, str | None, str | None]] = []
    for c in candidates:
        if c.drop or c.kind in {"not_actor", "compound", "adjective"}:
            continue
        surface = text[c.start : c.end]
        mention = resolve(doc, registry, c, surface, reg, persons, seen_people, index)
        if mention is not None:
            mentions.append(mention)
    mentions = complete_person_mentions(doc, registry, assign_identities(mentions), in_title_too)
    return share_organisation_identities(_sentence_country(doc, mentions), text)
