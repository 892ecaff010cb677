"""What actor corrections do to the model's registry (pipeline.training.registry, pure parts)."""

from __future__ import annotations

from pipeline.registry.actors import load_registry
from pipeline.training.corrections import AliasCorrection
from pipeline.training.registry import apply_actor_aliases


def _apply(*corrections: AliasCorrection):
    registry = load_registry()
    entries, rows = apply_actor_aliases(
        registry.entries, corrections, lambda surface: {h.entry_id for h in registry.lookup(surface)}
    )
    return entries, {r["surface"]: (r["outcome"], r["reason"]) for r in rows}


def test_a_removed_name_the_registry_does_not_know_is_never_an_actor_again() -> None:
    entries, rows = _apply(AliasCorrection(kind="actor", surface="Blue House Lantern Club", removed=True, source="t"))
    assert rows["Blue House Lantern Club"][0] == "not-actor-added"
    entry = entries["not-actor:blue-house-lantern-club"]
    assert (entry.type, entry.name) == ("NOT_ACTOR", "Blue House Lantern Club")
    # the model's copy of the registry now refuses the name
    registry = load_registry(packaged=False, lines=[("t", "\n".join(e.model_dump_json(exclude_defaults=True) for e in entries.values()))])
    assert [h.entry_id for h in registry.lookup("Blue House Lantern Club")] == ["not-actor:blue-house-lantern-club"]


def test_removing_a_name_the_registry_knows_as_an_actor_changes_nothing() -> None:
    entries, rows = _apply(AliasCorrection(kind="actor", surface="Japan", removed=True, source="t"))
    assert rows["Japan"][0] == "skipped" and "about its sentence" in rows["Japan"][1]
    assert not any(k.startswith("not-actor:") for k in entries)


def test_a_country_given_to_a_registry_entry_is_written_into_it() -> None:
    before = load_registry().entries["un"]
    assert before.country is None
    entries, rows = _apply(AliasCorrection(kind="actor", surface="United Nations", canonical_id="un",
                                           country="USA", source="t"))
    assert rows["United Nations"] == ("entry-changed", "country USA")
    assert entries["un"].country == "USA" and entries["un"].aliases == before.aliases


def test_a_new_person_with_a_local_id_gets_a_registry_id_and_both_orders() -> None:
    entries, rows = _apply(AliasCorrection(kind="actor", surface="Ryu", canonical_id="local:ryu-hae-won",
                                           canonical_name="Ryu Hae-won", actor_type="PERSON", country="KOR", source="t"))
    assert rows["Ryu"][0] == "entry-added"
    person = entries["ryu-hae-won"]
    assert (person.family_name, person.country, sorted(person.aliases)) == ("Ryu", "KOR", ["Hae-won Ryu", "Ryu"])


def test_a_cue_whose_events_were_deleted_in_two_articles_leaves_the_lexicon() -> None:
    from pipeline.nlp import build_pipeline
    from pipeline.training.corrections import EventRemoval
    from pipeline.training.registry import apply_removed_events

    def triggers(nlp: object, text: str) -> list[str]:
        doc = nlp(text)  # type: ignore[operator]
        return [span._.event_trigger["text"] for span in doc.spans.get("events", []) if span._.event_trigger]

    sentence = "Japan protested the naval drill near the islets."
    nlp = build_pipeline()
    assert "protested" in triggers(nlp, sentence)
    one = [EventRemoval(trigger="protested", text="Tokyo protested the visit.", article="a", source="t")]
    rows = apply_removed_events(nlp, one)
    assert rows[0]["outcome"] == "not-learnt" and "deleted in 1 article" in rows[0]["reason"]
    assert "protested" in triggers(nlp, sentence)
    two = [*one, EventRemoval(trigger="protests", text="Seoul protests the survey.", article="b", source="t")]
    rows = apply_removed_events(nlp, two)
    assert [(r["cue"], r["outcome"], r["articles"]) for r in rows] == [("protest", "cue-removed", 2)]
    assert "protested" not in triggers(nlp, sentence)
    # other cues are untouched
    assert "threatened" in triggers(nlp, "North Korea threatened to cut the hotline.")


def test_learnt_date_forms_that_make_the_date_gold_worse_are_reverted() -> None:
    from pipeline.nlp import build_pipeline
    from pipeline.training.corrections import DateCase
    from pipeline.training.guards import guarded_date_overrides

    nlp = build_pipeline()
    pipe = nlp.get_pipe("dipl_dates")
    cases = [DateCase(text="Gwangbokjeol", expect="date", value="2019-08-15", article="a", source="t")]
    scores = iter([0.9, 0.5])  # the gold before and after the forms are learnt
    rows = guarded_date_overrides(nlp, cases, lambda _nlp: next(scores), margin=0.02)
    assert [r["outcome"] for r in rows] == ["reverted"] and "0.900 to 0.500" in rows[0]["reason"]
    assert pipe.overrides == []  # type: ignore[attr-defined]
    scores = iter([0.9, 0.9])
    rows = guarded_date_overrides(nlp, cases, lambda _nlp: next(scores), margin=0.02)
    assert [r["outcome"] for r in rows] == ["learnt"] and rows[0]["gold_f1"] == [0.9, 0.9]
    assert len(pipe.overrides) == 1  # type: ignore[attr-defined]


