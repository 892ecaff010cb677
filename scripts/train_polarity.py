"""Train the polarity text classifier (spaCy textcat, exclusive classes) on labelled examples.

Deterministic for a given seed, CPU only.  Splits by ``article`` so sentences of one made-up
article never sit on both sides; reports dev accuracy and macro-F1, then (by default) trains
the shipped model on every example with the same settings.

    .venv/bin/python scripts/train_polarity.py --output models/polarity-v1
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import spacy
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from pipeline.evaluation.events import polarity_scores  # noqa: E402
from pipeline.events.lexicon import POLARITIES  # noqa: E402

DEFAULT_DATA = REPO_ROOT / "corpus" / "training" / "polarity_examples.jsonl"
DEFAULT_OUTPUT = REPO_ROOT / "models" / "polarity-v1"
TEXTCAT_MODEL = {
    "@architectures": "spacy.TextCatBOW.v3",
    "exclusive_classes": True,
    "ngram_size": 2,
    "no_output_layer": False,
    "length": 2**16,
}


def read_examples(path: Path) -> list[dict[str, str]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("label") not in POLARITIES:
            raise SystemExit(f"{path}, line {number}: label {row.get('label')!r} is not a polarity")
        rows.append(row)
    return rows


def split_by_article(
    rows: list[dict[str, str]], dev_share: float, seed: int
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    articles = sorted({r["article"] for r in rows})
    random.Random(seed).shuffle(articles)
    dev_articles = set(articles[: max(1, int(len(articles) * dev_share))])
    train = [r for r in rows if r["article"] not in dev_articles]
    dev = [r for r in rows if r["article"] in dev_articles]
    return train, dev


def build(seed: int) -> spacy.language.Language:
    fix_random_seed(seed)
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat", config={"model": TEXTCAT_MODEL})
    for label in POLARITIES:
        textcat.add_label(label)  # type: ignore[attr-defined]
    return nlp


def train(rows: list[dict[str, str]], epochs: int, seed: int) -> spacy.language.Language:
    nlp = build(seed)
    examples = [
        Example.from_dict(
            nlp.make_doc(r["text"]), {"cats": {p: float(p == r["label"]) for p in POLARITIES}}
        )
        for r in rows
    ]
    optimizer = nlp.initialize(lambda: examples, sgd=None)
    order = random.Random(seed)
    for _ in range(epochs):
        batch_order = list(examples)
        order.shuffle(batch_order)
        losses: dict[str, float] = {}
        for batch in minibatch(batch_order, size=16):
            nlp.update(batch, sgd=optimizer, losses=losses, drop=0.2)
    return nlp


def predict(nlp: spacy.language.Language, texts: list[str]) -> list[str]:
    return [max(doc.cats, key=lambda k: doc.cats[k]) for doc in nlp.pipe(texts)]


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
    rows = read_examples(args.data)
    train_rows, dev_rows = split_by_article(rows, args.dev_share, args.seed)
    dev_model = train(train_rows, args.epochs, args.seed)
    dev_pred = predict(dev_model, [r["text"] for r in dev_rows])
    dev_scores = polarity_scores([r["label"] for r in dev_rows], dev_pred)
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
        final = train(rows, args.epochs, args.seed)
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
