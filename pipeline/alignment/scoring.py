"""Score (narrative event, chronology entry) pairs and keep the links above the threshold."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.alignment.bm25 import BM25Index, terms, weighted_query
from pipeline.alignment.dates import DateFit, best_date_fit, entry_range
from pipeline.alignment.model import (
    ActorRef,
    ChronologyEvidence,
    Link,
    NarrativeEvent,
    SignalScores,
)
from pipeline.errors import PipelineError

# CAMEO roots 01-08 cooperate, 10-20 conflict, 09 is neutral (the guide's crosswalk).
_COOPERATIVE = {f"{i:02d}" for i in range(1, 9)}
_CONFLICTUAL = {f"{i:02d}" for i in range(10, 21)}
# A shared country that most entries mention is weak evidence.
COMMON_COUNTRY_SHARE = 0.2
# Actors from disjoint countries on both sides; mild, since a side often names only one.
DISJOINT_COUNTRIES = -0.25


def cameo_class(root: str | None) -> str | None:
    if root in _COOPERATIVE:
        return "cooperative"
    if root in _CONFLICTUAL:
        return "conflictual"
    return None


@dataclass(frozen=True)
class AlignmentScorer:
    """Weighted sum of five signals, each scored in [-1, 1] or [0, 1]; see docs/alignment.md.

    A link is made when the sum reaches ``threshold``, the signals other than the date
    reach ``min_evidence`` (a shared day alone is not the same happening), and the link is
    not far behind the event's best link (``relative_floor`` times the best score).
    """

    date_weight: float = 0.4
    actor_weight: float = 0.2
    agreement_weight: float = 0.1
    words_weight: float = 0.3
    type_weight: float = 0.1
    context_date_factor: float = 0.5
    context_words_factor: float = 0.5
    words_saturation: float = 4.0
    threshold: float = 0.45
    min_evidence: float = 0.15
    relative_floor: float = 0.75
    max_reason_words: int = 4

    def __post_init__(self) -> None:
        weights = {
            "date_weight": self.date_weight,
            "actor_weight": self.actor_weight,
            "agreement_weight": self.agreement_weight,
            "words_weight": self.words_weight,
            "type_weight": self.type_weight,
        }
        for name, value in weights.items():
            if value < 0:
                raise PipelineError("E041", f"alignment scorer: {name} must be >= 0, got {value}")
        for name, value in {
            "context_date_factor": self.context_date_factor,
            "context_words_factor": self.context_words_factor,
            "relative_floor": self.relative_floor,
        }.items():
            if not 0 <= value <= 1:
                raise PipelineError("E041", f"alignment scorer: {name} must be in [0, 1], got {value}")
        if self.threshold <= 0:
            raise PipelineError("E041", f"alignment scorer: threshold must be > 0, got {self.threshold}")
        if self.min_evidence < 0:
            raise PipelineError("E041", "alignment scorer: min_evidence must be >= 0")
        if self.words_saturation <= 0:
            raise PipelineError("E041", "alignment scorer: words_saturation must be > 0")

    # -- signals ---------------------------------------------------------------------------

    def date_signal(self, event: NarrativeEvent, entry: ChronologyEvidence) -> DateFit:
        days = entry_range(entry.date, entry.date_end)
        own = best_date_fit(event.dates, days)
        if own.reason is not None:
            return own
        inherited = best_date_fit(event.context_dates, days)
        if inherited.reason is None:
            return inherited
        # An inherited date supports less, and contradicts less, than the event's own.
        return DateFit(
            inherited.score * self.context_date_factor,
            inherited.reason.replace("date:", "date:context:", 1),
            inherited.disagrees,
        )

    @staticmethod
    def actor_signal(
        event: NarrativeEvent, entry: ChronologyEvidence, common_countries: frozenset[str] = frozenset()
    ) -> tuple[float, str | None]:
        """Shared canonical actors count fully; shared countries count half, or a fifth for a
        country most entries mention (in a Japan-Korea article nearly every entry has both);
        actors from disjoint countries on both sides count against the pair."""
        ours, our_countries = _actor_sets(event.actors)
        theirs, their_countries = _actor_sets(entry.actors)
        shared = sorted(ours & theirs)
        canon = len(shared) / min(len(ours), len(theirs)) if shared else 0.0
        countries = sorted(our_countries & their_countries)
        if our_countries and their_countries and not countries:
            return DISJOINT_COUNTRIES, None
        country = 0.0
        if countries:
            share = sum(COMMON_COUNTRY_SHARE if c in common_countries else 0.5 for c in countries)
            country = share / min(len(our_countries), len(their_countries))
        score = min(1.0, canon + country)
        if shared:
            return score, "actors:" + ",".join(shared)
        if countries:
            return score, "actors:" + ",".join(countries)
        return 0.0, None

    @staticmethod
    def agreement_signal(
        event: NarrativeEvent, entry: ChronologyEvidence
    ) -> tuple[float, str | None]:
        ours = {a.canonical_id for a in event.agreements if a.canonical_id}
        theirs = {a.canonical_id for a in entry.agreements if a.canonical_id}
        shared = sorted(ours & theirs)
        if shared:
            return 1.0, "agreements:" + ",".join(shared)
        return 0.0, None

    @staticmethod
    def type_signal(event: NarrativeEvent, entry: ChronologyEvidence) -> tuple[float, str | None]:
        if event.trigger_lemma and event.trigger_lemma in entry.trigger_lemmas:
            return 1.0, f"type:{event.trigger_lemma}"
        if event.cameo_root and event.cameo_root in entry.cameo_roots:
            return 1.0, f"type:cameo-{event.cameo_root}"
        ours = cameo_class(event.cameo_root)
        theirs = {cameo_class(root) for root in entry.cameo_roots} - {None}
        if ours and theirs:
            if ours in theirs:
                return 0.3, f"type:{ours}"
            return -0.3, None
        return 0.0, None

    # -- combination -----------------------------------------------------------------------

    def signals(
        self,
        event: NarrativeEvent,
        entry: ChronologyEvidence,
        words: float,
        word_terms: list[str],
        common_countries: frozenset[str] = frozenset(),
        fit: DateFit | None = None,
    ) -> SignalScores:
        fit = self.date_signal(event, entry) if fit is None else fit
        actors, actor_reason = self.actor_signal(event, entry, common_countries)
        agreements, agreement_reason = self.agreement_signal(event, entry)
        event_type, type_reason = self.type_signal(event, entry)
        reasons = [fit.reason if fit.reason else None, actor_reason, agreement_reason]
        if words > 0 and word_terms:
            reasons.append("words:" + ",".join(word_terms))
        reasons.append(type_reason)
        return SignalScores(
            date=fit.score,
            actors=actors,
            agreements=agreements,
            words=words,
            event_type=event_type,
            reasons=tuple(r for r in reasons if r),
            date_disagrees=fit.disagrees,
        )

    def combine(self, s: SignalScores) -> float:
        return (
            self.date_weight * s.date
            + self.actor_weight * s.actors
            + self.agreement_weight * s.agreements
            + self.words_weight * s.words
            + self.type_weight * s.event_type
        )

    def evidence_without_date(self, s: SignalScores) -> float:
        """What the pair scores on everything but its date (for spotting re-dated happenings)."""
        return self.combine(SignalScores(0.0, s.actors, s.agreements, s.words, s.event_type))

    def cannot_matter(self, fit: DateFit, words: float, event: NarrativeEvent,
                      entry: ChronologyEvidence) -> bool:
        """True when a pair can neither be linked nor be reported as dated differently,
        whatever its actors: its score with the best possible actor signal stays below the
        threshold, and so does its evidence without the date (or its dates agree)."""
        agreements, _ = self.agreement_signal(event, entry)
        event_type, _ = self.type_signal(event, entry)
        rest = (self.actor_weight + self.agreement_weight * agreements
                + self.words_weight * words + self.type_weight * event_type)
        margin = 1e-3  # scores are rounded to four places before they are compared
        if self.date_weight * fit.score + rest >= self.threshold - margin:
            return False
        return not (fit.disagrees and rest >= self.threshold - margin)


@dataclass(frozen=True)
class ScoredPair:
    """A pair's signals and total, kept for the summary and for debugging."""

    event_id: str
    entry_id: str
    signals: SignalScores
    score: float


