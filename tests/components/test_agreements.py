"""Tests for the dipl_agreements component: writing spans, config, save/load."""

from __future__ import annotations

import json
from pathlib import Path

import spacy

import pipeline.components.agreements  # noqa: F401  (registers the factory)
from pipeline.extensions import AGREEMENTS


def _nlp(**config):
    nlp = spacy.blank("en")
    nlp.add_pipe("dipl_agreements", config=config)
    return nlp


def test_component_writes_spans_with_ids_and_canonical_values():
    doc = _nlp()("Seoul stays in GSOMIA and the KORUS FTA.")
    spans = list(doc.spans[AGREEMENTS])
    assert [s.text for s in spans] == ["GSOMIA", "KORUS FTA"]
    first = spans[0]
    assert first._.agreement_id == f"agr-{first.start_char}-{first.end_char}"
    assert first._.agreement_canonical_id == "gsomia-jpn-kor"
    assert first._.agreement_canonical_name.startswith("General Security of Military")


def test_component_on_seed_finds_gsomia_in_chronology(base_nlp, seed_text):
    nlp = _nlp()
    doc = nlp(seed_text)
    ids = {s._.agreement_canonical_id for s in doc.spans[AGREEMENTS]}
    assert ids == {"gsomia-jpn-kor", "korus-fta", "export-whitelist"}


def test_component_loads_user_registry_from_config(tmp_path: Path):
    path = tmp_path / "user.jsonl"
    row = {
        "canonical_id": "quad-statement",
        "canonical_name": "Quad Joint Statement",
        "kind": "statement",
        "names": ["Quad statement"],
    }
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    doc = _nlp(registry_paths=[str(path)], include_packaged=False)("the Quad statement and NPT")
    assert [s._.agreement_canonical_id for s in doc.spans[AGREEMENTS]] == ["quad-statement"]


def test_component_from_config_string():
    config = spacy.util.load_config_from_str(
        """
[nlp]
lang = "en"
pipeline = ["dipl_agreements"]

[components]

[components.dipl_agreements]
factory = "dipl_agreements"
recognise_unlisted = false
"""
    )
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    doc = nlp("the Trade Facilitation Agreement and RCEP")
    assert [s.text for s in doc.spans[AGREEMENTS]] == ["RCEP"]


def test_save_and_load_round_trip_keeps_the_registry(tmp_path: Path):
    path = tmp_path / "user.jsonl"
    row = {
        "canonical_id": "quad-statement",
        "canonical_name": "Quad Joint Statement",
        "kind": "statement",
        "names": ["Quad statement"],
    }
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    nlp = _nlp(registry_paths=[str(path)])
    nlp.to_disk(tmp_path / "saved")
    path.unlink()  # the saved pipeline must not depend on the user file any more
    loaded = spacy.load(tmp_path / "saved")
    doc = loaded("the Quad statement and GSOMIA")
    assert [s._.agreement_canonical_id for s in doc.spans[AGREEMENTS]] == [
        "quad-statement",
        "gsomia-jpn-kor",
    ]
