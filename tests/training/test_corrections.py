"""Reading corrections: Prodigy, doccano, native JSONL and a review database; merging."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.review.store import Anchor, CorrectionStore
from pipeline.training.corrections import read_corrections
from pipeline.training.data import LabelledExample, merge, split_by_article, strip_gold
from tests.training.conftest import span_tasks, write_jsonl


def test_prodigy_textcat_accept_reject_and_choice(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "t.jsonl", [
        {"text": "A met B.", "label": "de-escalatory", "answer": "accept"},
        {"text": "A met B.", "label": "escalatory", "answer": "reject"},
        {"text": "C shelled D.", "options": [], "accept": ["escalatory"], "answer": "accept"},
        {"text": "E saw F.", "label": "neutral", "answer": "ignore"},
    ])
    got = read_corrections(path)
    assert [(j.text, j.label, j.answer) for j in got.judgements] == [
        ("A met B.", "de-escalatory", "accept"),
        ("A met B.", "escalatory", "reject"),
        ("C shelled D.", "escalatory", "accept"),
    ]
    assert len(got.skipped) == 1 and "ignore" in got.skipped[0].reason
    assert got.files[0].formats == {"prodigy-textcat": 4}


def test_doccano_textcat_and_span_formats(tmp_path: Path) -> None:
    text = "On 3 May the Ministry of Unification spoke."
    path = write_jsonl(tmp_path / "d.jsonl", [
        {"text": "X sanctioned Y.", "label": ["escalatory"]},
        {"text": text, "label": [[3, 8, "DATE"], [13, 36, "ORG"]]},
        {"text": text, "entities": [{"start_offset": 3, "end_offset": 8, "label": "DATE"}]},
    ])
    got = read_corrections(path)
    assert [(j.text, j.label) for j in got.judgements] == [("X sanctioned Y.", "escalatory")]
    assert [d.text for d in got.dates] == ["3 May", "3 May"]
    # a doccano actor span has no canonical id: reported, not guessed
    assert any("no canonical id" in s.reason for s in got.skipped)


def test_prodigy_span_tasks_from_the_review_export(tmp_path: Path) -> None:
    got = read_corrections(write_jsonl(tmp_path / "s.jsonl", span_tasks()))
    assert {(a.kind, a.surface, a.canonical_id) for a in got.aliases} == {
        ("actor", "Korean foreign affairs office", "kor-mofa"),
        ("agreement", "intel pact", "gsomia-jpn-kor"),
        ("actor", "Ryu Hae-won", "local:ryu-hae-won"),
    }
    assert [(d.text, d.value) for d in got.dates] == [("Nov. 23", "2019-11-23"), ("Gwangbokjeol", "2019-08-15")]


def test_review_database_and_undone_rows(tmp_path: Path) -> None:
    store = CorrectionStore(tmp_path / "corrections.sqlite")
    anchor = Anchor(start=0, end=20, text="The two sides launched talks")
    kept = store.record(doc_id="d1", kind="event", element_id="evt-1", op="set",
                        field="polarity", before="escalatory", after="de-escalatory",
                        anchor=anchor, reviewer="r")
    undone = store.record(doc_id="d1", kind="event", element_id="evt-2", op="set",
                          field="polarity", before="neutral", after="escalatory",
                          anchor=Anchor(start=30, end=40, text="other text"), reviewer="r")
    store.undo(undone.id or 0, "r")
    store.record(doc_id="d1", kind="actor", element_id="act-5", op="set", field="canonical_id",
                 before=None, after="kor-mou", anchor=Anchor(start=50, end=60, text="MOU"),
                 reviewer="r")
    store.record(doc_id="d1", kind="date", element_id="date-7", op="set", field="value",
                 before="2019-05", after="2019-05-03",
                 anchor=Anchor(start=70, end=75, text="May 3"), reviewer="r")
    store.record(doc_id="d1", kind="actor", element_id="act-9", op="remove", field=None,
                 before=None, after=None, anchor=Anchor(start=80, end=89, text="Sunflower"), reviewer="r")
    got = read_corrections(tmp_path / "corrections.sqlite")
    assert kept.id is not None
    assert [(j.text, j.label, j.article) for j in got.judgements] == [
        ("The two sides launched talks", "de-escalatory", "d1")
    ]
    # a removed actor: the name is not an actor (the registry step decides whether to learn it)
    assert [(a.surface, a.canonical_id, a.removed) for a in got.aliases] == [
        ("Sunflower", None, True), ("MOU", "kor-mou", False)]
    assert [(d.text, d.value) for d in got.dates] == [("May 3", "2019-05-03")]
    assert any("undone" in s.reason for s in got.skipped)


def test_bad_lines_raise_coded_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "label": "hostile", "answer": "accept"}\n', encoding="utf-8")
    with pytest.raises(PipelineError) as info:
        read_corrections(bad)
    assert info.value.code == "E052"


def _ex(text: str, label: str, article: str = "a") -> LabelledExample:
    return LabelledExample(text=text, label=label, article=article)


def test_merge_rules(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "t.jsonl", [
        {"text": "A  met B", "label": "neutral", "answer": "accept"},
        {"text": "C warned D.", "label": "escalatory", "answer": "reject"},
    ])
    judgements = read_corrections(path).judgements
    shipped = [_ex("A met B.", "de-escalatory"), _ex("C warned D.", "escalatory"),
               _ex("E thanked F.", "de-escalatory")]
    result = merge(shipped, judgements, correction_weight=3)
    by_text = {e.text: (e.label, e.origin, e.weight) for e in result.examples}
    assert by_text == {
        "E thanked F.": ("de-escalatory", "shipped", 1),
        "A  met B": ("neutral", "correction", 3),
    }
    assert (result.replaced, result.relabelled, result.dropped_rejected) == (1, 1, 1)
    assert result.rejected_only == 1


def test_gold_stripping_and_article_split() -> None:
    gold = ["Sept. 5, 2019: Ministers of both countries met in Bangkok and agreed to talk again."]
    examples = [
        _ex("Ministers of both countries met in Bangkok and agreed to talk again", "neutral"),
        _ex("Something else happened entirely in another place.", "neutral"),
    ]
    kept, stripped = strip_gold(examples, gold)
    assert [e.text for e in stripped] == [examples[0].text]
    assert kept == [examples[1]]
    many = [_ex(f"s{i}", "neutral", article=f"art{i % 7}") for i in range(40)]
    train, dev = split_by_article(many, 0.3, seed=5)
    assert {e.article for e in train}.isdisjoint({e.article for e in dev})
    assert len(train) + len(dev) == 40 and dev


def test_malformed_spans_and_empty_files_are_coded_errors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from pipeline.errors import PipelineError
    from pipeline.training.corrections import read_corrections, read_jsonl_text

    for line in ['{"text": "abc", "spans": "notalist", "answer": "accept"}',
                 '{"text": "abc", "spans": [1], "answer": "accept"}',
                 '{"text": "abc", "label": [[0, 99, "PERSON"]]}']:
        with pytest.raises(PipelineError) as err:
            read_jsonl_text(line, "x.jsonl")
        assert err.value.code == "E052"
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(PipelineError) as err:
        read_corrections(empty)
    assert err.value.code == "E063"
