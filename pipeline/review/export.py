"""Export corrections (native JSONL, corrected records, Prodigy and doccano tasks) and import them.

Native lines are ``Correction`` objects plus where they stand on the current records
(``status`` applied/orphaned, ``reason``, ``note``): orphans are exported, never dropped.
Prodigy and doccano tasks always carry the span text next to the offsets.  Importing reads
any of these formats back into the store; a task that no longer matches the article text is
skipped and counted, never forced in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from pipeline.records import ArticleRecord, chronology_records, dumps
from pipeline.review import edits
from pipeline.review.reattach import SPAN_KINDS, Overlay, apply_corrections, overlay_all
from pipeline.review.store import Correction, CorrectionStore

ACTOR_LABELS = ("PERSON", "STATE", "ORG", "GROUP")
LABEL_KIND = {
    **{label: "actor" for label in ACTOR_LABELS},
    "DATE": "date",
    "AGREEMENT": "agreement",
}
# Attributes carried on exported spans, per kind, so an import can restore them.
SPAN_ATTRS = {
    "actor": ("country", "canonical_id", "canonical_name", "role", "metonymy"),
    "date": ("value", "mod", "granularity"),
    "agreement": ("canonical_id", "canonical_name"),
}


class ImportFormatError(ValueError):
    """A line that is neither a native correction nor a Prodigy/doccano task."""


def _lines(rows: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def _overlays(store: CorrectionStore, articles: dict[str, ArticleRecord]) -> dict[str, Overlay]:
    return overlay_all(articles, store.history())


# --------------------------------------------------------------------------------------
# Native formats


def correction_rows(
    store: CorrectionStore, articles: dict[str, ArticleRecord]
) -> list[dict[str, Any]]:
    """Every correction (undone ones too), with its status on the current records."""
    status: dict[int | None, tuple[str, str | None, str | None]] = {}
    for overlay in _overlays(store, articles).values():
        for a in overlay.attachments:
            status[a.correction.id] = (a.status, a.reason, a.note)
    rows = []
    for c in store.history():
        state, reason, note = status.get(c.id, ("undone", None, None))
        rows.append({**c.model_dump(mode="json"), "status": state, "reason": reason, "note": note})
    return rows


def corrections_jsonl(store: CorrectionStore, articles: dict[str, ArticleRecord]) -> str:
    return _lines(correction_rows(store, articles))


def corrected_articles(
    store: CorrectionStore, articles: dict[str, ArticleRecord]
) -> list[ArticleRecord]:
    return [o.article for o in _overlays(store, articles).values() if o.article is not None]


def corrected_articles_jsonl(store: CorrectionStore, articles: dict[str, ArticleRecord]) -> str:
    return "".join(dumps(a) + "\n" for a in corrected_articles(store, articles))


def corrected_chronology_jsonl(store: CorrectionStore, articles: dict[str, ArticleRecord]) -> str:
    return "".join(
        dumps(c) + "\n" for a in corrected_articles(store, articles) for c in chronology_records(a)
    )


# --------------------------------------------------------------------------------------
# Training tasks


def _sentence_around(article: ArticleRecord, start: int, end: int) -> tuple[int, int]:
    for s in article.sentences:
        if s.start <= start and end <= s.end:
            return s.start, s.end
    for p in article.paragraphs:
        if p.start <= start and end <= p.end:
            return p.start, p.end
    return start, end


def _paragraph_around(article: ArticleRecord, start: int, end: int) -> tuple[str | None, int, int]:
    for p in article.paragraphs:
        if p.start <= start < p.end:
            return p.id, p.start, max(p.end, end)
    return None, start, end


def textcat_tasks(
    store: CorrectionStore, articles: dict[str, ArticleRecord]
) -> list[dict[str, Any]]:
    """Polarity tasks for every event whose polarity a reviewer set: accept the reviewer's
    label and, when it differs, reject the pipeline's."""
    tasks = []
    for overlay in _overlays(store, articles).values():
        article = overlay.article
        if article is None or overlay.doc_id not in articles:
            continue
        original = {e.id: e.polarity for e in articles[overlay.doc_id].events}
        for event in article.events:
            if "polarity" not in overlay.corrected.get(("event", event.id), set()):
                continue
            s, e = _sentence_around(article, event.start, event.end)
            meta = {
                "doc_id": article.doc_id,
                "event_id": event.id,
                "offset": s,
                "event_start": event.start,
                "event_end": event.end,
                "event_text": event.text,
            }
            tasks.append(
                {
                    "text": article.text[s:e],
                    "label": event.polarity,
                    "answer": "accept",
                    "meta": meta,
                }
            )
            before = original.get(event.id)
            if before and before != event.polarity:
                tasks.append(
                    {"text": article.text[s:e], "label": before, "answer": "reject", "meta": meta}
                )
    return tasks


