"""The dipl_events component: sections and entries in, event spans out; config; save/load."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import pipeline.components.agreements  # noqa: F401
import pipeline.components.events  # noqa: F401
from pipeline.errors import PipelineError
from pipeline.events.entries import entry_polarity
from pipeline.extensions import ACTORS, CHRONOLOGY, DATES, EVENTS, SECTIONS
from pipeline.model import load_base_model
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.model

MODEL = REPO_ROOT / "pipeline" / "data" / "polarity-v2"
NARRATIVE = "Japan removed South Korea from its white list. Kang and Motegi met in Nagoya."
CHRONO = "Nov. 22, 2019: Hours before the deadline, South Korea announces it will remain in GSOMIA."


def _structured(nlp: Language) -> Doc:
    """A tiny article: one narrative section, one chronology entry, hand-built spans."""
    text = NARRATIVE + "\n\n" + CHRONO
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        if name not in ("dipl_events", "dipl_agreements"):
            doc = proc(doc)
    narrative = doc.char_span(0, len(NARRATIVE))
    chrono_start = len(NARRATIVE) + 2
    chronology = doc.char_span(chrono_start, len(text))
    assert narrative is not None and chronology is not None
    narrative._.section_id, narrative._.section_kind = "sec-01", "narrative"
    chronology._.section_id, chronology._.section_kind = "sec-02", "chronology"
    doc.spans[SECTIONS] = [narrative, chronology]
    entry = doc.char_span(chrono_start, len(text))
    assert entry is not None
    doc.spans[CHRONOLOGY] = [entry]
    entry._.entry_id, entry._.entry_date = "chr-001", "2019-11-22"
    actors = []
    for word, country in [
        ("Japan", "JPN"),
        ("South Korea", "KOR"),
        ("Kang", "KOR"),
        ("Motegi", "JPN"),
    ]:
        start = text.index(word)
        span = doc.char_span(start, start + len(word))
        assert span is not None
        span._.actor_id = f"act-{span.start_char}-{span.end_char}"
        span._.actor_country = country
        actors.append(span)
    doc.spans[ACTORS] = actors
    nagoya = text.index("Nagoya")
    date = doc.char_span(nagoya, nagoya + len("Nagoya"))  # stands in for a date mention
    assert date is not None
    date._.date_value = "2019-11-23"
    doc.spans[DATES] = [date]
    for name in ("dipl_agreements", "dipl_events"):
        doc = nlp.get_pipe(name)(doc)
    return doc


@pytest.fixture()
def nlp() -> Language:
    """A fresh model per test (the session's base_nlp must not gain components)."""
    nlp = load_base_model()
    nlp.add_pipe("dipl_agreements")
    nlp.add_pipe("dipl_events")
    return nlp


def test_component_writes_events_with_all_attributes(nlp):
    doc = _structured(nlp)
    events = list(doc.spans[EVENTS])
    triggers = [e._.event_trigger["text"] for e in events]
    assert triggers == ["removed", "met", "remain"]
    removed, met, remain = events
    assert removed._.event_polarity == "escalatory"
    assert removed._.event_cameo_root == "16"
    assert removed._.event_source == ["act-0-5"]
    assert removed._.event_section_id == "sec-01"
    assert removed._.event_chronology_entry_id is None
    assert removed._.event_agreements and removed._.event_agreements[0].startswith("agr-")
    assert met._.event_date == "2019-11-23"
    assert remain._.event_chronology_entry_id == "chr-001"
    assert remain._.event_section_id == "sec-02"
    assert remain._.event_date == "2019-11-22"  # from the entry
    assert remain._.event_polarity == "de-escalatory"
    assert remain._.event_modality == "reported"
    for event in events:
        assert event._.event_id.startswith(f"evt-{event.start_char}-{event.end_char}-")
        assert 0 < event._.event_confidence < 1
        assert event._.event_cues


def test_event_offsets_are_unique(nlp):
    doc = _structured(nlp)
    offsets = [(e.start_char, e.end_char) for e in doc.spans[EVENTS]]
    assert len(offsets) == len(set(offsets))


def test_entry_polarity_is_its_main_event(nlp):
    doc = _structured(nlp)
    assert entry_polarity(doc, "chr-001") == "de-escalatory"


def test_no_structure_means_no_events(nlp):
    doc = nlp("Japan removed South Korea from its white list.")
    assert list(doc.spans[EVENTS]) == []


def test_classifier_mode_needs_a_path():
    nlp = spacy.blank("en")
    with pytest.raises(PipelineError):
        nlp.add_pipe("dipl_events", config={"mode": "classifier"})


def test_combined_mode_loads_model_from_config():
    config = spacy.util.load_config_from_str(
        f"""
[nlp]
lang = "en"
pipeline = ["dipl_events"]

[components]

[components.dipl_events]
factory = "dipl_events"
mode = "combined"
classifier_path = "{MODEL}"
classifier_weight = 0.5
"""
    )
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    tagger = nlp.get_pipe("dipl_events")
    assert tagger.mode == "combined"
    assert tagger.classifier is not None


def test_classifier_mode_changes_polarity_source(nlp):
    nlp.replace_pipe(
        "dipl_events", "dipl_events", config={"mode": "classifier", "classifier_path": str(MODEL)}
    )
    doc = _structured(nlp)
    events = list(doc.spans[EVENTS])
    assert [e._.event_trigger["text"] for e in events] == ["removed", "met", "remain"]
    assert all(e._.event_polarity in ("escalatory", "de-escalatory", "neutral") for e in events)


def test_save_and_load_round_trip(nlp, tmp_path: Path):
    nlp.replace_pipe(
        "dipl_events", "dipl_events", config={"mode": "combined", "classifier_path": str(MODEL)}
    )
    doc = _structured(nlp)
    before = [(e._.event_id, e._.event_polarity) for e in doc.spans[EVENTS]]
    nlp.to_disk(tmp_path / "saved")
    assert (tmp_path / "saved" / "dipl_events" / "cues.jsonl").exists()
    assert (tmp_path / "saved" / "dipl_events" / "polarity_classifier").is_dir()
    loaded = spacy.load(tmp_path / "saved")
    reloaded = _structured(loaded)
    after = [(e._.event_id, e._.event_polarity) for e in reloaded.spans[EVENTS]]
    assert after == before


def test_speech_after_the_act_gives_one_reported_event():
    from pipeline.nlp import build_pipeline
    from tests.test_segment import CONNECT, HEADER, PUBLISHED

    nlp = build_pipeline()
    text = (
        HEADER + PUBLISHED + CONNECT
        + "The foreign ministries launched a joint programme on disaster relief in the autumn, "
        "officials said after the meeting in Tokyo last week.\n"
    )
    doc = nlp(text)
    launched = [e for e in doc.spans["events"] if (e._.event_trigger or {}).get("text") == "launched"]
    assert len(launched) == 1
    assert launched[0]._.event_modality == "reported"
