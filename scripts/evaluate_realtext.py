"""Score the pipeline on the real-text development set (docs/realtext_gold.md).

The texts are retrieved outside the repository (one ``<id>.txt`` per manifest row, see
scripts/fetch_realtext.md); the gold is ``corpus/gold/real/<id>.json``. Prints one table per
kind group and field, like the figures in the issue tracker, and writes the details to
``--details`` as JSON.

Usage:
  .venv/bin/python scripts/evaluate_realtext.py --texts /work/realtext/texts [--details out.json]
  .venv/bin/python scripts/evaluate_realtext.py --texts DIR --validate   # check gold locators only
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.evaluation.realtext import (  # noqa: E402
    FIGURES,
    check_gold,
    read_gold,
    score_record,
    summarise,
)

GROUPS = {
    "CC web": ["article"],
    "CC PDF": ["article-pdf"],
    "republished": ["republication"],
    "chronology": ["chronology"],
    "news": ["news"],
    "all": ["article", "article-pdf", "republication", "chronology", "news"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", required=True, help="folder of retrieved <id>.txt texts")
    parser.add_argument("--gold", default=str(REPO / "corpus" / "gold" / "real"))
    parser.add_argument("--validate", action="store_true", help="only check that the gold resolves")
    parser.add_argument("--details", help="write per-text scores and errors to this JSON file")
    parser.add_argument("--only", nargs="*", help="score only these ids")
    parser.add_argument("--model", help="spaCy model name or path (as for annotate --model)")
    args = parser.parse_args()

    texts_dir = Path(args.texts)
    golds = sorted(Path(args.gold).glob("*.json"))
    if args.only:
        golds = [g for g in golds if g.stem in set(args.only)]
    if not golds:
        print(f"no gold files in {args.gold}", file=sys.stderr)
        return 2
    pairs = []
    problems = 0
    for path in golds:
        gold = read_gold(path)
        text_path = texts_dir / f"{gold.id}.txt"
        if not text_path.exists():
            print(f"{gold.id}: text not retrieved ({text_path})", file=sys.stderr)
            problems += 1
            continue
        text = text_path.read_text(encoding="utf-8")
        for problem in check_gold(gold, text):
            print(f"{gold.id}: {problem}", file=sys.stderr)
            problems += 1
        pairs.append((gold, text_path))
    if args.validate:
        print(f"{len(golds)} gold files, {problems} problems")
        return 1 if problems else 0
    if problems:
        print(f"{problems} gold problems: fix them first (--validate)", file=sys.stderr)
        return 1

    from pipeline.annotate import annotate
    from pipeline.model import resolve_model_name
    from pipeline.nlp import build_pipeline

    nlp = build_pipeline(args.model)
    with tempfile.TemporaryDirectory() as tmp:
        summary = annotate([p for _, p in pairs], Path(tmp), nlp, model_name=resolve_model_name(args.model))
        records = {
            json.loads(line)["source"]["path"]: json.loads(line)
            for line in (Path(tmp) / "articles.jsonl").read_text(encoding="utf-8").splitlines()
        }
    for error in summary.errors:
        print(f"{error.path}: {error.code} {error.message}", file=sys.stderr)
    from pipeline.registry.agreements import packaged_agreements

    registry_ids = frozenset(entry.canonical_id for entry in packaged_agreements())
    scores = []
    for gold, path in pairs:
        record = records.get(str(path))
        if record is None:
            # A failed article scores as an empty record: every gold label counts as missed.
            print(f"{gold.id}: no record (failed); scored as empty", file=sys.stderr)
            record = {"text": path.read_text(encoding="utf-8"), "metadata": {}}
        scores.append(score_record(record, gold, registry_ids))
    table = summarise(scores, GROUPS)
    names = [name for name, *_ in FIGURES]
    width = max(len(n) for n in names)
    header = f"{'figure':<{width}}  " + "  ".join(f"{g:>14}" for g in GROUPS)
    print(f"{len(scores)} texts scored")
    print(header)
    for name in names:
        cells = []
        for group in GROUPS:
            n, d, ratio = table[group][name]
            cells.append(f"{'–':>14}" if not d else f"{ratio:>6.3f} {n:>3}/{d:<4}")
        print(f"{name:<{width}}  " + "  ".join(cells))
    if args.details:
        Path(args.details).write_text(json.dumps({"table": table, "texts": scores}, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
