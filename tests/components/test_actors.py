"""The dipl_actors component: registry matching, NER repairs, linking, roles, metonymy, I/O."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

import pipeline.components.actors  # noqa: F401  (registers the factory)
from pipeline.components.actors import ActorMention, find_actors, write_actors
from pipeline.errors import PipelineError
from pipeline.extensions import ACTORS, CHRONOLOGY
from pipeline.registry.actors import load_registry


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


def make_doc(
    nlp,
    text: str,
    ents: list[tuple[str, str]] = (),
    entries: list[tuple[str, str]] = (),
    period: tuple[str, str] | None = None,
) -> Doc:
    """A doc with hand-made model entities, chronology entries and article period."""
    doc = nlp.make_doc(text)
    spans = []
    for surface, label in ents:
        at = text.index(surface)
        spans.append(doc.char_span(at, at + len(surface), label=label, alignment_mode="expand"))
    doc.ents = spans
    chrono = []
    for entry_text, day in entries:
        at = text.index(entry_text)
        span = doc.char_span(at, at + len(entry_text), alignment_mode="expand")
        span._.entry_date = day
        chrono.append(span)
    doc.spans[CHRONOLOGY] = chrono
    if period:
        doc._.metadata = {"period": {"start": period[0], "end": period[1]}}
    return doc


def by_text(mentions: list[ActorMention], text: str, nth: int = 0) -> ActorMention:
    found = [m for m in mentions if m.text == text]
    assert len(found) > nth, f"{text!r} not found in {[m.text for m in mentions]}"
    return found[nth]


def test_registry_person_gets_type_country_id(blank, registry) -> None:
    doc = make_doc(blank, "Kang Kyung-hwa met Motegi Toshimitsu.", period=("2019-09", "2019-12"))
    kang = by_text(find_actors(doc, registry), "Kang Kyung-hwa")
    assert (kang.type, kang.country, kang.canonical_id, kang.canonical_name, kang.role) == (
        "PERSON",
        "KOR",
        "kang-kyung-wha",
        "Kang Kyung-wha",
        "Foreign Minister",
    )


def test_role_follows_the_chronology_entry_date(blank, registry) -> None:
    text = "May 1, 2018: Motegi Toshimitsu spoke.\nNov. 23, 2019: Motegi Toshimitsu spoke."
    doc = make_doc(
        blank,
        text,
        entries=[(text.split("\n")[0], "2018-05-01"), (text.split("\n")[1], "2019-11-23")],
    )
    found = find_actors(doc, registry)
    assert by_text(found, "Motegi Toshimitsu", 0).role == "Minister for Economic Revitalization"
    assert by_text(found, "Motegi Toshimitsu", 1).role == "Foreign Minister"


def test_role_is_none_out_of_office(blank, registry) -> None:
    doc = make_doc(blank, "Abe Shinzo gave a speech.", period=("2010-01", "2010-04"))
    abe = by_text(find_actors(doc, registry), "Abe Shinzo")
    assert abe.canonical_id == "abe-shinzo" and abe.role is None


def test_short_mention_links_to_earlier_full_mention(blank, registry) -> None:
    text = "Secretary of Defense Mark Esper visited. Later Esper said more."
    doc = make_doc(blank, text, period=("2019-09", "2019-12"))
    esper = by_text(find_actors(doc, registry), "Esper")
    assert (esper.type, esper.canonical_id, esper.role) == (
        "PERSON",
        "mark-esper",
        "Secretary of Defense",
    )


def test_short_mention_of_unknown_person_takes_its_name(blank, registry) -> None:
    text = "Envoy Hong Gildong arrived. Then Hong left."
    doc = make_doc(blank, text, ents=[("Hong Gildong", "PERSON")])
    hong = by_text(find_actors(doc, registry), "Hong")
    # Not in the registry: one document-scoped identity for the full name and the surname.
    assert hong.canonical_name == "Hong Gildong" and hong.canonical_id == "local:hong-gildong"
    assert hong.role == "Envoy"


def test_a_person_cut_at_the_hyphen_of_the_given_name_is_the_whole_name(blank, registry) -> None:
    text = "Envoy Bae Do-yun arrived. Then Bae left, saying well-run talks helped."
    doc = make_doc(blank, text, ents=[("Bae Do", "PERSON")])  # as the model cuts it
    mentions = find_actors(doc, registry)
    assert by_text(mentions, "Bae Do-yun").canonical_id == "local:bae-do-yun"
    assert by_text(mentions, "Bae").canonical_id == "local:bae-do-yun"
    # a spaced dash is not part of a name
    spaced = make_doc(blank, "Envoy Bae Do - yun arrived.", ents=[("Bae Do", "PERSON")])
    assert [m.text for m in find_actors(spaced, registry)] == ["Bae Do"]


def test_shared_surname_is_not_guessed(blank, registry) -> None:
    text = "Kim Jong Un met Kim Yoon. Later Kim spoke."
    doc = make_doc(blank, text, ents=[("Kim Yoon", "PERSON")], period=("2019-09", "2019-12"))
    kim = [m for m in find_actors(doc, registry) if m.text == "Kim"]
    assert len(kim) == 1
    assert kim[0].type == "PERSON" and kim[0].canonical_id is None and kim[0].role is None


def test_surname_without_earlier_mention_uses_office_holder(blank, registry) -> None:
    doc = make_doc(
        blank, "President Moon spoke.", ents=[("Moon", "PERSON")], period=("2019-09", "2019-12")
    )
    moon = by_text(find_actors(doc, registry), "Moon")
    assert moon.canonical_id == "moon-jae-in" and moon.role == "President"


def test_unknown_person_gets_title_role_and_adjective_country(blank, registry) -> None:
    text = "On Nov. 15, South Korean Minister of National Defense Hong Gildong said so."
    doc = make_doc(blank, text, ents=[("Hong Gildong", "PERSON")])
    found = find_actors(doc, registry)
    hong = by_text(found, "Hong Gildong")
    assert (hong.type, hong.country, hong.role, hong.canonical_id) == (
        "PERSON",
        "KOR",
        "Minister of National Defense",
        "local:hong-gildong",
    )
    assert not [m for m in found if m.text in {"South Korean", "Korean"}]


def test_state_before_title_is_a_modifier_not_a_mention(blank, registry) -> None:
    text = "US Secretary of State Mike Pompeo called."
    found = find_actors(make_doc(blank, text, period=("2019-09", "2019-12")), registry)
    assert [m.text for m in found] == ["Mike Pompeo"]
    assert found[0].country == "USA" and found[0].role == "Secretary of State"


def test_possessive_state_is_a_mention_and_gives_country(blank, registry) -> None:
    text = "Japan’s Director-General Sato Ichiro met them."
    doc = make_doc(blank, text, ents=[("Sato Ichiro", "PERSON")])
    found = find_actors(doc, registry)
    assert by_text(found, "Japan").type == "STATE"
    sato = by_text(found, "Sato Ichiro")
    assert sato.country == "JPN" and sato.role == "Director-General"


def test_ambiguous_body_resolved_by_modifier(blank, registry) -> None:
    found = find_actors(make_doc(blank, "the Korean Foreign Ministry said"), registry)
    ministry = by_text(found, "Foreign Ministry")
    assert ministry.canonical_id == "kor-mofa" and ministry.country == "KOR"
    bare = by_text(
        find_actors(make_doc(blank, "the Foreign Ministry said"), registry), "Foreign Ministry"
    )
    assert bare.canonical_id is None and bare.type == "ORG"


def test_capital_standing_for_government_is_metonymy(blank, registry) -> None:
    found = find_actors(make_doc(blank, "Seoul and Tokyo hold talks."), registry)
    seoul = by_text(found, "Seoul")
    assert (seoul.type, seoul.canonical_id, seoul.metonymy) == ("STATE", "KOR", True)
    blue = by_text(
        find_actors(make_doc(blank, "Then the Blue House said no."), registry), "Blue House"
    )
    assert blue.canonical_id == "KOR" and blue.metonymy


def test_capital_as_a_place_is_not_an_actor(blank, registry) -> None:
    found = find_actors(make_doc(blank, "They met in Tokyo and Esper visited Seoul."), registry)
    assert not [m for m in found if m.text in {"Tokyo", "Seoul"}]


def test_hyphen_compounds_are_not_mentions(blank, registry) -> None:
    found = find_actors(
        make_doc(blank, "Japan-South Korea relations and the US-ROK alliance"), registry
    )
    assert found == []


def test_group_of_adjective_and_plural_noun(blank, registry) -> None:
    found = find_actors(make_doc(blank, "Then South Korean officials said no."), registry)
    assert [(m.text, m.type, m.country) for m in found] == [
        ("South Korean officials", "GROUP", "KOR")
    ]


def test_japanese_surname_tagged_org_becomes_person(blank, registry) -> None:
    text = "Motegi Toshimitsu arrived. Motegi said it."
    doc = make_doc(blank, text, ents=[("Motegi said", "ORG")], period=("2019-09", "2019-12"))
    doc.ents = [
        doc.char_span(text.index("Motegi said"), text.index("Motegi said") + 6, label="ORG")
    ]
    motegi = by_text(find_actors(doc, registry), "Motegi")
    assert motegi.type == "PERSON" and motegi.canonical_id == "motegi-toshimitsu"


def test_title_swallowed_by_model_is_trimmed(blank, registry) -> None:
    text = "Mark Esper came. Secretary of Defense Esper said so."
    doc = make_doc(blank, text, ents=[("Defense Esper", "ORG")], period=("2019-09", "2019-12"))
    found = find_actors(doc, registry)
    assert "Defense Esper" not in [m.text for m in found]
    assert by_text(found, "Esper").canonical_id == "mark-esper"


def test_name_cut_short_by_model_is_completed(blank, registry) -> None:
    doc = make_doc(blank, "President Moon Jae-in met them.", ents=[("Moon Jae", "PERSON")])
    found = find_actors(doc, registry)
    assert [m.text for m in found] == ["Moon Jae-in"]


def test_possessive_is_not_part_of_the_span(blank, registry) -> None:
    text = "Kang Kyung-wha came. Kang’s aide spoke."
    doc = make_doc(blank, text, ents=[("Kang’s", "PERSON")], period=("2019-09", "2019-12"))
    found = find_actors(doc, registry)
    assert "Kang’s" not in [m.text for m in found]
    assert by_text(found, "Kang").canonical_id == "kang-kyung-wha"


def test_disputed_islands_are_a_place_not_an_actor(blank, registry) -> None:
    doc = make_doc(
        blank,
        "South Korea protests the claim on Dokdo/Takeshima today.",
        ents=[("Dokdo/Takeshima", "ORG")],
    )
    assert [m.text for m in find_actors(doc, registry)] == ["South Korea"]


def test_organisation_named_after_a_state_stays_whole(blank, registry) -> None:
    doc = make_doc(
        blank, "According to The Japan Times, sales fell.", ents=[("The Japan Times", "ORG")]
    )
    found = find_actors(doc, registry)
    assert [(m.text, m.type, m.country) for m in found] == [("Japan Times", "ORG", "JPN")]


def test_unknown_gpe_is_a_place(blank, registry) -> None:
    doc = make_doc(blank, "They met in Nagoya.", ents=[("Nagoya", "GPE")])
    assert find_actors(doc, registry) == []


def test_write_actors_sets_plain_attributes(blank, registry) -> None:
    doc = make_doc(blank, "Seoul and Tokyo hold talks.")
    write_actors(doc, find_actors(doc, registry))
    span = doc.spans[ACTORS][0]
    assert span._.actor_id == f"act-{span.start_char}-{span.end_char}" == "act-0-5"
    assert (span._.actor_type, span._.actor_country, span._.actor_canonical_id) == (
        "STATE",
        "KOR",
        "KOR",
    )
    assert span._.actor_metonymy is True and span._.actor_role is None


def _custom_registry(tmp_path: Path) -> Path:
    path = tmp_path / "extra.jsonl"
    path.write_text(
        json.dumps({"id": "zz-council", "type": "ORG", "name": "Zeta Council", "country": "KOR"})
        + "\n",
        encoding="utf-8",
    )
    return path


def test_component_from_config_reads_extra_registry(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("dipl_actors", config={"extra_registry_paths": [str(_custom_registry(tmp_path))]})
    doc = nlp("The Zeta Council met.")
    assert [(s.text, s._.actor_canonical_id) for s in doc.spans[ACTORS]] == [
        ("Zeta Council", "zz-council")
    ]


def test_component_bad_registry_path_raises(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "type": "ORG", "name": "A", "nope": 1}\n', encoding="utf-8")
    with pytest.raises(PipelineError, match="E040"):
        nlp.add_pipe("dipl_actors", config={"extra_registry_paths": [str(bad)]})


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("dipl_actors", config={"extra_registry_paths": [str(_custom_registry(tmp_path))]})
    before = nlp("The Zeta Council and Seoul met.")
    nlp.to_disk(tmp_path / "model")
    (tmp_path / "extra.jsonl").unlink()  # the saved pipeline must carry its own registry
    loaded = spacy.load(tmp_path / "model")
    after = loaded("The Zeta Council and Seoul met.")
    assert [(s.text, s._.actor_canonical_id, s._.actor_metonymy) for s in after.spans[ACTORS]] == [
        (s.text, s._.actor_canonical_id, s._.actor_metonymy) for s in before.spans[ACTORS]
    ]
    assert len(after.spans[ACTORS]) == 2


def test_ids_are_stable_across_runs(blank, registry) -> None:
    text = "Kang Kyung-wha met Motegi Toshimitsu in Tokyo."
    first = find_actors(make_doc(blank, text), registry)
    second = find_actors(make_doc(blank, text), registry)
    assert [(m.start, m.end, m.canonical_id) for m in first] == [
        (m.start, m.end, m.canonical_id) for m in second
    ]


@pytest.mark.model
def test_seed_article_regressions(base_nlp, seed_text: str, registry) -> None:
    from pipeline.components.segmenter import write_structure
    from pipeline.segment import segment_article

    doc = base_nlp.make_doc(seed_text)
    write_structure(doc, segment_article(seed_text))
    for _, component in base_nlp.pipeline:
        doc = component(doc)
    found = find_actors(doc, registry)
    texts = [m.text for m in found]
    assert "Dokdo/Takeshima" not in texts and "Moon Jae" not in texts
    assert "Defense Esper" not in texts and "Kang’s" not in texts
    assert not any(m.text.endswith(("’s", "'s")) for m in found)
    # Front matter (authors) is not actor text.
    assert "Ji-Young Lee" not in texts and "Mintaro Oba" not in texts
    # "his South Korean counterpart Kim": three Kims earlier in the article.
    kim = [m for m in found if m.text == "Kim"]
    assert kim and all(m.canonical_id is None and m.role is None for m in kim)
    # "Vice Foreign Minister Lee" follows "Lee Tae-ho" in the chronology.
    lee = [m for m in found if m.text == "Lee"]
    assert lee and lee[0].canonical_name == "Lee Tae-ho"


def test_missing_registry_file_fails_on_first_use(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("dipl_actors", config={"extra_registry_paths": [str(tmp_path / "none.jsonl")]})
    with pytest.raises(PipelineError, match="cannot be read"):
        nlp("Seoul said so.")


@pytest.mark.model
def test_a_name_after_an_office_title_is_a_person_even_when_the_model_misses_it(base_nlp, registry) -> None:
    """"FM Machimura", "Adm. Fallon": a capitalised proper noun right after a title word is a
    person (resolved through the registry when it knows the name); a title word followed by
    the name of a meeting is not."""
    from pipeline.actors.find import NAME_INTRODUCING_TITLES, _name_word, find_actors

    text = ("Secretary Rice and FM Machimura meet in New York. "
            "The First Vice Minister Level Talks open in Seoul.")
    doc = base_nlp(text)
    mentions = find_actors(doc, registry)
    machimura = by_text(mentions, "Machimura")
    assert machimura.type == "PERSON" and machimura.source == "titled"
    assert not [m for m in mentions if m.text in {"Level", "Level Talks"}]
    # "Level" reads as a name word after "Minister"; only the capitalised word after it
    # ("Talks") rules it out, so the guard is what this sentence tests
    level = next(t for t in doc if t.text == "Level")
    assert level.nbor(-1).text in NAME_INTRODUCING_TITLES and _name_word(level, set())


@pytest.mark.model
def test_a_name_after_a_title_and_the_state_it_serves_in_is_a_person_of_the_title_country(base_nlp, registry) -> None:
    """"South Korean Ambassador to Japan Kang Chang-il": the name starts after the "to"
    complement; the state there is a mention of its own, and the holder's country is the one
    before the title, not the state he is posted to."""
    from pipeline.actors.find import find_actors

    text = ("South Korean Ambassador to Japan Kang Chang-il met officials in Tokyo. "
            "Japanese Ambassador to the US Tomita Koji said talks would go on.")
    doc = base_nlp(text)
    mentions = find_actors(doc, registry)
    kang, tomita = by_text(mentions, "Kang Chang-il"), by_text(mentions, "Tomita Koji")
    assert (kang.type, kang.country) == ("PERSON", "KOR")
    assert (tomita.type, tomita.country) == ("PERSON", "JPN")
    assert kang.role is not None and "Ambassador to Japan" in kang.role
    assert by_text(mentions, "Japan").country == "JPN"  # where he serves: a mention of its own
    assert by_text(mentions, "US").country == "USA"


@pytest.mark.model
def test_a_person_named_last_in_a_title_owned_by_a_state_is_of_that_state(base_nlp, registry) -> None:
    """"North Korea's envoy for talks with the US Kim Myong Gil": the title's possessor is the
    unknown person's country, though the parser hangs the name deep in the title's phrases;
    a name that ends a phrase headed by something other than a title gets no country so."""
    from pipeline.actors.find import find_actors

    text = ("North Korea's envoy for talks with the US Kim Myong Gil tells reporters the talks broke down. "
            "Japan's refusal to meet envoy Song Il-ho angers Pyongyang.")
    mentions = find_actors(base_nlp(text), registry)
    assert by_text(mentions, "Kim Myong Gil").country == "PRK"
    assert by_text(mentions, "Song Il-ho").country is None


@pytest.mark.model
def test_a_government_named_by_a_common_noun_is_an_actor_of_the_state_its_context_gives(base_nlp, registry) -> None:
    """"the government", "Myanmar's junta": governments the guide counts as actors. The country
    comes from a state word before the noun or its "of" phrase, else from the nearest mention
    before it in its sentence; a mention with neither has none, and same-spelled government
    nouns share nothing (each "the government" may be another state's). A noun that modifies
    another ("government spending") or stands bare is no mention."""
    from pipeline.actors.find import find_actors

    text = ("The new Labor government hails a thaw in trade with China. "
            "Washington tightened its sanctions on Myanmar's junta. "
            "Government spending rose. The government of Japan protested. "
            "Seoul's top court calls on the government to disclose the talks.")
    mentions = find_actors(base_nlp(text), registry)
    governments = [(m.text, m.country, m.type) for m in mentions if m.text in {"government", "junta", "Government"}]
    assert governments == [("government", None, "ORG"), ("junta", "MMR", "ORG"), ("government", "JPN", "ORG"),
                           ("government", "KOR", "ORG")]


@pytest.mark.model
def test_an_organisation_defined_by_its_acronym_is_one_mention(base_nlp, registry) -> None:
    """"the Council for the Promotion of Korea Trade (CPKT)": the words the acronym's letters
    begin, read back from the bracket, are one organisation (its country the possessor's), and
    a state's name inside it is part of the name, not a mention of its own. An acronym of
    something that is not an organisation (a weapon system) defines no actor."""
    from pipeline.actors.find import find_actors

    text = ("Pyongyang's Council for the Promotion of Korea Trade (CPKT) met buyers in Dalian. "
            "Seoul deployed the Terminal High Altitude Area Defense (THAAD) system in Seongju.")
    mentions = find_actors(base_nlp(text), registry)
    council = by_text(mentions, "Council for the Promotion of Korea Trade")
    assert council.type == "ORG" and council.country == "PRK"
    assert not [m for m in mentions if m.text == "Korea"]
    assert not [m for m in mentions if "Terminal" in m.text or "Defense" in m.text]


@pytest.mark.model
def test_the_north_and_the_south_are_the_two_koreas_where_the_text_names_korea(base_nlp, registry) -> None:
    """In a text that names either Korea, "the North" and "the South" are those states; "the
    South China Sea" or "the North Atlantic" are not, and a text naming no Korea gets none."""
    from pipeline.actors.find import find_actors

    korean = find_actors(base_nlp("Seoul offered rice, but the North turned down the offer from the South. "
                                  "Ships crossed the South China Sea."), registry)
    halves = [(m.text, m.country) for m in korean if m.text in {"North", "South"}]
    assert halves == [("North", "PRK"), ("South", "KOR")]
    elsewhere = find_actors(base_nlp("The North Atlantic allies met. The South rejected the plan."), registry)
    assert not [m for m in elsewhere if m.text in {"North", "South"}]


@pytest.mark.model
def test_the_acronym_after_a_long_form_is_a_mention_of_it_with_no_country_from_inside_the_name(
    base_nlp, registry
) -> None:
    """"the Council for the Promotion of Korea Trade (CPKT)": the acronym in brackets is a
    mention too; with no state before the name, a state inside it ("Korea Trade") says what
    the body is about, not whose it is."""
    from pipeline.actors.find import find_actors

    mentions = find_actors(base_nlp("The Council for the Promotion of Korea Trade (CPKT) met buyers in Dalian."),
                           registry)
    council, acronym = by_text(mentions, "Council for the Promotion of Korea Trade"), by_text(mentions, "CPKT")
    assert council.type == acronym.type == "ORG" and council.country is None