def score_pairs(
    events: Sequence[NarrativeEvent],
    entries: Sequence[ChronologyEvidence],
    scorer: AlignmentScorer,
    every_pair: bool = True,
) -> list[ScoredPair]:
    """Every (event, entry) pair with its signals, in event then entry order.

    With ``every_pair=False`` a pair that cannot be linked or reported (see
    ``AlignmentScorer.cannot_matter``) is left out before its actors are compared: the links
    and the summary are the same, at a fraction of the cost. Training, which reads every
    pair's score, keeps them all."""
    index = BM25Index([entry.text for entry in entries])
    common = common_countries(entries)
    pairs: list[ScoredPair] = []
    known: dict[str, list[str]] = {}  # the events of one sentence share its text, names recur

    def split(text: str) -> list[str]:
        found = known.get(text)
        if found is None:
            found = known[text] = terms(text)
        return found

    for event in events:
        query = weighted_query(
            [(event.context_text, scorer.context_words_factor), (event.text, 1.0)], split
        )
        # Names of identified people and bodies are the actor signal's evidence; counting
        # them again as words would score one shared name twice.
        for name_term in {t for a in event.actors if a.canonical_id for t in split(a.text)}:
            query.pop(name_term, None)
        for entry, match in zip(entries, index.match_all(query), strict=True):
            words = match.score / (match.score + scorer.words_saturation)
            fit = scorer.date_signal(event, entry)
            if not every_pair and scorer.cannot_matter(fit, words, event, entry):
                continue
            top = [t for t in match.top_terms(scorer.max_reason_words)]
            signals = scorer.signals(event, entry, words, top, common, fit)
            pairs.append(ScoredPair(event.event_id, entry.entry_id, signals,
                                    round(scorer.combine(signals), 4)))
    return pairs


