"""Score the date stage on the seed article's gold and on the outside temporal test cases.

Usage: .venv/bin/python scripts/evaluate_dates.py [--article PATH --gold PATH] [--no-peer]
       [--errors] [--disagreements]
Defaults: the seed article and corpus/gold/seed_dates.jsonl.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from spacy.language import Language

import pipeline.components.dates  # noqa: F401  (registers dipl_dates)
from pipeline.components.segmenter import write_structure
from pipeline.dates.normalize import normalize
from pipeline.evaluation.dates import (
    PredictedDate,
    peer_agreement,
    predictions_from_doc,
    read_cases,
    read_gold,
    score_dates,
)
from pipeline.model import load_base_model
from pipeline.segment import segment_article

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_ed224ae42dbf410d.txt"
GOLD = REPO_ROOT / "corpus" / "gold" / "seed_dates.jsonl"
PEER = SHARED / "peer" / "temporal_cases.jsonl"


def date_nlp() -> Language:
    nlp = load_base_model()
    nlp.add_pipe("dipl_dates")
    return nlp


def annotate_article(nlp: Language, text: str) -> list[PredictedDate]:
    """Structure from the lead's segmenter (run on the raw file text, so gold offsets hold),
    then the statistical model and the date stage."""
    doc = nlp.make_doc(text)
    write_structure(doc, segment_article(doc.text))
    for _, component in nlp.pipeline:
        doc = component(doc)
    return predictions_from_doc(doc)


def annotate_case(nlp: Language, text: str, reference_day: str | None) -> list[PredictedDate]:
    doc = nlp.make_doc(text)
    doc._.metadata = (
        {"document_date": {"value": reference_day, "anchor": "dateline"}, "published": reference_day[:7]}
        if reference_day
        else {}
    )
    for _, component in nlp.pipeline:
        doc = component(doc)
    return predictions_from_doc(doc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--article", type=Path, default=SEED, help="article text file")
    parser.add_argument("--gold", type=Path, default=GOLD, help="gold dates (JSONL) for --article")
    parser.add_argument("--no-peer", action="store_true", help="skip the outside temporal cases")
    parser.add_argument("--errors", action="store_true", help="list article errors")
    parser.add_argument("--disagreements", action="store_true", help="list peer disagreements")
    args = parser.parse_args(argv)
    nlp = date_nlp()
    predicted = annotate_article(nlp, args.article.read_text(encoding="utf-8"))
    scores = score_dates(read_gold(args.gold), predicted)
    report = scores.model_dump()
    if not args.errors:
        report["errors"] = len(report["errors"])
    result: dict[str, object] = {"article": str(args.article), "seed": report}
    if not args.no_peer:
        peer = peer_agreement(
            read_cases(PEER),
            lambda text, ref: annotate_case(nlp, text, ref),
            lambda found: normalize(found.text).underspecified,
        )
        if not args.disagreements:
            peer["disagreements"] = len(peer["disagreements"])
        result["peer"] = peer
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
