"""Polarity and modality of one event from its cues, negation, modality and agreement lifecycle.

``classify_polarity`` reads the dependency parse around a cue: frames (say, decide, urge,
fail) hand over to the event they embed, reversals (lift, withdraw from, suspend) turn their
object's polarity round, and negation turns the result round by the rules in docs/events.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from spacy.tokens import Token

from pipeline.events.arguments import reversal_object
from pipeline.events.lexicon import Cue, CueMatch, Polarity
from pipeline.events.roles import LIGHT_VERBS

Modality = Literal["asserted", "negated", "hypothetical", "reported"]

HYPOTHETICAL_AUX = frozenset({"could", "might", "may", "should", "would", "can", "must"})
# Under a speech frame "would" is usually the reported form of "will", not a condition.
REPORTED_FUTURE_AUX = frozenset({"would"})
CONDITIONAL_MARKS = frozenset({"if", "unless", "should"})
NEGATORS = frozenset({"not", "n't", "never", "no"})
# Where a frame looks for the event it embeds, and a reversal for its object.
COMPLEMENT_DEPS = frozenset(
    {"xcomp", "ccomp", "acl", "dobj", "pobj", "prep", "pcomp", "advcl", "acomp"}
)
OBJECT_DEPS = frozenset({"dobj", "nsubjpass", "pobj", "prep", "compound", "attr"})

CONFIDENCE_ACT = 0.9
CONFIDENCE_STEP = 0.9
CONFIDENCE_NEGATED = 0.8
CONFIDENCE_HYPOTHETICAL = 0.9
CONFIDENCE_DEFAULT_FRAME = 0.6


def flip(polarity: Polarity) -> Polarity:
    if polarity == "escalatory":
        return "de-escalatory"
    if polarity == "de-escalatory":
        return "escalatory"
    return "neutral"


def is_negated(token: Token) -> bool:
    """``not``/``never``/``no longer`` on the token (or its auxiliaries)."""
    for child in token.children:
        if child.dep_ == "neg" or child.lower_ in ("never",):
            return True
        if child.lower_ == "longer" and any(g.lower_ == "no" for g in child.children):
            return True
        if child.dep_ == "det" and child.lower_ == "no" and token.pos_ in ("NOUN", "PROPN"):
            return True
    return False


def _light_verb_negated(token: Token, cues: Mapping[int, CueMatch]) -> bool:
    """A noun cue that is the object of a light verb (one that only carries it, not a cue
    itself), with the negation on that verb: "did not hold talks", "never held a summit",
    "did not conduct a missile test". Other verbs keep their own "not": "did not deter the
    deployment" is no negated deployment."""
    head = token.head
    return (
        token.pos_ in ("NOUN", "PROPN")
        and token.dep_ == "dobj"
        and head.i != token.i
        and head.pos_ in ("VERB", "AUX")
        and head.lemma_.lower() in LIGHT_VERBS
        and head.i not in cues
        and is_negated(head)
    )


def has_condition(token: Token) -> bool:
    """A conditional clause ("unless Japan abandoned ...", "if talks fail") on the token."""
    for child in token.children:
        if child.dep_ == "advcl" and any(
            g.dep_ == "mark" and g.lower_ in CONDITIONAL_MARKS for g in child.children
        ):
            return True
    return False


def condition_tokens(token: Token) -> set[int]:
    """Token indices of conditional clauses under the token (they are not events)."""
    found: set[int] = set()
    for child in token.children:
        if child.dep_ == "advcl" and any(
            g.dep_ == "mark" and g.lower_ in CONDITIONAL_MARKS for g in child.children
        ):
            found.update(t.i for t in child.subtree)
    return found


def modal_aux(token: Token, under_speech: bool) -> str | None:
    for child in token.children:
        if child.dep_ in ("aux", "auxpass") and child.lower_ in HYPOTHETICAL_AUX:
            if under_speech and child.lower_ in REPORTED_FUTURE_AUX:
                continue
            return child.lower_
    return None


@dataclass
class PolarityDecision:
    """What the lexicon decided for one event and the words it rested on."""

    polarity: Polarity
    confidence: float
    modality: Modality
    cameo_root: str | None
    family: str
    cues: list[str]
    trigger: int  # token index the event is reported at
    anchor: int  # token index of the outermost cue (the frame, if any)
    frame: str | None = None
    consumed: set[int] = field(default_factory=set)  # cue tokens folded into this event


def _find_cue_below(
    token: Token, deps: frozenset[str], cues: Mapping[int, CueMatch], skip: set[int], depth: int = 3
) -> Token | None:
    """Breadth-first search for the nearest cue token among the token's dependents."""
    frontier = [token]
    for _ in range(depth):
        nxt: list[Token] = []
        for node in frontier:
            for child in node.children:
                if child.i in skip or child.dep_ not in deps:
                    continue
                if child.i in cues:
                    return child
                nxt.append(child)
        frontier = nxt
    return None


def _reversal_object(
    match: CueMatch, token: Token, cues: Mapping[int, CueMatch], agreement_tokens: set[int], skip: set[int]
) -> tuple[Token | None, bool]:
    """The object a reversal acts on: (cue token or None, whether an agreement is the object)."""
    return reversal_object(token, cues.__contains__, agreement_tokens, skip, match.tokens)


_PAST_AUX = frozenset({"did", "had", "was", "were"})


def _in_past(token: Token) -> bool:
    """The clause of ``token`` (its verb, or the verb a noun cue depends on) is in a past
    tense: a past-tense verb, or a past auxiliary ("did not launch", "had not sought")."""
    verb = token if token.pos_ in ("VERB", "AUX") else token.head
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    if verb.tag_ == "VBD":
        return True
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in _PAST_AUX for c in verb.children)