def _seed_gold():
    from pipeline.training.gold import load_gold
    from tests.conftest import CORPUS_DIR, SEED_ARTICLE

    return load_gold(CORPUS_DIR / "gold" / "seed_chronology_polarity.jsonl", [CORPUS_DIR / "articles", SEED_ARTICLE.parent])


def test_registry_corrections_that_make_the_actor_or_agreement_gold_worse_are_taken_back() -> None:
    from pipeline.nlp import build_pipeline
    from pipeline.training.guards import (
        actors_gold_f1,
        agreements_gold_f1,
        guarded_registry_updates,
    )

    gold = _seed_gold()
    nlp = build_pipeline()
    corrections = [
        # "Seoul" stands for South Korea in the seed: tying it to Japan breaks gold mentions
        AliasCorrection(kind="actor", surface="Seoul", canonical_id="JPN", article="a", source="t"),
        # the bare word would make every "agreement" in the seed a GSOMIA mention
        AliasCorrection(kind="agreement", surface="agreement", canonical_id="gsomia-jpn-kor", article="a", source="t"),
    ]
    rows = guarded_registry_updates(nlp, corrections, gold, 0.02, actors_f1=actors_gold_f1(gold),
                                    agreements_f1=agreements_gold_f1(gold))
    assert [(r["surface"], r["outcome"], r["learnt_as"]) for r in rows] == [
        ("Seoul", "reverted", "alias-added"), ("agreement", "reverted", "alias-added")]
    assert "actor gold F1 would drop from 1.000" in rows[0]["reason"]
    assert "agreement gold F1 would drop" in rows[1]["reason"]
    # the stages are as they were
    assert {h.entry_id for h in nlp.get_pipe("dipl_actors").registry.lookup("Seoul")} == {"KOR"}  # type: ignore[attr-defined]
    doc = nlp("The two sides reached an agreement on fisheries.")
    assert list(doc.spans.get("agreements", [])) == []


def test_registry_corrections_that_keep_the_gold_are_kept_with_both_scores() -> None:
    from pipeline.nlp import build_pipeline
    from pipeline.training.guards import guarded_registry_updates

    nlp = build_pipeline()
    scores = iter([0.9, 0.89])  # before, after: within the margin
    rows = guarded_registry_updates(
        nlp, [AliasCorrection(kind="actor", surface="Ryu", canonical_id="local:ryu-hae-won", canonical_name="Ryu Hae-won",
                              actor_type="PERSON", country="KOR", article="a", source="t")],
        None, 0.02, actors_f1=lambda _nlp: next(scores))
    assert [(r["outcome"], r["gold_f1"]) for r in rows] == [("entry-added", [0.9, 0.89])]
    assert [h.entry_id for h in nlp.get_pipe("dipl_actors").registry.lookup("Ryu Hae-won")] == ["ryu-hae-won"]  # type: ignore[attr-defined]


def test_a_correction_that_only_changes_the_country_takes_the_identity_from_the_records() -> None:
    from pipeline.training.registry import complete_from_records

    records = {"a": {"actors": [{"id": "act-5-16", "canonical_id": "local:kwon-se-hun", "canonical_name": "Kwon Se-hun",
                                 "type": "PERSON", "country": None}]}}
    only_country = AliasCorrection(kind="actor", surface="Kwon Se-hun", country="KOR", element_id="act-5-16",
                                   article="a", source="t")
    [filled] = complete_from_records([only_country], records)
    assert (filled.canonical_id, filled.canonical_name, filled.actor_type, filled.country) == (
        "local:kwon-se-hun", "Kwon Se-hun", "PERSON", "KOR")
    entries, rows = _apply(filled)
    assert rows["Kwon Se-hun"][0] == "entry-added" and entries["kwon-se-hun"].country == "KOR"
    # without its record it names no identity and is skipped, as before
    assert _apply(only_country)[1]["Kwon Se-hun"] == ("skipped", "no canonical id")


def test_a_name_removed_as_no_actor_is_dropped_even_when_the_model_finds_it_in_lower_case() -> None:
    from pipeline.actors.find import find_actors
    from pipeline.model import load_base_model

    nlp = load_base_model()
    text = "Officials cited the intel pact with Tokyo."
    doc = nlp(text)
    entries, _ = _apply(AliasCorrection(kind="actor", surface="intel", removed=True, source="t"))
    registry = load_registry(packaged=False, lines=[("t", "\n".join(e.model_dump_json(exclude_defaults=True) for e in entries.values()))])
    assert "intel" in [m.text for m in find_actors(doc, load_registry())]  # the model's ORG, before
    assert "intel" not in [m.text for m in find_actors(doc, registry)]
