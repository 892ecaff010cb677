"""Find the events of one sentence: triggers, roles, agreements, date and polarity.

``extract_events`` is pure with respect to the ``Doc``: it reads the parse and the actor,
agreement and date spans it is given and returns plain :class:`EventFinding` values; the
``dipl_events`` component writes them to ``doc.spans["events"]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from spacy.tokens import Doc, Span, Token

from pipeline.events.lexicon import CueLexicon, CueMatch
from pipeline.events.polarity import (
    Modality,
    PolarityDecision,
    classify_polarity,
    condition_tokens,
    has_condition,
    is_negated,
    modal_aux,
)
from pipeline.events.roles import ActorIndex, roles_of

# Dependents through which a cue is only an argument of another event's cue
# ("hold talks", "talks on export restrictions", "granted a permit").
ARGUMENT_DEPS = frozenset(
    {
        "dobj",
        "pobj",
        "prep",
        "compound",
        "amod",
        "attr",
        "oprd",
        "poss",
        "nmod",
        "appos",
        "acomp",
        "npadvmod",
        "nummod",
        "quantmod",
    }
)
# How a main clause reaches its sentence root.
MAIN_CLAUSE_DEPS = frozenset({"ROOT", "conj", "ccomp", "xcomp", "dobj", "attr", "oprd"})
# Verbs of taking part: what one engages / participates / takes part / joins in is the act
# ("the navies engage in bilateral exercises": the exercises are the event, not "engage").
PARTICIPATION_VERBS = frozenset({"engage", "participate", "join", "take"})


def participation_verb(token: Token) -> Token | None:
    """The verb whose act ``token`` is when it is the object of "in" under a verb of taking
    part ("engage in exercises", "participate in talks", "take part in drills"), else None."""
    if token.dep_ != "pobj" or token.head.dep_ != "prep" or token.head.lower_ != "in":
        return None
    holder = token.head.head
    if holder.lower_ == "part" and holder.dep_ == "dobj":  # "take part in", "in" under "part"
        holder = holder.head
    if holder.pos_ not in ("VERB", "AUX") or holder.lemma_.lower() not in PARTICIPATION_VERBS:
        return None
    if holder.lemma_.lower() == "take" and not any(c.dep_ == "dobj" and c.lower_ == "part" for c in holder.children):
        return None  # "take" alone ("take ... in stride") is no verb of taking part
    return holder


@dataclass
class EventFinding:
    """One event, plain values only, offsets into ``doc.text``."""

    start: int
    end: int
    text: str
    trigger: dict[str, Any]
    source: list[str]
    target: list[str]
    agreements: list[str]
    date: str | None
    polarity: str
    confidence: float
    modality: str
    cameo_root: str | None
    cues: list[str]
    family: str
    is_main: bool
    section_id: str | None = None
    chronology_entry_id: str | None = None
    token_start: int = 0
    token_end: int = 0
    decision: PolarityDecision | None = field(default=None, repr=False)


def _depth(token: Token) -> int:
    """Steps from ``token`` up to its sentence root. Tokens are fresh views on each access,
    so the root test compares indexes (``token.head is token`` is never true)."""
    depth = 0
    while token.head.i != token.i and depth < 100:
        token = token.head
        depth += 1
    return depth


def _argument_cues(token: Token, cues: dict[int, CueMatch], stop: set[int]) -> set[int]:
    """Cue tokens that are arguments of ``token`` (not clauses of their own)."""
    found: set[int] = set()
    frontier = [token]
    while frontier:
        node = frontier.pop()
        for child in node.children:
            if child.i in stop:
                continue
            if child.dep_ == "conj" and node is token and token.i in cues and child.i in cues:
                if cues[token.i].cue.kind in ("noun", "adj") and token.pos_ == child.pos_:
                    found.add(child.i)
                    frontier.append(child)
                continue
            if child.dep_ not in ARGUMENT_DEPS:
                continue
            if child.i in cues:
                found.add(child.i)
            frontier.append(child)
            if child.i in cues and cues[child.i].cue.kind in ("noun", "adj"):
                # "an 'idiot' and 'villain'": coordinated epithets are one act.
                found.update(g.i for g in child.children if g.dep_ == "conj" and g.i in cues)
    return found


def _is_main(token: Token) -> bool:
    """The token heads the sentence's first main clause (or sits right under its root)."""
    if token.dep_ == "ROOT":
        return True
    node = participation_verb(token) or token
    if node.dep_ == "ROOT":
        return True
    for _ in range(3):
        if node.dep_ not in MAIN_CLAUSE_DEPS:
            return False
        node = node.head
        if node.dep_ == "ROOT":
            return True
    return False


