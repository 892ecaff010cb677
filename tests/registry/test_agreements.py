"""Tests for the agreement registry: validation, extension and matching."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.registry.agreements import (
    find_agreements,
    load_agreement_registry,
    packaged_agreements,
    read_agreement_file,
)


@pytest.fixture(scope="module")
def registry():
    return load_agreement_registry()


def _ids(text: str, registry) -> list[tuple[str, str]]:
    return [(m.text, m.canonical_id) for m in find_agreements(text, registry)]


def test_packaged_registry_holds_the_issue_agreements():
    ids = {e.canonical_id for e in packaged_agreements()}
    for expected in [
        "gsomia-jpn-kor",
        "korus-fta",
        "basic-treaty-1965",
        "claims-agreement-1965",
        "comfort-women-agreement-2015",
        "sma-usa-kor",
        "export-whitelist",
        "panmunjom-declaration-2018",
        "cma-2018",
        "six-party-joint-statement-2005",
        "agreed-framework-1994",
        "taiwan-relations-act",
        "us-japan-security-treaty",
        "unclos",
        "rcep",
        "cptpp",
    ]:
        assert expected in ids


def test_gsomia_variants_resolve_to_one_id(registry):
    text = (
        "the General Security of Military Information Sharing Agreement, GSOMIA, "
        "the misspelt GSOMNIA and the intelligence-sharing pact"
    )
    found = _ids(text, registry)
    assert [cid for _, cid in found] == ["gsomia-jpn-kor"] * 4
    assert found[0][0] == "General Security of Military Information Sharing Agreement"


def test_acronyms_match_case_sensitively(registry):
    assert _ids("the npt review and the rcep", registry) == []
    assert _ids("the NPT review and RCEP", registry) == [("NPT", "npt"), ("RCEP", "rcep")]


def test_longest_form_wins(registry):
    found = _ids("the Korea-US Free Trade Agreement (KORUS FTA) was revised", registry)
    assert found == [("Korea-US Free Trade Agreement", "korus-fta"), ("KORUS FTA", "korus-fta")]


def test_white_list_and_preferential_partners_are_the_whitelist(registry):
    found = _ids("removed from its white list, the list of preferential trade partners", registry)
    assert [cid for _, cid in found] == ["export-whitelist", "export-whitelist"]


def test_curly_quotes_match_straight_quote_forms(registry):
    found = _ids("the 2015 “comfort women” agreement was shelved", registry)
    assert found == [("2015 “comfort women” agreement", "comfort-women-agreement-2015")]


def test_unlisted_named_agreement_gets_its_own_id(registry):
    found = find_agreements("Both sides invoked the Trade Facilitation Agreement.", registry)
    assert len(found) == 1
    assert found[0].text == "Trade Facilitation Agreement"
    assert found[0].canonical_id == "unlisted:trade-facilitation-agreement"
    assert found[0].match == "unlisted"


def test_unlisted_head_first_name_and_definition(registry):
    text = "The Treaty of Amity and Cooperation (TAC) binds members; TAC signatories met."
    found = find_agreements(text, registry)
    assert [(m.text, m.canonical_id) for m in found] == [
        ("Treaty of Amity and Cooperation", "unlisted:treaty-of-amity-and-cooperation"),
        ("TAC", "unlisted:treaty-of-amity-and-cooperation"),
        ("TAC", "unlisted:treaty-of-amity-and-cooperation"),
    ]


def test_definition_gives_a_registered_agreement_a_new_acronym(registry):
    text = "the Comprehensive Military Agreement (CoMA) is at risk; CoMA talks stalled"
    found = _ids(text, registry)
    assert found == [
        ("Comprehensive Military Agreement", "cma-2018"),
        ("CoMA", "cma-2018"),
        ("CoMA", "cma-2018"),
    ]


def test_sentence_boundary_ends_an_unlisted_name(registry):
    found = _ids("They signed the Trade Facilitation Agreement. The World Bank agreed.", registry)
    assert found == [("Trade Facilitation Agreement", "unlisted:trade-facilitation-agreement")]


def test_organisations_and_meetings_are_not_agreements(registry):
    assert _ids("the World Trade Organization and the Asia-Europe Meeting (ASEM)", registry) == []


def test_unlisted_recognition_can_be_switched_off(registry):
    assert find_agreements("the Trade Facilitation Agreement", registry, False) == []


def test_seed_article_gsomnia_definition_resolves(seed_text, registry):
    found = find_agreements(seed_text, registry)
    gsomnia = [m for m in found if m.text == "GSOMNIA"]
    assert len(gsomnia) == 1 and gsomnia[0].canonical_id == "gsomia-jpn-kor"
    assert not [m for m in found if m.match == "unlisted"]


def test_bad_line_names_file_line_and_field(tmp_path: Path):
    path = tmp_path / "mine.jsonl"
    good = {"canonical_id": "my-pact", "canonical_name": "My Pact", "kind": "agreement"}
    bad = dict(good, canonical_id="other", colour="red")
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(PipelineError) as info:
        read_agreement_file(path)
    assert info.value.code == "E040"
    assert "mine.jsonl" in str(info.value) and "line 2" in str(info.value)
    assert "colour" in str(info.value)


def test_bad_party_code_is_rejected(tmp_path: Path):
    path = tmp_path / "mine.jsonl"
    row = {"canonical_id": "p", "canonical_name": "P", "kind": "treaty", "parties": ["Japan"]}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="parties"):
        read_agreement_file(path)


def test_duplicate_id_in_one_file_is_rejected(tmp_path: Path):
    row = json.dumps({"canonical_id": "p", "canonical_name": "P", "kind": "treaty"})
    path = tmp_path / "dup.jsonl"
    path.write_text(row + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="defined twice"):
        read_agreement_file(path)


def test_invalid_json_is_e040(tmp_path: Path):
    path = tmp_path / "broken.jsonl"
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="broken.jsonl, line 1"):
        read_agreement_file(path)


def test_user_file_extends_and_overrides(tmp_path: Path):
    path = tmp_path / "user.jsonl"
    rows = [
        {
            "canonical_id": "quad-statement",
            "canonical_name": "Quad Joint Statement",
            "kind": "statement",
            "names": ["Quad Joint Statement"],
        },
        {
            "canonical_id": "npt",
            "canonical_name": "NPT (user)",
            "kind": "treaty",
            "acronyms": ["NPT"],
        },
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    entries = load_agreement_registry([path])
    by_id = {e.canonical_id: e for e in entries}
    assert by_id["npt"].canonical_name == "NPT (user)"
    assert "gsomia-jpn-kor" in by_id
    found = find_agreements("the Quad Joint Statement", entries)
    assert [m.canonical_id for m in found] == ["quad-statement"]


# Real-text forms (issue 12); the sentences are written for the tests.
def _found(text: str) -> list[tuple[str, str]]:
    from pipeline.registry.agreements import find_agreements, packaged_agreements

    return [(m.text, m.canonical_id) for m in find_agreements(text, packaged_agreements())]


def test_unlisted_name_followed_by_a_connector_ends_at_its_head() -> None:
    found = _found("The launch of the Korea-Peru Free Trade Agreement in December pleased both.")
    assert ("Korea-Peru Free Trade Agreement", "unlisted:korea-peru-free-trade-agreement") in found


def test_head_inside_the_name() -> None:
    found = _found("They signed the Sino-Mongolian Joint Declaration on Border Trade last week.")
    assert found[0][0] == "Sino-Mongolian Joint Declaration on Border Trade"


def test_acronym_named_as_an_agreement_and_fta_spellings_share_an_id() -> None:
    found = dict(_found("The AUKUS agreement worried Beijing. The Korea-Peru FTA took effect."))
    assert found["AUKUS agreement"] == "unlisted:aukus"
    assert found["Korea-Peru FTA"] == "unlisted:korea-peru-free-trade-agreement"


def test_accented_names_keep_their_letters_in_the_id() -> None:
    found = dict(_found("Beijing proposed a Fifth Communiqué to Tokyo."))
    assert found["Fifth Communiqué"] == "unlisted:fifth-communique"


def test_generic_noun_links_to_the_agreement_before_it() -> None:
    text = "Seoul and Tokyo kept the General Security of Military Information Agreement. The pact had been in doubt."
    found = _found(text)
    assert ("The pact", "gsomia-jpn-kor") in found


def test_generic_noun_of_another_kind_is_not_linked() -> None:
    text = "Seoul and Tokyo kept the General Security of Military Information Agreement. The declaration came later."
    assert [t for t, _ in _found(text)] == ["General Security of Military Information Agreement"]


def test_what_is_signed_is_an_agreement() -> None:
    found = _found("Leaders of the forum sign a joint declaration in the capital.")
    assert [t for t, _ in found] == ["joint declaration"]


def test_joint_documents_issued_or_named_by_their_parties() -> None:
    found = [t for t, _ in _found("The forum issues a joint declaration. The Lee-Xi summit statement held.")]
    assert found == ["joint declaration", "Lee-Xi summit statement"]


def test_an_issued_statement_is_not_an_agreement() -> None:
    assert _found("The ministry issues a statement on the drills.") == []


def test_an_organisations_own_instrument_and_a_signed_mou_with_modifiers() -> None:
    found = dict(_found("Ratification of ASEAN’s new Charter was achieved. Two firms signed a big-ticket MoU."))
    assert found["ASEAN’s new Charter"] == "unlisted:asean-charter"
    assert "MoU" in found


def test_an_agreement_named_by_its_parties_is_theirs_of_that_year() -> None:
    from pipeline.registry.agreements import find_agreements, packaged_agreements

    codes = {"ROK": "KOR", "Japan": "JPN", "US": "USA"}
    text = "Beijing urged Tokyo to honour the ROK-Japan history agreement."
    found = find_agreements(text, packaged_agreements(), state_of=codes.get, document_year=2015)
    assert [(m.text, m.canonical_id) for m in found] == [("ROK-Japan history agreement", "comfort-women-agreement-2015")]
    # another year: no registry agreement of those parties then, so an unlisted one
    later = find_agreements(text, packaged_agreements(), state_of=codes.get, document_year=2012)
    assert later[0].canonical_id.startswith("unlisted:")


# Descriptions tied to one agreement (issue 12: "the pact", "a tacit agreement"); written for the tests.
def test_a_description_set_beside_a_registry_name_shares_its_id() -> None:
    found = _found("Taipei still cites the “1992 consensus” – an informal understanding with Beijing – in talks.")
    assert ("an informal understanding", "consensus-1992") in found


def test_a_name_set_beside_a_description_becomes_an_agreement() -> None:
    found = _found("Manila initialled a new maritime arrangement – the Coastal Patrol Board – with Hanoi.")
    assert found == [
        ("a new maritime arrangement", "unlisted:coastal-patrol-board"),
        ("Coastal Patrol Board", "unlisted:coastal-patrol-board"),
    ]


def test_an_aside_that_is_not_a_name_is_left_alone() -> None:
    # no closing mark matching the opening one: an aside, not an apposition
    assert _found("Hanoi wanted a deal, President Obama said on Friday.") == []


def test_a_description_given_an_acronym_names_it_and_the_acronym_follows() -> None:
    found = _found("The ministers agreed a fisheries memorandum of understanding (FMOU) on quotas. The FMOU runs to 2030.")
    assert [t for t, _ in found] == ["a fisheries memorandum of understanding", "FMOU", "FMOU"]
    assert len({cid for _, cid in found}) == 1
    # what is signed was found first; the acronym still follows it
    signed = _found("The ministers signed a fisheries memorandum of understanding (FMOU) on quotas. The FMOU runs to 2030.")
    assert [t for t, _ in signed] == ["memorandum of understanding", "FMOU", "FMOU"]
    assert len({cid for _, cid in signed}) == 1


def test_a_description_placed_by_its_meeting_is_the_registry_agreement_of_that_meeting() -> None:
    found = _found("Beijing steered the delegates to a joint statement at the closing round of the Six-Party Talks.")
    assert ("a joint statement", "six-party-joint-statement-2005") in found


def test_within_the_framework_of_a_meeting_is_no_agreement() -> None:
    assert _found("They may raise it within the framework of the Six-Party Talks.") == []


def test_a_peace_agreement_named_by_its_noun_and_referred_to_again() -> None:
    text = ("Rebels and the government drafted a peace agreement in June. "
            "Sulu peace agreement stalls. The peace agreement was shelved in August.")
    found = _found(text)
    assert [t for t, _ in found] == ["a peace agreement", "Sulu peace agreement", "The peace agreement"]
    assert len({cid for _, cid in found}) == 1


def test_an_indefinite_peace_agreement_is_a_new_one_and_a_named_treaty_is_found_again() -> None:
    text = "The Treaty of Peace with Japan endured. Later the peace treaty was cited. A peace deal with rebels came next."
    found = dict(_found(text))
    assert found["the peace treaty"] == "san-francisco-treaty-1951"
    assert found["A peace deal"].startswith("unlisted:peace-")


def test_a_ceasefire_is_an_agreement_but_not_when_it_only_qualifies_a_noun() -> None:
    assert [t for t, _ in _found("Observers were sent to monitor the ceasefire.")] == ["the ceasefire"]
    assert _found("The envoys met in the truce village near the ceasefire line.") == []


def test_a_form_missing_one_of_its_words_is_skipped_and_nothing_changes(seed_text, registry):
    """Every word of a registry form is in each of its matches, so a text lacking any one of
    them is not searched with that form's regex; the mentions are those of running every
    regex on every text (the seed, the corpus, and texts made to hold only some words)."""
    import dataclasses

    from pipeline.registry.agreements import compile_forms

    forms = compile_forms(registry)
    unfiltered = [dataclasses.replace(f, needles=()) for f in forms]
    comfort = next(f for f in forms if "comfort" in f.needles)
    assert "agreement" in comfort.needles  # all the words, not only the longest
    corpus = Path(__file__).resolve().parents[2] / "corpus" / "articles"
    texts = [seed_text, *(p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))),
             "The agreement on comfort women was signed.",
             "The “comfort women” agreement of 2015 and the comfort-women agreement stood.",
             "They renewed the GSOMIA; the Gsomia was not renewed."]
    for text in texts:
        assert find_agreements(text, registry, forms=forms) == find_agreements(text, registry, forms=unfiltered)


def test_a_form_tried_only_where_its_first_word_stands_finds_what_finditer_finds(seed_text, registry):
    """A form whose text starts with ASCII letters or digits is tried only where they stand
    (anchored); the matches are ``finditer``'s over the whole text, on the seed, the corpus
    and texts with the look-behind, repeated and adjacent forms, odd spacing, and the
    letters that match an ASCII one only when case is ignored (then the whole text is
    searched)."""
    from pipeline.registry.agreements import _SPECIAL_FOLDS, compile_forms

    forms = compile_forms(registry)
    assert sum(f.lead is not None for f in forms) > len(forms) * 0.9
    corpus = Path(__file__).resolve().parents[2] / "corpus" / "articles"
    texts = [seed_text, *(p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))),
             "x-Joint Declaration, the JOINT  declaration and\nJoint-Declaration; GSOMIA gsomia “GSOMIA”",
             "Joint Declaration Joint Declaration KORUS FTAKORUS FTA (KORUS FTA)",
             "The \u212aORUS FTA, the korus fta and the \u017fix-party talks"]
    tried_anchored = 0
    for text in texts:
        lowered = text.lower()
        plain = len(lowered) == len(text) and _SPECIAL_FOLDS.isdisjoint(text)
        tried_anchored += plain
        for form in forms:
            haystack = lowered if form.ignore_case else text
            expected = [(m.start(), m.end()) for m in form.pattern.finditer(text)]
            assert form.matches(text, haystack, plain) == expected, (form.pattern.pattern, text[:40])
    assert tried_anchored == len(texts) - 1  # all but the text with the Kelvin sign and long s
