"""Train the polarity text classifier (spaCy textcat, exclusive classes) on labelled examples.

Deterministic for a given seed, CPU only.  Splits by ``article`` so sentences of one made-up
article never sit on both sides; reports dev accuracy and macro-F1, then (by default) trains
the shipped model on every example with the same settings.  The training code is shared
with ``ccpipeline train`` (``pipeline/training/textcat.py``).

    .venv/bin/python scripts/train_polarity.py --output pipeline/data/polarity-v1
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from pipeline.evaluation.events import polarity_scores  # noqa: E402
from pipeline.training.data import read_shipped, split_by_article  # noqa: E402
from pipeline.training.textcat import (  # noqa: E402
    TEXTCAT_MODEL,
    TextcatItem,
    predict,
    train_textcat,
)

DEFAULT_DATA = REPO_ROOT / "corpus" / "training" / "polarity_examples.jsonl"
DEFAULT_OUTPUT = REPO_ROOT / "pipeline" / "data" / "polarity-v1"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--dev-share", type=float, default=0.2)
    parser.add_argument(
        "--dev-only", action="store_true", help="report dev scores, do not write the model"
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    rows = read_shipped(args.data)
    train_rows, dev_rows = split_by_article(rows, args.dev_share, args.seed)
    dev_model = train_textcat(
        [TextcatItem(r.text, r.label) for r in train_rows], epochs=args.epochs, seed=args.seed
    )
    dev_pred = predict(dev_model, [r.text for r in dev_rows])
    dev_scores = polarity_scores([r.label for r in dev_rows], dev_pred)
    report = {
        "data": str(
            args.data.relative_to(REPO_ROOT) if args.data.is_relative_to(REPO_ROOT) else args.data
        ),
        "examples": len(rows),
        "train_examples": len(train_rows),
        "dev_examples": len(dev_rows),
        "seed": args.seed,
        "epochs": args.epochs,
        "architecture": TEXTCAT_MODEL["@architectures"],
        "dev": dev_scores,
    }
    if not args.dev_only:
        final = train_textcat(
            [TextcatItem(r.text, r.label) for r in rows], epochs=args.epochs, seed=args.seed
        )
        final.meta["name"] = "polarity"
        final.meta["version"] = "1.0.0"
        final.meta["description"] = "Event polarity textcat trained by scripts/train_polarity.py"
        args.output.mkdir(parents=True, exist_ok=True)
        final.to_disk(args.output)
        report["seconds"] = round(time.perf_counter() - started, 1)
        (args.output / "training_report.json").write_text(
            json.dumps(report, indent=2) + "\n", encoding="utf-8"
        )
    else:
        report["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
