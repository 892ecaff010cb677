"""Headline entries: the second parse of misread ones (dipl_headlines), and their roles."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import extensions as ext

TEXT = (
    "Relations\n\n"
    "Seoul and Tokyo talked again this autumn. President Trump said the talks would go on.\n\n"
    "Chronology\n\n"
    "May 2, 2019: Trump calls for a third summit with Kim and hope for a removal of sanctions.\n\n"
    "May 3, 2019: President Putin, Indian Prime Minister Narendra Modi, and Chairman Xi meet in "
    "Osaka.\n\n"
    "May 4, 2019: North Korea’s Moranbong Band and an Army orchestra arrive in Beijing for a tour.\n\n"
    "May 5, 2019: Funeral of Lee Hsin-kai, uncle of PRC first lady Peng Liyuan, held in Chiayi.\n\n"
    "May 6, 2019: Japan protests the drills near Dokdo.\n"
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    from pipeline.nlp import build_pipeline

    return build_pipeline()


def _entry(doc: Doc, words: str) -> Span:
    return next(e for e in doc.spans[ext.CHRONOLOGY] if words in e.text)


def _root(doc: Doc, words: str) -> str:
    roots = [t for t in _entry(doc, words) if t.dep_ == "ROOT"]
    assert len(roots) == 1, roots
    return roots[0].text


def _valid_trees(doc: Doc) -> None:
    """Every sentence one tree: one root, heads inside the sentence, no cycles."""
    for sent in doc.sents:
        assert sum(1 for t in sent if t.head.i == t.i) == 1
        for token in sent:
            seen, node = set(), token
            while node.head.i != node.i:
                assert sent.start <= node.head.i < sent.end and node.i not in seen
                seen.add(node.i)
                node = node.head


def test_the_stage_runs_after_the_model_and_before_the_actors(nlp: Language) -> None:
    names = nlp.pipe_names
    assert names.index("ner") < names.index("dipl_headlines") < names.index("dipl_actors")


def test_a_headline_verb_read_as_a_noun_heads_its_entry_after_the_second_parse(nlp: Language) -> None:
    with nlp.select_pipes(disable=["dipl_headlines"]):
        first = nlp(TEXT)
    doc = nlp(TEXT)
    # the model alone misreads these verbs
    assert _root(first, "Trump calls") != "calls"
    calls = next(t for t in _entry(doc, "Trump calls") if t.text == "calls")
    assert calls.dep_ == "ROOT" and calls.pos_ == "VERB" and calls.lemma_ == "call"
    assert [c.text for c in calls.children if c.dep_ == "nsubj"] == ["Trump"]
    assert _root(doc, "Chairman Xi meet") == "meet"
    # "orchestra" is not a verb, though a parse can be made to put it there
    assert _root(doc, "Army orchestra arrive") == "arrive"
    # the sentences are the segmenter's still, and every one is a tree
    assert [(s.start, s.end) for s in doc.sents] == [(s.start, s.end) for s in first.sents]
    _valid_trees(doc)


def test_entries_the_model_reads_right_or_that_are_not_headline_verbs_keep_their_parse(nlp: Language) -> None:
    with nlp.select_pipes(disable=["dipl_headlines"]):
        first = nlp(TEXT)
    doc = nlp(TEXT)
    for words in ("Japan protests", "Funeral of Lee"):  # a verb already; a headline passive
        assert [(t.head.i, t.dep_, t.tag_) for t in _entry(doc, words)] == [
            (t.head.i, t.dep_, t.tag_) for t in _entry(first, words)
        ]
    # the narrative is never touched
    narrative = next(s for s in doc.sents if "talks would go on" in s.text)
    before = next(s for s in first.sents if "talks would go on" in s.text)
    assert [(t.head.i, t.dep_) for t in narrative] == [(t.head.i, t.dep_) for t in before]


def test_the_repaired_entry_gets_its_source_and_target(nlp: Language) -> None:
    # "Trump" in the entry is found as the person the narrative names (a known family name)
    doc = nlp(TEXT)
    entry = _entry(doc, "Trump calls")
    main = next(e for e in doc.spans[ext.EVENTS] if e._.event_chronology_entry_id == entry._.entry_id
                and e._.event_is_main)
    actors = {a._.actor_id: a.text for a in doc.spans[ext.ACTORS]}
    assert [actors[a] for a in main._.event_source] == ["Trump"]
    assert [actors[a] for a in main._.event_target] == ["Kim"]


ENTRIES = (
    "Relations\n\n"
    "Japan criticised the deadline set for the United States.\n\n"
    "Chronology\n\n"
    "Dec. 1, 2019: Kim Jong Un signals end-of-year deadline for new US stance.\n\n"
    "Dec. 2, 2019: South Korea detains a domestic ship near Busan.\n"
)


def _main_roles(doc: Doc, words: str) -> tuple[list[str], list[str]]:
    entry = _entry(doc, words)
    main = next(e for e in doc.spans[ext.EVENTS]
                if e._.event_chronology_entry_id == entry._.entry_id and e._.event_is_main)
    names = {a._.actor_id: a.text for a in doc.spans[ext.ACTORS]}
    return [names[a] for a in main._.event_source], [names[a] for a in main._.event_target]


def test_an_entry_act_with_no_target_concerns_the_one_other_country_it_names(nlp: Language) -> None:
    doc = nlp(ENTRIES)
    assert _main_roles(doc, "signals end-of-year") == (["Kim Jong Un"], ["US"])
    # only actors of the source's own country: no target
    source, target = _main_roles(doc, "detains a domestic ship")
    assert source == ["South Korea"] and target == []
    # the narrative is left to the parse: its "United States" is no one's target
    narrative = [e for e in doc.spans[ext.EVENTS] if e._.event_chronology_entry_id is None]
    names = {a._.actor_id: a.text for a in doc.spans[ext.ACTORS]}
    assert all("United States" not in [names[t] for t in e._.event_target] for e in narrative)


def test_a_saved_pipeline_without_the_stage_gets_it_before_the_actors(nlp: Language, tmp_path) -> None:
    """A pipeline saved before this stage existed (a trained one under models/) carries
    dipl_actors already; the stage must go in before it, not after the alignment."""
    from pipeline.nlp import build_pipeline

    nlp.remove_pipe("dipl_headlines")
    try:
        nlp.to_disk(tmp_path / "older")
    finally:
        nlp.add_pipe("dipl_headlines", before="dipl_actors")
    loaded = build_pipeline(str(tmp_path / "older"))
    names = loaded.pipe_names
    assert names.index("ner") < names.index("dipl_headlines") < names.index("dipl_actors")


def test_without_a_verb_index_no_second_parse_is_written(nlp: Language) -> None:
    """A model whose lemmatizer has no verb index cannot have a second parse checked: the
    entries keep the model's own parse rather than an unchecked one."""
    from pipeline.components.headlines import HeadlineReparser

    stage = HeadlineReparser(nlp)
    stage._verbs = frozenset()  # what a model without lemma lookups gives
    with nlp.select_pipes(disable=["dipl_headlines", "dipl_actors", "dipl_dates", "dipl_agreements",
                                   "dipl_events", "dipl_align"]):
        doc = nlp(TEXT)
    before = [(t.head.i, t.dep_) for t in doc]
    assert [(t.head.i, t.dep_) for t in stage(doc)] == before
    assert HeadlineReparser(nlp).verbs  # the English model has one


def test_a_headline_after_an_opening_phrase_gets_its_verb_back(nlp: Language) -> None:
    """"During the opening of ..., President Lai Ching-te states that ...": the headline starts
    after the opening phrase's comma; the model made "states" a noun and a verb of what was
    said the root. An entry the model reads right after such a phrase keeps its parse."""
    text = (
        "Chronology\n\n"
        "Jun. 3, 2008: During the opening of the Kaohsiung Harbor Museum, President Lai Ching-te states in a "
        "speech that in the wake of the resumption of the cross-strait ferry routes, Taiwan should "
        "welcome more visitors from the mainland.\n\n"
        "Jun. 4, 2008: In a phone call, Xi Jinping tells Joe Biden that China opposes the sale.\n"
    )
    doc = nlp(text)
    assert _root(doc, "Harbor Museum") == "states"
    states = next(t for t in _entry(doc, "Harbor Museum") if t.text == "states")
    assert [c.text for c in states.children if c.dep_ == "nsubj"] == ["te"]
    assert _root(doc, "phone call") == "tells"
