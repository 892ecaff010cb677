"""Time the polarity training on about 2,000 examples (the shipped set, augmented).

The shipped sentences are repeated with small variations (a trailing phrase) until the set
holds ``--size`` examples, for the benchmark only; nothing is written to the repository.

    .venv/bin/python scripts/benchmark_training.py [--size 2000] [--epochs 20]
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
from pipeline.training.data import LabelledExample, read_shipped, split_by_article  # noqa: E402
from pipeline.training.textcat import TextcatItem, predict, train_textcat  # noqa: E402

SHIPPED = REPO_ROOT / "corpus" / "training" / "polarity_examples.jsonl"
TAILS = ["", " officials said", " according to state media", " on Tuesday", " last month",
         " the ministry confirmed"]


def augmented(size: int) -> list[LabelledExample]:
    base = read_shipped(SHIPPED)
    out: list[LabelledExample] = []
    round_ = 0
    while len(out) < size:
        tail = TAILS[round_ % len(TAILS)]
        for e in base:
            if len(out) == size:
                break
            text = e.text.rstrip(".") + tail + "."
            out.append(e.model_copy(update={"text": text}))  # copies stay in their article
        round_ += 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    examples = augmented(args.size)
    started = time.perf_counter()
    train, dev = split_by_article(examples, 0.2, args.seed)
    dev_model = train_textcat(
        [TextcatItem(e.text, e.label) for e in train], epochs=args.epochs, seed=args.seed
    )
    dev_scores = polarity_scores([e.label for e in dev], predict(dev_model, [e.text for e in dev]))
    dev_seconds = time.perf_counter() - started
    final_start = time.perf_counter()
    train_textcat([TextcatItem(e.text, e.label) for e in examples], epochs=args.epochs,
                  seed=args.seed)
    final_seconds = time.perf_counter() - final_start
    print(json.dumps({
        "examples": len(examples),
        "epochs": args.epochs,
        "dev_run_seconds": round(dev_seconds, 1),
        "final_run_seconds": round(final_seconds, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
        "dev_macro_f1_on_augmented_set": dev_scores["macro_f1"],
    }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
