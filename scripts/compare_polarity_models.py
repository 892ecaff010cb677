"""Side-by-side comparison of polarity classifiers, each trained on the same data.

Training data: the written sentence set (``corpus/training/polarity-v2``) without its fixed
test split, plus ``corpus/training/polarity_examples.jsonl``. Test sets, reported apart and
never trained on: the written test split; the real development set's labelled sentences and
chronology entries (``corpus/gold/real``); the real held-out set (``corpus/gold/real-heldout``,
when ``--heldout-texts`` is given); the seed's 26 chronology entries; the PETRARCH peer
cases.

Candidates: the lexicon's main event alone (``lexicon``), a bag of words over the unit's
tokens (``bow``), the same plus the feature words of ``pipeline.events.features``
(``bow+features``), and spaCy's ensemble (a CNN over hashed embeddings beside the bag of
words) with and without the feature words.

The units' words are cached (``--cache``), so the candidates can be retrained quickly.

Usage: .venv/bin/python scripts/compare_polarity_models.py --texts DIR [--heldout-texts DIR]
       [--candidates bow,bow+features] [--epochs N] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"

from pipeline.evaluation.events import format_confusion, polarity_scores  # noqa: E402
from pipeline.evaluation.realtext import find_locator, read_gold  # noqa: E402
from pipeline.events.features import FEATURE_PREFIX  # noqa: E402

CANDIDATES = ("lexicon", "bow", "bow+features", "bow+features+lexicon3", "ensemble", "ensemble+features")
SEED = SHARED / "seeds" / "000_ed224ae42dbf410d.txt"


def _read(path: Path) -> str:
    """The article text as the pipeline reads it (encoding, PDF extraction, layout noise)."""
    from pipeline.inputs import ArticleInput, read_articles

    item = next(iter(read_articles([path])))
    if not isinstance(item, ArticleInput):
        raise SystemExit(f"{path}: {item.code} {item.message}")
    return item.text


def _article_units(nlp: Any, paths: list[Path], golds: list[Any]) -> list[dict[str, Any]]:
    """(words, label, set) for every labelled sentence and entry of the real texts."""
    from pipeline.components.events import find_doc_events
    from pipeline.events.units import doc_units

    lexicon = nlp.get_pipe("dipl_events").lexicon
    rows: list[dict[str, Any]] = []
    with nlp.select_pipes(disable=["dipl_align"]):
        for path, gold in zip(paths, golds, strict=True):
            raw = _read(path)  # the tokenizer normalises quotes in place: offsets are the raw text's
            doc = nlp(raw)
            units = doc_units(doc, find_doc_events(doc, lexicon), [(s, None) for s in doc.sents])
            for sentence in gold.sentences:
                at = find_locator(raw, sentence.locator)
                unit = next(u for u in units if u.kind == "sentence" and u.span.start_char <= at < u.span.end_char)
                rows.append({"words": unit.words(), "label": sentence.polarity, "kind": "sentence", "text": unit.span.text, "doc": gold.id})
            for entry in gold.chronology.entries if gold.chronology else []:
                if entry.polarity is None:
                    continue
                at = find_locator(raw, entry.locator)
                unit = next(
                    (u for u in units if u.kind == "entry" and u.span.start_char - 40 <= at < u.span.end_char),
                    None,
                )
                if unit is None:
                    unit = next(u for u in units if u.kind == "sentence" and u.span.start_char <= at < u.span.end_char)
                rows.append({"words": unit.words(), "label": entry.polarity, "kind": "entry", "text": unit.span.text, "doc": gold.id})
    return rows


def _seed_units(nlp: Any) -> list[dict[str, Any]]:
    from pipeline.components.events import find_doc_events
    from pipeline.events.units import doc_units

    lexicon = nlp.get_pipe("dipl_events").lexicon
    gold = [json.loads(line) for line in (REPO / "corpus" / "gold" / "seed_chronology_polarity.jsonl").read_text().splitlines() if line.strip()]
    with nlp.select_pipes(disable=["dipl_align"]):
        doc = nlp(_read(SEED))
    units = [u for u in doc_units(doc, find_doc_events(doc, lexicon), []) if u.kind == "entry"]
    rows = []
    for g in gold:
        unit = next(u for u in units if u.span.start_char - 40 <= g["main_trigger"]["start"] < u.span.end_char)
        rows.append({"words": unit.words(), "label": g["polarity"], "kind": "entry", "text": unit.span.text, "doc": "seed"})
    return rows


def build_sets(texts: Path, heldout: Path | None) -> dict[str, list[dict[str, Any]]]:
    from pipeline.events.units import bare_text_words
    from pipeline.nlp import build_pipeline
    from pipeline.training.data import read_shipped
    from pipeline.training.sentences import read_sentences, split

    nlp = build_pipeline()
    train_rows, test_rows = split(read_sentences())
    old = read_shipped(REPO / "corpus" / "training" / "polarity_examples.jsonl")
    sets: dict[str, list[dict[str, Any]]] = {}
    train_texts = [r.text for r in train_rows] + [e.text for e in old]
    train_labels = [r.label for r in train_rows] + [e.label for e in old]
    train_styles = [r.style for r in train_rows] + ["old" for _ in old]
    sets["train"] = [
        {"words": w, "label": label, "style": style, "text": text}
        for w, label, style, text in zip(bare_text_words(nlp, train_texts), train_labels, train_styles, train_texts, strict=True)
    ]
    sets["written_test"] = [
        {"words": w, "label": r.label, "style": r.style, "text": r.text}
        for w, r in zip(bare_text_words(nlp, [r.text for r in test_rows]), test_rows, strict=True)
    ]
    for name, folder, gold_dir in (("real", texts, REPO / "corpus" / "gold" / "real"),
                                   ("heldout", heldout, REPO / "corpus" / "gold" / "real-heldout")):
        if folder is None:
            continue
        golds = [read_gold(p) for p in sorted(gold_dir.glob("*.json"))]
        rows = _article_units(nlp, [folder / f"{g.id}.txt" for g in golds], golds)
        sets[f"{name}_sentences"] = [r for r in rows if r["kind"] == "sentence"]
        sets[f"{name}_entries"] = [r for r in rows if r["kind"] == "entry"]
    sets["seed_entries"] = _seed_units(nlp)
    cases = [json.loads(line) for line in (SHARED / "peer" / "petrarch_events.jsonl").read_text().splitlines() if line.strip()]
    cases = [c for c in cases if c["polarity"] not in ("no_event", "mixed")]
    sets["petrarch"] = [
        {"words": w, "label": c["polarity"], "text": c["text"]}
        for w, c in zip(bare_text_words(nlp, [c["text"] for c in cases]), cases, strict=True)
    ]
    return sets


def _strip(words: list[str]) -> list[str]:
    return [w for w in words if not w.startswith(FEATURE_PREFIX)]


def _lexicon_thrice(words: list[str]) -> list[str]:
    """The lexicon's feature words three times: a stronger prior in the linear model."""
    lexicon = [w for w in words if w.startswith(("__lex_", "__fam_", "__frame_"))]
    return words + lexicon + lexicon


