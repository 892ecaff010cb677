"""Event extraction on parsed sentences: triggers, roles, polarity and modality."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Span

import pipeline.components.agreements  # noqa: F401
from pipeline.events.extract import EventFinding, extract_events, main_event
from pipeline.events.lexicon import CueLexicon
from pipeline.extensions import AGREEMENTS

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def lexicon() -> CueLexicon:
    return CueLexicon.load()


def _actor(doc: Doc, text: str, country: str | None, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(text, start + 1)
    span = doc.char_span(start, start + len(text))
    assert span is not None
    span._.actor_id = f"act-{span.start_char}-{span.end_char}"
    span._.actor_country = country
    return span


def _run(
    base_nlp: Language, lexicon: CueLexicon, text: str, actors: list[tuple[str, str | None]] = (),
    media: frozenset[str] | set[str] = frozenset(), entry_id: str | None = None,
) -> tuple[Doc, list[EventFinding]]:
    """Events of ``text`` with the given actor mentions (``media``: which are news
    organisations); ``entry_id`` reads it as a chronology entry."""
    doc = base_nlp(text)
    pipeline.components.agreements.AgreementTagger(base_nlp, "a", [], True, True)(doc)
    spans = [_actor(doc, name, country) for name, country in actors]
    for span in spans:
        span._.actor_media = span.text in media
    found: list[EventFinding] = []
    for sent in doc.sents:
        found += extract_events(sent, spans, list(doc.spans[AGREEMENTS]), lexicon, chronology_entry_id=entry_id)
    return doc, found


def _by_trigger(found: list[EventFinding], word: str) -> EventFinding:
    matches = [f for f in found if f.trigger["text"] == word]
    assert matches, [f.trigger["text"] for f in found]
    return matches[0]


def _id_of(doc: Doc, text: str) -> str:
    start = doc.text.index(text)
    return f"act-{start}-{start + len(text)}"


def test_decision_not_to_withdraw_is_de_escalatory(base_nlp, lexicon):
    _, found = _run(
        base_nlp, lexicon, "South Korea announced its decision not to withdraw from GSOMIA."
    )
    event = _by_trigger(found, "withdraw")
    assert event.polarity == "de-escalatory"
    assert event.modality == "negated"
    assert "decision" in event.cues and "withdraw" in event.cues


def test_would_withdraw_unless_is_an_escalatory_threat(base_nlp, lexicon):
    text = "Jeong stated Seoul would withdraw from GSOMIA unless Japan abandoned its restrictions."
    _, found = _run(base_nlp, lexicon, text)
    assert len(found) == 1  # the condition is not an event of its own
    event = found[0]
    assert event.trigger["text"] == "withdraw"
    assert (event.polarity, event.modality) == ("escalatory", "hypothetical")


def test_could_be_terminated_is_escalatory_and_hypothetical(base_nlp, lexicon):
    text = "Officials emphasized that GSOMIA could still be terminated at any time."
    _, found = _run(base_nlp, lexicon, text)
    event = _by_trigger(found, "terminated")
    assert (event.polarity, event.modality) == ("escalatory", "hypothetical")
    assert event.agreements  # GSOMIA is the agreement concerned


def test_fail_to_reach_a_deal_is_escalatory(base_nlp, lexicon):
    text = "The US and South Korea fail to reach a deal on sharing costs."
    doc, found = _run(base_nlp, lexicon, text, [("US", "USA"), ("South Korea", "KOR")])
    event = _by_trigger(found, "fail")
    assert event.polarity == "escalatory"
    assert event.cameo_root == "12"
    assert event.source == [_id_of(doc, "US")]
    assert event.target == [_id_of(doc, "South Korea")]


def test_urged_to_remain_in_gsomia_is_de_escalatory(base_nlp, lexicon):
    text = "Esper urged South Korea to remain in GSOMIA."
    doc, found = _run(base_nlp, lexicon, text, [("Esper", "USA"), ("South Korea", "KOR")])
    assert len(found) == 1
    event = found[0]
    assert event.trigger["text"] == "urged"
    assert event.polarity == "de-escalatory"
    assert event.cameo_root == "02"
    assert event.source == [_id_of(doc, "Esper")]
    assert event.target == [_id_of(doc, "South Korea")]


def test_urged_not_to_terminate_is_de_escalatory(base_nlp, lexicon):
    _, found = _run(base_nlp, lexicon, "The official urged Seoul not to terminate GSOMIA.")
    assert _by_trigger(found, "urged").polarity == "de-escalatory"


def test_passive_removal_puts_agent_as_source(base_nlp, lexicon):
    text = "South Korea was removed from the list by Japan."
    doc, found = _run(base_nlp, lexicon, text, [("South Korea", "KOR"), ("Japan", "JPN")])
    event = _by_trigger(found, "removed")
    assert event.polarity == "escalatory"
    assert event.source == [_id_of(doc, "Japan")]
    assert event.target == [_id_of(doc, "South Korea")]


def test_coordinated_subjects_of_a_meeting_form_a_dyad(base_nlp, lexicon):
    text = "Kang and Motegi meet on the sidelines of the G20."
    doc, found = _run(base_nlp, lexicon, text, [("Kang", "KOR"), ("Motegi", "JPN")])
    event = _by_trigger(found, "meet")
    assert event.source == [_id_of(doc, "Kang")]
    assert event.target == [_id_of(doc, "Motegi")]
    assert event.polarity == "de-escalatory"


def test_possessive_meeting_with(base_nlp, lexicon):
    text = "Abe's meeting with Moon lasted an hour."
    doc, found = _run(base_nlp, lexicon, text, [("Abe", "JPN"), ("Moon", "KOR")])
    event = _by_trigger(found, "meeting")
    assert event.source == [_id_of(doc, "Abe")]
    assert event.target == [_id_of(doc, "Moon")]


def test_reported_speech_takes_the_speaker_as_source(base_nlp, lexicon):
    text = "Motegi said that Japan would keep its export restrictions on South Korea."
    doc, found = _run(
        base_nlp, lexicon, text, [("Motegi", "JPN"), ("Japan", "JPN"), ("South Korea", "KOR")]
    )
    event = _by_trigger(found, "restrictions")
    assert event.modality == "reported"
    assert event.polarity == "escalatory"
    assert event.source == [_id_of(doc, "Motegi")]
    assert _id_of(doc, "South Korea") in event.target


def test_no_longer_remain_on_the_list_is_escalatory(base_nlp, lexicon):
    text = "The ministry announced that Japan would no longer remain on its list of preferential trade partners."
    _, found = _run(base_nlp, lexicon, text)
    event = _by_trigger(found, "remain")
    assert (event.polarity, event.modality) == ("escalatory", "negated")


def test_suspending_a_withdrawal_de_escalates(base_nlp, lexicon):
    text = "South Korea announced it would conditionally suspend withdrawal from GSOMIA."
    _, found = _run(base_nlp, lexicon, text)
    event = _by_trigger(found, "suspend")
    assert event.polarity == "de-escalatory"
    assert event.modality == "reported"


def test_remain_as_a_copula_is_not_an_event(base_nlp, lexicon):
    _, found = _run(base_nlp, lexicon, "The atmosphere remained tense.")
    assert found == []


def test_two_events_in_one_sentence_have_distinct_offsets(base_nlp, lexicon):
    text = "Japan protested the launch, and the two ministers met in Seoul on Friday."
    _, found = _run(base_nlp, lexicon, text)
    triggers = [f.trigger["text"] for f in found]
    assert triggers == ["protested", "met"]
    assert len({(f.start, f.end) for f in found}) == 2
    assert [f.polarity for f in found] == ["escalatory", "de-escalatory"]


def test_neutral_personnel_change(base_nlp, lexicon):
    _, found = _run(
        base_nlp, lexicon, "In a cabinet reshuffle, the premier replaced two ministers."
    )
    assert found and {f.polarity for f in found} == {"neutral"}


def test_main_event_is_the_first_main_clause(base_nlp, lexicon):
    text = "Japan's annual report was released. South Korea protests the claim in the report."
    _, found = _run(base_nlp, lexicon, text)
    main = main_event(found)
    assert main is not None and main.trigger["text"] == "released"


def test_depth_counts_steps_to_the_root_by_index() -> None:
    # Tokens are fresh views: the root test must compare indexes, or every depth is the cap.
    import spacy
    from spacy.tokens import Doc

    from pipeline.events.extract import _depth

    vocab = spacy.blank("en").vocab
    doc = Doc(vocab, words=["Seoul", "protested", "the", "claim"], heads=[1, 1, 3, 1],
              deps=["nsubj", "ROOT", "det", "dobj"])
    assert [_depth(t) for t in doc] == [1, 0, 2, 1]


def _roles(base_nlp, text: str, actors: list[tuple[str, str]], verb: str,  # type: ignore[no-untyped-def]
           symmetric: bool = False):
    from pipeline.events.roles import ActorIndex, roles_of

    doc = base_nlp(text)
    index = ActorIndex.from_spans([_actor(doc, name, country) for name, country in actors])
    token = next(t for t in doc if t.text == verb)
    return doc, roles_of(token, index, symmetric=symmetric)


def test_target_through_the_object_or_a_purpose_clause(base_nlp) -> None:
    """Whom an act reaches when the verb's own arguments name no one: the "with/on/over" phrase
    of its object or of a "for" complement, or the object of a purpose clause."""
    doc, roles = _roles(base_nlp, "President Moon travels to Washington to meet President Trump.",
                        [("Moon", "KOR"), ("Trump", "USA")], "travels")
    assert roles.source == [_id_of(doc, "Moon")] and roles.target == [_id_of(doc, "Trump")]
    doc, roles = _roles(base_nlp, "Beijing signs an agreement with Hanoi on fishing.",
                        [("Beijing", "CHN"), ("Hanoi", "VNM")], "signs")
    assert roles.target == [_id_of(doc, "Hanoi")]
    doc, roles = _roles(base_nlp, "Moon called for a third summit with Kim.",
                        [("Moon", "KOR"), ("Kim", "PRK")], "called")
    assert roles.target == [_id_of(doc, "Kim")]


def test_no_target_from_circumstances_or_inside_a_joint_act(base_nlp) -> None:
    """"in response to X" is why, not whom; a meeting of two participants takes its target from
    splitting them, not from what they met to discuss."""
    _, roles = _roles(base_nlp, "Beijing calls for calm in response to Seoul's claims.",
                      [("Beijing", "CHN"), ("Seoul", "KOR")], "calls")
    assert roles.target == []
    doc, roles = _roles(base_nlp, "Kang and Motegi meet in Seoul to discuss Japan's export controls.",
                        [("Kang", "KOR"), ("Motegi", "JPN"), ("Japan", "JPN")], "meet", symmetric=True)
    assert roles.source == [_id_of(doc, "Kang")] and roles.target == [_id_of(doc, "Motegi")]


def test_a_reported_denial_of_a_threat_is_a_reassurance_but_a_past_non_event_is_not(base_nlp, lexicon):
    """Said of the present or the future, a negated escalatory act is a conciliatory
    statement; a reported past non-event and an unreported one have no bearing."""
    reassurances = {
        "Lavrov says that China poses no threat to Russia.": "threat",
        "The ministry said Seoul would not retaliate against the new tariffs.": "retaliate",
        "Beijing stated that it has no intention of threatening its neighbours.": "threatening",
    }
    for text, trigger in reassurances.items():
        event = _by_trigger(_run(base_nlp, lexicon, text)[1], trigger)
        assert (event.polarity, event.modality) == ("de-escalatory", "negated"), text
    plain = {
        "Officials said Pyongyang did not launch a missile.": "launch",
        "China poses no threat to Russia.": "threat",
        "Tokyo did not protest the decision.": "protest",
    }
    for text, trigger in plain.items():
        assert _by_trigger(_run(base_nlp, lexicon, text)[1], trigger).polarity == "neutral", text
    # a reversal keeps its own rule: not lifting restrictions is still escalatory
    kept = _by_trigger(_run(base_nlp, lexicon, "Moon said Japan would not lift its export restrictions.")[1], "lift")
    assert kept.polarity == "escalatory"


def test_a_not_on_the_verb_that_carries_a_noun_event_negates_the_event(base_nlp, lexicon):
    """"hold" only carries "talks": its "not" is the event's, and the negation rules apply
    (a de-escalatory act that did not happen is a setback, an escalatory one is neutral)."""
    cases = {
        "Japan and South Korea did not hold talks in November.": ("talks", "escalatory"),
        "Seoul never held a summit with Tokyo.": ("summit", "escalatory"),
        "North Korea did not conduct a missile test.": ("missile test", "neutral"),
    }
    for text, (trigger, polarity) in cases.items():
        event = _by_trigger(_run(base_nlp, lexicon, text)[1], trigger)
        assert (event.polarity, event.modality) == (polarity, "negated"), text
    held = _by_trigger(_run(base_nlp, lexicon, "Japan and South Korea held talks in November.")[1], "talks")
    assert (held.polarity, held.modality) == ("de-escalatory", "asserted")
    # a verb that is more than a carrier keeps its "not": the deployment went ahead
    deployed = _by_trigger(_run(base_nlp, lexicon, "The attack did not deter the deployment of troops.")[1], "deployment")
    assert deployed.modality != "negated"


def test_an_agreement_phrase_cue_needs_its_agreement(base_nlp, lexicon):
    """"Comes into force" is an act of an agreement; with no agreement it is no cue, and a
    phrase cue is held to that as a single word is ("continue in office" is not staying in
    an agreement)."""
    _, found = _run(base_nlp, lexicon, "The KORUS FTA comes into force.")
    event = _by_trigger(found, "comes into force")
    assert event.polarity == "de-escalatory" and event.cameo_root == "05"
    _, found = _run(base_nlp, lexicon, "The new tariffs take effect on Monday.")
    assert all(f.trigger["text"] != "take effect" for f in found)
    _, found = _run(base_nlp, lexicon, "Abe will continue in office until September.")
    assert all(f.trigger["text"] != "continue in" for f in found)
    _, found = _run(base_nlp, lexicon, "Seoul will continue in GSOMIA for now.")
    assert _by_trigger(found, "continue in").polarity == "de-escalatory"


def test_what_one_engages_or_takes_part_in_is_the_main_act(base_nlp, lexicon):
    from pipeline.events.entries import heads_main_clause

    for text, trigger in [
        ("The US and Philippine navies engage in bilateral exercises in Subic Bay.", "exercises"),
        ("Japan takes part in joint drills with Australia.", "drills"),
    ]:
        doc, found = _run(base_nlp, lexicon, text)
        event = _by_trigger(found, trigger)
        assert event.is_main and event.polarity == "escalatory"
        assert heads_main_clause(next(t for t in doc if t.text == trigger))
    # a place one is "in" is not the act
    doc, found = _run(base_nlp, lexicon, "The ministers held talks in Manila after the exercises.")
    assert not _by_trigger(found, "exercises").is_main


def test_support_between_two_states_de_escalates_and_of_ones_own_side_is_neutral(base_nlp, lexicon):
    _, found = _run(base_nlp, lexicon, "Russia supported China's position at the UN.", [("Russia", "RUS"), ("China", "CHN")])
    assert _by_trigger(found, "supported").polarity == "de-escalatory"
    _, found = _run(base_nlp, lexicon, "Tokyo supported Japan's claims at the UN.", [("Tokyo", "JPN"), ("Japan", "JPN")])
    assert _by_trigger(found, "supported").polarity == "neutral"


def test_a_mention_that_is_the_agreement_is_no_party(base_nlp, lexicon):
    doc, found = _run(base_nlp, lexicon, "Japan and India sign an MOU on defense.",
                      [("Japan", "JPN"), ("India", "IND"), ("MOU", None)])
    assert [a.text for a in doc.spans[AGREEMENTS]] == ["MOU"]
    event = _by_trigger(found, "sign")
    mou = _id_of(doc, "MOU")
    assert mou not in event.source + event.target
    assert event.source == [_id_of(doc, "Japan")] and event.target == [_id_of(doc, "India")]


def test_congratulating_and_inviting_are_acts_toward_their_object(base_nlp, lexicon):
    for text, trigger, actors in [
        ("President Bush congratulates Koizumi on his election victory.", "congratulates", [("Bush", "USA"), ("Koizumi", "JPN")]),
        ("Bush invites Yudhoyono to attend a meeting in Washington.", "invites", [("Bush", "USA"), ("Yudhoyono", "IDN")]),
    ]:
        doc, found = _run(base_nlp, lexicon, text, actors)
        event = _by_trigger(found, trigger)
        assert event.polarity == "de-escalatory" and event.is_main
        assert event.source == [_id_of(doc, actors[0][0])] and event.target == [_id_of(doc, actors[1][0])]


def test_a_name_inside_the_agreement_joined_is_no_target(base_nlp, lexicon):
    doc, found = _run(base_nlp, lexicon, "Indonesia ratifies the ASEAN Charter.", [("Indonesia", "IDN"), ("ASEAN", None)])
    assert any(a.text == "ASEAN Charter" for a in doc.spans[AGREEMENTS])
    event = _by_trigger(found, "ratifies")
    assert event.source == [_id_of(doc, "Indonesia")] and event.target == []


def test_the_speakers_own_state_in_what_is_said_is_no_target(base_nlp, lexicon):
    doc, found = _run(base_nlp, lexicon, "Foreign Minister Lavrov says that China poses no threat to Russia.",
                      [("Lavrov", "RUS"), ("China", "CHN"), ("Russia", "RUS")])
    event = _by_trigger(found, "threat")  # the speech frame's event, triggered by what is said
    assert event.source == [_id_of(doc, "Lavrov")]
    assert event.target == [_id_of(doc, "China")]


def test_a_state_does_not_act_on_itself(base_nlp, lexicon):
    text = "North Korea's band Moranbong returns to Pyongyang after canceling performance in Beijing."
    doc = base_nlp(text)
    spans = [_actor(doc, "Moranbong", "PRK"), _actor(doc, "Pyongyang", "PRK"), _actor(doc, "Beijing", "CHN")]
    found = extract_events(next(iter(doc.sents)), spans, [], lexicon, chronology_entry_id="e1")
    assert found
    for event in found:
        assert _id_of(doc, "Pyongyang") not in event.target


@pytest.mark.parametrize(
    ("text", "trigger", "polarity", "family"),
    [
        # a retreat of forces de-escalates; leaving an agreement escalates
        ("Hundreds of UN troops withdrew from the border zone on Monday.", "withdrew", "de-escalatory", "retreat"),
        ("China withdraws the oil rig from Vietnamese-claimed waters.", "withdraws", "de-escalatory", "retreat"),
        ("Russia pulled back its troops from the border.", "pulled back", "de-escalatory", "retreat"),
        ("Japan decided to pull out of the TPP.", "pull out", "escalatory", "withdraw"),
        ("North Korea announces its withdrawal from the Six-Party Talks.", "withdrawal", "escalatory", "withdraw"),
        # freeing a person is a release; releasing a document publishes it
        ("North Korea released two American journalists.", "released", "de-escalatory", "release"),
        ("Beijing freed the captain of the trawler.", "freed", "de-escalatory", "release"),
        ("The White House releases its National Security Strategy.", "releases", "neutral", "publish"),
        # dismissing a call is a rejection, dismissing a minister a personnel change (an
        # asserted act: the rejection frame's own reading does not stay with it)
        ("North Korea dismisses the call for talks as dim-witted.", "dismisses", "escalatory", "refuse"),
        ("Abe dismissed his defense minister over the scandal.", "dismissed", "neutral", "personnel"),
        ("The court sentences two spies to ten years in jail.", "sentences", "escalatory", "coerce"),
        # handing over goods is material cooperation
        ("Russia will deliver a second missile system to China.", "deliver", "de-escalatory", "supply"),
        ("The United States will supply arms to Israel.", "supply", "de-escalatory", "supply"),
        ("Seoul shipped 300,000 tons of fertilizer to the North.", "shipped", "de-escalatory", "supply"),
    ],
)
def test_the_reading_of_an_act_depends_on_its_arguments(base_nlp, lexicon, text, trigger, polarity, family):
    _, found = _run(base_nlp, lexicon, text)
    event = _by_trigger(found, trigger)
    assert (event.polarity, event.family) == (polarity, family)
    if family in ("retreat", "release", "personnel", "coerce", "supply"):
        # a sense makes the cue a plain act: asserted, whatever frame or reversal it was
        assert event.modality in ("asserted", "hypothetical") and event.decision.frame is None


@pytest.mark.parametrize(
    "text",
    [
        "Hu left the country on April 2.",
        "The arrest left the pipeline without its main champion.",
        "Austerity left Tokyo no choice.",
        "The State Department said it would free up funds.",
    ],
)
def test_a_reversal_or_sense_cue_without_its_argument_is_no_cue(base_nlp, lexicon, text):
    _, found = _run(base_nlp, lexicon, text)
    assert not [f for f in found if f.family in ("terminate", "release")], [
        (f.trigger["text"], f.decision.family) for f in found
    ]


def test_leaving_an_agreement_or_talks_is_still_an_exit(base_nlp, lexicon):
    _, found = _run(base_nlp, lexicon, "The United States will leave the talks.")
    assert _by_trigger(found, "leave").polarity == "escalatory"


@pytest.mark.parametrize(
    ("text", "trigger", "polarity"),
    [
        ("Qatar has pledged to expel the exiled leaders.", "expel", "escalatory"),
        ("Pyongyang vowed to retaliate against any sanctions.", "retaliate", "escalatory"),
        ("Japan pledged aid to the Philippines.", "aid", "de-escalatory"),
        ("Duterte promised to consider the request.", "promised", "de-escalatory"),
    ],
)
def test_a_commitment_takes_the_polarity_of_what_it_commits_to(base_nlp, lexicon, text, trigger, polarity):
    _, found = _run(base_nlp, lexicon, text)
    assert _by_trigger(found, trigger).polarity == polarity


def test_a_news_organisation_reporting_an_act_between_others_is_not_its_actor(base_nlp, lexicon):
    text = "Tass reports that Russia will deliver a second missile system to China."
    actors = [("Tass", "RUS"), ("Russia", "RUS"), ("China", "CHN")]
    doc, found = _run(base_nlp, lexicon, text, actors, {"Tass"}, "e1")
    event = main_event(found)
    assert event is not None
    assert (event.source, event.target) == ([_id_of(doc, "Russia")], [_id_of(doc, "China")])
    # the same sentence with a speaker that is no news organisation keeps the speaker
    doc, found = _run(base_nlp, lexicon, text, actors, set(), "e1")
    assert main_event(found).source == [_id_of(doc, "Tass")]


def test_a_report_of_no_act_between_actors_stays_the_agencys(base_nlp, lexicon):
    text = "KCNA reports that Kim Yang Gon died in a car crash."
    actors = [("KCNA", "PRK"), ("Kim Yang Gon", "PRK")]
    doc, found = _run(base_nlp, lexicon, text, actors, {"KCNA"}, "e1")
    assert main_event(found).source == [_id_of(doc, "KCNA")]


def test_news_organisations_are_marked_in_the_registry():
    from pipeline.registry.actors import load_registry

    entries = load_registry().entries
    assert entries["rus-tass"].media and entries["gbr-reuters"].media and entries["prk-kcna"].media
    assert not entries["chn-mfa"].media


def test_a_coordinated_noun_act_takes_the_verbs_subject_and_its_own_name_is_no_target(base_nlp, lexicon):
    text = "Filipino and U.S. soldiers inaugurate the annual Talon Vision and Amphibious Landing Exercise."
    actors = [("U.S. soldiers", "USA"), ("Amphibious Landing Exercise", None)]
    doc, found = _run(base_nlp, lexicon, text, actors, entry_id="e1")
    event = _by_trigger(found, "Exercise")
    assert event.source == [_id_of(doc, "U.S. soldiers")]
    assert event.target == []


def test_a_present_participle_describing_a_noun_is_no_act(base_nlp, lexicon):
    _, found = _run(base_nlp, lexicon, "Tokyo played a supporting role in the talks.")
    assert "supporting" not in [f.trigger["text"] for f in found]
    _, found = _run(base_nlp, lexicon, "Tokyo is supporting the talks.")
    assert "supporting" in [f.trigger["text"] for f in found]


def test_a_sentence_with_no_person_sentenced_is_no_cue(base_nlp, lexicon):
    _, found = _run(base_nlp, lexicon, "The report sentences the plan to oblivion.")
    assert "coerce" not in [f.family for f in found]


def test_a_stance_toward_an_act_reaches_whom_the_act_would(base_nlp, lexicon):
    text = "Abe says that he remains committed to meeting with Kim Jong Un."
    doc, found = _run(base_nlp, lexicon, text, [("Abe", "JPN"), ("Kim Jong Un", "PRK")])
    event = _by_trigger(found, "committed")
    assert event.target == [_id_of(doc, "Kim Jong Un")]


@pytest.mark.parametrize("text", ["Obama delivered a speech in Seoul.", "Japan provided details of the plan."])
def test_delivering_words_is_no_supply(base_nlp, lexicon, text):
    _, found = _run(base_nlp, lexicon, text)
    assert "supply" not in [f.family for f in found]


def _typed_roles(base_nlp, text: str, actors: list[tuple[str, str | None, str]], verb: str,  # type: ignore[no-untyped-def]
                 symmetric: bool = False):
    from pipeline.events.roles import ActorIndex, roles_of

    doc = base_nlp(text)
    spans = []
    for name, country, kind in actors:
        span = _actor(doc, name, country)
        span._.actor_type = kind
        spans.append(span)
    token = next(t for t in doc if t.text == verb)
    return doc, roles_of(token, ActorIndex.from_spans(spans), symmetric=symmetric)


def test_a_title_holder_named_last_is_the_subject_not_the_state_owning_the_title(base_nlp) -> None:
    """A long title before the holder's name: the parser buries the name inside the title's
    phrases, or splits it off as a second subject; either way the person acts, not the state
    that owns the title."""
    doc, roles = _typed_roles(
        base_nlp, "North Korea's envoy for talks with the US Kim Myong Gil tells reporters the talks broke down.",
        [("North Korea", "PRK", "STATE"), ("US", "USA", "STATE"), ("Kim Myong Gil", None, "PERSON")], "tells")
    assert roles.source == [_id_of(doc, "Kim Myong Gil")]
    doc, roles = _typed_roles(
        base_nlp, "China's special representative for Korean Peninsula affairs Liu Xiaoming visits Seoul.",
        [("China", "CHN", "STATE"), ("Liu Xiaoming", "CHN", "PERSON")], "visits")
    assert roles.source == [_id_of(doc, "Liu Xiaoming")]
    # a name coordinated with a title ("China's special envoy and Kim Myong Gil meet") is not
    # the title's holder
    from pipeline.events.roles import ActorIndex, _name_ending_subject

    doc = base_nlp("China's special envoy and Kim Myong Gil meet in Hanoi.")
    spans = []
    for name, country, kind in [("China", "CHN", "STATE"), ("Kim Myong Gil", "PRK", "PERSON")]:
        span = _actor(doc, name, country)
        span._.actor_type = kind
        spans.append(span)
    envoy = next(t for t in doc if t.text == "envoy")
    assert envoy.dep_ == "nsubj" and _name_ending_subject(envoy, ActorIndex.from_spans(spans)) is None


def test_what_a_joint_act_is_about_is_not_a_party_to_it(base_nlp) -> None:
    """"talks on the realignment of US forces": the topic's actors are not the talks' target;
    the participants are split as for any joint act. An act that is not joint keeps its "on"
    target ("imposes sanctions on Japan")."""
    text = "Seoul and Tokyo hold talks on the realignment of US forces in Japan."
    doc, roles = _typed_roles(base_nlp, text, [("Seoul", "KOR", "STATE"), ("Tokyo", "JPN", "STATE"),
                                               ("US forces", "USA", "ORG")], "talks", symmetric=True)
    assert roles.source == [_id_of(doc, "Seoul")] and roles.target == [_id_of(doc, "Tokyo")]
    doc, roles = _typed_roles(base_nlp, "Seoul imposes sanctions on Japan.",
                              [("Seoul", "KOR", "STATE"), ("Japan", "JPN", "STATE")], "sanctions")
    assert roles.target == [_id_of(doc, "Japan")]


def test_a_body_of_a_state_acting_on_another_of_its_bodies_keeps_its_target(base_nlp, lexicon) -> None:
    """"a state does not act on itself" drops a same-country target only when that target is
    the state (a capital as a place: "returns to Pyongyang"); a court calling on its own
    government acts on it."""
    text = "Seoul's top court calls on the government to disclose the talks. The band returns to Pyongyang."
    doc = base_nlp(text)
    pipeline.components.agreements.AgreementTagger(base_nlp, "a", [], True, True)(doc)
    spans = []
    for name, country, kind in [("top court", "KOR", "ORG"), ("government", "KOR", "ORG"),
                                ("band", "PRK", "ORG"), ("Pyongyang", "PRK", "STATE")]:
        span = _actor(doc, name, country)
        span._.actor_type = kind
        spans.append(span)
    found: list[EventFinding] = []
    for sent in doc.sents:
        found += extract_events(sent, spans, list(doc.spans[AGREEMENTS]), lexicon)
    calls = _by_trigger(found, "calls on")
    assert calls.source == [_id_of(doc, "top court")] and calls.target == [_id_of(doc, "government")]
    assert _by_trigger(found, "returns").target == []


def test_a_passive_with_no_agent_is_done_by_the_owner_of_its_subject(base_nlp) -> None:
    """"The SCO's annual summit is held in Astana": with no "by" agent, the owner of the thing the
    act is done to did it (the source), and is not its target; an actor that is itself the
    passive subject stays the target, and an agent stays the source."""
    doc, roles = _typed_roles(base_nlp, "The SCO's annual summit is held in Astana.",
                              [("SCO", None, "ORG")], "held")
    assert roles.source == [_id_of(doc, "SCO")] and roles.target == []
    doc, roles = _typed_roles(base_nlp, "Kim Jong Un is welcomed in Beijing.", [("Kim Jong Un", "PRK", "PERSON")], "welcomed")
    assert roles.source == [] and roles.target == [_id_of(doc, "Kim Jong Un")]
    doc, roles = _typed_roles(base_nlp, "Japan's export curbs are criticised by Seoul.",
                              [("Japan", "JPN", "STATE"), ("Seoul", "KOR", "STATE")], "criticised")
    assert roles.source == [_id_of(doc, "Seoul")] and roles.target == [_id_of(doc, "Japan")]


def test_arriving_in_a_town_of_a_state_reaches_the_state_named_after_it(base_nlp) -> None:
    """"arrives in Da Nang, Vietnam": the town is no actor; the state in apposition to it is
    where the visit goes."""
    doc, roles = _typed_roles(base_nlp, "Abe arrives in Da Nang, Vietnam, for the APEC summit.",
                              [("Abe", "JPN", "PERSON"), ("Vietnam", "VNM", "STATE")], "arrives")
    assert roles.source == [_id_of(doc, "Abe")] and roles.target == [_id_of(doc, "Vietnam")]
