"""The actor registry: validation errors, coverage, lookups and dated offices."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.registry.actors import load_registry


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def _write(tmp_path: Path, *entries: dict | str) -> Path:
    path = tmp_path / "mine.jsonl"
    lines = [e if isinstance(e, str) else json.dumps(e) for e in entries]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = {"id": "x-org", "type": "ORG", "name": "Example Body", "country": "KOR"}


def test_unknown_key_names_file_line_and_field(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD, {**GOOD, "id": "y", "colour": "red"})
    with pytest.raises(PipelineError) as err:
        load_registry([path], packaged=False)
    assert err.value.code == "E040"
    assert str(path) in str(err.value) and "line 2" in str(err.value)
    assert "colour" in str(err.value)


def test_bad_country_code_is_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, {**GOOD, "country": "Korea"})
    with pytest.raises(PipelineError, match=r"line 1, field 'country'"):
        load_registry([path], packaged=False)


def test_person_without_family_name_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, {"id": "p", "type": "PERSON", "name": "A B", "country": "USA"})
    with pytest.raises(PipelineError, match="family_name"):
        load_registry([path], packaged=False)


def test_office_dates_are_checked(tmp_path: Path) -> None:
    bad = {
        "id": "p",
        "type": "PERSON",
        "name": "A B",
        "family_name": "B",
        "offices": [{"role": "X", "start": "2019-13-01"}],
    }
    with pytest.raises(PipelineError, match=r"offices\.0\.start"):
        load_registry([_write(tmp_path, bad)], packaged=False)
    backwards = {**bad, "offices": [{"role": "X", "start": "2020-01", "end": "2019-12-31"}]}
    with pytest.raises(PipelineError, match="before it starts"):
        load_registry([_write(tmp_path, backwards)], packaged=False)


def test_invalid_json_and_duplicate_ids(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="line 2: not valid JSON"):
        load_registry([_write(tmp_path, GOOD, "{oops")], packaged=False)
    with pytest.raises(PipelineError, match="duplicate actor id 'x-org'"):
        load_registry([_write(tmp_path, GOOD, GOOD)], packaged=False)


def test_user_file_adds_to_packaged_registry(tmp_path: Path) -> None:
    reg = load_registry([_write(tmp_path, {**GOOD, "aliases": ["EB"]})])
    assert [h.entry_id for h in reg.lookup("EB")] == ["x-org"]
    assert reg.lookup("Japan")[0].entry_id == "JPN"


def test_every_un_member_and_taiwan(registry) -> None:
    states = [e for e in registry.entries.values() if e.type == "STATE"]
    assert len(states) == 194
    assert {"TWN", "KOR", "PRK", "USA", "CHN", "RUS", "JPN"} <= {e.id for e in states}
    assert all(e.country == e.id for e in states)


@pytest.mark.parametrize(
    ("surface", "entry_id"),
    [
        ("South Korea", "KOR"),
        ("ROK", "KOR"),
        ("Republic of Korea", "KOR"),
        ("the US", "USA"),
        ("U.S.", "USA"),
        ("United States", "USA"),
        ("DPRK", "PRK"),
        ("G-20", "g20"),
        ("G20", "g20"),
        ("ASEM", "asem"),
        ("Quad", "quad"),
        ("Kantei", "JPN"),
        ("Blue House", "KOR"),
        ("Pentagon", "usa-dod"),
        ("Ministry of Trade, Industry and Energy", "kor-motie"),
        ("Self-Defense Forces", "jpn-sdf"),
        ("Kim Jong-un", "kim-jong-un"),
        ("Kang Kyung-hwa", "kang-kyung-wha"),
        ("Shinzō Abe", "abe-shinzo"),
    ],
)
def test_lookup_covers_names_and_abbreviations(registry, surface: str, entry_id: str) -> None:
    assert entry_id in [h.entry_id for h in registry.lookup(surface)]


def test_acronyms_need_capitals(registry) -> None:
    assert registry.lookup("us") == []
    assert registry.lookup("who") == []


def test_adjectives_and_capitals_are_typed(registry) -> None:
    assert [(h.entry_id, h.kind) for h in registry.lookup("South Korean")] == [("KOR", "adjective")]
    assert [(h.entry_id, h.kind) for h in registry.lookup("Seoul")] == [("KOR", "metonym")]


def test_roles_change_with_the_date(registry) -> None:
    motegi = registry.entries["motegi-toshimitsu"]
    assert motegi.role_on(date(2019, 11, 23)) == "Foreign Minister"
    assert motegi.role_on(date(2018, 5, 1)) == "Minister for Economic Revitalization"
    assert motegi.role_on(date(2023, 1, 1)) is None
    abe = registry.entries["abe-shinzo"]
    assert abe.role_on(date(2010, 1, 1)) is None
    assert abe.role_on(date(2019, 1, 1)) == "Prime Minister"
    biegun = registry.entries["stephen-biegun"]
    # Over a period, the office held longest wins.
    assert biegun.role_on(date(2019, 9, 1), date(2019, 12, 31)) == (
        "Special Representative for North Korea"
    )


def test_every_person_office_is_dated(registry) -> None:
    people = [e for e in registry.entries.values() if e.type == "PERSON"]
    assert len(people) > 150
    for person in people:
        for office in person.offices:
            assert office.start[:4] >= "1988"
