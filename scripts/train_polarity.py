"""Train the shipped polarity classifier (``pipeline/data/polarity-v2``).

A spaCy textcat (exclusive classes, bag of unigrams and bigrams) over each sentence's tokens
and the feature words of ``pipeline.events.features`` (main predicate, its arguments,
negation and modality, the lexicon's reading of the main event). Trained on the written
sentence set (``corpus/training/polarity-v2``) without its fixed test split, plus
``corpus/training/polarity_examples.jsonl``; deterministic for a given seed, CPU only. The
report gives the scores on the test split, which is never trained on.
``scripts/compare_polarity_models.py`` compares this model with the alternatives.

    .venv/bin/python scripts/train_polarity.py [--output pipeline/data/polarity-v2] [--dev-only]
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
from pipeline.events.features import FEATURE_VERSION  # noqa: E402
from pipeline.training.data import read_shipped  # noqa: E402
from pipeline.training.sentences import SENTENCES_DIR, read_sentences, split  # noqa: E402
from pipeline.training.textcat import (  # noqa: E402
    TEXTCAT_MODEL,
    TextcatItem,
    predict_words,
    train_words_classifier,
    with_words,
)

DEFAULT_EXAMPLES = REPO_ROOT / "corpus" / "training" / "polarity_examples.jsonl"
DEFAULT_OUTPUT = REPO_ROOT / "pipeline" / "data" / "polarity-v2"


def _relative(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=Path, default=SENTENCES_DIR)
    parser.add_argument("--examples", type=Path, default=DEFAULT_EXAMPLES)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--dev-only", action="store_true", help="report test-split scores, do not write the model")
    args = parser.parse_args(argv)

    from pipeline.nlp import build_pipeline

    started = time.perf_counter()
    nlp = build_pipeline()
    train_rows, test_rows = split(read_sentences(args.sentences), args.sentences)
    examples = read_shipped(args.examples)
    items = with_words(
        nlp,
        [TextcatItem(r.text, r.label) for r in train_rows] + [TextcatItem(e.text, e.label) for e in examples],
    )
    test_items = with_words(nlp, [TextcatItem(r.text, r.label) for r in test_rows])
    model = train_words_classifier(nlp, items, epochs=args.epochs, seed=args.seed)
    predicted = [max(s, key=lambda k: s[k]) for s in predict_words(model, [list(i.words or ()) for i in test_items])]
    by_style: dict[str, dict[str, object]] = {}
    for style in sorted({r.style for r in test_rows}):
        pairs = [(r.label, p) for r, p in zip(test_rows, predicted, strict=True) if r.style == style]
        by_style[style] = polarity_scores([g for g, _ in pairs], [p for _, p in pairs])
    report = {
        "data": {
            "sentences": _relative(args.sentences),
            "examples": _relative(args.examples),
        },
        "train_examples": len(items),
        "test_examples": len(test_items),
        "seed": args.seed,
        "epochs": args.epochs,
        "architecture": TEXTCAT_MODEL["@architectures"],
        "inputs": "tokens + feature words",
        "feature_version": FEATURE_VERSION,
        "test_split": polarity_scores([r.label for r in test_rows], predicted),
        "test_split_by_style": by_style,
    }
    if not args.dev_only:
        model.meta["name"] = "polarity"
        model.meta["version"] = "2.0.0"
        model.meta["description"] = "Sentence and event polarity textcat trained by scripts/train_polarity.py"
        args.output.mkdir(parents=True, exist_ok=True)
        model.to_disk(args.output)
    report["seconds"] = round(time.perf_counter() - started, 1)
    if not args.dev_only:
        (args.output / "training_report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "test_split_by_style"}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