def _span_dicts(article: ArticleRecord, start: int, end: int) -> list[dict[str, Any]]:
    spans = []
    for kind, (attr, _model, _prefix) in SPAN_KINDS.items():
        for item in getattr(article, attr):
            if start <= item.start and item.end <= end:
                label = item.type if kind == "actor" else kind.upper()
                span = {
                    "start": item.start - start,
                    "end": item.end - start,
                    "label": label,
                    "text": item.text,
                    "id": item.id,
                }
                span.update({name: getattr(item, name) for name in SPAN_ATTRS[kind]})
                spans.append(span)
    return sorted(spans, key=lambda s: (s["start"], s["end"], s["label"]))


def span_tasks(
    store: CorrectionStore, articles: dict[str, ArticleRecord], everything: bool = False
) -> list[dict[str, Any]]:
    """One task per paragraph where a reviewer added, removed or changed a span (every
    paragraph with ``everything``), holding all of the paragraph's corrected spans."""
    tasks = []
    for overlay in _overlays(store, articles).values():
        article = overlay.article
        if article is None:
            continue
        touched: dict[tuple[int, int], str | None] = {}
        if everything:
            for p in article.paragraphs:
                touched[(p.start, p.end)] = p.id
        for a in overlay.attachments:
            c = a.correction
            if a.status != "applied" or c.kind not in SPAN_KINDS:
                continue
            where = c.after if c.op == "add" else c.anchor.model_dump() if c.anchor else None
            if where is None:
                continue
            pid, s, e = _paragraph_around(article, int(where["start"]), int(where["end"]))
            touched[(s, e)] = pid
        for (s, e), pid in sorted(touched.items()):
            tasks.append(
                {
                    "text": article.text[s:e],
                    "spans": _span_dicts(article, s, e),
                    "answer": "accept",
                    "meta": {"doc_id": article.doc_id, "paragraph_id": pid, "offset": s},
                }
            )
    return tasks


def prodigy_textcat_jsonl(store: CorrectionStore, articles: dict[str, ArticleRecord]) -> str:
    return _lines(textcat_tasks(store, articles))


def prodigy_spans_jsonl(store: CorrectionStore, articles: dict[str, ArticleRecord]) -> str:
    return _lines(span_tasks(store, articles))


def doccano_jsonl(store: CorrectionStore, articles: dict[str, ArticleRecord]) -> str:
    rows = []
    for task in span_tasks(store, articles):
        rows.append(
            {
                "text": task["text"],
                "label": [[s["start"], s["end"], s["label"]] for s in task["spans"]],
                "span_texts": [s["text"] for s in task["spans"]],
                **task["meta"],
            }
        )
    return _lines(rows)


# --------------------------------------------------------------------------------------
# Import


@dataclass
class ImportResult:
    added: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)

    def skip(self, line: int, why: str) -> None:
        self.skipped += 1
        self.problems.append(f"line {line}: {why}")


def _detect(row: dict[str, Any]) -> str:
    if {"uid", "kind", "op", "doc_id"} <= row.keys():
        return "native"
    if "text" in row and "spans" in row:
        return "prodigy-spans"
    if "text" in row and isinstance(row.get("label"), list):
        return "doccano"
    if "text" in row and isinstance(row.get("label"), str) and "answer" in row:
        return "prodigy-textcat"
    raise ImportFormatError("not a correction, Prodigy task or doccano line")


