"""One identity per person across a document (pipeline.actors.identity)."""

from __future__ import annotations

from pipeline.actors import ActorMention
from pipeline.actors.identity import LOCAL_PREFIX, assign_identities


def _person(text: str, start: int, canonical_id: str | None = None, country: str | None = None,
            name: str | None = None) -> ActorMention:
    return ActorMention(start, start + len(text), text, "PERSON", country, canonical_id, name or text)


def _ids(mentions: list[ActorMention]) -> list[str | None]:
    return [m.canonical_id for m in assign_identities(mentions)]


def test_unknown_person_gets_one_local_id_for_name_surname_and_misspelling() -> None:
    ids = _ids([_person("Lena Ostrova", 0, country="RUS"), _person("Ostrova", 50), _person("Lena Ostrava", 90)])
    assert ids == [LOCAL_PREFIX + "lena-ostrova"] * 3


def test_country_spreads_to_every_mention_of_the_person() -> None:
    out = assign_identities([_person("Ostrova", 0), _person("Lena Ostrova", 20, country="RUS")])
    assert [m.country for m in out] == ["RUS", "RUS"]


def test_surname_before_the_full_name_joins_the_registry_person() -> None:
    ids = _ids([_person("Hu", 0), _person("Hu Jintao", 30, canonical_id="hu-jintao", name="Hu Jintao")])
    assert ids == ["hu-jintao", "hu-jintao"]


def test_two_people_with_one_surname_leave_the_bare_surname_unresolved() -> None:
    ids = _ids([_person("Joe Biden", 0, canonical_id="joe-biden", name="Joe Biden"), _person("Jill Biden", 20), _person("Biden", 40)])
    assert ids[0] == "joe-biden" and ids[1] == LOCAL_PREFIX + "jill-biden" and ids[2] is None


def test_names_two_letters_apart_stay_two_people() -> None:
    ids = _ids([_person("Kim Jong Un", 0), _person("Kim Jong Il", 20)])
    assert ids[0] != ids[1]


def test_a_name_only_ever_written_alone_is_one_person() -> None:
    ids = _ids([_person("Aquilino", 0), _person("Aquilino", 30), _person("Aquilino's", 60)])
    assert len(set(ids)) == 1 and ids[0] == LOCAL_PREFIX + "aquilino"


def test_title_words_in_a_model_span_are_not_a_name() -> None:
    ids = _ids([_person("Hu Jintao", 0, canonical_id="hu-jintao", name="Hu Jintao"), _person("Presidents Hu", 30)])
    assert ids == ["hu-jintao", "hu-jintao"]


def test_existing_ids_are_never_changed() -> None:
    mentions = [_person("Abe", 0, canonical_id="abe-shinzo", name="Abe Shinzo"), _person("Abe Shinzo", 10, canonical_id="abe-shinzo", name="Abe Shinzo")]
    assert _ids(mentions) == ["abe-shinzo", "abe-shinzo"]


def test_defined_acronym_and_same_name_share_the_organisation() -> None:
    from pipeline.actors.identity import share_organisation_identities

    text = "The Harbour Ministry (HM) spoke. Later HM and the Harbour Ministry met."
    first = text.index("Harbour Ministry")
    later_hm = text.index("HM", text.index("Later"))
    second = text.rindex("Harbour Ministry")
    mentions = [
        ActorMention(first, first + 16, "Harbour Ministry", "ORG", "KOR", None, "Harbour Ministry"),
        ActorMention(later_hm, later_hm + 2, "HM", "ORG", None, None, "HM"),
        ActorMention(second, second + 16, "Harbour Ministry", "ORG", None, None, "Harbour Ministry"),
    ]
    out = share_organisation_identities(mentions, text)
    assert [m.country for m in out] == ["KOR", "KOR", "KOR"]


def test_known_surnames_the_first_pass_missed_are_added() -> None:
    import spacy

    from pipeline.actors.identity import complete_person_mentions
    from pipeline.registry.actors import load_registry

    nlp = spacy.blank("en")
    text = "Pompeo met envoys. Later Pompeo left and Aquilino spoke; Aquilino again."
    doc = nlp(text)
    for token in doc:
        if token.text in {"Pompeo", "Aquilino"}:
            token.pos_ = "PROPN"
    first = text.index("Pompeo")
    mentions = [
        ActorMention(first, first + 6, "Pompeo", "PERSON", "USA", "mike-pompeo", "Mike Pompeo"),
        ActorMention(text.index("Aquilino"), text.index("Aquilino") + 8, "Aquilino", "ORG", None, None, "Aquilino"),
        ActorMention(text.rindex("Aquilino"), text.rindex("Aquilino") + 8, "Aquilino", "PERSON", "USA", "local:aquilino", "Aquilino", "Admiral"),
    ]
    out = complete_person_mentions(doc, load_registry([]), mentions, excluded=[])
    assert [(m.text, m.type, m.canonical_id) for m in out] == [
        ("Pompeo", "PERSON", "mike-pompeo"),
        ("Pompeo", "PERSON", "mike-pompeo"),
        ("Aquilino", "PERSON", "local:aquilino"),
        ("Aquilino", "PERSON", "local:aquilino"),
    ]
