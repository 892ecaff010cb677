"""Sentence and chronology-entry polarity: the main event of each, against gold.

Two test sets, reported apart:
- the real development set (``corpus/gold/real``, texts retrieved outside the repository):
  every labelled narrative sentence and chronology entry;
- the fixed test split of the written sentence set (``corpus/training/polarity-v2``).

A sentence's and an entry's predicted polarity is the one its record gives it (the polarity
of the unit, which its main event carries); a unit given none counts as wrong.

Usage: .venv/bin/python scripts/evaluate_sentence_polarity.py --texts DIR [--gold DIR] [--no-written]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.evaluation.events import format_confusion, polarity_scores  # noqa: E402
from pipeline.evaluation.realtext import find_locator, read_gold  # noqa: E402


def _sentence_polarity(record: dict, start: int) -> str | None:
    """The polarity the record gives the sentence holding ``start`` (None: it gives none)."""
    sentence = next((s for s in record["sentences"] if s["start"] <= start < s["end"]), None)
    return sentence.get("polarity") if sentence is not None else None


def _entry_polarity(record: dict, start: int) -> str | None:
    """The polarity the record gives the chronology entry holding ``start``."""
    entry = next((c for c in record["chronology"] if c["start"] <= start < c["end"]), None)
    return entry.get("polarity") if entry is not None else None


def _label(value: str | None) -> str:
    # A unit the pipeline gave no polarity is scored as a wrong answer, not as neutral.
    return value if value is not None else "none"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", required=True)
    parser.add_argument("--gold", default=str(REPO / "corpus" / "gold" / "real"))
    parser.add_argument("--no-written", action="store_true", help="skip the written test split")
    parser.add_argument("--mode", choices=["lexicon", "classifier", "combined"],
                        help="polarity mode of the events stage (default: the packaged config's)")
    parser.add_argument("--classifier-weight", type=float, help="weight of the classifier in combined mode")
    args = parser.parse_args()

    from pipeline.annotate import annotate
    from pipeline.nlp import build_pipeline

    nlp = build_pipeline()
    events = nlp.get_pipe("dipl_events")
    if args.mode:
        events.mode = args.mode  # type: ignore[attr-defined]
    if args.classifier_weight is not None:
        events.classifier_weight = args.classifier_weight  # type: ignore[attr-defined]
    golds = [read_gold(p) for p in sorted(Path(args.gold).glob("*.json"))]
    paths = [Path(args.texts) / f"{g.id}.txt" for g in golds]
    with tempfile.TemporaryDirectory() as tmp:
        annotate(paths, Path(tmp), nlp)
        records = {json.loads(line)["doc_id"]: json.loads(line)
                   for line in (Path(tmp) / "articles.jsonl").read_text(encoding="utf-8").splitlines()}
    gold_s, pred_s, gold_e, pred_e = [], [], [], []
    missing = [g.id for g in golds if g.id not in records]
    if missing:
        # A text that failed would silently leave the score: say so and stop.
        print(f"no record for {', '.join(missing)} (annotation failed); nothing scored", file=sys.stderr)
        return 1
    for gold in golds:
        record = records[gold.id]
        for sentence in gold.sentences:
            gold_s.append(sentence.polarity)
            pred_s.append(_label(_sentence_polarity(record, find_locator(record["text"], sentence.locator))))
        for entry in gold.chronology.entries if gold.chronology else []:
            if entry.polarity is None:
                continue
            gold_e.append(entry.polarity)
            pred_e.append(_label(_entry_polarity(record, find_locator(record["text"], entry.locator))))
    for name, gold_labels, predicted in (("real sentences", gold_s, pred_s), ("real chronology entries", gold_e, pred_e)):
        scores = polarity_scores(gold_labels, predicted)
        print(f"{name} (n={scores['n']}): accuracy {scores['accuracy']}, macro-F1 {scores['macro_f1']}")
        print(format_confusion(scores["confusion"]))
    if not args.no_written:
        from pipeline.training.sentences import read_sentences, split

        _, test = split(read_sentences())
        predicted = []
        for doc in nlp.pipe([r.text for r in test]):
            # A bare sentence: the polarity of its first unit (sentence or entry).
            units = doc._.polarity_units or {}
            found = [u["polarity"] for u in units.get("entries", {}).values()]
            found += [units["sentences"][k]["polarity"] for k in sorted(units.get("sentences", {}))]
            predicted.append(_label(found[0] if found else None))
        scores = polarity_scores([r.label for r in test], predicted)
        print(f"written test split (n={scores['n']}): accuracy {scores['accuracy']}, macro-F1 {scores['macro_f1']}")
        print(format_confusion(scores["confusion"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
