"""Small hand-made events and entries for the alignment tests."""

from __future__ import annotations

from pipeline.alignment.model import (
    ActorRef,
    AgreementRef,
    ChronologyEvidence,
    DateRef,
    NarrativeEvent,
)

KANG = ActorRef("Kang", "kang-kyung-wha", "KOR", 100)
POMPEO = ActorRef("Mike Pompeo", "mike-pompeo", "USA", 120)
ABE = ActorRef("Abe", "abe-shinzo", "JPN", 140)
MOON = ActorRef("Moon", "moon-jae-in", "KOR", 150)
GSOMIA = AgreementRef("GSOMIA", "gsomia-jpn-kor", 160)


def entry(entry_id: str, day: str, text: str, actors: tuple[ActorRef, ...] = (),
          agreements: tuple[AgreementRef, ...] = (), lemmas: frozenset[str] = frozenset(),
          roots: frozenset[str] = frozenset()) -> ChronologyEvidence:
    return ChronologyEvidence(entry_id=entry_id, start=1000, end=1100, text=text, date=day,
                              actors=actors, agreements=agreements, trigger_lemmas=lemmas,
                              cameo_roots=roots)


def event(event_id: str, text: str, dates: tuple[DateRef, ...] = (),
          actors: tuple[ActorRef, ...] = (), agreements: tuple[AgreementRef, ...] = (),
          lemma: str | None = None, root: str | None = None,
          context_dates: tuple[DateRef, ...] = ()) -> NarrativeEvent:
    return NarrativeEvent(event_id=event_id, start=0, end=len(text), text=text,
                          context_text=text, dates=dates, context_dates=context_dates,
                          actors=actors, agreements=agreements, trigger_lemma=lemma,
                          cameo_root=root)


CALL_ENTRY = entry(
    "chr-020", "2019-11-21",
    "Foreign Minister Kang and Secretary of State Mike Pompeo hold a telephone conversation "
    "and discuss GSOMIA.",
    actors=(ActorRef("Kang", "kang-kyung-wha", "KOR", 1010),
            ActorRef("Mike Pompeo", "mike-pompeo", "USA", 1040)),
    agreements=(AgreementRef("GSOMIA", "gsomia-jpn-kor", 1080),),
    lemmas=frozenset({"hold"}), roots=frozenset({"04"}),
)
SUMMIT_ENTRY = entry(
    "chr-016", "2019-11-04", "President Moon and Prime Minister Abe meet briefly in Bangkok.",
    actors=(ActorRef("Moon", "moon-jae-in", "KOR", 1210), ActorRef("Abe", "abe-shinzo", "JPN", 1230)),
    lemmas=frozenset({"meet"}), roots=frozenset({"04"}),
)
LAUNCH_ENTRY = entry(
    "chr-015", "2019-10-31", "North Korea launches two projectiles into the sea.",
    actors=(ActorRef("North Korea", "PRK", "PRK", 1310),),
    lemmas=frozenset({"launch"}), roots=frozenset({"19"}),
)
