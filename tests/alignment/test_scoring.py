"""Scoring signals, the threshold and one-to-many links."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.alignment.model import ActorRef, DateRef
from pipeline.alignment.scoring import AlignmentScorer, ScoredPair, align, score_pairs
from pipeline.errors import PipelineError
from tests.alignment.conftest import (
    ABE,
    CALL_ENTRY,
    GSOMIA,
    KANG,
    LAUNCH_ENTRY,
    MOON,
    POMPEO,
    SUMMIT_ENTRY,
    entry,
    event,
)

ENTRIES = [SUMMIT_ENTRY, CALL_ENTRY, LAUNCH_ENTRY]
CALL = event("e-call", "On Nov. 21 Secretary of State Mike Pompeo called Kang about GSOMIA.",
             dates=(DateRef("2019-11-21"),), actors=(POMPEO, KANG), agreements=(GSOMIA,),
             lemma="call", root="04")


def _pair(pairs: list[ScoredPair], event_id: str, entry_id: str) -> ScoredPair:
    return next(p for p in pairs if p.event_id == event_id and p.entry_id == entry_id)


def test_call_links_to_the_call_entry_with_its_reasons() -> None:
    links = align([CALL], ENTRIES, AlignmentScorer())["e-call"]
    assert [link.entry_id for link in links] == ["chr-020"]
    reasons = links[0].reasons
    assert "date:exact" in reasons
    assert "actors:kang-kyung-wha,mike-pompeo" in reasons
    assert "agreements:gsomia-jpn-kor" in reasons
    assert any(r.startswith("words:") and "telephone" not in r for r in reasons)
    assert "type:cameo-04" in reasons


def test_names_of_identified_actors_are_not_counted_as_words() -> None:
    pair = _pair(score_pairs([CALL], ENTRIES, AlignmentScorer()), "e-call", "chr-020")
    words = next(r for r in pair.signals.reasons if r.startswith("words:"))
    assert "pompeo" not in words and "kang" not in words


def test_each_signal_raises_the_score() -> None:
    scorer = AlignmentScorer()
    bare = event("e", "Something happened.")
    richer = [
        event("e", "Something happened.", dates=(DateRef("2019-11-21"),)),
        event("e", "Something happened.", actors=(KANG,)),
        event("e", "Something happened.", agreements=(GSOMIA,)),
        event("e", "Something happened in a telephone conversation."),
        event("e", "Something happened.", root="04"),
    ]
    base = score_pairs([bare], ENTRIES, scorer)[1].score
    for better in richer:
        assert score_pairs([better], ENTRIES, scorer)[1].score > base


def test_canonical_actor_counts_more_than_a_shared_country() -> None:
    scorer = AlignmentScorer()
    same_person = scorer.actor_signal(event("e", "x", actors=(KANG,)), CALL_ENTRY)
    same_country = scorer.actor_signal(
        event("e", "x", actors=(ActorRef("Seoul", "KOR", "KOR"),)), CALL_ENTRY
    )
    assert same_person[0] > same_country[0] > 0
    assert same_country[1] == "actors:KOR"


def test_disjoint_countries_count_against_a_pair() -> None:
    scorer = AlignmentScorer()
    score, reason = scorer.actor_signal(event("e", "x", actors=(ABE,)), LAUNCH_ENTRY)
    assert score < 0 and reason is None


def test_context_date_counts_less_than_own_date() -> None:
    scorer = AlignmentScorer()
    own = scorer.date_signal(event("e", "x", dates=(DateRef("2019-11"),)), CALL_ENTRY)
    inherited = scorer.date_signal(event("e", "x", context_dates=(DateRef("2019-11"),)), CALL_ENTRY)
    assert 0 < inherited.score < own.score
    assert inherited.reason == "date:context:within:2019-11"


def test_nothing_below_the_threshold_is_linked() -> None:
    weak = event("e-weak", "Diplomacy went on.", dates=(DateRef("2019-11"),), actors=(MOON,))
    assert align([weak], ENTRIES, AlignmentScorer())["e-weak"] == []
    pair = _pair(score_pairs([weak], ENTRIES, AlignmentScorer()), "e-weak", "chr-016")
    assert 0 < pair.score < AlignmentScorer().threshold
    lowered = AlignmentScorer(threshold=pair.score, min_evidence=0.0)
    assert [link.entry_id for link in align([weak], ENTRIES, lowered)["e-weak"]] == ["chr-016"]


def test_a_shared_day_alone_is_not_a_link() -> None:
    same_day = event("e-day", "Unrelated remarks.", dates=(DateRef("2019-10-31"),))
    scorer = AlignmentScorer(threshold=0.3)
    assert score_pairs([same_day], ENTRIES, scorer)[2].score >= 0.3
    assert align([same_day], ENTRIES, scorer)["e-day"] == []


def test_conflicting_date_blocks_an_otherwise_good_link() -> None:
    moved = event("e-moved", "Pompeo called Kang by telephone about GSOMIA.",
                  dates=(DateRef("2019-09-02"),), actors=(POMPEO, KANG), agreements=(GSOMIA,),
                  root="04")
    pair = _pair(score_pairs([moved], ENTRIES, AlignmentScorer()), "e-moved", "chr-020")
    assert pair.signals.date_disagrees
    assert align([moved], ENTRIES, AlignmentScorer())["e-moved"] == []


def test_one_sentence_can_sum_up_two_entries() -> None:
    both = event("e-both", "Moon and Abe met briefly, and Pompeo held a telephone call with Kang.",
                 dates=(DateRef("2019-11"),), actors=(MOON, ABE, POMPEO, KANG), root="04")
    links = align([both], ENTRIES, AlignmentScorer())["e-both"]
    assert {link.entry_id for link in links} == {"chr-016", "chr-020"}
    assert links[0].score >= links[1].score


def test_one_entry_can_take_two_narrative_events() -> None:
    again = event("e-again", "The telephone conversation between Pompeo and Kang covered GSOMIA.",
                  context_dates=(DateRef("2019-11-21"),), actors=(POMPEO, KANG),
                  agreements=(GSOMIA,))
    links = align([CALL, again], ENTRIES, AlignmentScorer())
    assert links["e-call"][0].entry_id == "chr-020"
    assert links["e-again"][0].entry_id == "chr-020"


def test_relative_floor_drops_far_weaker_links() -> None:
    close_call = entry("chr-021", "2019-11-21", "Kang speaks about GSOMIA.",
                       actors=(ActorRef("Kang", "kang-kyung-wha", "KOR", 1500),),
                       agreements=(GSOMIA,))
    loose = AlignmentScorer(relative_floor=0.0)
    strict = AlignmentScorer(relative_floor=1.0)
    assert len(align([CALL], [CALL_ENTRY, close_call], loose)["e-call"]) == 2
    assert [x.entry_id for x in align([CALL], [CALL_ENTRY, close_call], strict)["e-call"]] == [
        "chr-020"
    ]


def test_no_entries_means_no_links() -> None:
    assert align([CALL], [], AlignmentScorer()) == {"e-call": []}


@pytest.mark.parametrize(
    "kwargs",
    [{"date_weight": -0.1}, {"threshold": 0.0}, {"relative_floor": 1.5},
     {"context_date_factor": -1.0}, {"words_saturation": 0.0}, {"min_evidence": -0.1}],
)
def test_invalid_settings_raise_a_coded_error(kwargs: dict[str, Any]) -> None:
    with pytest.raises(PipelineError) as info:
        AlignmentScorer(**kwargs)
    assert info.value.code == "E041"
