"""Score narrative-chronology alignment on the seed article's gold links.

Runs the packaged pipeline plus whichever of dipl_actors, dipl_agreements and dipl_events can
be loaded, then aligns.  With events on the Doc it scores what ``dipl_align`` writes; without
them (or with --interim) it aligns one pseudo-event per narrative sentence instead, and says so.

Usage: .venv/bin/python scripts/evaluate_alignment.py [--article PATH --gold PATH] [--interim]
       [--errors] [--no-extra-stages]
Defaults: the seed article and corpus/gold/seed_alignment.jsonl.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from spacy.language import Language

import pipeline.components.align  # noqa: F401  (registers dipl_align)
from pipeline import extensions as ext
from pipeline.components.align import ChronologyAligner, find_alignment, narrative_mentions
from pipeline.evaluation.alignment import (
    interim_entries,
    interim_events,
    predictions_from_doc,
    predictions_from_links,
    read_gold,
    score_alignment,
)
from pipeline.nlp import build_pipeline

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED = REPO_ROOT.parent / "shared" / "seeds" / "000_ed224ae42dbf410d.txt"
GOLD = REPO_ROOT / "corpus" / "gold" / "seed_alignment.jsonl"
# Stages that may not be in the packaged config yet: (factory, module, insert before).
EXTRA_STAGES = [
    ("dipl_actors", "pipeline.components.actors", "dipl_dates"),
    ("dipl_agreements", "pipeline.components.agreements", None),
    ("dipl_events", "pipeline.components.events", None),
]


def alignment_nlp(extra_stages: bool) -> tuple[Language, list[str]]:
    nlp = build_pipeline()
    notes = []
    for factory, module, before in EXTRA_STAGES if extra_stages else []:
        if factory in nlp.pipe_names:
            continue
        try:
            importlib.import_module(module)
        except ImportError as exc:
            notes.append(f"{factory} not available: {exc}")
            continue
        if before and before in nlp.pipe_names:
            nlp.add_pipe(factory, before=before)
        else:
            nlp.add_pipe(factory)
    return nlp, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--interim", action="store_true",
                        help="align one pseudo-event per sentence even when events exist")
    parser.add_argument("--errors", action="store_true", help="list false positives and misses")
    parser.add_argument("--article", type=Path, default=SEED, help="article text file")
    parser.add_argument("--gold", type=Path, default=GOLD, help="gold links (JSONL) for --article")
    parser.add_argument("--no-extra-stages", action="store_true",
                        help="run only the stages of the packaged config")
    args = parser.parse_args(argv)
    nlp, notes = alignment_nlp(not args.no_extra_stages)
    text = args.article.read_text(encoding="utf-8")
    doc = nlp(text)
    if doc.text != text:
        print(f"E030: {args.article}: the reading text differs from the file text; gold offsets "
              "would not hold", file=sys.stderr)
        return 1
    if ext.EVENTS in doc.spans and not args.interim:
        source = "events from dipl_events, aligned by dipl_align"
        if "dipl_align" not in nlp.pipe_names:
            doc = nlp.add_pipe("dipl_align")(doc)
        predicted = predictions_from_doc(doc)
        summary = doc._.alignment_summary
    else:
        source = "INTERIM: one pseudo-event per narrative/caption sentence (no event stage)"
        align = nlp.get_pipe("dipl_align") if "dipl_align" in nlp.pipe_names \
            else nlp.add_pipe("dipl_align")
        assert isinstance(align, ChronologyAligner)
        events = interim_events(doc)
        actors, agreements = narrative_mentions(doc)
        links, summary = find_alignment(events, interim_entries(doc), align.scorer, actors,
                                        agreements)
        predicted = predictions_from_links(events, links)
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    scores = score_alignment(read_gold(args.gold), predicted, sentences).model_dump()
    if args.errors:
        for item in scores["false_positives"]:
            start, end = item["sentence"]
            item["sentence_text"] = text[start:end][:120]
        for item in scores["misses"]:
            item["passage_text"] = text[item["passage_start"]:item["passage_end"]][:120]
    else:
        scores["false_positives"] = len(scores["false_positives"])
        scores["misses"] = len(scores["misses"])
    report = {
        "article": str(args.article),
        "input": source,
        "stages": nlp.pipe_names,
        "notes": notes,
        "scores": scores,
        "summary": {
            "entries_without_narrative": summary["entries_without_narrative"],
            "events_without_entry": len(summary["events_without_entry"]),
            "dated_differently": len(summary["dated_differently"]),
            "spelled_differently": summary["spelled_differently"],
        },
    }
    json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
