"""Sentence and chronology-entry polarity, and main-event roles, against gold.

Test sets, reported apart:
- a real-text set (``--gold``, default ``corpus/gold/real``; texts retrieved outside the
  repository into ``--texts``): every labelled narrative sentence and chronology entry, per
  kind of text; and, for the entries, whether the main event's source and target are right;
- the seed article's 26 chronology entries (``corpus/gold/seed_chronology_polarity.jsonl``
  and ``seed_chronology_roles.jsonl``): polarity and roles;
- the fixed test split of the written sentence set (``corpus/training/polarity-v2``).

A sentence's or entry's predicted polarity is the one its record gives it (the unit's, which
its main event carries); a unit given none counts as wrong ("none" column). Roles compare
the actor mentions of the record's main event with the gold mentions (``role_agreement``).

Usage: .venv/bin/python scripts/evaluate_sentence_polarity.py --texts DIR [--gold DIR]
       [--no-written] [--mode M] [--errors N] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SEED = REPO.parent / "shared" / "seeds" / "000_ed224ae42dbf410d.txt"

from pipeline.evaluation.events import format_confusion, polarity_scores, role_agreement  # noqa: E402
from pipeline.evaluation.realdev import holding_unit, load_pairs, main_roles, polarity_rows  # noqa: E402


def _label(value: str | None) -> str:
    # A unit the pipeline gave no polarity is scored as a wrong answer, not as neutral.
    return value if value is not None else "none"


def _annotate(nlp: Any, paths: list[Path]) -> dict[str, dict[str, Any]]:
    from pipeline.annotate import annotate

    with tempfile.TemporaryDirectory() as tmp:
        annotate(paths, Path(tmp), nlp)
        lines = (Path(tmp) / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["doc_id"]: json.loads(line) for line in lines}


def _report(name: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    scores = polarity_scores([r["gold"] for r in rows], [r["predicted"] for r in rows])
    print(f"{name} (n={scores['n']}): accuracy {scores['accuracy']}, macro-F1 {scores['macro_f1']}")
    print(format_confusion(scores["confusion"]))
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", required=True)
    parser.add_argument("--gold", default=str(REPO / "corpus" / "gold" / "real"))
    parser.add_argument("--no-written", action="store_true", help="skip the written test split")
    parser.add_argument("--mode", choices=["lexicon", "classifier", "combined"],
                        help="polarity mode of the events stage (default: the packaged config's)")
    parser.add_argument("--classifier-weight", type=float, help="weight of the classifier in combined mode")
    parser.add_argument("--errors", type=int, default=20, help="print the N most confident errors")
    parser.add_argument("--json", type=Path, help="write every score and row here")
    args = parser.parse_args()

    from pipeline.nlp import build_pipeline

    nlp = build_pipeline()
    events = nlp.get_pipe("dipl_events")
    if args.mode:
        events.mode = args.mode  # type: ignore[attr-defined]
    if args.classifier_weight is not None:
        events.classifier_weight = args.classifier_weight  # type: ignore[attr-defined]
    pairs = load_pairs(Path(args.gold), Path(args.texts))
    records = _annotate(nlp, [p for _, p in pairs] + [SEED])
    by_path = {r["source"]["path"]: r for r in records.values()}
    missing = [g.id for g, p in pairs if str(p) not in by_path]
    if missing:
        # A text that failed would silently leave the score: say so and stop.
        print(f"no record for {', '.join(missing)} (annotation failed); nothing scored", file=sys.stderr)
        return 1
    sentences, entries = polarity_rows(pairs, {g.id: by_path[str(p)] for g, p in pairs})
    results: dict[str, Any] = {"real_sentences": _report("real sentences", sentences)}
    for kind in sorted({r["kind"] for r in sentences}):
        scores = polarity_scores([r["gold"] for r in sentences if r["kind"] == kind],
                                 [r["predicted"] for r in sentences if r["kind"] == kind])
        print(f"  {kind} (n={scores['n']}): accuracy {scores['accuracy']}, macro-F1 {scores['macro_f1']}")
        results[f"real_sentences:{kind}"] = scores
    results["real_entries"] = _report("real chronology entries", entries)
    results["real_entry_roles"] = role_agreement(
        [(r["source"], r["target"], r["gold_source"], r["gold_target"]) for r in entries]
    )
    print("real chronology entries, main-event roles:", results["real_entry_roles"])

    seed = records[SEED.stem]
    polarity = [json.loads(x) for x in (REPO / "corpus" / "gold" / "seed_chronology_polarity.jsonl").read_text().splitlines() if x]
    roles = {json.loads(x)["entry_index"]: json.loads(x) for x in (REPO / "corpus" / "gold" / "seed_chronology_roles.jsonl").read_text().splitlines() if x}
    seed_rows = []
    for g in polarity:
        unit = holding_unit(seed["chronology"], g["main_trigger"]["start"])
        source, target = main_roles(seed, unit)
        seed_rows.append({"gold": g["polarity"], "predicted": _label(unit and unit.get("polarity")),
                          "confidence": (unit or {}).get("confidence") or 0.0, "text": unit["text"] if unit else "",
                          "source": source, "target": target,
                          "gold_source": roles[g["entry_index"]]["source"], "gold_target": roles[g["entry_index"]]["target"]})
    results["seed_entries"] = _report("seed chronology entries", seed_rows)
    results["seed_entry_roles"] = role_agreement(
        [(r["source"], r["target"], r["gold_source"], r["gold_target"]) for r in seed_rows]
    )
    print("seed chronology entries, main-event roles:", results["seed_entry_roles"])

    if not args.no_written:
        from pipeline.training.gold import bare_text_polarity
        from pipeline.training.sentences import read_sentences, split

        _, test = split(read_sentences())
        predicted = bare_text_polarity(nlp, [r.text for r in test])
        written = [{"gold": row.label, "predicted": p, "style": row.style, "text": row.text}
                   for row, p in zip(test, predicted, strict=True)]
        results["written_test"] = _report("written test split", written)
    errors = sorted((r for r in sentences + entries if r["predicted"] != r["gold"]), key=lambda r: -r["confidence"])
    if args.errors:
        print(f"\nthe {args.errors} most confident errors on the real set:")
        for r in errors[: args.errors]:
            print(f"  {r['confidence']:.2f} gold {r['gold']}, predicted {r['predicted']}: {r['text'][:150]!r}")
    if args.json:
        results["rows"] = {"sentences": sentences, "entries": entries, "seed": seed_rows}
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