def _doc_spans(task: dict[str, Any], form: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(meta, spans as dicts with start/end/label/...) for a Prodigy or doccano task."""
    if form == "prodigy-spans":
        return task.get("meta") or {}, list(task["spans"])
    texts = task.get("span_texts") or []
    spans = []
    for i, triple in enumerate(task["label"]):
        s, e, label = triple
        span = {"start": s, "end": e, "label": label}
        if i < len(texts):
            span["text"] = texts[i]
        spans.append(span)
    meta = {k: task.get(k) for k in ("doc_id", "paragraph_id", "offset")}
    return meta, spans


def _import_spans(
    task: dict[str, Any], form: str, overlay: Overlay, reviewer: str
) -> list[Correction]:
    meta, spans = _doc_spans(task, form)
    article = overlay.article
    assert article is not None
    offset = int(meta.get("offset") or 0)
    text = task["text"]
    if article.text[offset : offset + len(text)] != text:
        raise edits.EditError("the task's text is no longer at its offset in the article")
    wanted: dict[tuple[str, int, int], dict[str, Any]] = {}
    for span in spans:
        kind = LABEL_KIND.get(str(span["label"]))
        if kind is None:
            raise edits.EditError(f"unknown span label {span['label']!r}")
        s, e = offset + int(span["start"]), offset + int(span["end"])
        if "text" in span and article.text[s:e] != span["text"]:
            raise edits.EditError(f"span text {span['text']!r} does not match the article")
        wanted[(kind, s, e)] = span
    end = offset + len(text)
    current: dict[tuple[str, int, int], BaseModel] = {}
    for kind, (attr, _model, _prefix) in SPAN_KINDS.items():
        for item in getattr(article, attr):
            if offset <= item.start and item.end <= end:
                current[(kind, item.start, item.end)] = item
    out: list[Correction] = []
    for key, span in wanted.items():
        kind, s, e = key
        attrs = {name: span[name] for name in SPAN_ATTRS[kind] if name in span}
        if kind == "actor":
            attrs["type"] = span["label"]
        if key not in current:
            out.append(edits.add_span(overlay, kind, s, e, attrs, reviewer))
            continue
        item = current[key]
        changes = {k: v for k, v in attrs.items() if getattr(item, k) != v}
        if changes:
            out.extend(edits.set_fields(overlay, kind, item.id, changes, reviewer))  # type: ignore[attr-defined]
    for key, item in current.items():
        if key not in wanted:
            out.append(edits.remove_span(overlay, key[0], item.id, reviewer))  # type: ignore[attr-defined]
    return out


def _import_textcat(task: dict[str, Any], overlay: Overlay, reviewer: str) -> list[Correction]:
    meta = task.get("meta") or {}
    event_id = meta.get("event_id")
    if task.get("answer") != "accept":
        return []  # a rejected label does not say which label is right
    if not event_id:
        raise edits.EditError("a polarity task needs meta.event_id")
    return edits.set_fields(overlay, "event", str(event_id), {"polarity": task["label"]}, reviewer)


def import_jsonl(
    text: str, store: CorrectionStore, articles: dict[str, ArticleRecord], reviewer: str
) -> ImportResult:
    """Read native corrections, Prodigy tasks or doccano lines into the store."""
    result = ImportResult()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ImportFormatError(f"line {number}: not JSON ({exc.msg})") from exc
        if not isinstance(row, dict):
            raise ImportFormatError(f"line {number}: not a JSON object")
        try:
            form = _detect(row)
        except ImportFormatError as exc:
            raise ImportFormatError(f"line {number}: {exc}") from exc
        if form == "native":
            fields = {k: v for k, v in row.items() if k in Correction.model_fields and k != "id"}
            try:
                correction = Correction.model_validate(fields)
            except ValidationError as exc:
                raise ImportFormatError(f"line {number}: {exc.errors()[0]['msg']}") from exc
            if store.has_uid(correction.uid):
                result.skip(number, f"correction {correction.uid} is already in the store")
                continue
            store.add(correction)
            result.added += 1
            continue
        meta = row.get("meta") if form != "doccano" else row
        doc_id = (meta or {}).get("doc_id")
        if doc_id not in articles:
            result.skip(number, f"no article {doc_id!r} in the records")
            continue
        overlay = apply_corrections(articles[doc_id], store.history(doc_id))
        try:
            made = (
                _import_textcat(row, overlay, reviewer)
                if form == "prodigy-textcat"
                else _import_spans(row, form, overlay, reviewer)
            )
        except edits.EditError as exc:
            result.skip(number, str(exc))
            continue
        for correction in made:
            store.add(correction)
        result.added += len(made)
    return result
