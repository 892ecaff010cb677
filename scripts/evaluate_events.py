"""Score event polarity and roles on the seed article's gold, and agreement with PETRARCH cases.

    .venv/bin/python scripts/evaluate_events.py [--mode lexicon|classifier|combined]
        [--article PATH --gold-chronology PATH [--gold-section PATH]] [--no-petrarch]

Gold: corpus/gold/seed_chronology_polarity.jsonl (the 26 entries' main-event polarity) and
corpus/gold/seed_big_thaw_events.jsonl (the events of "The Big Thaw").  Outside reference:
../shared/peer/petrarch_events.jsonl (no_event and mixed cases left out).
For another article give its text and chronology gold; the section gold is scored only when
one is given for it (it defaults to the seed's only for the seed article).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

import pipeline.components.agreements  # noqa: E402,F401
import pipeline.components.events  # noqa: E402,F401
from pipeline.evaluation.events import (  # noqa: E402
    event_role_scores,
    format_confusion,
    polarity_scores,
)
from pipeline.events.entries import entry_main_event  # noqa: E402
from pipeline.extensions import ACTORS, CHRONOLOGY, EVENTS, SECTIONS  # noqa: E402
from pipeline.nlp import build_pipeline  # noqa: E402

SHARED = REPO_ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_ed224ae42dbf410d.txt"
PETRARCH = SHARED / "peer" / "petrarch_events.jsonl"
GOLD_CHRONOLOGY = REPO_ROOT / "corpus" / "gold" / "seed_chronology_polarity.jsonl"
GOLD_SECTION = REPO_ROOT / "corpus" / "gold" / "seed_big_thaw_events.jsonl"
MODEL = REPO_ROOT / "pipeline" / "data" / "polarity-v2"


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def build(mode: str) -> tuple[Language, list[str]]:
    """The project pipeline up to dipl_events; notes say which stages were stood in for."""
    nlp = build_pipeline()
    notes: list[str] = []
    for factory in ("dipl_actors", "dipl_dates"):
        if factory in nlp.pipe_names:
            continue
        try:
            module = factory.removeprefix("dipl_")
            __import__(f"pipeline.components.{module}")
            nlp.add_pipe(factory)
        except Exception as exc:  # the stage is being built by another engineer
            notes.append(f"{factory} unavailable ({type(exc).__name__}: {exc})")
    if "dipl_agreements" not in nlp.pipe_names:
        nlp.add_pipe("dipl_agreements")
    if "dipl_events" in nlp.pipe_names:
        nlp.remove_pipe("dipl_events")
    config: dict[str, Any] = {"mode": mode}
    if mode != "lexicon":
        config["classifier_path"] = str(MODEL)
    nlp.add_pipe("dipl_events", config=config)
    return nlp, notes


def actor_names(doc: Doc) -> dict[str, str]:
    return {
        str(s._.actor_id): str(s._.actor_canonical_name or s.text)
        for s in doc.spans.get(ACTORS, [])
        if s._.actor_id
    }


def score_chronology(doc: Doc, gold_path: Path = GOLD_CHRONOLOGY) -> dict[str, Any]:
    gold = _read_jsonl(gold_path)
    entries = {e.start_char: e for e in doc.spans[CHRONOLOGY]}
    predicted: list[str] = []
    rows = []
    for g in gold:
        entry = entries.get(g["start"])
        if entry is None:  # the segmenter may start the entry span elsewhere on the line
            entry = next(
                e for e in doc.spans[CHRONOLOGY] if e.start_char <= g["start"] < e.end_char
            )
        main = entry_main_event(doc, entry._.entry_id)
        label = main._.event_polarity if main is not None else "neutral"
        predicted.append(label)
        rows.append(
            {
                "entry": g["entry_index"],
                "date": g["entry_date"],
                "gold": g["polarity"],
                "predicted": label,
                "trigger": main._.event_trigger["text"] if main else None,
            }
        )
    scores = polarity_scores([g["polarity"] for g in gold], predicted)
    scores["rows"] = rows
    return scores


def score_section(doc: Doc, gold_path: Path = GOLD_SECTION) -> dict[str, Any]:
    gold = _read_jsonl(gold_path)
    heading = gold[0]["section_heading"]
    section = next(s for s in doc.spans[SECTIONS] if s._.section_heading == heading)
    names = actor_names(doc)
    predicted = [
        {
            "trigger": e._.event_trigger,
            "source": [names.get(a, a) for a in e._.event_source],
            "target": [names.get(a, a) for a in e._.event_target],
            "polarity": e._.event_polarity,
            "modality": e._.event_modality,
        }
        for e in doc.spans[EVENTS]
        if e._.event_section_id == section._.section_id
    ]
    return event_role_scores(gold, predicted)


def score_petrarch(nlp: Language) -> dict[str, Any]:
    cases = [c for c in _read_jsonl(PETRARCH) if c["polarity"] not in ("no_event", "mixed")]
    events = nlp.get_pipe("dipl_events")
    gold, predicted = [], []
    for case in cases:
        doc = nlp(case["text"])
        # A bare sentence has no article structure: treat it as one narrative section.
        section = doc[:]
        doc.spans[SECTIONS] = [section]
        section._.section_id = "sec-peer"
        section._.section_kind = "narrative"
        doc.spans[CHRONOLOGY] = []
        events(doc)
        main = _sentence_main_event(doc)
        gold.append(case["polarity"])
        predicted.append(main)
    return polarity_scores(gold, predicted)


def _sentence_main_event(doc: Doc) -> str:
    """First main-clause event of the sentence; 'neutral' when none is found."""
    events = sorted(doc.spans[EVENTS], key=lambda e: e._.event_trigger["start"])
    for event in events:
        span = doc.char_span(
            event._.event_trigger["start"], event._.event_trigger["end"], alignment_mode="expand"
        )
        if span is not None and span.root.dep_ in ("ROOT", "conj", "ccomp"):
            return str(event._.event_polarity)
    return str(events[0]._.event_polarity) if events else "neutral"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", default="combined", choices=["lexicon", "classifier", "combined"],
                        help="polarity mode (default: combined, as in the packaged pipeline)")
    parser.add_argument("--json", type=Path, help="also write all scores to this file")
    parser.add_argument("--article", type=Path, default=SEED, help="article text file")
    parser.add_argument("--gold-chronology", type=Path, default=GOLD_CHRONOLOGY,
                        help="entries' main-event polarity gold (JSONL) for --article")
    parser.add_argument("--gold-section", type=Path,
                        help="section event gold (JSONL); default: the seed's, for the seed only")
    parser.add_argument("--no-petrarch", action="store_true", help="skip the PETRARCH cases")
    args = parser.parse_args(argv)
    is_seed = args.article.resolve() == SEED.resolve()
    section_gold = args.gold_section or (GOLD_SECTION if is_seed else None)
    started = time.perf_counter()
    nlp, notes = build(args.mode)
    doc = nlp(args.article.read_text(encoding="utf-8"))
    results: dict[str, Any] = {
        "mode": args.mode,
        "article": str(args.article),
        "notes": notes,
        "chronology_polarity": score_chronology(doc, args.gold_chronology),
        "section_events": score_section(doc, section_gold) if section_gold else None,
        "petrarch_polarity": None if args.no_petrarch else score_petrarch(nlp),
    }
    results["seconds"] = round(time.perf_counter() - started, 1)
    for note in notes:
        print("note:", note)
    chron, sect, pet = (
        results[k] for k in ("chronology_polarity", "section_events", "petrarch_polarity")
    )
    print(f"mode: {args.mode}")
    print(
        f"chronology polarity (n={chron['n']}): accuracy {chron['accuracy']}, macro-F1 {chron['macro_f1']}"
    )
    print(format_confusion(chron["confusion"]))
    for row in chron["rows"]:
        if row["gold"] != row["predicted"]:
            print(
                f"  miss: entry {row['entry']} {row['date']} gold {row['gold']} predicted {row['predicted']} ({row['trigger']})"
            )
    if sect is not None:
        print(
            f"section events: gold {sect['gold_events']}, predicted {sect['predicted_events']}, "
            f"trigger P/R/F1 {sect['trigger']['precision']}/{sect['trigger']['recall']}/{sect['trigger']['f1']}, "
            f"source F1 {sect['source']['f1']}, target F1 {sect['target']['f1']}, "
            f"polarity acc {sect['polarity_accuracy_on_matched']}, modality acc {sect['modality_accuracy_on_matched']}"
        )
    if pet is not None:
        print(
            f"petrarch polarity (n={pet['n']}): accuracy {pet['accuracy']}, macro-F1 {pet['macro_f1']}"
        )
        print(format_confusion(pet["confusion"]))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
