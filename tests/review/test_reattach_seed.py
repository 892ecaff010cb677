"""Corrections on the real seed article survive an edit of its text (issue 15's case: a typo
fixed near the top of the article used to orphan nearly every correction after it)."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.annotate import annotate
from pipeline.records import ArticleRecord
from pipeline.review import edits
from pipeline.review.reattach import apply_corrections


def _record(nlp, path: Path, out: Path) -> ArticleRecord:
    annotate([path], out, nlp, replace=True)
    return ArticleRecord.model_validate(json.loads((out / "articles.jsonl").read_text(encoding="utf-8").splitlines()[0]))


def test_twenty_corrections_on_the_seed_survive_an_edit_of_the_text_above_them(
    seed_path: Path, tmp_path: Path
) -> None:
    from pipeline.nlp import build_pipeline

    nlp = build_pipeline()
    article = tmp_path / "seed.txt"
    text = seed_path.read_text(encoding="utf-8")
    article.write_text(text, encoding="utf-8")
    before = _record(nlp, article, tmp_path / "out")
    overlay = apply_corrections(before, [])
    corrections = []
    flip = {"escalatory": "neutral", "neutral": "de-escalatory", "de-escalatory": "escalatory"}
    narrative = [e for e in before.events if e.polarity in flip and e.start > len(text) // 5]
    for event in narrative[::max(1, len(narrative) // 8)][:8]:
        corrections += edits.set_fields(overlay, "event", event.id, {"polarity": flip[event.polarity]}, "ana")
    for actor in [a for a in before.actors if a.start > len(text) // 5][::25][:6]:
        corrections += edits.set_fields(overlay, "actor", actor.id, {"role": "Envoy"}, "ana")
    for date in [d for d in before.dates if d.start > len(text) // 5][::15][:4]:
        corrections.append(edits.remove_span(overlay, "date", date.id, "ana"))
    linked = [(e, link) for e in before.events if e.start > len(text) // 5 for link in e.aligned_entries][:2]
    for event, link in linked:
        corrections.append(edits.judge_alignment(overlay, event.id, link.entry_id, "reject", "ana"))
    for k, c in enumerate(corrections, start=1):
        c.id = k
    assert len(corrections) >= 18
    # the text is edited near the top: a word mended and a sentence added in an early paragraph
    first_para = text.index("\n\n", len(text) // 20)
    edited = text[:first_para] + " A sentence added while editing." + text[first_para:]
    word = edited.index(" the ", len(text) // 40)
    edited = edited[:word] + " the  " + edited[word + len(" the "):]  # one character more
    article.write_text(edited, encoding="utf-8")
    after = _record(nlp, article, tmp_path / "out")
    again = apply_corrections(after, corrections)
    statuses = [a.status for a in again.attachments]
    orphaned = [(a.correction.kind, a.correction.element_id, a.reason) for a in again.orphans]
    assert statuses.count("applied") == len(corrections), orphaned
    assert sum(1 for a in again.attachments if (a.note or "").startswith("found again")) >= len(corrections) - 2
