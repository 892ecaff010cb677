"""Who did what to whom: source and target actors of an event from the dependency parse."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass"})
OBJECT_DEPS = frozenset({"dobj", "dative", "iobj"})
# Prepositions whose object is on the receiving end of an act.
TARGET_PREPS = frozenset({"with", "to", "against", "toward", "towards", "on", "from", "in", "at"})
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
        for actor in self.actors:
            for i in range(actor.start, actor.end):
                self._by_token[i] = actor

    @classmethod
    def from_spans(cls, spans: Sequence[Span]) -> ActorIndex:
        refs = [
            ActorRef(str(s._.actor_id), s.start, s.end, s._.actor_country)
            for s in spans
            if s._.actor_id
        ]
        return cls(refs)

    def at(self, i: int) -> ActorRef | None:
        return self._by_token.get(i)

    def country_of(self, actor_id: str) -> str | None:
        for actor in self.actors:
            if actor.actor_id == actor_id:
                return actor.country
        return None


def _unique(ids: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for i in ids:
        if i not in seen:
            seen.add(i)
            out.append(i)
    return out


def actors_of(token: Token, index: ActorIndex, depth: int = 2) -> list[str]:
    """Actors a role token stands for: its own mention, else one in its modifiers; with
    coordination ("Kang and Motegi") every conjunct."""
    found: list[str] = []
    actor = index.at(token.i)
    if actor is not None:
        found.append(actor.actor_id)
    elif depth > 0:
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
            found += actors_of(child, index, depth)
    return _unique(found)


def _children(token: Token, deps: frozenset[str]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def subject_tokens(verb: Token) -> list[Token]:
    """The subject of a verb, looking through coordination, control and participles."""
    subjects = _children(verb, SUBJECT_DEPS)
    if subjects:
        return subjects
    if verb.dep_ == "conj" and verb.head is not verb:
        return subject_tokens(verb.head)
    if verb.dep_ == "xcomp" and verb.head is not verb:
        objects = _children(verb.head, OBJECT_DEPS)
        return objects or subject_tokens(verb.head)
    if verb.dep_ in ("advcl", "ccomp") and verb.head is not verb and verb.tag_ in ("VBG", "VB"):
        return subject_tokens(verb.head)
    if verb.dep_ in ("acl", "relcl") and verb.head is not verb:
        return [verb.head]
    return []


def _target_tokens(token: Token) -> list[Token]:
    found = list(_children(token, OBJECT_DEPS))
    for prep in _children(token, frozenset({"prep"})):
        if prep.lower_ in TARGET_PREPS:
            found += _children(prep, frozenset({"pobj"}))
    return found


def roles_of(trigger: Token, index: ActorIndex, symmetric: bool = False) -> Roles:
    """Source and target actor ids of the event headed by ``trigger``."""
    roles = Roles()
    source_tokens: list[Token] = []
    target_tokens: list[Token] = []
    if trigger.pos_ in ("NOUN", "PROPN", "ADJ"):
        possessors = _children(trigger, frozenset({"poss"}))
        source_tokens += possessors
        head = trigger.head
        if (
            not possessors
            and trigger.dep_ in ("dobj", "attr", "oprd", "acomp", "ROOT")
            and (head.pos_ in ("VERB", "AUX") or trigger.dep_ == "ROOT")
        ):
            verb = trigger if trigger.dep_ == "ROOT" else head
            source_tokens += subject_tokens(verb)
            if verb is not trigger and (
                verb.lemma_.lower() in LIGHT_VERBS or trigger.dep_ in ("oprd", "acomp")
            ):
                target_tokens += [t for t in _target_tokens(verb) if t is not trigger]
        elif not possessors and trigger.dep_ == "pobj" and head.head.pos_ == "VERB":
            source_tokens += subject_tokens(head.head)
        target_tokens += _target_tokens(trigger)
        for prep in _children(trigger, frozenset({"prep"})):
            if prep.lower_ == "between":
                pobjs = _children(prep, frozenset({"pobj"}))
                if pobjs and not source_tokens:
                    source_tokens.append(pobjs[0])
    else:
        passive = _children(trigger, PASSIVE_SUBJECT_DEPS)
        if passive:
            target_tokens += passive
            for agent in _children(trigger, frozenset({"agent"})):
                source_tokens += _children(agent, frozenset({"pobj"}))
        else:
            source_tokens += subject_tokens(trigger)
        target_tokens += _target_tokens(trigger)
    for tok in source_tokens:
        roles.source += actors_of(tok, index)
        roles.tokens.update(t.i for t in tok.subtree if index.at(t.i))
    for tok in target_tokens:
        roles.target += actors_of(tok, index)
        roles.tokens.update(t.i for t in tok.subtree if index.at(t.i))
    roles.source = _unique(roles.source)
    roles.target = [t for t in _unique(roles.target) if t not in roles.source]
    if symmetric and not roles.target and len(roles.source) > 1:
        # A joint act of coordinated participants: the first named is the source.
        roles.source, roles.target = roles.source[:1], roles.source[1:]
    return roles
