"""The cue lexicon: validation, extension, and crosswalk consistency."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.events.lexicon import CueLexicon, crosswalk_polarity, packaged_cues, read_cue_file

REQUIRED_FAMILIES = {
    "meet",
    "talk",
    "call",
    "visit",
    "summit",
    "agree",
    "extend",
    "remain",
    "ease",
    "grant",
    "aid",
    "apologise",
    "urge-de-escalation",
    "threaten",
    "sanction",
    "restrict",
    "remove-from-list",
    "retaliate",
    "boycott",
    "protest",
    "accuse",
    "criticise",
    "insult",
    "refuse",
    "fail-to-reach-deal",
    "withdraw",
    "terminate",
    "launch",
    "drill",
    "deploy",
    "claim-territory",
    "personnel",
    "publish",
}


def test_packaged_lexicon_covers_every_family():
    assert {c.family for c in packaged_cues()} >= REQUIRED_FAMILIES


def test_packaged_cues_agree_with_the_crosswalk():
    for cue in packaged_cues():
        if cue.cameo_root and cue.polarity != "neutral":
            assert crosswalk_polarity(cue.cameo_root) == cue.polarity, cue.cue


@pytest.mark.parametrize(
    ("root", "polarity"),
    [
        ("01", "de-escalatory"),
        ("08", "de-escalatory"),
        ("09", "neutral"),
        ("10", "escalatory"),
        ("20", "escalatory"),
    ],
)
def test_crosswalk(root, polarity):
    assert crosswalk_polarity(root) == polarity


def _write(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "cues.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_cue_contradicting_its_cameo_root_is_rejected(tmp_path):
    row = {
        "cue": "hug",
        "kind": "verb",
        "family": "meet",
        "polarity": "escalatory",
        "cameo_root": "04",
    }
    with pytest.raises(PipelineError, match="line 1, field"):
        read_cue_file(_write(tmp_path, [row]))


def test_unknown_field_names_file_line_and_field(tmp_path):
    good = {"cue": "hug", "kind": "verb", "family": "meet", "polarity": "de-escalatory"}
    with pytest.raises(PipelineError) as info:
        read_cue_file(_write(tmp_path, [good, dict(good, cue="kiss", mood="warm")]))
    assert info.value.code == "E040"
    assert "cues.jsonl, line 2" in str(info.value) and "mood" in str(info.value)


def test_frame_requires_frame_kind(tmp_path):
    row = {
        "cue": "opine",
        "kind": "verb",
        "family": "statement",
        "polarity": "neutral",
        "role": "frame",
    }
    with pytest.raises(PipelineError, match="frame"):
        read_cue_file(_write(tmp_path, [row]))


def test_user_cues_extend_and_override(tmp_path):
    rows = [
        {
            "cue": "hug",
            "kind": "verb",
            "family": "meet",
            "polarity": "de-escalatory",
            "cameo_root": "04",
        },
        {"cue": "meet", "kind": "verb", "family": "meet", "polarity": "neutral"},
    ]
    lexicon = CueLexicon.load([_write(tmp_path, rows)])
    by_key = {(c.cue, c.kind): c for c in lexicon.cues}
    assert by_key[("hug", "verb")].family == "meet"
    assert by_key[("meet", "verb")].polarity == "neutral"
    assert ("protest", "verb") in by_key


def test_senses_and_requirements_are_validated(tmp_path):
    bad = tmp_path / "cues.jsonl"
    bad.write_text('{"cue": "free", "kind": "verb", "family": "release", "polarity": "de-escalatory", "requires_sense": true}\n')
    with pytest.raises(PipelineError, match="requires_sense"):
        read_cue_file(bad)
    bad.write_text('{"cue": "go", "kind": "verb", "family": "visit", "polarity": "de-escalatory", "requires_object": true}\n')
    with pytest.raises(PipelineError, match="requires_object"):
        read_cue_file(bad)
    bad.write_text('{"cue": "free", "kind": "verb", "family": "release", "polarity": "de-escalatory", '
                   '"senses": [{"argument": "person", "family": "release", "polarity": "escalatory", "cameo_root": "08"}]}\n')
    with pytest.raises(PipelineError, match="maps to de-escalatory"):
        read_cue_file(bad)
