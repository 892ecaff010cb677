"""The alignment summary: unmatched entries and events, re-dated and re-spelled happenings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from pipeline.alignment.model import (
    ActorRef,
    AgreementRef,
    ChronologyEvidence,
    DateRef,
    NarrativeEvent,
)
from pipeline.alignment.scoring import AlignmentScorer, score_pairs, select_links
from pipeline.alignment.summary import spelled_differently, summarize
from tests.alignment.conftest import (
    CALL_ENTRY,
    GSOMIA,
    KANG,
    LAUNCH_ENTRY,
    POMPEO,
    SUMMIT_ENTRY,
    event,
)

ENTRIES = [SUMMIT_ENTRY, CALL_ENTRY, LAUNCH_ENTRY]


def _summary(
    events: list[NarrativeEvent],
    narrative_actors: Sequence[ActorRef] = (),
    narrative_agreements: Sequence[AgreementRef] = (),
    entries: Sequence[ChronologyEvidence] = ENTRIES,
) -> dict[str, Any]:
    scorer = AlignmentScorer()
    pairs = score_pairs(events, entries, scorer)
    links = select_links(pairs, scorer)
    return summarize(events, entries, pairs, links, scorer, narrative_actors, narrative_agreements)


def test_unmatched_entries_and_events_are_listed() -> None:
    call = event("e-call", "Pompeo called Kang by telephone about GSOMIA.",
                 dates=(DateRef("2019-11-21"),), actors=(POMPEO, KANG), agreements=(GSOMIA,))
    musing = event("e-musing", "Relations remained uncertain.", dates=(DateRef("2019"),))
    summary = _summary([call, musing])
    assert summary["entries_without_narrative"] == ["chr-016", "chr-015"]
    assert summary["events_without_entry"] == ["e-musing"]
    assert summary["linked_events"] == ["e-call"]
    assert summary["links"] == 1
    assert summary["dated_differently"] == []


def test_same_happening_with_another_day_is_reported() -> None:
    moved = event("e-moved", "Pompeo and Kang held a telephone conversation about GSOMIA.",
                  dates=(DateRef("2019-11-12"),), actors=(POMPEO, KANG), agreements=(GSOMIA,),
                  root="04")
    summary = _summary([moved])
    assert summary["links"] == 0
    [item] = summary["dated_differently"]
    assert item["event_id"] == "e-moved"
    assert item["entry_id"] == "chr-020"
    assert item["narrative_date"] == "2019-11-12"
    assert item["entry_date"] == "2019-11-21"
    assert item["linked"] is False


def test_linked_pair_one_day_apart_is_reported_as_linked() -> None:
    next_day = event("e-next", "Pompeo and Kang held a telephone conversation about GSOMIA.",
                     dates=(DateRef("2019-11-22"),), actors=(POMPEO, KANG), agreements=(GSOMIA,),
                     root="04")
    summary = _summary([next_day])
    assert summary["links"] == 1
    [item] = summary["dated_differently"]
    assert item["linked"] is True
    assert any(r.startswith("date:off-by-1d") for r in item["reasons"])


def test_name_spelled_differently_is_reported() -> None:
    narrative = [ActorRef("Kang Kyung-hwa", "kang-kyung-wha", "KOR", 10),
                 ActorRef("Kang", "kang-kyung-wha", "KOR", 50)]
    entries = [replace(CALL_ENTRY, actors=(ActorRef("Kang Kyung-wha", "kang-kyung-wha", "KOR",
                                                    1010),))]
    summary = _summary([], narrative_actors=narrative, entries=entries)
    [item] = summary["spelled_differently"]
    assert item == {
        "kind": "actor", "canonical_id": "kang-kyung-wha", "narrative": "Kang Kyung-hwa",
        "narrative_starts": [10], "chronology": "Kang Kyung-wha", "entry_ids": ["chr-020"],
    }


def test_acronym_spelled_differently_is_reported() -> None:
    entries = [replace(CALL_ENTRY, agreements=(
        AgreementRef("GSOMNIA", "gsomia-jpn-kor", 1080),
        AgreementRef("General Security of Military Information Agreement", "gsomia-jpn-kor",
                     1020)))]
    narrative = [AgreementRef("GSOMIA", "gsomia-jpn-kor", 5)]
    [item] = _summary([], narrative_agreements=narrative, entries=entries)["spelled_differently"]
    assert item["kind"] == "agreement"
    assert (item["narrative"], item["chronology"]) == ("GSOMIA", "GSOMNIA")


def test_short_forms_and_long_forms_are_not_misspellings() -> None:
    assert spelled_differently("Kang Kyung-hwa", "Kang Kyung-wha")
    assert spelled_differently("Steven Biegun", "Stephen Biegun")
    assert spelled_differently("GSOMIA", "GSOMNIA")
    assert not spelled_differently("Kang", "Kang Kyung-wha")
    assert not spelled_differently("GSOMIA", "General Security of Military Information Agreement")
    assert not spelled_differently("the GSOMIA", "GSOMIA")
    assert not spelled_differently("Abe", "Moon")