def _negated_polarity(cue: Cue, polarity: Polarity, derived: bool, reassurance: bool = False) -> Polarity:
    if cue.negated_polarity is not None and not derived:
        return cue.negated_polarity
    if derived or cue.lifecycle is not None:
        return flip(polarity)
    if polarity == "escalatory" and reassurance:
        # Said of the present or the future: "says China poses no threat", "said Seoul would
        # not retaliate" is a reassurance, a conciliatory statement (docs/events.md,
        # "Reassurances"); "said Pyongyang did not launch a missile" reports a past fact.
        return "de-escalatory"
    # A de-escalatory act that did not happen reads as a setback; an escalatory act that
    # did not happen has no direct bearing.
    return "escalatory" if polarity == "de-escalatory" else "neutral"


def classify_polarity(
    match: CueMatch,
    cues: Mapping[int, CueMatch],
    agreement_tokens: set[int],
    doc_tokens: Token,
    *,
    skip: set[int] | None = None,
    under_speech: bool = False,
) -> PolarityDecision:
    """Polarity, modality, CAMEO root and cues of the event a cue heads.

    ``doc_tokens`` is the cue's head token; ``cues`` maps token index -> cue match for the
    sentence; ``agreement_tokens`` are indices inside agreement mentions.
    """
    token = doc_tokens
    skip = set(skip or set()) | {token.i}
    cue = match.cue
    words = [" ".join(token.doc[i].text for i in match.tokens)]
    consumed: set[int] = set(match.tokens)
    negated = is_negated(token) or _light_verb_negated(token, cues)
    conditional = has_condition(token)
    aux = modal_aux(token, under_speech)
    skip |= condition_tokens(token)
    confidence = CONFIDENCE_ACT
    derived = False
    polarity: Polarity = cue.polarity
    cameo = cue.cameo_root
    family = cue.family
    trigger = token.i
    inner: PolarityDecision | None = None

    if cue.role == "frame":
        deps = COMPLEMENT_DEPS | ({"nsubj"} if cue.frame == "speech" else frozenset())
        # A speech frame's own subject is the speaker, never the content.
        own_subjects = {c.i for c in token.children if c.dep_ in ("nsubj", "nsubjpass")}
        complement = _find_cue_below(token, frozenset(deps), cues, skip | own_subjects)
        if complement is not None:
            inner = classify_polarity(
                cues[complement.i],
                cues,
                agreement_tokens,
                complement,
                skip=skip,
                under_speech=under_speech or cue.frame == "speech",
            )
            consumed |= inner.consumed
            words += inner.cues
            derived = True
            confidence = inner.confidence * CONFIDENCE_STEP
            polarity = flip(inner.polarity) if cue.frame == "failure" else inner.polarity
            if cue.frame == "failure" and inner.polarity == "neutral":
                polarity = cue.polarity
            if cue.frame in ("speech", "decision"):
                cameo, family, trigger = inner.cameo_root, inner.family, inner.trigger
            elif cue.frame == "failure":
                cameo = cue.cameo_root
        else:
            polarity = cue.default_polarity or cue.polarity
            confidence = CONFIDENCE_DEFAULT_FRAME
    elif cue.role == "reversal":
        obj, agreement_object = _reversal_object(match, token, cues, agreement_tokens, skip)
        if obj is not None:
            inner = classify_polarity(cues[obj.i], cues, agreement_tokens, obj, skip=skip)
            consumed |= inner.consumed
            words += inner.cues
            if inner.polarity != "neutral":
                polarity = flip(inner.polarity)
                derived = True
            confidence = inner.confidence * CONFIDENCE_STEP
        elif agreement_object:
            # Acting on an agreement: leaving it escalates, anything that undoes a
            # reversal of it de-escalates; the cue's own polarity says which.
            polarity = cue.polarity
            confidence = CONFIDENCE_ACT
        if polarity == "escalatory":
            cameo = cue.cameo_root if cue.polarity == "escalatory" else "16"
        elif polarity == "de-escalatory":
            cameo = cue.cameo_root if cue.polarity == "de-escalatory" else "08"

    if negated:
        polarity = _negated_polarity(cue, polarity, derived, under_speech and not _in_past(token))
        confidence *= CONFIDENCE_NEGATED
        if polarity == "neutral":
            cameo = None
        elif cameo is not None and polarity != (
            "de-escalatory" if int(cameo) <= 8 else "escalatory"
        ):
            cameo = "12" if polarity == "escalatory" else "08"

    hypothetical = conditional or aux is not None
    if hypothetical:
        confidence *= CONFIDENCE_HYPOTHETICAL

    modality: Modality = "asserted"
    if cue.frame == "appeal":
        # The event is the appeal itself; what it asks for is not yet a fact either way.
        if negated:
            modality = "negated"
        elif hypothetical:
            modality = "hypothetical"
        elif under_speech:
            modality = "reported"
    elif negated or cue.frame == "failure" or (inner is not None and inner.modality == "negated"):
        modality = "negated"
    elif hypothetical or (inner is not None and inner.modality == "hypothetical"):
        modality = "hypothetical"
    elif (
        under_speech
        or cue.frame == "speech"
        and inner is not None
        or inner is not None
        and inner.modality == "reported"
    ):
        modality = "reported"

    return PolarityDecision(
        polarity=polarity,
        confidence=round(min(confidence, 0.99), 3),
        modality=modality,
        cameo_root=cameo,
        family=family,
        cues=words,
        trigger=trigger,
        anchor=token.i,
        frame=cue.frame,
        consumed=consumed,
    )
