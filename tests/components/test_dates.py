"""dipl_dates: span group, attributes, anchors from structure, save/load and config."""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import pipeline.components.dates  # noqa: F401  (registers the factory)
from pipeline import extensions as ext
from pipeline.components.dates import RuleDateNormalizer


def _doc_with_structure(nlp: Language, text: str, entries: list[tuple[str, str]],
                        metadata: dict) -> Doc:
    """Paragraph per blank-line block; chronology entries located by their header text."""
    doc = nlp.make_doc(text)
    paragraphs, chronology = [], []
    offset = 0
    for block in text.split("\n\n"):
        span = doc.char_span(offset, offset + len(block), alignment_mode="expand")
        if span is not None:
            paragraphs.append(span)
        offset += len(block) + 2
    for header, day in entries:
        start = text.index(header)
        end = text.find("\n", start)
        span = doc.char_span(start, end if end >= 0 else len(text), alignment_mode="expand")
        assert span is not None
        span._.entry_date = day
        chronology.append(span)
    doc.spans[ext.PARAGRAPHS] = paragraphs
    doc.spans[ext.CHRONOLOGY] = chronology
    doc._.metadata = metadata
    return doc


def _run(nlp: Language, doc: Doc) -> Doc:
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def _dates(doc: Doc) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(s.text, s._.date_value, s._.date_mod, s._.date_anchor) for s in doc.spans[ext.DATES]]


def test_component_writes_dates_span_group_with_stable_ids(base_nlp):
    nlp = spacy.load(base_nlp.path) if base_nlp.path else base_nlp
    if "dipl_dates" not in nlp.pipe_names:
        nlp.add_pipe("dipl_dates")
    text = "Seoul acted on Nov. 22, 2019 after a pause."
    doc = _run(nlp, _doc_with_structure(nlp, text, [], {}))
    (span,) = doc.spans[ext.DATES]
    assert span._.date_id == f"date-{span.start_char}-{span.end_char}"
    assert (span._.date_value, span._.date_granularity, span._.date_anchor) == (
        "2019-11-22", "day", "explicit")


def test_partial_date_takes_entry_year_in_component(base_nlp):
    nlp = base_nlp
    if "dipl_dates" not in nlp.pipe_names:
        nlp.add_pipe("dipl_dates")
    text = ("Intro paragraph mentions Dec. 30 briefly.\n\n"
            "Jan. 2, 2020: Officials recalled the Dec. 30 talks and met again the day before.")
    doc = _doc_with_structure(nlp, text, [("Jan. 2, 2020:", "2020-01-02")],
                              {"period": {"start": "2020-01", "end": "2020-04"},
                               "published": "2020-05"})
    dates = _dates(_run(nlp, doc))
    # the narrative mention falls next to the Jan-Apr period; the entry's counts from Jan. 2
    assert ("Dec. 30", "2019-12-30", None, "article_period") in dates
    assert ("Dec. 30", "2019-12-30", None, "chronology_entry") in dates
    assert ("the day before", "2020-01-01", None, "chronology_entry") in dates


def test_next_day_and_deadline_resolve_within_paragraph(base_nlp):
    nlp = base_nlp
    if "dipl_dates" not in nlp.pipe_names:
        nlp.add_pipe("dipl_dates")
    text = ("On Nov. 21, the day before the deadline to extend the pact, the minister called. "
            "Hours before the deadline the next day, Seoul announced a decision.")
    doc = _doc_with_structure(nlp, text, [], {"period": {"start": "2019-09", "end": "2019-12"},
                                              "published": "2020-01"})
    assert _dates(_run(nlp, doc)) == [
        ("Nov. 21", "2019-11-21", None, "article_period"),
        ("the day before the deadline", "2019-11-21", None, "paragraph_date"),
        ("Hours before the deadline", "2019-11-22", "BEFORE", "paragraph_date"),
        ("the next day", "2019-11-22", None, "paragraph_date"),
    ]


def test_relative_date_in_new_paragraph_is_unresolved_with_reason(base_nlp):
    nlp = base_nlp
    if "dipl_dates" not in nlp.pipe_names:
        nlp.add_pipe("dipl_dates")
    text = "They met on Nov. 21.\n\nThe next day, nothing happened."
    doc = _run(nlp, _doc_with_structure(nlp, text, [], {}))
    last = doc.spans[ext.DATES][-1]
    assert (last.text, last._.date_value, last._.date_reason) == (
        "The next day", None, "no_preceding_day")


def test_component_from_config_uses_registered_normalizer():
    nlp = spacy.blank("en")
    component = nlp.add_pipe("dipl_dates", config={
        "normalizer": {"@misc": "dipl.date_normalizer.v1"}, "use_entities": False})
    assert isinstance(component.normalizer, RuleDateNormalizer)
    config = nlp.config["components"]["dipl_dates"]
    assert config["normalizer"] == {"@misc": "dipl.date_normalizer.v1"}
    doc = nlp("The talks ran Nov. 22-23, 2019.")
    assert [(s.text, s._.date_value) for s in doc.spans[ext.DATES]] == [
        ("Nov. 22", "2019-11-22"), ("23, 2019", "2019-11-23")]


def test_component_save_and_load_round_trip(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("dipl_dates", config={"use_entities": False})
    nlp.to_disk(tmp_path / "model")
    assert (tmp_path / "model" / "dipl_dates" / "date_patterns.jsonl").exists()
    loaded = spacy.load(tmp_path / "model")
    doc = loaded("Relations were normalized in the 1990s.")
    assert [(s.text, s._.date_value) for s in doc.spans[ext.DATES]] == [("the 1990s", "199")]


def test_dates_survive_docbin_round_trip():
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    nlp.add_pipe("dipl_dates", config={"use_entities": False})
    doc = nlp("Fall 2019 marked a thaw.")
    restored = list(DocBin(docs=[doc], store_user_data=True).get_docs(nlp.vocab))[0]
    span = restored.spans[ext.DATES][0]
    assert (span.text, span._.date_value) == ("Fall 2019", "2019-FA")


def test_news_partial_dates_and_weekdays_take_the_dateline(base_nlp):
    nlp = base_nlp
    if "dipl_dates" not in nlp.pipe_names:
        nlp.add_pipe("dipl_dates")
    text = "The ministry confirmed on Friday that the calls of Oct. 10 had gone unanswered."
    metadata = {"document_date": {"value": "2023-04-07", "anchor": "dateline"}}
    dates = _dates(_run(nlp, _doc_with_structure(nlp, text, [], metadata)))
    assert ("Friday", "2023-04-07", None, "document_date") in dates
    assert ("Oct. 10", "2022-10-10", None, "document_date") in dates


def test_a_month_precise_document_date_leaves_weekdays_unresolved(base_nlp):
    nlp = base_nlp
    if "dipl_dates" not in nlp.pipe_names:
        nlp.add_pipe("dipl_dates")
    text = "The envoy arrived on Monday and left in March."
    metadata = {"document_date": {"value": "2021-05", "anchor": "running_header"}}
    dates = _dates(_run(nlp, _doc_with_structure(nlp, text, [], metadata)))
    assert ("Monday", None, None, None) in dates
    assert ("March", "2021-03", None, "document_date") in dates
