"""Who did what to whom: source and target actors of an event from the dependency parse."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from pipeline.actors.vocabulary import TITLE_NOUNS

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass"})
OBJECT_DEPS = frozenset({"dobj", "dative", "iobj"})
# Prepositions whose object is on the receiving end of an act.
# Not "at": what follows it is where the act happened ("meet at the ASEAN meeting"). "in"
# only for an act that is not joint, and only a mention standing right there ("arrives in
# India"; but "Kang and Motegi meet in Seoul" is a place).
TARGET_PREPS = frozenset({"with", "to", "against", "toward", "towards", "on", "from"})
PLACE_PREPS = frozenset({"in"})
# What a joint act (talks, a meeting) is about: its topic, not one of its parties.
TOPIC_PREPS = frozenset({"on"})
# "on the sidelines of the G20", "on the eve of the summit": when, where, not whom.
CIRCUMSTANCE_NOUNS = frozenset({"sideline", "sidelines", "margin", "margins", "eve", "occasion", "side"})
# Dependents that still belong to the same actor mention ("South Korea's Foreign Minister").
MENTION_DEPS = frozenset({"compound", "poss", "appos", "nmod", "amod", "npadvmod"})
LIGHT_VERBS = frozenset(
    {
        "hold",
        "have",
        "conduct",
        "make",
        "carry",
        "stage",
        "begin",
        "start",
        "launch",
        "open",
        "resume",
        "continue",
        "give",
        "lodge",
        "deliver",
        "issue",
        "take",
        "reach",
        "express",
        "file",
        "pay",
        "impose",
        "announce",
    }
)


@dataclass(frozen=True)
class ActorRef:
    """An actor mention as the roles step sees it: plain values only."""

    actor_id: str
    start: int  # token indices, end exclusive
    end: int
    country: str | None = None
    type: str | None = None  # PERSON | STATE | ORG | GROUP
    media: bool = False  # a news organisation


@dataclass
class Roles:
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    tokens: set[int] = field(default_factory=set)  # tokens of the role mentions


class ActorIndex:
    """Token index -> actor mention, for one sentence."""

    def __init__(self, actors: Sequence[ActorRef]) -> None:
        self.actors = list(actors)
        self._by_token: dict[int, ActorRef] = {}
        self._country: dict[str, str | None] = {}
        self._type: dict[str, str | None] = {}
        self._media = {actor.actor_id for actor in self.actors if actor.media}
        for actor in self.actors:
            for i in range(actor.start, actor.end):
                self._by_token[i] = actor
            self._country.setdefault(actor.actor_id, actor.country)  # the first mention's, as before
            self._type.setdefault(actor.actor_id, actor.type)

    @classmethod
    def from_spans(cls, spans: Sequence[Span]) -> ActorIndex:
        refs = []
        for s in spans:
            u = s._  # one accessor for the three attributes
            if u.actor_id:
                refs.append(ActorRef(str(u.actor_id), s.start, s.end, u.actor_country, u.actor_type, bool(u.actor_media)))
        return cls(refs)

    def at(self, i: int) -> ActorRef | None:
        return self._by_token.get(i)

    def country_of(self, actor_id: str) -> str | None:
        return self._country.get(actor_id)

    def type_of(self, actor_id: str) -> str | None:
        """The type of the actor's first mention (PERSON, STATE, ORG, GROUP)."""
        return self._type.get(actor_id)

    def is_media(self, actor_id: str) -> bool:
        return actor_id in self._media


def _unique(ids: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for i in ids:
        if i not in seen:
            seen.add(i)
            out.append(i)
    return out


# Modifiers of a role's noun phrase that are clauses or circumstances of their own: the
# actors inside them are not the role ("buses carrying Northern workers").
CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "prep", "punct", "cc", "det"})
# Which mentions a noun phrase stands for when it holds several: a person named in it before
# the body they lead, a body before the state that owns it ("Japan's Minister ... Motegi").
TYPE_PREFERENCE = {"PERSON": 0, "ORG": 1, "GROUP": 1, "STATE": 2}


