"""One model on the real-text development set, stage by stage.

The gold is the repository's (``corpus/gold/real``); the texts are retrieved outside the
repository, one ``<id>.txt`` per gold file. Every text is annotated by the model under test;
the figures are those of ``scripts/evaluate_realtext.py`` (actors, dates, agreements,
structure) and of ``scripts/evaluate_sentence_polarity.py`` (sentence and entry polarity,
main-event roles), so ``ccpipeline evaluate --real-texts`` can show a parent and a trained
model side by side on text neither was written from.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language

from pipeline.errors import PipelineError
from pipeline.evaluation.events import polarity_scores, role_agreement
from pipeline.evaluation.realtext import (
    RealTextGold,
    check_gold,
    find_locator,
    read_gold,
    score_record,
    summarise,
)

ALL_KINDS = ("article", "article-pdf", "republication", "chronology", "news")

# (stage, figure) rows of the per-stage table, in order; polarity rows are accuracy / macro-F1
STAGE_FIGURES: tuple[tuple[str, str], ...] = (
    ("structure", "metadata fields right"),
    ("structure", "chronology entries found"),
    ("actors", "actor mentions found"),
    ("actors", "actor country right"),
    ("actors", "person identities consistent"),
    ("dates", "date values right"),
    ("agreements", "agreement mentions found"),
    ("events", "sentence polarity accuracy"),
    ("events", "sentence polarity macro-F1"),
    ("events", "entry polarity accuracy"),
    ("events", "entry polarity macro-F1"),
    ("events", "entry main-event source and target right"),
)


def load_pairs(gold_dir: Path, texts_dir: Path) -> list[tuple[RealTextGold, Path]]:
    """Gold files and their retrieved texts; a missing text or a gold that no longer resolves
    is an error (E064), never a silently smaller set."""
    golds = sorted(Path(gold_dir).glob("*.json"))
    if not golds:
        raise PipelineError("E065", f"no real-text gold files in {gold_dir}")
    pairs = []
    problems: list[str] = []
    for path in golds:
        gold = read_gold(path)
        text_path = Path(texts_dir) / f"{gold.id}.txt"
        if not text_path.is_file():
            problems.append(f"{gold.id}: text not retrieved ({text_path})")
            continue
        problems += [f"{gold.id}: {p}" for p in check_gold(gold, text_path.read_text(encoding="utf-8"))]
        pairs.append((gold, text_path))
    if problems:
        raise PipelineError("E065", f"the real-text set is incomplete: {'; '.join(problems[:3])}"
                            + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""))
    return pairs


def annotate_pairs(nlp: Language, pairs: Sequence[tuple[RealTextGold, Path]]
                   ) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Records by gold id, and the failures ("<id>: <code> <message>"); a text that failed is
    an empty record (every label counts as missed), and is named."""
    from pipeline.annotate import annotate

    with tempfile.TemporaryDirectory(prefix="ccpipeline-realdev-") as tmp:
        summary = annotate([p for _, p in pairs], Path(tmp), nlp)
        by_path = {json.loads(line)["source"]["path"]: json.loads(line)
                   for line in (Path(tmp) / "articles.jsonl").read_text(encoding="utf-8").splitlines()}
    out = {}
    reasons = {str(e.path): f"{e.code} {e.message}" for e in summary.errors}
    failed = []
    for gold, path in pairs:
        record = by_path.get(str(path))
        if record is None:
            failed.append(f"{gold.id}: {reasons.get(str(path), 'no record')}")
            record = {"text": path.read_text(encoding="utf-8"), "metadata": {},
                      "sentences": [], "chronology": [], "events": [], "actors": []}
        out[gold.id] = record
    return out, failed


def holding_unit(items: Sequence[Mapping[str, Any]], start: int) -> Mapping[str, Any] | None:
    return next((x for x in items if x["start"] <= start < x["end"]), None)


def main_roles(record: Mapping[str, Any], unit: Mapping[str, Any] | None) -> tuple[list[str], list[str]]:
    if unit is None or not unit.get("main_event_id"):
        return [], []
    event = next((e for e in record["events"] if e["id"] == unit["main_event_id"]), None)
    if event is None:
        return [], []
    text = {a["id"]: a["text"] for a in record["actors"]}
    return [text.get(a, a) for a in event["source"]], [text.get(a, a) for a in event["target"]]


