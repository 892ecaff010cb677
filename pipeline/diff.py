"""What changed between two output folders: ``ccpipeline diff OUT_A OUT_B``.

Articles are paired by ``doc_id``. Within an article, units and mentions are paired by what
identifies them across runs: chronology entries by id, sentences and mentions by their
offsets, events by id (ids are built from offsets, so a rerun of the same text keeps them),
alignment links by (event, entry). When the article's text itself differs the offsets do not
line up, and only that is reported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.manifest import verify

ARTICLES_FILE = "articles.jsonl"


@dataclass
class ArticleDiff:
    doc_id: str
    text_changed: bool = False
    entries: list[dict[str, Any]] = field(default_factory=list)  # polarity changes
    sentences: list[dict[str, Any]] = field(default_factory=list)
    events_added: list[dict[str, Any]] = field(default_factory=list)
    events_removed: list[dict[str, Any]] = field(default_factory=list)
    events_changed: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    dates: list[dict[str, Any]] = field(default_factory=list)
    agreements: list[dict[str, Any]] = field(default_factory=list)
    links_added: list[dict[str, Any]] = field(default_factory=list)
    links_removed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.text_changed and not any(
            getattr(self, name) for name in CHANGE_LISTS
        )

    def as_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "text_changed": self.text_changed, **{n: getattr(self, n) for n in CHANGE_LISTS}}


CHANGE_LISTS = (
    "entries", "sentences", "events_added", "events_removed", "events_changed",
    "actors", "dates", "agreements", "links_added", "links_removed",
)


@dataclass
class OutputDiff:
    only_a: list[str]
    only_b: list[str]
    articles: list[ArticleDiff]

    def as_dict(self) -> dict[str, Any]:
        return {
            "only_in_a": self.only_a,
            "only_in_b": self.only_b,
            "articles": [a.as_dict() for a in self.articles if not a.empty],
            "unchanged": sorted(a.doc_id for a in self.articles if a.empty),
        }


def read_records(folder: Path) -> dict[str, dict[str, Any]]:
    """The article records of an output folder, by doc_id (E090 when it is not one)."""
    path = Path(folder) / ARTICLES_FILE
    if not path.is_file():
        raise PipelineError("E090", f"{folder} is not an output folder (no {ARTICLES_FILE})")
    problems = verify(Path(folder))
    if problems:
        raise PipelineError(
            "E091",
            f"{folder} does not match its manifest ({'; '.join(problems)}): a run is writing it, "
            "or its files come from different runs",
        )
    records: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            records[str(record["doc_id"])] = record
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise PipelineError("E090", f"{path}, line {number}: not an article record ({exc})") from exc
    return records


def _by_offsets(items: Iterable[Mapping[str, Any]]) -> dict[tuple[int, int], Mapping[str, Any]]:
    return {(int(i["start"]), int(i["end"])): i for i in items}


def _changed(a: Mapping[str, Any], b: Mapping[str, Any], fields: Iterable[str]) -> dict[str, list[Any]]:
    return {f: [a.get(f), b.get(f)] for f in fields if a.get(f) != b.get(f)}


def _mentions(kind_a: Iterable[Mapping[str, Any]], kind_b: Iterable[Mapping[str, Any]], fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """Mentions added, removed or changed (in one of ``fields``), paired by offsets."""
    a, b = _by_offsets(kind_a), _by_offsets(kind_b)
    out: list[dict[str, Any]] = []
    for key in sorted(set(a) | set(b)):
        if key not in b:
            out.append({"change": "removed", "text": a[key].get("text"), "start": key[0], "end": key[1]})
        elif key not in a:
            out.append({"change": "added", "text": b[key].get("text"), "start": key[0], "end": key[1],
                        **{f: b[key].get(f) for f in fields}})
        else:
            changed = _changed(a[key], b[key], fields)
            if changed:
                out.append({"change": "changed", "text": b[key].get("text"), "start": key[0], "end": key[1], **changed})
    return out


def _links(record: Mapping[str, Any]) -> set[tuple[str, str]]:
    return {(str(e["id"]), str(link["entry_id"])) for e in record.get("events", []) for link in e.get("aligned_entries", [])}


def diff_article(a: Mapping[str, Any], b: Mapping[str, Any]) -> ArticleDiff:
    out = ArticleDiff(str(b["doc_id"]))
    if a.get("text") != b.get("text"):
        out.text_changed = True
        return out
    text = str(b["text"])
    entries_a = {e["id"]: e for e in a.get("chronology", [])}
    for entry in b.get("chronology", []):
        old = entries_a.get(entry["id"])
        if old is not None and old.get("polarity") != entry.get("polarity"):
            out.entries.append({"entry_id": entry["id"], "date": entry.get("date"), "text": entry.get("text", "")[:160],
                                "polarity": [old.get("polarity"), entry.get("polarity")]})
    sentences_a = _by_offsets(a.get("sentences", []))
    for sentence in b.get("sentences", []):
        old = sentences_a.get((int(sentence["start"]), int(sentence["end"])))
        if old is not None and old.get("polarity") != sentence.get("polarity"):
            out.sentences.append({"id": sentence["id"], "text": text[sentence["start"]:sentence["end"]][:160],
                                  "polarity": [old.get("polarity"), sentence.get("polarity")]})
    events_a = {e["id"]: e for e in a.get("events", [])}
    events_b = {e["id"]: e for e in b.get("events", [])}
    for event_id in sorted(set(events_a) - set(events_b)):
        out.events_removed.append({"id": event_id, "text": events_a[event_id].get("text", "")[:160],
                                   "polarity": events_a[event_id].get("polarity")})
    for event_id in sorted(set(events_b) - set(events_a)):
        out.events_added.append({"id": event_id, "text": events_b[event_id].get("text", "")[:160],
                                 "polarity": events_b[event_id].get("polarity")})
    for event_id in sorted(set(events_a) & set(events_b)):
        changed = _changed(events_a[event_id], events_b[event_id], ("polarity", "modality", "source", "target", "date", "is_main"))
        if changed:
            out.events_changed.append({"id": event_id, "text": events_b[event_id].get("text", "")[:160], **changed})
    out.actors = _mentions(a.get("actors", []), b.get("actors", []), ("type", "country", "canonical_id"))
    out.dates = _mentions(a.get("dates", []), b.get("dates", []), ("value", "mod"))
    out.agreements = _mentions(a.get("agreements", []), b.get("agreements", []), ("canonical_id",))
    links_a, links_b = _links(a), _links(b)
    out.links_added = [{"event_id": e, "entry_id": c} for e, c in sorted(links_b - links_a)]
    out.links_removed = [{"event_id": e, "entry_id": c} for e, c in sorted(links_a - links_b)]
    return out


def diff_outputs(folder_a: Path, folder_b: Path) -> OutputDiff:
    a, b = read_records(folder_a), read_records(folder_b)
    return OutputDiff(
        only_a=sorted(set(a) - set(b)),
        only_b=sorted(set(b) - set(a)),
        articles=[diff_article(a[d], b[d]) for d in sorted(set(a) & set(b))],
    )


def format_diff(diff: OutputDiff, limit: int = 10) -> str:
    """A plain-text summary: per changed article, counts and the first ``limit`` of each kind."""
    lines: list[str] = []
    for doc_id in diff.only_a:
        lines.append(f"{doc_id}: only in A")
    for doc_id in diff.only_b:
        lines.append(f"{doc_id}: only in B")
    unchanged = 0
    for article in diff.articles:
        if article.empty:
            unchanged += 1
            continue
        if article.text_changed:
            lines.append(f"{article.doc_id}: the text differs; annotations not compared")
            continue
        counts = ", ".join(f"{len(getattr(article, n))} {n.replace('_', ' ')}" for n in CHANGE_LISTS if getattr(article, n))
        lines.append(f"{article.doc_id}: {counts}")
        for name in ("entries", "sentences"):
            for change in getattr(article, name)[:limit]:
                before, after = change["polarity"]
                lines.append(f"  {name[:-1] if name != 'entries' else 'entry'} {change.get('entry_id') or change.get('id')}: "
                             f"{before} -> {after}: {change['text'][:100]!r}")
        for change in article.events_changed[:limit]:
            fields = ", ".join(f"{k} {v[0]} -> {v[1]}" for k, v in change.items() if k not in ("id", "text"))
            lines.append(f"  event {change['id']}: {fields}")
        for name in ("actors", "dates", "agreements"):
            for change in getattr(article, name)[:limit]:
                fields = ", ".join(f"{k} {v[0]} -> {v[1]}" for k, v in change.items()
                                   if isinstance(v, list) and len(v) == 2)
                lines.append(f"  {name[:-1]} {change['change']} {change['text']!r}" + (f": {fields}" if fields else ""))
        for change in article.links_added[:limit]:
            lines.append(f"  link added {change['event_id']} -> {change['entry_id']}")
        for change in article.links_removed[:limit]:
            lines.append(f"  link removed {change['event_id']} -> {change['entry_id']}")
    lines.append(f"{unchanged} article(s) unchanged, {sum(not a.empty for a in diff.articles)} changed, "
                 f"{len(diff.only_a)} only in A, {len(diff.only_b)} only in B")
    return "\n".join(lines)
