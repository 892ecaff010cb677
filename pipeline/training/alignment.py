"""Reviewed alignment links into the trained pipeline's link threshold.

Each judgement names an article, an event and an entry. The article's text comes from the
output folder the review was made on (its ``articles.jsonl``); the pipeline being trained
reads it again, which gives the same event and entry ids, and scores the judged pairs as the
aligner does. ``pipeline.alignment.learn`` picks the threshold; the per-stage guard keeps it
only when the alignment gold (the seed article's links, when its text is among the gold
articles) is not worse by more than the margin. Everything is reported in ``training.json``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language

from pipeline.alignment.learn import JudgedPair, agreement, tune_threshold
from pipeline.alignment.scoring import score_pairs
from pipeline.components.align import gather_entries, gather_events
from pipeline.training.corrections import LinkJudgement

ALIGN_PIPE = "dipl_align"


def article_texts(folders: Sequence[Path], doc_ids: set[str]) -> dict[str, str]:
    """The texts of those articles, from the output folders' records."""
    from pipeline.training.events import read_records

    return {doc_id: record["text"] for doc_id, record in read_records(folders, doc_ids).items()}


def learn_alignment(
    nlp: Language,
    links: Sequence[LinkJudgement],
    folders: Sequence[Path],
    gold_f1: Callable[[Language], float] | None = None,
    margin: float = 0.0,
) -> dict[str, Any] | None:
    """Tune ``nlp``'s link threshold on the judgements; the report, or None with none."""
    if not links:
        return None
    if ALIGN_PIPE not in nlp.pipe_names:
        return {"judgements": len(links), "used": 0, "outcome": "skipped", "reason": f"no {ALIGN_PIPE} in the pipeline"}
    aligner: Any = nlp.get_pipe(ALIGN_PIPE)
    scorer = aligner.scorer
    texts = article_texts(folders, {j.article for j in links})
    pairs: list[JudgedPair] = []
    skipped: list[dict[str, Any]] = []
    by_article: dict[str, list[LinkJudgement]] = {}
    for judgement in links:
        by_article.setdefault(judgement.article, []).append(judgement)
    for doc_id, judged in by_article.items():
        text = texts.get(doc_id)
        if text is None:
            skipped += [{"article": doc_id, "event_id": j.event_id, "entry_id": j.entry_id,
                         "reason": "the article's text is not in the output folder the corrections came from"}
                        for j in judged]
            continue
        doc = nlp(text)
        scored = {(p.event_id, p.entry_id): p for p in score_pairs(gather_events(doc), gather_entries(doc), scorer)}
        for j in judged:
            pair = scored.get((j.event_id, j.entry_id))
            if pair is None:
                skipped.append({"article": doc_id, "event_id": j.event_id, "entry_id": j.entry_id,
                                "reason": "this pipeline does not find that event or entry in the article"})
                continue
            pairs.append(JudgedPair(pair.score, scorer.evidence_without_date(pair.signals), j.answer))
    before = scorer.threshold
    after = tune_threshold(pairs, before, scorer.min_evidence)
    report: dict[str, Any] = {
        "judgements": len(links),
        "used": len(pairs),
        "accepted": sum(p.answer == "accept" for p in pairs),
        "rejected": sum(p.answer == "reject" for p in pairs),
        "threshold": {"before": before, "learnt": after},
        "agreement": {"before": agreement(pairs, before, scorer.min_evidence),
                      "learnt": agreement(pairs, after, scorer.min_evidence)},
        "skipped": skipped,
    }
    if after == before:
        report.update(outcome="unchanged", reason="the current threshold agrees with the judgements as well as any")
        return report
    if gold_f1 is not None:
        f1_before = gold_f1(nlp)
        aligner.learn(after, len(pairs))
        f1_after = gold_f1(nlp)
        report["gold_f1"] = {"before": round(f1_before, 4), "learnt": round(f1_after, 4)}
        if f1_after < f1_before - margin:
            aligner.learn(before, len(pairs))
            aligner.learnt = None
            report.update(outcome="refused", reason=f"the alignment gold F1 would fall from {f1_before:.3f} to {f1_after:.3f}")
            return report
    else:
        aligner.learn(after, len(pairs))
        report["gold_f1"] = None
    report.update(outcome="learnt", reason="")
    return report
