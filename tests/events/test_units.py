"""Every narrative sentence and chronology entry gets a polarity; what the classifier reads;
events found from the parse when no cue is; who did what to whom in long noun phrases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language

from pipeline.evaluation.events import (
    mention_matches,
    polarity_scores,
    role_agreement,
    same_mentions,
)
from pipeline.events.features import FEATURE_PREFIX
from pipeline.events.units import bare_text_words

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp() -> Language:
    from pipeline.nlp import build_pipeline

    return build_pipeline()


def _events(nlp: Language, text: str) -> list[tuple[str, list[str], list[str], bool]]:
    doc = nlp(text)
    names = {a._.actor_id: a.text for a in doc.spans["actors"]}
    return [
        (e._.event_trigger["text"], [names[x] for x in e._.event_source], [names[x] for x in e._.event_target],
         bool(e._.event_is_main))
        for e in doc.spans["events"]
    ]


def test_seed_every_narrative_sentence_and_entry_has_a_polarity(
    nlp: Language, tmp_path: Path, seed_path: Path
) -> None:
    from pipeline.annotate import annotate

    annotate([seed_path], tmp_path, nlp)
    record = json.loads((tmp_path / "articles.jsonl").read_text(encoding="utf-8").splitlines()[0])
    narrative = {s["id"] for s in record["sections"] if s["kind"] in ("narrative", "caption")}
    in_narrative = [s for s in record["sentences"] if s["section_id"] in narrative]
    assert len(in_narrative) > 80
    assert all(s["polarity"] in ("escalatory", "de-escalatory", "neutral") for s in in_narrative)
    assert all(0 < s["confidence"] <= 1 for s in in_narrative)
    events = {e["id"]: e for e in record["events"]}
    for unit in [*in_narrative, *record["chronology"]]:
        assert unit["polarity"] is not None
        if unit["main_event_id"] is not None:
            main = events[unit["main_event_id"]]
            # The unit's polarity is its main event's, and that event is marked main.
            assert main["polarity"] == unit["polarity"] and main["is_main"]
            assert unit["start"] <= main["start"] < unit["end"]
    chronology = [json.loads(x) for x in (tmp_path / "chronology.jsonl").read_text().splitlines()]
    assert len(chronology) == 26
    assert [c["polarity"] for c in chronology] == [c["polarity"] for c in record["chronology"]]


def test_a_cue_less_act_with_an_actor_is_an_event_at_its_main_verb(nlp: Language) -> None:
    found = _events(nlp, "Mongolia held a lantern parade with North Korea.")
    assert found == [("held", ["Mongolia"], ["North Korea"], True)]
    # No actor takes part: a state of affairs, not an event; the sentence still has a polarity.
    doc = nlp("The weather stayed mild for most of the autumn.")
    assert not list(doc.spans["events"])
    assert [u["polarity"] for u in doc._.polarity_units["sentences"].values()] == ["neutral"]


def test_predicate_events_can_be_turned_off(nlp: Language) -> None:
    from pipeline.nlp import build_pipeline

    plain = build_pipeline()
    plain.get_pipe("dipl_events").predicate_events = False  # type: ignore[attr-defined]
    assert not list(plain("Mongolia held a lantern parade with North Korea.").spans["events"])


def test_the_classifier_reads_the_predicate_its_arguments_and_the_lexicon(nlp: Language) -> None:
    visit, negated = bare_text_words(
        nlp,
        ["Koizumi paid a visit to the Yasukuni Shrine.", "Seoul did not protest the decision."],
    )
    features = [w for w in visit if w.startswith(FEATURE_PREFIX) and not w.startswith("__actor_")]
    # The head predicate and its object, then the lexicon's reading of the main event.
    assert features == [
        "__pred_pay", "__pos_VERB", "__obj_visit", "__pay_obj_visit",
        "__lex_de-escalatory", "__lex_de-escalatory_high", "__fam_visit",
        "__fam_visit_de-escalatory", "__mod_asserted",
    ]
    # an actor mention is read as its kind, not its name
    assert visit[: visit.index("__pred_pay")] == ["__actor_person", "paid", "a", "visit", "to", "the", "yasukuni",
                                                  "shrine", "."]
    # A hostile act that did not happen: negated, and the lexicon reads it as neutral.
    assert {"__negated", "__pred_protest", "__lex_neutral", "__mod_negated"} <= set(negated)


def test_a_long_subject_names_its_people_not_their_states(nlp: Language) -> None:
    found = _events(
        nlp,
        "Japan’s Minister for Foreign Affairs Motegi Toshimitsu and South Korea’s Minister of "
        "Foreign Affairs Kang Kyung-wha hold a bilateral meeting.",
    )
    main = next(f for f in found if f[3])
    assert (main[1], main[2]) == (["Motegi Toshimitsu"], ["Kang Kyung-wha"])


def test_states_named_as_modifiers_of_the_acting_officials(nlp: Language) -> None:
    found = _events(nlp, "PRC and ROK vice foreign ministers begin the first round of talks on EEZs.")
    main = next(f for f in found if f[3])
    assert (main[1], main[2]) == (["PRC"], ["ROK"])


def test_where_a_joint_act_happens_is_not_its_target(nlp: Language) -> None:
    found = _events(nlp, "Kang and Motegi meet on the sidelines of the G20 meeting at ASEAN headquarters.")
    main = next(f for f in found if f[3])
    assert (main[1], main[2]) == (["Kang"], ["Motegi"])


def test_role_scoring_matches_mentions_by_words() -> None:
    assert mention_matches("Japan’s Air Self-Defense Force", "Air Self-Defense Force")
    assert mention_matches("Kang", "Kang Kyung-wha")
    assert not mention_matches("Japan", "South Korea")
    assert same_mentions(["Kang", "Motegi"], ["Motegi Toshimitsu", "Kang Kyung-wha"])
    assert not same_mentions(["Kang"], ["Kang", "Motegi"])
    assert not same_mentions(["Kang", "Abe"], ["Kang"])
    assert same_mentions([], [])
    scores = role_agreement([(["Kang"], ["Motegi"], ["Kang"], ["Motegi"]), (["Kang"], [], ["Kang"], ["Abe"])])
    assert scores == {"n": 2, "source_right": 1.0, "target_right": 0.5, "both_right": 0.5, "both_right_joint": 0.5}
    # A joint act: the participants as one set count when either side reads it as joint.
    joint = role_agreement([(["Vietnam", "U.S."], [], ["Vietnam"], ["U.S."]), (["Kang"], ["Abe"], ["Kang", "Motegi"], [])])
    assert joint["both_right"] == 0.0 and joint["both_right_joint"] == 0.5


def test_a_unit_given_no_polarity_counts_as_wrong() -> None:
    scores = polarity_scores(["neutral", "escalatory"], ["none", "escalatory"])
    assert scores["accuracy"] == 0.5
    assert scores["confusion"]["neutral"]["none"] == 1
    assert scores["per_label"]["neutral"]["recall"] == 0.0


def test_words_of_a_relationships_state_are_features_with_their_negation(nlp: Language) -> None:
    soured, no_breakthrough, plain = bare_text_words(
        nlp,
        [
            "Ties soured as friction over the islands deepened.",
            "The inauguration did not lead to a breakthrough.",
            "The delegation arrived in Hanoi on Tuesday.",
        ],
    )
    assert soured.count("__state_worse") == 2  # "soured", "friction"
    assert "__state_better_neg" in no_breakthrough and "__state_better" not in no_breakthrough
    assert not [w for w in plain if w.startswith("__state_")]


def test_an_actor_name_is_read_as_its_kind_not_its_words(nlp: Language) -> None:
    """"The Committee for the Peaceful Reunification of the Country (CPRC) condemns the drills":
    the name's words ("peaceful", "reunification") say nothing of the act; the classifier
    reads one ``__actor_org`` in the name's place."""
    (words,) = bare_text_words(nlp, ["The Committee for the Peaceful Reunification of the Country (CPRC) "
                                     "condemns the drills."])
    tokens = words[: next(k for k, w in enumerate(words) if w.startswith("__pred_"))]
    assert "peaceful" not in tokens and "reunification" not in tokens
    assert tokens[:2] == ["the", "__actor_org"] and "condemns" in tokens
