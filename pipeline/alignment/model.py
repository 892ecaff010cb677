"""The plain inputs and outputs of alignment, independent of spaCy."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DateRef:
    """A TIMEX3 value with its mod, as the date stage wrote it."""

    value: str
    mod: str | None = None


@dataclass(frozen=True)
class ActorRef:
    """An actor mention: its surface text, canonical identity and country."""

    text: str
    canonical_id: str | None = None
    country: str | None = None
    start: int = -1


@dataclass(frozen=True)
class AgreementRef:
    """An agreement mention: its surface text and canonical identity."""

    text: str
    canonical_id: str | None = None
    start: int = -1


@dataclass(frozen=True)
class NarrativeEvent:
    """A narrative or caption event, with what alignment compares.

    ``dates`` locate the event itself; ``context_dates`` are dates the event inherits from
    its paragraph (a preceding "In September") and count for less.  ``context_text`` is the
    sentence around the event, used as a weaker lexical query than the event's own text.
    """

    event_id: str
    start: int
    end: int
    text: str
    context_text: str = ""
    dates: tuple[DateRef, ...] = ()
    context_dates: tuple[DateRef, ...] = ()
    actors: tuple[ActorRef, ...] = ()
    agreements: tuple[AgreementRef, ...] = ()
    cameo_root: str | None = None
    trigger_lemma: str | None = None


@dataclass(frozen=True)
class ChronologyEvidence:
    """A chronology entry, with what alignment compares."""

    entry_id: str
    start: int
    end: int
    text: str
    date: str | None = None
    date_end: str | None = None
    actors: tuple[ActorRef, ...] = ()
    agreements: tuple[AgreementRef, ...] = ()
    cameo_roots: frozenset[str] = field(default_factory=frozenset)
    trigger_lemmas: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class SignalScores:
    """Each signal's score for one (event, entry) pair, with the words behind each."""

    date: float = 0.0
    actors: float = 0.0
    agreements: float = 0.0
    words: float = 0.0
    event_type: float = 0.0
    reasons: tuple[str, ...] = ()
    date_disagrees: bool = False


@dataclass(frozen=True)
class Link:
    """One event-to-entry link."""

    event_id: str
    entry_id: str
    score: float
    reasons: tuple[str, ...]
    date_disagrees: bool = False

    def as_attribute(self) -> dict[str, object]:
        """The plain dict stored in ``event_aligned_entries``."""
        return {"entry_id": self.entry_id, "score": self.score, "reasons": list(self.reasons)}