def polarity_rows(pairs: Sequence[tuple[RealTextGold, Path]], records: Mapping[str, Mapping[str, Any]]
                  ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(sentences, entries): gold and predicted polarity of every labelled unit; a unit the
    pipeline gave no polarity is "none", a wrong answer."""
    sentences: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    for gold, _ in pairs:
        record = records[gold.id]
        for sentence in gold.sentences:
            unit = holding_unit(record.get("sentences", []), find_locator(record["text"], sentence.locator))
            sentences.append({"kind": gold.kind, "gold": sentence.polarity,
                              "predicted": (unit or {}).get("polarity") or "none",
                              "confidence": (unit or {}).get("confidence") or 0.0,
                              "text": record["text"][unit["start"]:unit["end"]] if unit else sentence.locator})
        for entry in gold.chronology.entries if gold.chronology else []:
            if entry.polarity is None:
                continue
            unit = holding_unit(record.get("chronology", []), find_locator(record["text"], entry.locator))
            source, target = main_roles(record, unit)
            entries.append({"kind": gold.kind, "gold": entry.polarity,
                            "predicted": (unit or {}).get("polarity") or "none",
                            "confidence": (unit or {}).get("confidence") or 0.0,
                            "text": unit["text"] if unit else entry.locator,
                            "source": source, "target": target,
                            "gold_source": entry.source, "gold_target": entry.target})
    return sentences, entries


def stage_scores(nlp: Language, gold_dir: Path, texts_dir: Path) -> dict[str, Any]:
    """Every figure of STAGE_FIGURES for one model, as ``[numerator, denominator, ratio]``
    (polarity accuracy and macro-F1 as ``[None, n, value]``), and the texts that failed
    (scored as empty, so they count against the model)."""
    from pipeline.registry.agreements import packaged_agreements

    pairs = load_pairs(gold_dir, texts_dir)
    records, failed = annotate_pairs(nlp, pairs)
    registry_ids = frozenset(entry.canonical_id for entry in packaged_agreements())
    table = summarise([score_record(records[g.id], g, registry_ids) for g, _ in pairs], {"all": ALL_KINDS})["all"]
    sentences, entries = polarity_rows(pairs, records)
    s = polarity_scores([r["gold"] for r in sentences], [r["predicted"] for r in sentences])
    e = polarity_scores([r["gold"] for r in entries], [r["predicted"] for r in entries])
    roles = role_agreement([(r["source"], r["target"], r["gold_source"], r["gold_target"]) for r in entries])
    table["sentence polarity accuracy"] = [None, s["n"], s["accuracy"]]
    table["sentence polarity macro-F1"] = [None, s["n"], s["macro_f1"]]
    table["entry polarity accuracy"] = [None, e["n"], e["accuracy"]]
    table["entry polarity macro-F1"] = [None, e["n"], e["macro_f1"]]
    table["entry main-event source and target right"] = [
        round(roles["both_right"] * roles["n"]), roles["n"], roles["both_right"]]
    return {"texts": len(pairs), "failed": failed, "figures": table}


def format_stage_table(columns: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The per-stage table: one row per figure, one column per model (name -> stage_scores),
    and with two models the change from the first to the second."""
    names = list(columns)
    width = max(len(s) + len(f) for s, f in STAGE_FIGURES) + 4
    header = f"{'stage: figure':<{width}}" + "".join(f"{n[-18:]:>20}" for n in names)
    lines = [header + (f"{'change':>9}" if len(names) == 2 else "")]
    for stage, figure in STAGE_FIGURES:
        cells = []
        ratios = []
        for name in names:
            n, d, ratio = columns[name]["figures"][figure]
            ratios.append(ratio)
            if ratio is None:
                cells.append(f"{'–':>20}")
            elif n is None:
                cells.append(f"{ratio:>13.3f} (n={d})".rjust(20))
            else:
                cells.append(f"{ratio:.3f} {n}/{d}".rjust(20))
        change = ""
        if len(names) == 2:
            change = f"{ratios[1] - ratios[0]:>+9.3f}" if None not in ratios else f"{'–':>9}"
        lines.append(f"{stage + ': ' + figure:<{width}}" + "".join(cells) + change)
    return lines