def _event_tokens(anchor: Token, trigger: Token, other_anchors: set[int], sent: Span) -> list[int]:
    """The clause an event covers: the anchor's subtree minus other events' clauses."""
    excluded: set[int] = set()
    subtree = [t.i for t in anchor.subtree]  # walked once
    for i in subtree:
        if i in other_anchors and i != anchor.i and i != trigger.i:
            excluded.update(t.i for t in anchor.doc[i].subtree)
    first, end = sent.start, sent.end
    keep = [i for i in subtree if i not in excluded and first <= i < end]
    # Subjects of a shared clause ("Kang and Motegi met ... and agreed") stay with the first.
    while keep and anchor.doc[keep[0]].is_punct:
        keep.pop(0)
    while keep and anchor.doc[keep[-1]].is_punct:
        keep.pop()
    return keep or [trigger.i]


def extract_events(
    sentence: Span,
    actor_spans: Sequence[Span],
    agreement_spans: Sequence[Span],
    lexicon: CueLexicon,
    *,
    date_spans: Sequence[Span] = (),
    entry_date: str | None = None,
    section_id: str | None = None,
    chronology_entry_id: str | None = None,
    predicate_events: bool = True,
) -> list[EventFinding]:
    """The events of one sentence, in text order.

    With ``predicate_events``, a sentence with no cue whose main verb has an actor as its
    subject or object still gets one event, at that verb (family ``predicate``, polarity left
    to the classifier): "Mongolia held a lantern parade with North Korea" is an act.
    """
    doc = sentence.doc
    agreement_tokens: set[int] = set()
    agreement_by_token: dict[int, str] = {}
    for span in agreement_spans:
        for i in range(span.start, span.end):
            agreement_tokens.add(i)
            agreement_by_token[i] = str(span._.agreement_id)
    # A mention that is exactly an agreement's ("sign a MoU", where the model read "MoU" as an
    # organisation) is the agreement acted on, not a party to the act.
    agreement_extents = {(span.start, span.end) for span in agreement_spans}
    actor_index = ActorIndex.from_spans(
        [
            s
            for s in actor_spans
            if s.start < sentence.end and sentence.start < s.end and (s.start, s.end) not in agreement_extents
        ]
    )
    matches = lexicon.match(sentence, agreement_tokens)
    cues = {m.head: m for m in matches}
    consumed: set[int] = set()
    decisions: list[PolarityDecision] = []
    for head in sorted(cues, key=lambda i: (_depth(doc[i]), i)):
        if head in consumed:
            continue
        token = doc[head]
        decision = classify_polarity(cues[head], cues, agreement_tokens, token)
        if cues[head].cue.frame == "decision" and cues[head].cue.default_polarity is None and decision.trigger == decision.anchor:
            continue  # a decision with nothing decided is not an event (a pledge of nothing named still is)
        consumed |= decision.consumed
        for i in {decision.anchor, decision.trigger}:
            consumed |= _argument_cues(doc[i], cues, set())
            consumed |= {c for c in condition_tokens(doc[i]) if c in cues}
        decisions.append(decision)

    subordinate_only = True
    if decisions:
        root_object: set[int] | None = None  # the root's object phrase, found once if needed
        for d in decisions:
            if _is_main(doc[d.anchor]):
                subordinate_only = False
                break
            if root_object is None:
                root_object = _object_phrase(sentence.root)
            if d.anchor in root_object:
                subordinate_only = False
                break
    if predicate_events and (not decisions or chronology_entry_id is not None and subordinate_only):
        # No cue at all; or, in a chronology entry, whose polarity is its main clause's, no
        # cue heading the main clause ("expresses thanks at the Raisina Dialogue"): the main
        # verb's act is an event too. (In narrative the cue events already carry the
        # sentence, and a summary verb "took steps" would only add a vaguer event.)
        predicate = predicate_decision(sentence, actor_index)
        if predicate is not None and predicate.anchor not in consumed:
            decisions.append(predicate)

    anchors = {d.anchor for d in decisions} | {d.trigger for d in decisions}
    # The sentence's text built once (Span.text rebuilds it token by token on every access);
    # every event span and trigger lies inside the sentence.
    sentence_text, base = sentence.text, sentence.start_char
    findings: list[EventFinding] = []
    for decision in sorted(decisions, key=lambda d: d.anchor):
        anchor, trigger = doc[decision.anchor], doc[decision.trigger]
        trigger_match = cues.get(decision.trigger)
        content_verb = _content_clause(anchor) if decision.frame == "speech" and decision.trigger == decision.anchor else None
        if decision.frame == "speech" and (decision.trigger != decision.anchor or content_verb is not None):
            speaker = roles_of(anchor, actor_index)
            if content_verb is not None:
                # What was said holds no cue ("says Russia and China would become guarantors"):
                # its clause's actors are still whom the statement is about.
                content = roles_of(content_verb, actor_index)
            else:
                content = roles_of(trigger, actor_index, trigger_match is not None and trigger_match.cue.symmetric)
            if (
                content.source
                and content.target
                and speaker.source
                and anchor.lemma_.lower() in REPORT_VERBS
                and all(actor_index.is_media(a) for a in speaker.source)
            ):
                # "Tass reports that Russia will deliver ... to China": a news organisation
                # reporting an act between others is not its actor; the act's subject is. A
                # report of no such act ("KCNA reports that Kim Yang Gon died") stays its own.
                speaker = content
            source = speaker.source or content.source
            speaker_countries = {actor_index.country_of(a) for a in speaker.source}
            # the speaker's own state in what is said is not whom the statement is about
            # ("Lavrov says that China poses no threat to Russia": China)
            target = [a for a in content.target if not speaker.source or actor_index.country_of(a) not in speaker_countries - {None}]
            if speaker.source:
                target += [
                    a
                    for a in content.source
                    if a not in source and actor_index.country_of(a) not in speaker_countries
                ]
        elif decision.frame == "decision" and decision.trigger != decision.anchor:
            content = roles_of(trigger, actor_index, trigger_match is not None and trigger_match.cue.symmetric)
            source = content.source or roles_of(anchor, actor_index).source
            target = content.target
        else:
            # Failing to reach a deal is a joint outcome, like the deal itself.
            anchor_match = cues.get(decision.anchor)
            symmetric = (anchor_match is not None and anchor_match.cue.symmetric) or decision.frame == "failure"
            roles = roles_of(anchor, actor_index, symmetric)
            source, target = roles.source, roles.target
        target = [t for t in dict.fromkeys(target) if t not in source]
        tokens = _event_tokens(anchor, trigger, anchors - {anchor.i, trigger.i}, sentence)
        if (
            chronology_entry_id is not None
            and source
            and not target
            and not (decision.frame == "speech" and decision.trigger == decision.anchor)
        ):
            target = _only_other_party(tokens, source, actor_index, doc, {anchor.i, trigger.i})
        anchor_cue = cues.get(decision.anchor)
        if source and anchor_cue is not None and anchor_cue.cue.lifecycle == "join":
            # "Indonesia ratifies the ASEAN Charter": a name inside the agreement joined names
            # the agreement, not a party the joiner acts on
            inside = {a.actor_id for a in actor_index.actors if all(i in agreement_tokens for i in range(a.start, a.end))}
            target = [t for t in target if t not in inside]
        if (
            decision.polarity == "de-escalatory"
            and decision.family in SAME_SIDE_FAMILIES
            and _one_country(source, target, actor_index)
        ):
            # backing or praising one's own side ("Chinese commentary supported China's
            # claims") bears on no relation between states: the guide's domestic, neutral
            decision = replace(decision, polarity="neutral")
        source_countries = {actor_index.country_of(a) for a in source}
        if len(source_countries) == 1 and None not in source_countries:
            # a state does not act on itself: "Moranbong returns to Pyongyang" has no target;
            # its bodies and people do act on one another ("ROK Supreme Court calls on the
            # government")
            target = [t for t in target
                      if actor_index.country_of(t) not in source_countries or actor_index.type_of(t) not in (None, "STATE")]
        first, last = min(tokens), max(tokens)
        span = doc[first : last + 1]
        trigger_tokens = trigger_match.tokens if trigger_match is not None else (decision.trigger,)
        t_start = doc[min(trigger_tokens)].idx
        t_last = doc[max(trigger_tokens)]
        t_end = t_last.idx + len(t_last.text)
        agreement_ids = list(
            dict.fromkeys(
                agreement_by_token[i] for i in range(first, last + 1) if i in agreement_by_token
            )
        )
        findings.append(
            EventFinding(
                start=span.start_char,
                end=span.end_char,
                text=sentence_text[span.start_char - base : span.end_char - base],
                trigger={"text": sentence_text[t_start - base : t_end - base], "start": t_start, "end": t_end},
                source=list(source),
                target=target,
                agreements=agreement_ids,
                date=_event_date(span, sentence, date_spans, entry_date),
                polarity=decision.polarity,
                confidence=decision.confidence,
                modality=decision.modality,
                cameo_root=decision.cameo_root,
                cues=decision.cues,
                family=decision.family,
                is_main=_is_main(anchor),
                section_id=section_id,
                chronology_entry_id=chronology_entry_id,
                token_start=first,
                token_end=last + 1,
                decision=decision,
            )
        )
    return findings