def _phrase_mentions(token: Token, index: ActorIndex) -> list[ActorRef]:
    """Actor mentions inside the token's noun phrase, clauses and circumstances left out,
    except "of"/"from" phrases ("officials of Japan, South Korea and China")."""
    found: list[ActorRef] = []
    frontier = [token]
    seen: set[int] = set()
    while frontier:
        node = frontier.pop()
        actor = index.at(node.i)
        if actor is not None and actor not in found:
            found.append(actor)
        for child in node.children:
            if child.i in seen:
                continue
            seen.add(child.i)
            if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                frontier += [g for g in child.children if g.dep_ == "pobj"]
            elif child.dep_ == "prep":
                # A title's phrase often takes the holder's name as its object in the parse
                # ("Minister for Foreign Affairs Motegi Toshimitsu"): a person there is the
                # head's name; anything else under the preposition is a circumstance.
                for pobj in (g for g in child.children if g.dep_ == "pobj"):
                    named = index.at(pobj.i)
                    if named is not None and named.type == "PERSON" and named not in found:
                        found.append(named)
            elif child.dep_ not in CLAUSE_DEPS:
                frontier.append(child)
    holder = _name_ending_subject(token, index)
    if holder is not None and holder not in found:
        found.append(holder)
    return sorted(found, key=lambda a: a.start)


def _title_split_from_its_holder(tokens: list[Token], index: ActorIndex) -> list[Token]:
    """Subjects less a title the parser split from its holder's name: it sometimes gives the
    verb two subjects where the text has one ("China's special representative for Korean
    Peninsula affairs | Liu Xiaoming visits Seoul"). A title noun followed, with no "and" or
    comma between, by a subject that is a person stands for that person, not for the state
    that owns the title."""
    if len(tokens) < 2:
        return tokens
    doc = tokens[0].doc
    ordered = sorted(tokens, key=lambda t: t.i)
    dropped: set[int] = set()
    for title, name in zip(ordered, ordered[1:], strict=False):
        between = doc[title.right_edge.i + 1 : name.left_edge.i]
        holder = index.at(name.i)
        if (
            title.pos_ == "NOUN"
            and title.lower_ in TITLE_NOUNS
            and holder is not None
            and holder.type == "PERSON"
            and not any(t.lower_ in COORDINATORS or t.text in {",", ";"} for t in between)
        ):
            dropped.add(title.i)
    return [t for t in tokens if t.i not in dropped]


def _name_ending_subject(token: Token, index: ActorIndex) -> ActorRef | None:
    """The person named last in a title-headed subject, right before its verb: "North Korea's
    ambassador for negotiations to normalize relations with Japan Song Il-ho tells ...". The
    parser buries the name deep in the title's phrases there; standing last, next to the
    verb, it is the title's holder."""
    verb = token.head
    if token.dep_ not in SUBJECT_DEPS or token.pos_ != "NOUN" or verb.i <= token.i or verb.i == 0:
        return None
    named = index.at(verb.i - 1)
    if named is None or named.type != "PERSON":
        return None
    if not token.left_edge.i <= named.start and named.end - 1 <= token.right_edge.i:
        return None
    # hung from the title's own phrases, not coordinated with it ("China's envoy and Kim
    # Myong Gil meet" are two participants)
    node = token.doc[verb.i - 1]
    for _ in range(12):
        if node.i == token.i:
            return named
        if node.dep_ == "conj" or node.head.i == node.i:
            return None
        node = node.head
    return None