def _lexicon_label(words: list[str]) -> str:
    for polarity in ("escalatory", "de-escalatory", "neutral"):
        if f"__lex_{polarity}" in words:
            return polarity
    return "neutral"


def run(sets: dict[str, list[dict[str, Any]]], candidates: list[str], epochs: int, seed: int) -> dict[str, Any]:
    from pipeline.training.textcat import TextcatItem, predict_words, train_textcat

    results: dict[str, Any] = {}
    test_names = [n for n in sets if n != "train"]
    for candidate in candidates:
        started = time.perf_counter()
        if candidate == "lexicon":
            predictor = lambda words_list: [_lexicon_label(w) for w in words_list]  # noqa: E731
        else:
            architecture, _, features = candidate.partition("+")
            if features.endswith("lexicon3"):
                view = _lexicon_thrice
            else:
                view = (lambda w: w) if features else _strip
            items = [TextcatItem(" ".join(r["words"]), r["label"], 1, tuple(view(r["words"]))) for r in sets["train"]]
            model = train_textcat(items, epochs=epochs, seed=seed, architecture=architecture)

            def predictor(words_list: list[list[str]], model: Any = model, view: Any = view) -> list[str]:
                return [max(s, key=lambda k: s[k]) for s in predict_words(model, [view(w) for w in words_list])]

        trained = time.perf_counter() - started
        results[candidate] = {"train_seconds": round(trained, 1)}
        for name in test_names:
            rows = sets[name]
            predicted = predictor([r["words"] for r in rows])
            scores = polarity_scores([r["label"] for r in rows], predicted)
            scores["errors"] = [
                {"text": r["text"][:160], "gold": r["label"], "predicted": p}
                for r, p in zip(rows, predicted, strict=True) if p != r["label"]
            ]
            results[candidate][name] = scores
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=Path, required=True)
    parser.add_argument("--heldout-texts", type=Path)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/polarity_units.json"))
    parser.add_argument("--rebuild", action="store_true", help="recompute the cached units")
    parser.add_argument("--candidates", default=",".join(CANDIDATES))
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--confusion", action="store_true")
    args = parser.parse_args()
    if args.rebuild or not args.cache.exists():
        sets = build_sets(args.texts, args.heldout_texts)
        args.cache.write_text(json.dumps(sets), encoding="utf-8")
    sets = json.loads(args.cache.read_text(encoding="utf-8"))
    candidates = [c for c in args.candidates.split(",") if c]
    unknown = sorted(set(candidates) - set(CANDIDATES))
    if unknown:
        parser.error(f"unknown candidates {unknown}; use {CANDIDATES}")
    results = run(sets, candidates, args.epochs, args.seed)
    names = [n for n in sets if n != "train"]
    print(f"train n={len(sets['train'])}")
    print("candidate".ljust(20) + "".join(f"{n} (n={len(sets[n])})".rjust(26) for n in names))
    for candidate, scores in results.items():
        cells = "".join(f"{scores[n]['accuracy']:.3f} / {scores[n]['macro_f1']:.3f}".rjust(26) for n in names)
        print(candidate.ljust(20) + cells + f"   ({scores['train_seconds']} s)")
    print("(accuracy / macro-F1)")
    if args.confusion:
        for candidate, scores in results.items():
            for n in names:
                print(f"\n{candidate} on {n}:\n{format_confusion(scores[n]['confusion'])}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