# Prepositions that set an actor in a place or time of the act, not on its receiving end.
_SETTING_PREPS = frozenset({"in", "at", "during", "amid", "after", "before", "near", "inside", "outside", "since", "until", "despite"})


# Families of acts of one side toward another that are domestic when both sides are one
# country's (support, praise, endorsement, agreement).
SAME_SIDE_FAMILIES = frozenset({"support", "agree"})
# Verbs by which a news organisation reports what others did.
REPORT_VERBS = frozenset({"report", "reveal", "confirm", "quote", "cite"})


def _one_country(source: Sequence[str], target: Sequence[str], index: ActorIndex) -> bool:
    """Source and target are named and are all of one known country."""
    if not source or not target:
        return False
    countries = {index.country_of(a) for a in [*source, *target]}
    return len(countries) == 1 and None not in countries


def _only_other_party(
    tokens: Sequence[int], source: Sequence[str], index: ActorIndex, doc: Doc, own: Sequence[int] | set[int] = ()
) -> list[str]:
    """When the parse gives a chronology entry's act a source and no target, the one actor of
    another country named in the act's own clause, outside the source's own phrase and
    outside a place or time phrase, is whom it concerns ("signals deadline for new US stance",
    "adopts a resolution on referring North Korea"); two or more, or none, and the target
    stays empty. Entries only: a headline names its parties in a few words, where a narrative
    clause names many in passing."""
    countries = {index.country_of(a) for a in source}
    kept = set(tokens)
    # the source's own phrase ("Former UNC/CFC/USFK Commander Gen. Vincent Brooks") names no
    # one it acts on
    for actor in index.actors:
        if actor.actor_id in source:
            for i in range(actor.start, actor.end):
                kept.difference_update(t.i for t in doc[i].subtree)
    found: list[str] = []
    for actor in index.actors:
        if actor.actor_id in source or actor.start not in kept or actor.country in countries:
            continue
        if any(actor.start <= i < actor.end for i in own):
            continue  # the act's own name ("... Amphibious Landing Exercise") is no party to it
        node, setting = doc[actor.start], False
        while node.head.i != node.i and node.head.i in kept:
            node = node.head
            if node.dep_ == "prep" and node.lower_ in _SETTING_PREPS:
                setting = True
                break
        if not setting and actor.actor_id not in found:
            found.append(actor.actor_id)
    return found if len(found) == 1 else []


