"""The model card a trained model folder carries, and the models folder's history.

``MODEL_CARD.md`` says in a page what ``training.json`` holds in full: what the model was
trained from (parent, data files with their hashes, examples per label and origin), how it
scores against its parent and the control (the same training without the corrections),
whether it became the default and why, and what the corrections changed in the other stages
(registries, date forms, the link threshold). ``history.jsonl`` in the models folder gets one
line per ``train`` run, so the folder keeps the story of its models even after a default
changes or a model folder is removed.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

CARD_FILE = "MODEL_CARD.md"
HISTORY_FILE = "history.jsonl"


def _f1(block: dict[str, Any] | None) -> str:
    return "–" if not block else f"{block['macro_f1']:.3f}"


def model_card(report: dict[str, Any]) -> str:
    """The card's Markdown, from a training report (pure)."""
    data = report.get("data") or {}
    gold = report.get("gold") or {}
    examples = report.get("examples") or {}
    lines = [
        f"# Model `{report.get('name')}`",
        "",
        f"- pipeline {report.get('pipeline_version')}, spaCy {report.get('spacy_version')}, "
        f"base model {report.get('base_model')}",
        f"- parent: {report['parent']['model']} ({report['parent']['kind']}); "
        f"seed {report.get('seed')}, {report.get('epochs')} epochs, events mode {report.get('events_mode')}",
        f"- default: {'yes' if (report.get('guard') or {}).get('made_default') else 'no'} — "
        f"{(report.get('guard') or {}).get('reason', '')}",
        "",
        "## Data",
        "",
        "| source | sha256 | detail |",
        "|---|---|---|",
    ]
    shipped = data.get("shipped") or {}
    if shipped:
        lines.append(f"| shipped examples `{shipped.get('path')}` | `{str(shipped.get('sha256'))[:12]}` | |")
    for source in data.get("corrections") or []:
        formats = ", ".join(f"{k} {v}" for k, v in sorted((source.get("formats") or {}).items()))
        lines.append(f"| corrections `{source['path']}` | `{source['sha256'][:12]}` | {formats} |")
    if data.get("gold"):
        lines.append(f"| gold `{data['gold'].get('path')}` | `{str(data['gold'].get('sha256'))[:12]}` | |")
    lines += ["", "Examples per label and origin:", "", "| origin | escalatory | de-escalatory | neutral |", "|---|---|---|---|"]
    for origin, counts in sorted((examples.get("by_origin") or {}).items()):
        lines.append(f"| {origin} | {counts.get('escalatory', 0)} | {counts.get('de-escalatory', 0)} | {counts.get('neutral', 0)} |")
    lines += [
        "",
        f"{examples.get('examples', 0)} examples ({examples.get('train', 0)} train, {examples.get('dev', 0)} dev by "
        f"article); {examples.get('stripped_gold', 0)} gold texts or their paraphrases kept out of training.",
        "",
        "## Scores (gold macro-F1)",
        "",
        "| model | gold | dev |",
        "|---|---|---|",
        f"| this model | {_f1(gold.get('model'))} | {_f1(report.get('dev'))} |",
        f"| control (no corrections) | {_f1(gold.get('control'))} | |",
        f"| parent | {_f1(gold.get('parent'))} | |",
        "",
        "## What the corrections changed in the other stages",
        "",
    ]
    registry = report.get("registry_updates") or []
    changed = [r for r in registry if str(r.get("outcome", "")).endswith(("-added", "-changed"))]
    lines.append(f"- registries: {len(changed)} of {len(registry)} actor and agreement corrections written "
                 f"({', '.join(sorted({r['outcome'] for r in changed})) or 'none'})")
    taken = [r for r in registry if r.get("outcome") == "reverted"]
    if taken:
        lines.append(f"- registries: {len(taken)} correction(s) taken back by their stage's guard ({taken[0]['reason']})")
    dates = [r for r in report.get("date_overrides") or [] if r.get("outcome") == "learnt"]
    lines.append(f"- date forms learnt: {len(dates)}"
                 + (f" ({', '.join(repr(r['surface']) for r in dates[:8])})" if dates else ""))
    gone = [r for r in report.get("removed_events") or [] if r.get("outcome") == "cue-removed"]
    lines.append(f"- cues taken out of the events lexicon (events deleted in several articles): {len(gone)}"
                 + (f" ({', '.join(repr(r['cue']) for r in gone)})" if gone else ""))
    markers = [r for r in report.get("modality_markers") or [] if r.get("outcome") == "learnt"]
    lines.append(f"- modality markers learnt: {len(markers)}"
                 + (f" ({', '.join(sorted({repr(r['marker']) + ' ' + str(r['modality']) for r in markers}))})" if markers else ""))
    mains = [r for r in report.get("main_preferences") or [] if r.get("outcome") == "learnt"]
    lines.append(f"- main-event preferences learnt: {len(mains)}"
                 + (f" ({', '.join(sorted({repr(r['prefer']) + ' over ' + repr(r['over']) for r in mains}))})" if mains else ""))
    held = report.get("heldout_corrections")
    if held:
        parts = [f"{name} {held[name]['accuracy']:.3f}" for name in ("parent", "control", "model") if held.get(name)]
        lines.append(f"- held-out corrections ({held['n']} from {len(held['articles'])} article(s)), accuracy: "
                     + ", ".join(parts) + " (model: trained without them)")
    alignment = report.get("alignment")
    if alignment:
        threshold = alignment.get("threshold") or {}
        lines.append(f"- link threshold: {threshold.get('before')} -> {threshold.get('learnt')} "
                     f"({alignment.get('outcome')}, {alignment.get('used')} of {alignment.get('judgements')} judgements)")
    else:
        lines.append("- link threshold: no link judgements")
    lines += ["", f"Everything in full: `training.json`. Trained in {report.get('seconds', '?')} s.", ""]
    return "\n".join(lines)


def history_line(report: dict[str, Any], out: Path) -> dict[str, Any]:
    gold = report.get("gold") or {}
    return {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "model": report.get("name"),
        "path": str(out),
        "parent": report["parent"]["model"],
        "made_default": bool((report.get("guard") or {}).get("made_default")),
        "reason": (report.get("guard") or {}).get("reason"),
        "gold_macro_f1": (gold.get("model") or {}).get("macro_f1"),
        "control_macro_f1": (gold.get("control") or {}).get("macro_f1"),
        "parent_macro_f1": (gold.get("parent") or {}).get("macro_f1"),
        "corrections": [c["sha256"] for c in (report.get("data") or {}).get("corrections") or []],
    }


def append_history(models_dir: Path, line: dict[str, Any]) -> Path:
    """Add a line to the models folder's history (appended and flushed to disk)."""
    path = Path(models_dir) / HISTORY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        handle.flush()
    return path
