"""What the polarity classifier reads for one unit (a sentence, a chronology entry, an event).

A unit is given to the classifier as a list of words: its tokens, lower-cased, followed by
feature words that describe its main predicate and what the lexicon made of it. The feature
words carry what a bag of words cannot: which word heads the clause, what it acts on ("visit"
+ "to shrine" is not "visit" + "to Seoul"), whether it is negated or modal, and the
lexicon's rule-based reading of the main event (its polarity, family, modality, frame). The
lexicon is therefore a feature, not a gate: a unit with no cue still gets a polarity, and a
trained model can overrule a cue when its arguments say otherwise.

The same function builds the words at training time (a labelled sentence parsed on its own)
and at run time (a sentence or entry inside its article), so the two cannot drift apart.
``FEATURE_VERSION`` is stored with a trained model; a model trained on another version is
refused rather than fed words it has never seen.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.attrs import LEMMA, ORTH, POS
from spacy.symbols import ADJ, NOUN, VERB
from spacy.tokens import Doc, Span, Token

from pipeline.events.extract import EventFinding
from pipeline.events.polarity import HYPOTHETICAL_AUX, is_negated
from pipeline.extensions import ACTORS

FEATURE_VERSION = 3
FEATURE_PREFIX = "__"  # feature words start with it; no token of running text does
# Dependents of the head predicate that say what the act is done to or with.
ARGUMENT_LABELS = {
    "dobj": "obj",
    "attr": "obj",
    "oprd": "obj",
    "nsubjpass": "obj",
    "xcomp": "comp",
    "ccomp": "comp",
    "acomp": "comp",
}


# Words that say a relationship is getting worse or better, whoever acts: the analysts'
# assessments ("ties soured", "a thaw set in", "the quarter brought no breakthrough") carry a
# polarity that no act in the sentence does. Lemmas, matched on nouns, verbs and adjectives.
RELATION_WORSE = frozenset({
    "acrimony", "animosity", "antagonism", "backlash", "bitterness", "chill", "deadlock",
    "defiance", "deteriorate", "deterioration", "discord", "dispute", "distrust", "downturn",
    "estrangement", "feud", "friction", "grievance", "hostility", "impasse", "mistrust",
    "nadir", "pessimism", "quarrel", "rift", "rivalry", "setback", "sour", "spat",
    "stalemate", "standoff", "strain", "suspicion", "tension", "worsen", "rancor", "rancour",
})
RELATION_BETTER = frozenset({
    "amity", "breakthrough", "détente", "detente", "goodwill", "improve", "improvement",
    "momentum", "normalisation", "normalization", "optimism", "progress", "rapprochement",
    "rebound", "reconciliation", "reset", "revival", "stabilisation", "stabilization",
    "stabilize", "stabilise", "thaw", "trust", "upswing", "warm", "warming",
})
_STATE_POS_IDS = frozenset({NOUN, VERB, ADJ})
# Which state a lemma (or, without one, a text) id names, found once per id.
_STATE_KIND: dict[int, str | None] = {}
_MISSING = object()


def _negated_up_to_verb(token: Token) -> bool:
    """The word, or what it hangs on up to its verb, is negated: "no thaw", "did not lead to a
    breakthrough", "showed no sign of improvement"."""
    node = token
    for _ in range(4):
        if is_negated(node):
            return True
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            return False
        node = node.head
    return False


def relation_state_features(unit: Span) -> list[str]:
    """``__state_worse`` / ``__state_better`` for each word of a relationship's state in the
    unit, with ``_neg`` when the word or the verb it hangs on is negated ("did not lead to a
    breakthrough", "no thaw")."""
    words: list[str] = []
    if not len(unit):
        return words
    doc = unit.doc
    strings = doc.vocab.strings
    # lemma, text and part of speech of every token at once (Token objects only for the hits)
    rows = unit.to_array([LEMMA, ORTH, POS]).tolist()  # type: ignore[attr-defined]  # Span.to_array is missing from spaCy's stubs
    for k, (lemma_id, orth_id, pos_id) in enumerate(rows):
        if pos_id not in _STATE_POS_IDS:
            continue
        key = lemma_id or orth_id
        kind = _STATE_KIND.get(key, _MISSING)
        if kind is _MISSING:
            lemma = strings[key].lower()
            kind = "worse" if lemma in RELATION_WORSE else "better" if lemma in RELATION_BETTER else None
            _STATE_KIND[key] = kind
        if kind is None:
            continue
        negated = _negated_up_to_verb(doc[unit.start + k])
        words.append(f"__state_{kind}_neg" if negated else f"__state_{kind}")
    return words


def _lemma(token: Token) -> str:
    return (token.lemma_ or token.text).lower()


def _confidence_bucket(confidence: float) -> str:
    return "high" if confidence >= 0.8 else "mid" if confidence >= 0.6 else "low"