def _object_phrase(verb: Token) -> set[int]:
    """Tokens naming what the main verb does: its object and the "of" chain under it ("begin
    the first round of talks"). A cue there is the verb's act, not a circumstance."""
    found: set[int] = set()
    frontier = [c for c in verb.children if c.dep_ in ("dobj", "attr", "oprd")]
    frontier += [g for c in verb.subtree if c.dep_ == "prep" for g in c.children if participation_verb(g) is verb]
    while frontier:
        node = frontier.pop()
        found.add(node.i)
        for prep in node.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                frontier += [g for g in prep.children if g.dep_ == "pobj"]
    return found


def _content_clause(verb: Token) -> Token | None:
    """The verb of what a speech verb reports ("says that X would ..."), if it is a clause."""
    return next((c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")), None)


PREDICATE_FAMILY = "predicate"
PREDICATE_CONFIDENCE = 0.34


def predicate_decision(sentence: Span, actor_index: ActorIndex) -> PolarityDecision | None:
    """An event at the sentence's main verb when no cue was found and an actor takes part."""
    head = sentence.root
    if head.pos_ != "VERB":
        return None
    roles = roles_of(head, actor_index)
    if not roles.source and not roles.target:
        return None
    if is_negated(head):
        modality: Modality = "negated"
    elif has_condition(head) or modal_aux(head, under_speech=False) is not None:
        modality = "hypothetical"
    else:
        modality = "asserted"
    return PolarityDecision(
        polarity="neutral",
        confidence=PREDICATE_CONFIDENCE,
        modality=modality,
        cameo_root=None,
        family=PREDICATE_FAMILY,
        cues=[],
        trigger=head.i,
        anchor=head.i,
    )


def _event_date(
    span: Span, sentence: Span, date_spans: Sequence[Span], entry_date: str | None
) -> str | None:
    """TIMEX3 value: a resolved date inside the event, else in its sentence, else the entry's."""
    for region in (span, sentence):
        for date in date_spans:
            inside = region.start_char <= date.start_char and date.end_char <= region.end_char
            if inside and date._.date_value:
                return str(date._.date_value)
    return entry_date


def main_event(findings: Sequence[EventFinding]) -> EventFinding | None:
    """The event a chronology entry takes its polarity from: its first main clause."""
    for finding in findings:
        if finding.is_main:
            return finding
    return findings[0] if findings else None