def actors_of(token: Token, index: ActorIndex, depth: int = 2, phrase: bool = False) -> list[str]:
    """Actors a role token stands for: its own mention, else the mentions its noun phrase
    names (the most specific kind: people before bodies before states); with coordination
    ("Kang and Motegi") every conjunct."""
    found: list[str] = []
    actor = index.at(token.i)
    if actor is not None:
        found.append(actor.actor_id)
    elif phrase and token.pos_ in ("NOUN", "PROPN", "PRON") and token.dep_ != "conj":
        mentions = _phrase_mentions(token, index)
        if mentions:
            best = min(TYPE_PREFERENCE.get(m.type or "", 1) for m in mentions)
            return _unique([m.actor_id for m in mentions if TYPE_PREFERENCE.get(m.type or "", 1) == best])
    if actor is None and not found and depth > 0:
        for child in token.children:
            if child.dep_ in MENTION_DEPS:
                found += actors_of(child, index, depth - 1)
            elif child.dep_ == "prep" and child.lower_ in ("of", "from"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        found += actors_of(pobj, index, depth - 1)
        # Possessor before head noun: keep only the nearest mention ("Korea's Kang" -> Kang).
        found = found[:1] if found else found
    for child in token.children:
        if child.dep_ == "conj":
            found += actors_of(child, index, depth, phrase)
    return _unique(found)


COORDINATORS = frozenset({"and", "&"})


def coordinated_groups(tokens: Sequence[Token], index: ActorIndex) -> list[list[ActorRef]]:
    """The actor mentions of a subject phrase, grouped by its surface coordination: "A, B's
    title C, and D" is three participants (A | B, C | D), however the parser attached the
    pieces. A comma separates participants only in a list that has an "and" (else it sets
    off an apposition: "Chen Yunlin, chairman of ARATS,")."""
    mentions: list[ActorRef] = []
    for token in tokens:
        actor = index.at(token.i)
        if actor is not None and actor not in mentions:
            mentions.append(actor)
    mentions.sort(key=lambda a: a.start)
    if len(mentions) < 2:
        return [mentions] if mentions else []
    doc = tokens[0].doc
    gaps = [[t for t in doc[a.end:b.start]] for a, b in zip(mentions, mentions[1:], strict=False)]
    listed = any(t.lower_ in COORDINATORS for gap in gaps for t in gap)
    groups = [[mentions[0]]]
    for gap, mention in zip(gaps, mentions[1:], strict=True):
        # a possessor belongs to what follows it: "South Korea's Director-General for Asian
        # and Pacific Affairs ... Kim" is one participant, the "and" inside a title
        possessive = bool(gap) and gap[0].lower_ in ("'s", "’s", "'", "’")
        splits = not possessive and any(t.lower_ in COORDINATORS or (listed and t.text == ",") for t in gap)
        if splits:
            groups.append([mention])
        else:
            groups[-1].append(mention)
    return groups


def _most_specific(mentions: Sequence[ActorRef]) -> list[ActorRef]:
    best = min(TYPE_PREFERENCE.get(m.type or "", 1) for m in mentions)
    return [m for m in mentions if TYPE_PREFERENCE.get(m.type or "", 1) == best]


def _subject_region(verb: Token) -> list[Token]:
    """The words before a main verb that are its subject in a headline-style clause: from the
    sentence's start (after a dated entry's colon, and after an opening adverbial phrase up to
    its comma: "In phone call, ..."), when they hold no verb of their own; else nothing."""
    sentence = verb.sent
    region = list(sentence.doc[sentence.start:verb.i])
    colons = [k for k, t in enumerate(region) if t.text == ":"]
    if colons:
        region = region[colons[-1] + 1:]
    if region and (region[0].pos_ in ("ADP", "SCONJ") or region[0].tag_ == "VBG"):
        commas = [k for k, t in enumerate(region) if t.text == ","]
        region = region[commas[0] + 1:] if commas else []
    while region and (region[-1].pos_ in ("ADV", "PART") or region[-1].text == ","):
        region = region[:-1]
    if not region or any(t.pos_ in ("VERB", "AUX") for t in region):
        return []
    return region


def _subject_participants(verb: Token, index: ActorIndex) -> list[str] | None:
    """The participants a coordinated subject names, one per conjunct (the most specific
    mention of each), when the surface before the main verb shows two or more; else None."""
    if verb.dep_ != "ROOT":
        return None
    groups = coordinated_groups(_subject_region(verb), index)
    if len(groups) < 2:
        return None
    return _unique([m.actor_id for group in groups for m in _most_specific(group)])


def _without_parenthesised(ids: list[str], named: list[str], index: ActorIndex, doc: Doc) -> list[str]:
    """Role actors less the ones that only restate the mention before them in brackets:
    "the Unification Ministry (MOU)" is one participant, not two."""
    by_id = {a.actor_id: a for a in index.actors}
    ends = {a.end: a for a in index.actors}
    out = []
    for actor_id in ids:
        actor = by_id.get(actor_id)
        if actor is not None and actor.start >= 2 and doc[actor.start - 1].text == "(":
            before = ends.get(actor.start - 1)
            if before is not None and before.actor_id in named:
                continue
        out.append(actor_id)
    return out


def _children(token: Token, deps: frozenset[str]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def subject_tokens(verb: Token) -> list[Token]:
    """The subject of a verb, looking through coordination, control and participles."""
    subjects = _children(verb, SUBJECT_DEPS)
    if subjects:
        return subjects
    if verb.dep_ == "conj" and verb.head.i != verb.i:
        return subject_tokens(verb.head)
    if verb.dep_ == "xcomp" and verb.head.i != verb.i:
        objects = _children(verb.head, OBJECT_DEPS)
        return objects or subject_tokens(verb.head)
    if verb.dep_ in ("advcl", "ccomp") and verb.head.i != verb.i and verb.tag_ in ("VBG", "VB"):
        return subject_tokens(verb.head)
    if verb.dep_ in ("acl", "relcl") and verb.head.i != verb.i:
        return [verb.head]
    return []


def _target_tokens(token: Token, index: ActorIndex | None = None, symmetric: bool = False) -> list[Token]:
    found = list(_children(token, OBJECT_DEPS))
    for prep in _children(token, frozenset({"prep"})):
        if symmetric and prep.lower_ in TOPIC_PREPS:
            continue  # what a joint act is about is not a party to it ("talks on realignment of U.S. forces")
        if prep.lower_ in TARGET_PREPS:
            found += [t for t in _children(prep, frozenset({"pobj"})) if t.lemma_.lower() not in CIRCUMSTANCE_NOUNS]
        elif prep.lower_ in PLACE_PREPS and index is not None and not symmetric:
            for place in _children(prep, frozenset({"pobj"})):
                # "arrives in Goa, India": a town is no actor, the state after it is
                named = [place] if index.at(place.i) is not None else [
                    a for a in _children(place, frozenset({"appos"})) if index.at(a.i) is not None]
                found += named
    return found


# Prepositions under a verb's object or complement that name whom the act is with or for.
COMPLEMENT_TARGET_PREPS = TARGET_PREPS | frozenset({"over"})
# Prepositions of a verb whose object carries the act further ("calls for a summit with Kim").
HOLDER_PREPS = frozenset({"for", "on", "to", "with"})


def _complement_targets(verb: Token, index: ActorIndex) -> list[Token]:
    """Where a verb's act reaches past its own arguments: the "with/to/on/over" phrases of its
    object or of a "for/on/to/with" complement that is not itself an actor ("signs an agreement
    with X", "calls for a summit with X"), and the objects of a purpose clause ("to meet X").
    Not for a joint act of several participants: its target comes from splitting them."""
    holders = [t for t in _children(verb, OBJECT_DEPS) if index.at(t.i) is None]
    for prep in _children(verb, frozenset({"prep"})):
        if prep.lower_ in HOLDER_PREPS:  # "calls for a summit with", not "in response to"
            holders += [t for t in _children(prep, frozenset({"pobj"}))
                        if index.at(t.i) is None and t.lemma_.lower() not in CIRCUMSTANCE_NOUNS]
    found: list[Token] = []
    for holder in holders:
        for prep in _children(holder, frozenset({"prep"})):
            if prep.lower_ in COMPLEMENT_TARGET_PREPS:
                found += [t for t in _children(prep, frozenset({"pobj"})) if t.lemma_.lower() not in CIRCUMSTANCE_NOUNS]
    for clause in _children(verb, frozenset({"advcl", "xcomp"})):
        if clause.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
            found += _children(clause, OBJECT_DEPS)
    return found


def _stance_targets(adjective: Token) -> list[Token]:
    """The objects and "with/to/..." phrases of the act an adjective of stance governs: its
    "to" complement ("committed to meeting with Kim") or its infinitive ("ready to talk to")."""
    acts = [a for prep in _children(adjective, frozenset({"prep"})) if prep.lower_ == "to"
            for a in _children(prep, frozenset({"pcomp"})) if a.pos_ == "VERB"]
    acts += [a for a in _children(adjective, frozenset({"xcomp"})) if a.pos_ == "VERB"]
    found: list[Token] = []
    for act in acts:
        found += _children(act, OBJECT_DEPS)
        for prep in _children(act, frozenset({"prep"})):
            if prep.lower_ in TARGET_PREPS:
                found += _children(prep, frozenset({"pobj"}))
    return found


def roles_of(trigger: Token, index: ActorIndex, symmetric: bool = False) -> Roles:
    """Source and target actor ids of the event headed by ``trigger``."""
    roles = Roles()
    source_tokens: list[Token] = []
    target_tokens: list[Token] = []
    if trigger.pos_ in ("NOUN", "PROPN", "ADJ"):
        # A possessive pronoun ("conduct their first dialogue") defers to the verb's subject.
        possessors = [t for t in _children(trigger, frozenset({"poss"})) if t.pos_ != "PRON"]
        source_tokens += possessors
        # A noun coordinated with another stands where the first conjunct stands: "inaugurate
        # the Talon Vision and Amphibious Landing Exercise" has the verb's subject too.
        node = trigger
        while node.dep_ == "conj" and node.head.i != node.i and node.head.pos_ in ("NOUN", "PROPN"):
            node = node.head
        head = node.head
        if (
            not possessors
            and node.dep_ in ("dobj", "attr", "oprd", "acomp", "ROOT")
            and (head.pos_ in ("VERB", "AUX") or node.dep_ == "ROOT")
        ):
            verb = node if node.dep_ == "ROOT" else head
            source_tokens += subject_tokens(verb)
            if verb.i != node.i and (
                verb.lemma_.lower() in LIGHT_VERBS or node.dep_ in ("oprd", "acomp")
            ):
                target_tokens += [t for t in _target_tokens(verb, index, symmetric) if t.i not in (trigger.i, node.i)]
        elif not possessors and node.dep_ == "pobj" and head.head.pos_ == "VERB":
            source_tokens += subject_tokens(head.head)
        elif not possessors and node.dep_ == "pobj" and head.lower_ == "of":
            # "begin the first round of talks", "a series of meetings": the act is the
            # phrase's, whose verb has the subject.
            holder = head.head
            if holder.dep_ in ("dobj", "nsubj") and holder.head.pos_ == "VERB":
                source_tokens += subject_tokens(holder.head) if holder.dep_ == "dobj" else [holder]
        target_tokens += _target_tokens(trigger, index, symmetric)
        for prep in _children(trigger, frozenset({"prep"})):
            if prep.lower_ == "between":
                pobjs = _children(prep, frozenset({"pobj"}))
                if pobjs and not source_tokens:
                    source_tokens.append(pobjs[0])
    else:
        passive = _children(trigger, PASSIVE_SUBJECT_DEPS)
        agents = [p for agent in _children(trigger, frozenset({"agent"})) for p in _children(agent, frozenset({"pobj"}))]
        # With no agent, the owner of what the act is done to did it: "SCO's 19th summit is
        # held in Bishkek", "Japan's white paper is released" (a thing, not an actor, owned)
        owners = [] if agents else [
            p for subject in passive if index.at(subject.i) is None
            for p in _children(subject, frozenset({"poss"})) if p.pos_ != "PRON" and index.at(p.i) is not None
        ]
        if owners:
            source_tokens += owners
        elif passive:
            target_tokens += passive
            source_tokens += agents
        else:
            source_tokens += subject_tokens(trigger)
        target_tokens += _target_tokens(trigger, index, symmetric)
    source_tokens = _title_split_from_its_holder(source_tokens, index)
    for tok in source_tokens:
        roles.source += actors_of(tok, index, phrase=True)
        roles.tokens.update(t.i for t in tok.subtree if index.at(t.i))
    verb = trigger
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:  # Tokens are fresh objects: compare indices
        verb = verb.head
    participants = _subject_participants(verb, index) if source_tokens or verb.i == trigger.i else None
    if participants is not None and len(participants) > len(_unique(roles.source)):
        # the parse lost conjuncts of a coordinated subject: take them from its surface
        roles.source = participants
    for tok in target_tokens:
        roles.target += actors_of(tok, index)
        roles.tokens.update(t.i for t in tok.subtree if index.at(t.i))
    doc = trigger.doc
    named = [*roles.source, *roles.target]
    roles.source = _without_parenthesised(_unique(roles.source), named, index, doc)
    roles.target = [t for t in _without_parenthesised(_unique(roles.target), named, index, doc) if t not in roles.source]
    own = index.at(trigger.i)
    if own is not None:
        # the act's own name is not whom it is done to ("... Amphibious Landing Exercise")
        roles.target = [t for t in roles.target if t != own.actor_id]
    if not roles.target and trigger.pos_ in ("VERB", "AUX") and not (symmetric and len(roles.source) > 1):
        # No one on the receiving end among the verb's own arguments: look one step further,
        # into what it acts with or for ("signs an agreement with Yang", "calls for a summit
        # with Kim", "holds hearings on Japan", "travels to Washington to meet Trump").
        for tok in _complement_targets(trigger, index):
            found = [a for a in actors_of(tok, index) if a not in roles.source]
            roles.target += found
            if found:
                roles.tokens.update(t.i for t in tok.subtree if index.at(t.i))
        roles.target = _unique(roles.target)
    if not roles.target and trigger.pos_ == "ADJ":
        # A stance toward an act reaches whom the act would ("remains committed to meeting
        # with Kim", "ready to talk to Seoul", "willing to meet Trump").
        for tok in _stance_targets(trigger):
            found = [a for a in actors_of(tok, index) if a not in roles.source]
            roles.target += found
            if found:
                roles.tokens.update(t.i for t in tok.subtree if index.at(t.i))
        roles.target = _unique(roles.target)
    if symmetric and not roles.target and len(roles.source) > 1:
        # A joint act of coordinated participants: the first named is the source.
        roles.source, roles.target = roles.source[:1], roles.source[1:]
    return roles
