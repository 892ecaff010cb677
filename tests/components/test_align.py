"""The dipl_align component on hand-built Docs: gathering, writing, config, save/load."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy
from confection import ConfigValidationError
from spacy.language import Language
from spacy.tokens import Doc, Span
from thinc.api import Config

import pipeline.components.align  # noqa: F401  (registers dipl_align)
from pipeline import extensions as ext
from pipeline.alignment.scoring import AlignmentScorer
from pipeline.components.align import ChronologyAligner, gather_entries, gather_events

TEXT = (
    "The Thaw\n\n"
    "On Nov. 21 Pompeo called Kang Kyung-hwa about GSOMIA. Relations stayed uncertain.\n\n"
    "Chronology\n\n"
    "Nov. 4, 2019: Moon and Abe meet briefly in Bangkok.\n\n"
    "Nov. 21, 2019: Kang Kyung-wha and Mike Pompeo hold a telephone conversation about "
    "GSOMNIA.\n"
)


def _span(doc: Doc, text: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(text, start + 1)
    span = doc.char_span(start, start + len(text))
    assert span is not None, text
    return span


def _actor(doc: Doc, text: str, canonical: str, country: str, nth: int = 0) -> Span:
    span = _span(doc, text, nth)
    span._.actor_id = f"act-{span.start_char}-{span.end_char}"
    span._.actor_canonical_id = canonical
    span._.actor_country = country
    return span


def _event(doc: Doc, text: str, trigger: str, date: str | None, entry_id: str | None,
           sources: list[Span], targets: list[Span], agreements: list[Span]) -> Span:
    span = _span(doc, text)
    offset = span.start_char + span.text.index(trigger)
    t = doc.char_span(offset, offset + len(trigger))
    assert t is not None
    span._.event_id = f"evt-{span.start_char}-{span.end_char}-0"
    span._.event_date = date
    span._.event_source = [a._.actor_id for a in sources]
    span._.event_target = [a._.actor_id for a in targets]
    span._.event_agreements = [a._.agreement_id for a in agreements]
    span._.event_trigger = {"text": t.text, "start": t.start_char, "end": t.end_char}
    span._.event_cameo_root = "04"
    span._.event_chronology_entry_id = entry_id
    return span


def build_doc(nlp: Language) -> Doc:
    doc = nlp.make_doc(TEXT)
    narrative = _span(doc, "On Nov. 21 Pompeo called Kang Kyung-hwa about GSOMIA. "
                           "Relations stayed uncertain.")
    narrative._.paragraph_id = "p-1"
    doc.spans[ext.PARAGRAPHS] = [narrative]
    entries = []
    for entry_id, day, line in [
        ("chr-001", "2019-11-04", "Nov. 4, 2019: Moon and Abe meet briefly in Bangkok."),
        ("chr-002", "2019-11-21", "Nov. 21, 2019: Kang Kyung-wha and Mike Pompeo hold a "
                                  "telephone conversation about GSOMNIA."),
    ]:
        span = _span(doc, line)
        span._.entry_id = entry_id
        span._.entry_date = day
        span._.entry_text_start = span.start_char + line.index(":") + 2
        entries.append(span)
    doc.spans[ext.CHRONOLOGY] = entries
    pompeo = _actor(doc, "Pompeo", "mike-pompeo", "USA")
    kang = _actor(doc, "Kang Kyung-hwa", "kang-kyung-wha", "KOR")
    actors = [pompeo, kang,
              _actor(doc, "Moon", "moon-jae-in", "KOR"), _actor(doc, "Abe", "abe-shinzo", "JPN"),
              _actor(doc, "Kang Kyung-wha", "kang-kyung-wha", "KOR"),
              _actor(doc, "Mike Pompeo", "mike-pompeo", "USA")]
    doc.spans[ext.ACTORS] = actors
    gsomia = _span(doc, "GSOMIA")
    gsomnia = _span(doc, "GSOMNIA")
    for span in (gsomia, gsomnia):
        span._.agreement_id = f"agr-{span.start_char}-{span.end_char}"
        span._.agreement_canonical_id = "gsomia-jpn-kor"
    doc.spans[ext.AGREEMENTS] = [gsomia, gsomnia]
    date = _span(doc, "Nov. 21")
    date._.date_value = "2019-11-21"
    doc.spans[ext.DATES] = [date]
    doc.spans[ext.EVENTS] = [
        _event(doc, "Pompeo called Kang Kyung-hwa about GSOMIA", "called", "2019-11-21", None,
               [pompeo], [kang], [gsomia]),
        _event(doc, "Relations stayed uncertain", "stayed", None, None, [], [], []),
        _event(doc, "Kang Kyung-wha and Mike Pompeo hold a telephone conversation", "hold",
               "2019-11-21", "chr-002", actors[4:6], [], []),
    ]
    return doc


@pytest.fixture()
def nlp() -> Language:
    blank = spacy.blank("en")
    blank.add_pipe("dipl_align")
    return blank


def _links(doc: Doc) -> dict[str, Any]:
    return {s._.event_id: s._.event_aligned_entries for s in doc.spans[ext.EVENTS]}


def test_gather_keeps_narrative_events_and_entry_evidence(nlp: Language) -> None:
    doc = build_doc(nlp)
    events = gather_events(doc)
    assert [e.text for e in events] == ["Pompeo called Kang Kyung-hwa about GSOMIA",
                                        "Relations stayed uncertain"]
    call = events[0]
    assert {a.canonical_id for a in call.actors} == {"mike-pompeo", "kang-kyung-wha"}
    assert [d.value for d in call.dates] == ["2019-11-21"]
    assert call.trigger_lemma == "called"
    entries = gather_entries(doc)
    assert [e.entry_id for e in entries] == ["chr-001", "chr-002"]
    assert entries[1].text.startswith("Kang Kyung-wha")
    assert entries[1].trigger_lemmas == frozenset({"hold"})
    assert entries[1].cameo_roots == frozenset({"04"})


def test_component_links_narrative_events_only(nlp: Language) -> None:
    doc = nlp(build_doc(nlp))
    links = _links(doc)
    call, musing, chronology = list(links)
    assert [link["entry_id"] for link in links[call]] == ["chr-002"]
    assert links[call][0]["score"] >= AlignmentScorer().threshold
    assert "date:exact" in links[call][0]["reasons"]
    assert links[musing] == []
    assert links[chronology] is None


def test_component_writes_the_summary(nlp: Language) -> None:
    doc = nlp(build_doc(nlp))
    summary = doc._.alignment_summary
    assert summary["entries_without_narrative"] == ["chr-001"]
    assert len(summary["events_without_entry"]) == 1
    spelled = {(s["kind"], s["narrative"], s["chronology"]) for s in summary["spelled_differently"]}
    assert spelled == {("actor", "Kang Kyung-hwa", "Kang Kyung-wha"),
                       ("agreement", "GSOMIA", "GSOMNIA")}


def test_doc_without_chronology_gets_no_links(nlp: Language) -> None:
    doc = build_doc(nlp)
    doc.spans[ext.CHRONOLOGY] = []
    doc = nlp(doc)
    assert all(v in ([], None) for v in _links(doc).values())
    assert doc._.alignment_summary["links"] == 0


def test_doc_without_events_gets_an_empty_summary(nlp: Language) -> None:
    doc = nlp(nlp.make_doc("Nothing happens here."))
    assert doc._.alignment_summary["narrative_events"] == 0
    assert doc._.alignment_summary["entries_without_narrative"] == []


def test_threshold_from_config_changes_the_links() -> None:
    strict = spacy.blank("en")
    strict.add_pipe("dipl_align", config={"scorer": {"@misc": "dipl.alignment_scorer.v1",
                                                     "threshold": 5.0}})
    doc = strict(build_doc(strict))
    assert all(not v for v in _links(doc).values())


def test_config_values_are_validated() -> None:
    blank = spacy.blank("en")
    with pytest.raises(ConfigValidationError, match="threshold"):
        blank.add_pipe("dipl_align", config={"scorer": {"@misc": "dipl.alignment_scorer.v1",
                                                        "threshold": "high"}})


def test_save_and_load_keeps_the_scorer(tmp_path: Path) -> None:
    blank = spacy.blank("en")
    blank.add_pipe("dipl_align", config={"scorer": {"@misc": "dipl.alignment_scorer.v1",
                                                    "words_weight": 0.5}})
    blank.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    assert loaded.pipe_names == ["dipl_align"]
    aligner = loaded.get_pipe("dipl_align")
    assert isinstance(aligner, ChronologyAligner)
    assert aligner.scorer.words_weight == 0.5
    original = blank(build_doc(blank))
    again = loaded(build_doc(loaded))
    assert _links(again) == _links(original)


def test_pipeline_builds_from_config() -> None:
    config = Config().from_str(
        """
        [nlp]
        lang = "en"
        pipeline = ["dipl_align"]

        [components]

        [components.dipl_align]
        factory = "dipl_align"

        [components.dipl_align.scorer]
        @misc = "dipl.alignment_scorer.v1"
        date_weight = 0.5
        threshold = 0.5
        """
    )
    built = spacy.util.load_model_from_config(config, auto_fill=True)
    aligner = built.get_pipe("dipl_align")
    assert isinstance(aligner, ChronologyAligner)
    scorer = aligner.scorer
    assert (scorer.date_weight, scorer.threshold) == (0.5, 0.5)
    assert scorer.actor_weight == AlignmentScorer().actor_weight
    doc = built(build_doc(built))
    assert [link["entry_id"] for link in next(iter(_links(doc).values()))] == ["chr-002"]


@pytest.fixture(scope="module")
def annotated(seed_path: Path) -> list[Doc]:
    """The seed and a corpus article through the whole pipeline, once for the module."""
    from pipeline.nlp import build_pipeline

    nlp = build_pipeline()
    corpus = sorted((Path(__file__).resolve().parents[2] / "corpus" / "articles").glob("*.txt"))[0]
    return [nlp(path.read_text(encoding="utf-8")) for path in (seed_path, corpus)]


@pytest.mark.parametrize("threshold", [0.45, 0.3, 0.6])
def test_pairs_left_out_change_no_link_and_no_summary(annotated: list[Doc], threshold: float) -> None:
    """The component leaves out pairs that cannot be linked or reported before comparing
    their actors; on the seed and a corpus article, at several thresholds, its links and
    summary are those computed from every pair, and pairs were indeed left out."""
    import dataclasses

    from pipeline.alignment.scoring import score_pairs, select_links
    from pipeline.alignment.summary import summarize
    from pipeline.components.align import find_alignment, narrative_mentions

    scorer = dataclasses.replace(AlignmentScorer(), threshold=threshold)
    for doc in annotated:
        events, entries = gather_events(doc), gather_entries(doc)
        actors, agreements = narrative_mentions(doc)
        every = score_pairs(events, entries, scorer)
        kept = score_pairs(events, entries, scorer, every_pair=False)
        assert entries and len(kept) < len(every) / 2
        full_links = select_links(every, scorer)
        full_summary = summarize(events, entries, every, full_links, scorer, actors, agreements)
        links, summary = find_alignment(events, entries, scorer, actors, agreements)
        assert links == full_links
        assert summary == full_summary