def select_links(pairs: Sequence[ScoredPair], scorer: AlignmentScorer) -> dict[str, list[Link]]:
    """Per event, the pairs at or above the threshold and near its best, best first.

    Nothing stops an entry from taking links from several events, or an event from linking
    several entries: alignment is one-to-many both ways.
    """
    by_event: dict[str, list[ScoredPair]] = {}
    for pair in pairs:
        by_event.setdefault(pair.event_id, []).append(pair)
    links: dict[str, list[Link]] = {}
    for event_id, candidates in by_event.items():
        above = [
            p for p in candidates
            if p.score >= scorer.threshold
            and scorer.evidence_without_date(p.signals) >= scorer.min_evidence
        ]
        if not above:
            links[event_id] = []
            continue
        best = max(p.score for p in above)
        kept = [p for p in above if p.score >= best * scorer.relative_floor]
        kept.sort(key=lambda p: (-p.score, p.entry_id))
        links[event_id] = [
            Link(event_id, p.entry_id, p.score, p.signals.reasons, p.signals.date_disagrees)
            for p in kept
        ]
    return links


def align(
    events: Sequence[NarrativeEvent],
    entries: Sequence[ChronologyEvidence],
    scorer: AlignmentScorer,
) -> dict[str, list[Link]]:
    """Links for every event (an empty list where none reaches the threshold)."""
    if not entries:
        return {event.event_id: [] for event in events}
    return select_links(score_pairs(events, entries, scorer), scorer)


def common_countries(entries: Sequence[ChronologyEvidence]) -> frozenset[str]:
    """Countries mentioned in at least half of the entries."""
    counts: dict[str, int] = {}
    for entry in entries:
        for country in {a.country for a in entry.actors if a.country}:
            counts[country] = counts.get(country, 0) + 1
    return frozenset(c for c, n in counts.items() if n * 2 >= len(entries))


@lru_cache(maxsize=1 << 12)
def _actor_sets(actors: tuple[ActorRef, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """The canonical ids (see ``_canonical``) and the countries of a tuple of actors (every
    pair of an article asks for each event's and each entry's again)."""
    return frozenset(_canonical(actors)), frozenset(a.country for a in actors if a.country)


def _canonical(actors: Sequence[ActorRef]) -> set[str]:
    """Canonical ids of actors other than states (a state's id is its country code, which the
    country overlap already counts)."""
    return {a.canonical_id for a in actors if a.canonical_id and a.canonical_id != a.country}
