"""The real-text gold files and their scorer (pipeline.evaluation.realtext)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.evaluation.realtext import (
    LocatorError,
    RealTextGold,
    check_gold,
    find_locator,
    find_mention,
    read_gold,
    score_record,
    summarise,
)
from tests.conftest import REPO_ROOT, SHARED_DIR

GOLD_DIR = REPO_ROOT / "corpus" / "gold" / "real"
MANIFEST = SHARED_DIR / "realtext" / "MANIFEST.tsv"


def test_every_manifest_text_has_valid_gold() -> None:
    with MANIFEST.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    golds = {p.stem: read_gold(p) for p in GOLD_DIR.glob("*.json")}
    assert sorted(golds) == sorted(r["id"] for r in rows)
    for row in rows:
        gold = golds[row["id"]]
        assert gold.id == row["id"]
        assert gold.kind == row["kind"]
        assert (gold.metadata is None) == (gold.kind in {"chronology", "news"})


def test_mentions_are_found_as_whole_words_by_occurrence() -> None:
    text = "Abe met Abeyama. Later Abe left; (Abe) stayed."
    assert find_mention(text, "Abe", 1) == (0, 3)
    assert find_mention(text, "Abe", 2) == (23, 26)
    assert find_mention(text, "Abe", 3) == (34, 37)
    with pytest.raises(LocatorError):
        find_mention(text, "Abe", 4)
    assert find_locator(text, "Later   Abe") == 17


TEXT = "US - Japan\n\nJan — Mar 2004\n\nA Title\n\nBy Pat Author\n\nAbe met Bush in Tokyo on Feb. 3. Abe said the GSOMIA stays.\n"


def _gold(**overrides: object) -> RealTextGold:
    data: dict[str, object] = {
        "id": "x",
        "kind": "article",
        "first_words": "US - Japan",
        "metadata": {
            "relationship": "US-Japan",
            "period": {"start": "2004-01", "end": "2004-03"},
            "title": "A Title",
            "authors": ["Pat Author"],
            "volume": None,
            "issue": None,
            "published": None,
            "pages": None,
        },
        "document_date": {"value": "2004-03", "anchor": "period"},
        "actors": [
            {"text": "Abe", "occurrence": 1, "type": "PERSON", "country": "JPN", "person": "abe"},
            {"text": "Abe", "occurrence": 2, "type": "PERSON", "country": "JPN", "person": "abe"},
            {"text": "Bush", "occurrence": 1, "type": "PERSON", "country": "USA", "person": "bush"},
        ],
        "dates": [{"text": "Feb. 3", "occurrence": 1, "value": "2004-02-03", "mod": None}],
        "agreements": [{"text": "GSOMIA", "occurrence": 1, "agreement": "gsomia-jpn-kor"}],
    }
    data.update(overrides)
    return RealTextGold.model_validate(data)


def _record(**overrides: object) -> dict:
    a1, a2, b = TEXT.index("Abe"), TEXT.index("Abe", TEXT.index("Abe") + 1), TEXT.index("Bush")
    record = {
        "text": TEXT,
        "metadata": {
            "relationship": "US-Japan",
            "period": {"start": "2004-01", "end": "2004-03"},
            "title": "A Title",
            "authors": [{"name": "PAT AUTHOR", "affiliation": None}],
            "volume": None,
            "issue": None,
            "published": None,
            "pages": None,
            "document_date": {"value": "2004-03", "anchor": "period"},
        },
        "chronology": [],
        "actors": [
            {"start": a1, "end": a1 + 3, "country": "JPN", "canonical_id": "abe-shinzo"},
            {"start": a2, "end": a2 + 3, "country": "JPN", "canonical_id": "abe-shinzo"},
            {"start": b, "end": b + 4, "country": "USA", "canonical_id": None},
        ],
        "dates": [{"start": TEXT.index("Feb. 3"), "end": TEXT.index("Feb. 3") + 6, "value": "2004-02-03", "mod": None}],
        "agreements": [],
    }
    record.update(overrides)
    return record


def test_scores_count_each_field() -> None:
    gold = _gold()
    assert check_gold(gold, TEXT) == []
    scores = score_record(_record(), gold)
    assert scores["metadata"]["right"] == 8  # author names compare case-insensitively
    assert scores["document_date"]["value_right"] == 1
    assert (scores["actors"]["found"], scores["actors"]["country_right"]) == (3, 3)
    # Bush has no id: his identity is not consistent; Abe's two mentions share one id.
    assert (scores["actors"]["persons_consistent"], scores["actors"]["persons"]) == (1, 2)
    assert scores["dates"]["right"] == 1
    assert scores["agreements"]["right"] == 0
    table = summarise([scores], {"all": ["article"]})
    assert table["all"]["metadata fields right"] == [8, 8, 1.0]


def test_one_id_shared_by_two_people_is_not_consistent() -> None:
    record = _record()
    record["actors"][2]["canonical_id"] = "abe-shinzo"
    scores = score_record(record, _gold())
    assert scores["actors"]["persons_consistent"] == 0


def test_null_gold_fields_must_stay_empty() -> None:
    gold = _gold(document_date=None)
    scores = score_record(_record(), gold)
    assert scores["document_date"]["value_right"] == 0
    record = _record()
    record["metadata"]["document_date"] = None
    assert score_record(record, gold)["document_date"]["value_right"] == 1


def test_gold_problems_are_reported(tmp_path: Path) -> None:
    gold = _gold(actors=[{"text": "Obama", "occurrence": 1, "type": "PERSON", "country": "USA", "person": "obama"}])
    problems = check_gold(gold, TEXT)
    assert any("Obama" in p for p in problems)


def test_unlisted_agreements_are_scored_by_consistent_identity() -> None:
    text = "They kept the Accord of Tides. Later the Accord of Tides lapsed."
    gold = RealTextGold.model_validate({
        "id": "x", "kind": "news", "first_words": "They kept", "metadata": None, "document_date": None,
        "agreements": [
            {"text": "Accord of Tides", "occurrence": 1, "agreement": "my-own-slug"},
            {"text": "Accord of Tides", "occurrence": 2, "agreement": "my-own-slug"},
        ],
    })
    a, b = text.index("Accord"), text.rindex("Accord")
    same = {"text": text, "metadata": {}, "agreements": [
        {"start": a, "end": a + 15, "canonical_id": "unlisted:accord-of-tides"},
        {"start": b, "end": b + 15, "canonical_id": "unlisted:accord-of-tides"}]}
    split = {"text": text, "metadata": {}, "agreements": [
        {"start": a, "end": a + 15, "canonical_id": "unlisted:accord-of-tides"},
        {"start": b, "end": b + 15, "canonical_id": "unlisted:other"}]}
    assert score_record(same, gold)["agreements"]["right"] == 2
    assert score_record(split, gold)["agreements"]["right"] == 1  # only the mention with its id
    merged_gold = RealTextGold.model_validate({**gold.model_dump(), "agreements": [
        {"text": "Accord of Tides", "occurrence": 1, "agreement": "my-own-slug"},
        {"text": "Accord of Tides", "occurrence": 2, "agreement": "another-agreement"}]})
    # one predicted id for two agreements of the text: neither counts
    assert score_record(same, merged_gold)["agreements"]["right"] == 0
    # a registry agreement must carry its registry id
    registry = frozenset({"my-own-slug"})
    assert score_record(same, gold, registry)["agreements"]["right"] == 0


def test_the_held_out_gold_is_valid_and_listed() -> None:
    folder = REPO_ROOT / "corpus" / "gold" / "real-heldout"
    with (folder / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    golds = {p.stem: read_gold(p) for p in folder.glob("*.json")}
    assert sorted(golds) == sorted(r["id"] for r in rows) and len(golds) >= 10
    with MANIFEST.open(encoding="utf-8") as handle:
        development = {r["url"].split("://", 1)[-1].rstrip("/") for r in csv.DictReader(handle, delimiter="\t")}
    assert not development & {r["url"].split("://", 1)[-1].rstrip("/") for r in rows}