def head_predicate(unit: Span) -> Token:
    """The token heading the unit's first main clause: its first sentence's root, or, when the
    unit is a fragment of a sentence, the highest token inside the unit."""
    doc = unit.doc
    for token in unit:  # a root inside the unit is the answer: the first one (depth 0)
        if token.head.i == token.i:
            return token
    depths: dict[int, int] = {}

    def depth_of(i: int) -> int:
        """Steps up to the root, at most 64 (each token's depth is worked out once)."""
        path: list[int] = []
        seen: set[int] = set()
        while i not in depths:
            head = doc[i].head.i
            if head == i:
                depths[i] = 0
                break
            if i in seen:  # not a tree: never from the parser, but never an endless loop
                depths[i] = 64
                break
            seen.add(i)
            path.append(i)
            i = head
        for node in reversed(path):
            head = doc[node].head.i
            depths[node] = min(64, depths[head] + 1)
        return depths[path[0]] if path else depths[i]

    best, best_depth = unit.start, 10**6
    for i in range(unit.start, unit.end):
        depth = depth_of(i)
        if depth < best_depth:
            best, best_depth = i, depth
    return doc[best]


def predicate_features(head: Token) -> list[str]:
    """The head predicate, its negation and modality, and the lemmas of its arguments."""
    lemma = _lemma(head)
    words = [f"__pred_{lemma}", f"__pos_{head.pos_}"]
    if is_negated(head):
        words.append("__negated")
    for child in head.children:
        label = ARGUMENT_LABELS.get(child.dep_)
        if child.dep_ in ("aux", "auxpass") and child.lower_ in HYPOTHETICAL_AUX:
            words.append(f"__modal_{child.lower_}")
        elif child.dep_ == "nsubjpass":
            words.append("__passive")
        if label is not None:
            words += [f"__{label}_{_lemma(child)}", f"__{lemma}_{label}_{_lemma(child)}"]
        elif child.dep_ in ("prep", "agent"):
            objects = [g for g in child.children if g.dep_ == "pobj"]
            for obj in objects:
                words += [
                    f"__prep_{child.lower_}_{_lemma(obj)}",
                    f"__{lemma}_{child.lower_}_{_lemma(obj)}",
                ]
        elif child.dep_ == "advcl" and any(g.dep_ == "mark" for g in child.children):
            mark = next(g for g in child.children if g.dep_ == "mark")
            words.append(f"__clause_{mark.lower_}")
    return words


def lexicon_features(main: EventFinding | None, others: Sequence[EventFinding]) -> list[str]:
    """The lexicon's reading of the main event and of the unit's other events."""
    if main is None:
        return ["__lex_none"]
    decision = main.decision
    words = [
        f"__lex_{main.polarity}",
        f"__lex_{main.polarity}_{_confidence_bucket(main.confidence)}",
        f"__fam_{main.family}",
        f"__fam_{main.family}_{main.polarity}",
        f"__mod_{main.modality}",
    ]
    if decision is not None and decision.frame:
        words.append(f"__frame_{decision.frame}")
    words += [f"__lexother_{f.polarity}" for f in others if f is not main]
    return words


def actor_masks(doc: Doc) -> dict[int, str]:
    """Token index -> what the classifier reads there for an actor mention: the mention's
    first token reads ``__actor_<type>`` ("__actor_state"), its other tokens nothing. Names
    carry words that say nothing of the act ("Committee for the Peaceful Reunification of
    Korea", "Liberation Front", "Security Council"); the classifier reads who acts by kind."""
    masks: dict[int, str] = {}
    if ACTORS in doc.spans:
        for span in doc.spans[ACTORS]:
            kind = str(span._.actor_type or "org").lower()
            masks[span.start] = f"__actor_{kind}"
            for i in range(span.start + 1, span.end):
                masks[i] = ""
    return masks


def _tokens(span: Span, masks: dict[int, str] | None) -> list[str]:
    if not masks:
        return [t.lower_ for t in span if not t.is_space]
    out: list[str] = []
    for t in span:
        if t.is_space:
            continue
        mask = masks.get(t.i)
        if mask is None:
            out.append(t.lower_)
        elif mask:
            out.append(mask)
    return out


def unit_words(unit: Span, findings: Sequence[EventFinding], main: EventFinding | None,
               masks: dict[int, str] | None = None) -> list[str]:
    """The words the classifier reads for a unit: its tokens, then its feature words.

    ``findings`` are the lexicon's events inside the unit; ``main`` is the one the guide's
    main-event rule picks (``pipeline.events.entries.main_finding``); ``masks`` (from
    ``actor_masks``, once per document) put the kind of each actor mention in its place.
    """
    tokens = _tokens(unit, masks)
    return (tokens + predicate_features(head_predicate(unit)) + lexicon_features(main, findings)
            + relation_state_features(unit))


def event_words(event: Span, finding: EventFinding, masks: dict[int, str] | None = None) -> list[str]:
    """The words for one event: its clause, with its own trigger's clause as the predicate."""
    doc = event.doc
    anchor = doc[finding.decision.anchor] if finding.decision is not None else head_predicate(event)
    tokens = _tokens(event, masks)
    return tokens + predicate_features(anchor) + lexicon_features(finding, [finding]) + relation_state_features(event)
