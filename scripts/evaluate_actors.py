"""Score the actor stage on the seed article against corpus/gold/seed_actors.jsonl.

Runs the lead's segmenter (for sections, chronology dates and the period), the statistical
model and ``dipl_actors``; prints P/R/F1 (exact and overlap) and canonical-id accuracy.
Usage: .venv/bin/python scripts/evaluate_actors.py [--gold PATH] [--article PATH] [--details]
       [--regions seed|all]
The seed gold covers only part of the seed article (``--regions seed``, the default for the seed);
for any other article the gold is taken to cover the whole text (``--regions all``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.components.actors import find_actors  # noqa: E402
from pipeline.components.segmenter import write_structure  # noqa: E402
from pipeline.evaluation.actors import read_gold, score_actors, seed_gold_regions  # noqa: E402
from pipeline.model import load_base_model  # noqa: E402
from pipeline.registry.actors import load_registry  # noqa: E402
from pipeline.segment import segment_article  # noqa: E402

SEED = REPO.parent / "shared" / "seeds" / "000_ed224ae42dbf410d.txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold", default=str(REPO / "corpus" / "gold" / "seed_actors.jsonl"))
    parser.add_argument("--article", default=str(SEED))
    parser.add_argument("--details", action="store_true", help="list missed and spurious spans")
    parser.add_argument(
        "--regions",
        choices=["seed", "all"],
        help="what the gold covers (default: seed for the seed article, all otherwise)",
    )
    args = parser.parse_args()
    text = Path(args.article).read_text(encoding="utf-8")
    nlp = load_base_model()
    doc = nlp.make_doc(text)
    write_structure(doc, segment_article(text))
    for _, component in nlp.pipeline:
        doc = component(doc)
    mentions = find_actors(doc, load_registry())
    predicted = [
        {"start": m.start, "end": m.end, "type": m.type, "canonical_id": m.canonical_id}
        for m in mentions
    ]
    regions = args.regions or ("seed" if Path(args.article).resolve() == SEED.resolve() else "all")
    covered = seed_gold_regions(text) if regions == "seed" else None
    report = score_actors(predicted, read_gold(args.gold), covered)
    if not args.details:
        report = {k: v for k, v in report.items() if k not in {"missed", "spurious"}}
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
