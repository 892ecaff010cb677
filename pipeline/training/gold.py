"""Score a pipeline on a gold chronology-polarity file (e.g. ``seed_chronology_polarity.jsonl``).

Each gold line names an article, the character offsets of one chronology entry in the
article file and the polarity of its main event.  The article text is looked up by name
(``<article>.txt`` / ``.html``) in the folders given, the pipeline is run on it, and every
gold entry is paired with the pipeline's chronology entry starting at (else containing) its
offset.  The prediction is the polarity of the entry's main event (``neutral`` when the entry
has no event), as in ``scripts/evaluate_events.py``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from spacy.language import Language

from pipeline.errors import PipelineError
from pipeline.evaluation.events import polarity_scores
from pipeline.events.entries import entry_main_event
from pipeline.extensions import CHRONOLOGY
from pipeline.inputs import read_article
from pipeline.training.errors import training_error


class GoldTrigger(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    start: int
    end: int


class GoldEntry(BaseModel):
    """One line of a gold chronology-polarity file."""

    model_config = ConfigDict(extra="forbid")

    article: str = Field(min_length=1, description="Article file name without extension.")
    entry_index: int
    entry_date: str | None = None
    order_on_date: int | None = None
    start: int = Field(ge=0, description="Entry start offset in the article file.")
    end: int = Field(ge=0, description="Entry end offset in the article file.")
    polarity: Literal["escalatory", "de-escalatory", "neutral"]
    main_trigger: GoldTrigger | None = None
    note: str = ""


@dataclass
class GoldSet:
    path: Path
    sha256: str
    entries: list[GoldEntry]
    texts: dict[str, str]  # article -> text as read

    def entry_texts(self) -> list[str]:
        return [self.texts[e.article][e.start : e.end] for e in self.entries]


def find_article(name: str, folders: Sequence[Path]) -> Path | None:
    for folder in folders:
        for suffix in (".txt", ".html", ".htm"):
            candidate = Path(folder) / f"{name}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def load_gold(path: Path, article_dirs: Sequence[Path]) -> GoldSet:
    """Read and validate the gold file and the articles it refers to."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise training_error("E061", f"{path}: {exc}") from exc
    entries: list[GoldEntry] = []
    for number, line in enumerate(data.decode("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entries.append(GoldEntry.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise training_error("E061", f"{path}, line {number}: {exc}") from exc
    if not entries:
        raise training_error("E061", f"{path} holds no gold entries")
    texts: dict[str, str] = {}
    folders = [path.parent, *article_dirs]
    for name in sorted({e.article for e in entries}):
        found = find_article(name, folders)
        if found is None:
            raise training_error(
                "E061",
                f"article {name!r} of {path} not found in {', '.join(str(f) for f in folders)} "
                "(give its folder with --gold-articles)",
            )
        try:
            texts[name] = read_article(found).text
        except PipelineError as exc:
            raise training_error("E061", f"{found}: {exc}") from exc
    return GoldSet(path, hashlib.sha256(data).hexdigest(), entries, texts)


def score_gold(nlp: Language, gold: GoldSet) -> dict[str, Any]:
    """Polarity scores of ``nlp`` on the gold entries, with one row per entry.

    Rows carry index, date, gold and predicted label and the main trigger, never the
    entry's text (the gold articles may be third-party text)."""
    rows: list[dict[str, Any]] = []
    for name, text in gold.texts.items():
        doc = nlp(text)
        entries = list(doc.spans.get(CHRONOLOGY, []))
        for g in (e for e in gold.entries if e.article == name):
            entry = next((e for e in entries if e.start_char == g.start), None)
            if entry is None:
                entry = next((e for e in entries if e.start_char <= g.start < e.end_char), None)
            main = entry_main_event(doc, entry._.entry_id) if entry is not None else None
            rows.append(
                {
                    "article": name,
                    "entry_index": g.entry_index,
                    "entry_date": g.entry_date,
                    "gold": g.polarity,
                    "predicted": main._.event_polarity if main is not None else "neutral",
                    "trigger": main._.event_trigger["text"] if main is not None else None,
                    "entry_found": entry is not None,
                }
            )
    scores = polarity_scores([r["gold"] for r in rows], [r["predicted"] for r in rows])
    scores["rows"] = rows
    return scores


def score_date_cases(nlp: Language, cases: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The reviewers' date cases run again: a ``date`` case must be found as a date mention
    (covering the corrected text), with the reviewer's value when the case's text carries its
    own year; a ``no-date`` case must not be found. Each case is read in a sentence of its own
    ("It happened on <text>."): the article around it is not kept with the case, so a value
    that needed that context is checked for recognition only."""
    rows: list[dict[str, Any]] = []
    for case in cases:
        text = str(case.get("text") or "").strip()
        if not text:
            continue
        sentence = f"It happened on {text}."
        start = sentence.index(text)
        doc = nlp(sentence)
        found = [s for s in doc.spans.get("dates", []) if s.start_char <= start and start + len(text) <= s.end_char]
        value = found[0]._.date_value if found else None
        expect = case.get("expect")
        if expect == "no-date":
            ok = not found
        else:
            ok = bool(found)
            wanted = case.get("value")
            if ok and wanted and re.search(r"\b(?:19|20)\d\d\b", text):
                ok = value == wanted
        rows.append({"text": text, "expect": expect, "value": case.get("value"), "found": bool(found),
                     "predicted_value": value, "ok": ok})
    return {"cases": len(rows), "passed": sum(r["ok"] for r in rows), "rows": rows}


def bare_text_polarity(nlp: Language, texts: Sequence[str]) -> list[str]:
    """The polarity the pipeline gives each text parsed on its own (its first sentence or
    entry unit); a text given none is "none", a wrong answer."""
    out = []
    for doc in nlp.pipe(list(texts)):
        units = doc._.polarity_units or {}
        found = list(units.get("entries", {}).values())
        found += [units["sentences"][k] for k in sorted(units.get("sentences", {}))]
        out.append(found[0]["polarity"] if found and found[0].get("polarity") else "none")
    return out


def score_texts(nlp: Language, rows: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Polarity scores of the pipeline on ``(text, gold label)`` rows parsed one by one."""
    predicted = bare_text_polarity(nlp, [text for text, _ in rows])
    scores = polarity_scores([label for _, label in rows], predicted)
    scores["rows"] = [{"text": t, "gold": g, "predicted": p} for (t, g), p in zip(rows, predicted, strict=True)]
    return scores
