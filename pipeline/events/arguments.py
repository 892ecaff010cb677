"""What a cue's arguments are, read from the parse: the word classes that change an act's
reading, and the object a reversal undoes.

Two classes matter to the lexicon (``docs/events.md``, "Readings that depend on the
arguments"): *persons* ("released the captain", "freed two detainees") and *forces*
("troops withdrew", "withdrew its warships"). A cue with ``senses`` takes the reading of the
first sense whose class one of its arguments belongs to.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

# Nouns that name people an act can be done to (held, released, handed over).
PERSON_NOUNS = frozenset({
    "abductee", "activist", "captain", "captive", "citizen", "civilian", "crew", "crewman",
    "crewmember", "defector", "detainee", "dissident", "fisherman", "hostage", "journalist",
    "man", "missionary", "national", "people", "person", "pilot", "pow", "prisoner",
    "refugee", "reporter", "sailor", "seaman", "soldier", "spy", "student", "suspect",
    "tourist", "woman", "worker",
    # office holders ("dismissed his defense minister", "released the consul")
    "admiral", "adviser", "advisor", "aide", "ambassador", "chief", "commander", "consul",
    "deputy", "diplomat", "director", "envoy", "general", "governor", "lawmaker",
    "legislator", "mayor", "minister", "negotiator", "officer", "official", "premier",
    "secretary", "spokesman", "spokesperson", "spokeswoman",
})
# Nouns that name armed forces and their platforms: what a retreat moves.
FORCE_NOUNS = frozenset({
    "army", "battalion", "brigade", "carrier", "contingent", "destroyer", "fleet", "force",
    "frigate", "garrison", "marine", "military", "navy", "peacekeeper", "platform", "rig",
    "ship", "soldier", "submarine", "troop", "unit", "vessel", "warship",
})

# Nouns that name what one state hands another: arms and their systems, energy, food, aid,
# medicine, money ("deliver a second S-400 system", "supplied fuel oil", "provide vaccines");
# "arm" is the lemma the model gives "arms".
GOODS_NOUNS = frozenset({
    "aircraft", "ammunition", "arm", "arms", "assistance", "battery", "coal", "credit", "dose",
    "drone", "equipment", "fertilizer", "fertiliser", "food", "fuel", "gas", "grain",
    "helicopter", "jet", "loan", "medicine", "missile", "munition", "oil", "rice", "shell",
    "supply", "system", "tank", "vaccine", "weapon", "weaponry",
})

# Heads that only count what their "of" names.
QUANTITY_NOUNS = frozenset({
    "all", "bulk", "dozen", "half", "hundred", "many", "most", "number", "part", "rest",
    "some", "thousand", "score",
    # measures: "300,000 tons of fertilizer", "a million barrels of oil", "a batch of vaccines"
    "barrel", "batch", "cargo", "consignment", "shipment", "ton", "tonne",
})

# Which dependents are an act's arguments for each class: a force can be the subject of its
# own retreat ("UN troops withdrew"); a person is what the act is done to.
_VERB_ARGUMENT_DEPS = {
    "person": frozenset({"dobj", "nsubjpass"}),
    "goods": frozenset({"dobj", "nsubjpass"}),
    "force": frozenset({"dobj", "nsubjpass", "nsubj"}),
}
# Prepositions that introduce a reversal's object ("withdraw from", "restrictions on").
OBJECT_PREPS = frozenset({"from", "of", "on", "to", "in"})


def _in_class(token: Token, argument: str) -> bool:
    lemma = token.lemma_.lower()
    if argument == "force":
        return lemma in FORCE_NOUNS
    if argument == "goods":
        return lemma in GOODS_NOUNS
    if lemma in PERSON_NOUNS:
        return True
    if token.ent_type_ == "PERSON" and token.pos_ == "PROPN":
        return True
    # "released two Americans": a nationality used as a plural noun names people.
    return token.ent_type_ == "NORP" and token.tag_ in ("NNS", "NNPS")


def _arguments(token: Token, argument: str) -> list[Token]:
    """The heads of the token's arguments for a class, with their coordinated heads."""
    if token.pos_ in ("NOUN", "PROPN"):
        heads = [g for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                 for g in c.children if g.dep_ == "pobj"]
        heads += [c for c in token.children if c.dep_ in ("compound", "poss")]
    else:
        deps = _VERB_ARGUMENT_DEPS[argument]
        heads = [c for c in token.children if c.dep_ in deps]
    # "hundreds of troops", "some of its vessels": the quantity's "of" names the argument
    heads += [g for h in heads if h.pos_ == "NUM" or h.lemma_.lower() in QUANTITY_NOUNS
              for c in h.children if c.dep_ == "prep" and c.lower_ == "of"
              for g in c.children if g.dep_ == "pobj"]
    found = list(heads)
    for head in heads:
        found += [c for c in head.children if c.dep_ == "conj"]
    return found


def argument_classes(token: Token, wanted: set[str]) -> set[str]:
    """The classes among ``wanted`` that one of the token's arguments belongs to."""
    return {a for a in wanted if any(_in_class(arg, a) for arg in _arguments(token, a))}


def reversal_object(
    token: Token,
    is_cue: Callable[[int], bool],
    agreement_tokens: set[int],
    skip: set[int],
    parts: tuple[int, ...] = (),
) -> tuple[Token | None, bool]:
    """The object a reversal acts on: (the cue token it undoes, or None; whether an agreement
    is the object). ``is_cue`` tells which token indices are cues of the sentence; ``parts``
    are the other words of a phrase cue, whose own dependents count as the cue's."""
    # A phrase cue's particle carries the object: "pull out | of the TPP".
    children = [*token.children, *(g for c in token.children if c.i in parts and c.i != token.i for g in c.children)]
    for child in children:
        if child.i in skip or child.i in parts:
            continue
        if child.dep_ in ("dobj", "nsubjpass", "compound", "attr"):
            candidates = [child]
        elif child.dep_ == "prep" and child.lower_ in OBJECT_PREPS:
            candidates = [g for g in child.children if g.dep_ == "pobj"]
        else:
            continue
        for cand in candidates:
            if is_cue(cand.i):
                return cand, False
            if any(t.i in agreement_tokens for t in (cand, *cand.children)):
                return None, True
            inner = _cue_below(cand, is_cue, skip)
            if inner is not None:
                return inner, False
    return None, False


def _cue_below(token: Token, is_cue: Callable[[int], bool], skip: set[int]) -> Token | None:
    """The nearest cue two levels down a noun's compounds and prepositional phrases."""
    frontier = [token]
    for _ in range(2):
        nxt: list[Token] = []
        for node in frontier:
            for child in node.children:
                if child.i in skip or child.dep_ not in ("compound", "prep", "pobj"):
                    continue
                if is_cue(child.i):
                    return child
                nxt.append(child)
        frontier = nxt
    return None
