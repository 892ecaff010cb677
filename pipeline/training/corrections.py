"""Read reviewer corrections from every format the review app writes, and from Prodigy/doccano.

Sources (detected, not declared):

- a review database (``corrections.sqlite``, read through :class:`CorrectionStore`);
- native corrections JSONL (``export-corrections``' ``corrections.jsonl``);
- Prodigy text-classification tasks ``{"text", "label", "answer"}`` (or the choice form
  ``{"text", "accept": [label], "answer"}``);
- Prodigy span tasks ``{"text", "spans": [...], "answer"}`` (``prodigy-spans.jsonl``);
- doccano lines: sequence labelling ``{"text", "label": [[start, end, LABEL]]}`` or
  ``{"text", "entities": [{"start_offset", "end_offset", "label"}]}``, and text
  classification ``{"text", "label": ["escalatory"]}``;
- plain labelled sentences ``{"text", "label"}`` (the shipped set's format): accepted.

What comes out is data, not edits: polarity judgements (accept/reject a label for a text),
alias corrections for the actor and agreement registries, date regression cases, and the
lines that could not be used with the reason.  Reading is pure apart from opening the file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.events.learnt import MODALITIES
from pipeline.events.lexicon import POLARITIES
from pipeline.review.store import Correction, CorrectionStore
from pipeline.training.errors import training_error

SQLITE_MAGIC = b"SQLite format 3\x00"
ACTOR_LABELS = ("PERSON", "STATE", "ORG", "GROUP")

SourceFormat = Literal[
    "review-db",
    "native",
    "prodigy-textcat",
    "prodigy-spans",
    "doccano-spans",
    "doccano-textcat",
    "labelled",
]


class PolarityJudgement(BaseModel):
    """A reviewer said ``text`` is (accept) or is not (reject) of polarity ``label``."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="The sentence or event clause judged.")
    label: Literal["escalatory", "de-escalatory", "neutral"] = Field(description="A polarity.")
    answer: Literal["accept", "reject"] = Field(description="accept: it is; reject: it is not.")
    article: str | None = Field(None, description="doc_id of the article, when known.")
    source: str = Field(description="The file it came from.")
    line: int | None = Field(None, description="Line in that file (None for a database).")


class AliasCorrection(BaseModel):
    """A surface form a reviewer tied to a canonical actor or agreement."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["actor", "agreement"]
    surface: str = Field(min_length=1, description="The text of the corrected span.")
    canonical_id: str | None = Field(None, description="The id the reviewer gave it.")
    canonical_name: str | None = Field(None, description="Its canonical name, when given.")
    actor_type: str | None = Field(None, description="PERSON, STATE, ORG or GROUP (actors).")
    country: str | None = Field(None, description="ISO alpha-3 (actors), when given.")
    removed: bool = Field(False, description="The reviewer removed the mention: not an actor.")
    element_id: str | None = Field(None, description="The corrected mention's id in the records, when known.")
    article: str | None = None
    source: str
    line: int | None = None


class DateCase(BaseModel):
    """A reviewed date mention: a regression case for the date stage."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="The date mention as written.")
    expect: Literal["date", "no-date"] = Field(description="Must (not) be found as a date.")
    value: str | None = Field(None, description="The TIMEX3 value the reviewer gave, if any.")
    article: str | None = None
    source: str
    line: int | None = None


class EventRemoval(BaseModel):
    """A reviewer deleted an event: its trigger was no event in that sentence."""

    model_config = ConfigDict(extra="forbid")

    trigger: str = Field(min_length=1, description="The deleted event's trigger as written.")
    text: str = Field(description="The event's clause.")
    article: str | None = None
    source: str
    line: int | None = None


class EventFieldCorrection(BaseModel):
    """A reviewer set an event's modality, or made it the main event of its sentence or
    entry (``modality`` None). The event is found again by its id in the records the review
    was made on, else by its clause ``text``."""

    model_config = ConfigDict(extra="forbid")

    event_id: str = Field(description="The corrected event's id.")
    text: str = Field(description="The event's clause when it was corrected.")
    start: int | None = Field(None, description="The clause's offset in the article, when known.")
    modality: Literal["asserted", "negated", "hypothetical", "reported"] | None = Field(
        None, description="The modality the reviewer gave; None for a main-event correction.")
    before: str | None = Field(None, description="The modality the pipeline had given.")
    article: str | None = None
    source: str
    line: int | None = None


class LinkJudgement(BaseModel):
    """A reviewed alignment link: accepted (proposed or added) or rejected."""

    model_config = ConfigDict(extra="forbid")

    article: str
    event_id: str
    entry_id: str
    answer: Literal["accept", "reject"]
    source: str
    line: int | None = None


class Skipped(BaseModel):
    """A correction that carries nothing to train on, and why."""

    model_config = ConfigDict(extra="forbid")

    source: str
    line: int | None = None
    reason: str


@dataclass
class SourceFile:
    path: str
    sha256: str
    formats: dict[str, int] = field(default_factory=dict)

    def count(self, form: str) -> None:
        self.formats[form] = self.formats.get(form, 0) + 1


@dataclass
class CorrectionSet:
    """Everything read from one or more correction sources, in reading order."""

    judgements: list[PolarityJudgement] = field(default_factory=list)
    aliases: list[AliasCorrection] = field(default_factory=list)
    dates: list[DateCase] = field(default_factory=list)
    links: list[LinkJudgement] = field(default_factory=list)
    removed_events: list[EventRemoval] = field(default_factory=list)
    modalities: list[EventFieldCorrection] = field(default_factory=list)
    mains: list[EventFieldCorrection] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)
    # output folders the corrections were made on (their articles.jsonl holds the texts)
    record_folders: list[Path] = field(default_factory=list)

    def extend(self, other: CorrectionSet) -> None:
        self.judgements += other.judgements
        self.aliases += other.aliases
        self.dates += other.dates
        self.links += other.links
        self.removed_events += other.removed_events
        self.modalities += other.modalities
        self.mains += other.mains
        self.record_folders += [f for f in other.record_folders if f not in self.record_folders]
        self.skipped += other.skipped
        self.files += other.files

    def skip(self, source: str, line: int | None, reason: str) -> None:
        self.skipped.append(Skipped(source=source, line=line, reason=reason))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------------------
# Native corrections (database rows and corrections.jsonl lines)


def from_native(
    corrections: Iterable[tuple[int | None, Correction, str | None]], source: str
) -> CorrectionSet:
    """Judgements, aliases and date cases from native corrections ``(line, correction,
    status)``.  Undone corrections are left out; several ``set`` rows on one element
    (canonical id, then name) are read together."""
    out = CorrectionSet()
    grouped: dict[tuple[str, str, str], dict[str, Any]] = {}
    for line, c, status in corrections:
        if c.undone_at is not None or status == "undone":
            out.skip(source, line, f"correction {c.uid} was undone")
            continue
        if c.kind == "alignment":
            event_id, sep, entry_id = c.element_id.partition(">")
            if not sep or c.op not in ("accept", "reject"):
                out.skip(source, line, "an alignment correction that is not an accepted or rejected link")
                continue
            out.links.append(LinkJudgement(article=c.doc_id, event_id=event_id, entry_id=entry_id,
                                           answer="accept" if c.op == "accept" else "reject",
                                           source=source, line=line))
            continue
        if c.kind == "comment":
            out.skip(source, line, "a comment carries no training data")
            continue
        if c.kind == "entry":
            out.skip(source, line, "an entry's date is read from its printed date and the chronology's "
                     "year, not learnt: not trained on")
            continue
        if c.kind == "event" and c.op == "remove":
            before = c.before if isinstance(c.before, dict) else {}
            trigger = (before.get("trigger") or {}).get("text") if isinstance(before.get("trigger"), dict) else None
            if not trigger:
                out.skip(source, line, "a removed event without its trigger")
                continue
            out.removed_events.append(EventRemoval(trigger=trigger, text=str(before.get("text") or ""),
                                                   article=c.doc_id, source=source, line=line))
            continue
        if c.kind == "event" and c.op == "add":
            after = c.after if isinstance(c.after, dict) else {}
            if not after.get("text") or after.get("polarity") not in POLARITIES:
                out.skip(source, line, "an added event without its sentence or polarity")
                continue
            out.judgements.append(
                PolarityJudgement(text=after["text"], label=after["polarity"], answer="accept",
                                  article=c.doc_id, source=source, line=line)
            )
            continue
        if c.kind == "event" and c.field in ("modality", "is_main"):
            if c.anchor is None:
                out.skip(source, line, f"an event {c.field} correction without the event's text")
                continue
            if c.field == "modality" and c.after not in MODALITIES:
                out.skip(source, line, f"an event modality correction to {c.after!r}, not a modality")
                continue
            if c.field == "is_main" and c.after is not True:
                out.skip(source, line, "an event no longer main carries nothing: the unit's new main event does")
                continue
            row = EventFieldCorrection(
                event_id=c.element_id, text=c.anchor.text, start=c.anchor.start,
                modality=c.after if c.field == "modality" else None,
                before=c.before if c.field == "modality" and isinstance(c.before, str) else None,
                article=c.doc_id, source=source, line=line)
            (out.modalities if c.field == "modality" else out.mains).append(row)
            continue
        if c.kind == "event":
            if c.field != "polarity":
                out.skip(source, line, f"event {c.field} corrections are not trained on")
                continue
            if c.anchor is None or c.after not in POLARITIES:
                out.skip(source, line, "polarity correction without anchor text or label")
                continue
            out.judgements.append(
                PolarityJudgement(
                    text=c.anchor.text,
                    label=c.after,
                    answer="accept",
                    article=c.doc_id,
                    source=source,
                    line=line,
                )
            )
            continue
        # actor / date / agreement
        if c.op == "remove":
            if c.kind == "date" and c.anchor is not None:
                out.dates.append(
                    DateCase(
                        text=c.anchor.text,
                        expect="no-date",
                        article=c.doc_id,
                        source=source,
                        line=line,
                    )
                )
            elif c.kind == "actor" and c.anchor is not None:
                out.aliases.append(
                    AliasCorrection(kind="actor", surface=c.anchor.text, removed=True, article=c.doc_id,
                                    element_id=c.element_id, source=source, line=line)
                )
            else:
                out.skip(source, line, f"a removed {c.kind} is not turned into registry data")
            continue
        key = (c.doc_id, c.kind, c.element_id)
        slot = grouped.setdefault(key, {"line": line, "fields": {}})
        if c.op == "add" and isinstance(c.after, dict):
            slot["fields"].update({k: v for k, v in c.after.items() if v is not None})
        elif c.op == "set" and c.field == "span" and isinstance(c.after, dict):
            slot["fields"]["text"] = c.after.get("text")
        elif c.op == "set" and c.field:
            slot["fields"][c.field] = c.after
            if c.anchor is not None:
                slot["fields"].setdefault("text", c.anchor.text)
    for (doc_id, kind, element_id), slot in grouped.items():
        fields, line = slot["fields"], slot["line"]
        text = fields.get("text")
        if not text:
            out.skip(source, line, f"{kind} correction without the span text")
            continue
        if kind == "date":
            out.dates.append(
                DateCase(
                    text=text,
                    expect="date",
                    value=fields.get("value"),
                    article=doc_id,
                    source=source,
                    line=line,
                )
            )
        elif fields.get("canonical_id") or fields.get("canonical_name"):
            out.aliases.append(
                AliasCorrection(
                    kind=kind,
                    surface=text,
                    canonical_id=fields.get("canonical_id"),
                    canonical_name=fields.get("canonical_name"),
                    actor_type=fields.get("type"),
                    country=fields.get("country"),
                    element_id=element_id,
                    article=doc_id,
                    source=source,
                    line=line,
                )
            )
        elif kind == "actor" and (fields.keys() & {"type", "country"}):
            # the identity is the record's (filled in by ``train`` from the records reviewed)
            out.aliases.append(AliasCorrection(kind="actor", surface=text, actor_type=fields.get("type"),
                                               country=fields.get("country"), element_id=element_id,
                                               article=doc_id, source=source, line=line))
        else:
            out.skip(
                source,
                line,
                f"{kind} correction changes neither canonical id nor name "
                "(type/role/span fixes are not registry data)",
            )
    return out


def read_review_db(path: Path) -> CorrectionSet:
    store = CorrectionStore(path)
    out = from_native(((None, c, None) for c in store.history()), str(path))
    out.files.append(SourceFile(str(path), sha256_file(path), {"review-db": store.count()}))
    out.record_folders.append(Path(path).parent)
    return out


# --------------------------------------------------------------------------------------
# Task formats


def detect(row: dict[str, Any]) -> SourceFormat:
    """Which format one JSONL line is in."""
    if {"uid", "kind", "op", "doc_id"} <= row.keys():
        return "native"
    if "text" not in row:
        raise ValueError("no 'text' field and not a native correction")
    if "spans" in row:
        return "prodigy-spans"
    if "entities" in row:
        return "doccano-spans"
    label = row.get("label")
    if isinstance(label, list):
        if all(isinstance(x, list | tuple) for x in label) and label:
            return "doccano-spans"
        return "doccano-textcat"
    if "answer" in row and (isinstance(label, str) or isinstance(row.get("accept"), list)):
        return "prodigy-textcat"
    if isinstance(label, str):
        return "labelled"
    raise ValueError("neither a Prodigy task, a doccano line nor a labelled sentence")


def _meta(row: dict[str, Any], form: str) -> dict[str, Any]:
    if form.startswith("doccano"):
        return row
    meta = row.get("meta")
    return meta if isinstance(meta, dict) else {}


def _polarity(value: Any, source: str, line: int) -> str:
    if value not in POLARITIES:
        raise training_error("E052", f"{source}, line {line}: {value!r} is not a polarity")
    return str(value)


def _textcat(row: dict[str, Any], form: str, source: str, line: int, out: CorrectionSet) -> None:
    article = _meta(row, form).get("doc_id") or row.get("article")
    text = str(row["text"])
    if form == "doccano-textcat":
        labels = [x for x in row["label"] if isinstance(x, str)]
        if len(labels) != 1:
            out.skip(source, line, f"doccano line has {len(labels)} labels; one polarity needed")
            return
        pairs = [(_polarity(labels[0], source, line), "accept")]
    elif form == "labelled":
        pairs = [(_polarity(row["label"], source, line), "accept")]
    else:
        answer = row.get("answer")
        if answer not in ("accept", "reject"):
            out.skip(source, line, f"answer {answer!r}: neither accept nor reject")
            return
        chosen = row.get("accept")
        if isinstance(chosen, list):  # choice interface: the options picked
            if len(chosen) != 1:
                out.skip(source, line, f"{len(chosen)} options accepted; one polarity needed")
                return
            pairs = [(_polarity(chosen[0], source, line), answer)]
        else:
            pairs = [(_polarity(row["label"], source, line), answer)]
    for label, answer in pairs:
        out.judgements.append(
            PolarityJudgement(
                text=text,
                label=label,
                answer=answer,
                article=article,
                source=source,
                line=line,
            )
        )


def _span_list(row: dict[str, Any], form: str) -> list[dict[str, Any]]:
    if form == "prodigy-spans":
        if not isinstance(row["spans"], list) or not all(isinstance(s, dict) for s in row["spans"]):
            raise ValueError("'spans' must be a list of objects")
        return [dict(s) for s in row["spans"]]
    if "entities" in row:
        return [
            {"start": e["start_offset"], "end": e["end_offset"], "label": e["label"]}
            for e in row["entities"]
        ]
    return [{"start": s, "end": e, "label": lab} for s, e, lab in row["label"]]


def _spans(row: dict[str, Any], form: str, source: str, line: int, out: CorrectionSet) -> None:
    if form == "prodigy-spans" and row.get("answer", "accept") != "accept":
        out.skip(source, line, f"span task answered {row.get('answer')!r}")
        return
    text = str(row["text"])
    article = _meta(row, form).get("doc_id")
    spans = _span_list(row, form)
    for span in spans:
        start, end, label = int(span["start"]), int(span["end"]), str(span["label"])
        if not 0 <= start < end <= len(text):
            raise training_error(
                "E052", f"{source}, line {line}: span {start}-{end} is outside the text "
                f"(0-{len(text)})"
            )
        surface = text[start:end]
        if span.get("text") is not None and span["text"] != surface:
            raise training_error(
                "E052", f"{source}, line {line}: span text {span['text']!r} is not at {start}-{end}"
            )
        if not surface.strip():
            out.skip(source, line, f"empty span {start}-{end}")
            continue
        if label == "DATE":
            out.dates.append(
                DateCase(
                    text=surface,
                    expect="date",
                    value=span.get("value"),
                    article=article,
                    source=source,
                    line=line,
                )
            )
        elif label in ACTOR_LABELS or label == "AGREEMENT":
            if not span.get("canonical_id") and not span.get("canonical_name"):
                out.skip(
                    source,
                    line,
                    f"{label} span {surface!r} has no canonical id: nothing to add to a registry",
                )
                continue
            out.aliases.append(
                AliasCorrection(
                    kind="agreement" if label == "AGREEMENT" else "actor",
                    surface=surface,
                    canonical_id=span.get("canonical_id"),
                    canonical_name=span.get("canonical_name"),
                    actor_type=label if label in ACTOR_LABELS else None,
                    country=span.get("country"),
                    article=article,
                    source=source,
                    line=line,
                )
            )
        else:
            out.skip(source, line, f"unknown span label {label!r}")


def read_jsonl_text(text: str, source: str) -> tuple[CorrectionSet, dict[str, int]]:
    """Read a JSONL corrections file of any supported format (lines may mix formats)."""
    out = CorrectionSet()
    counts: dict[str, int] = {}
    native: list[tuple[int | None, Correction, str | None]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
            if not isinstance(row, dict):
                raise ValueError("not a JSON object")
            form = detect(row)
        except (json.JSONDecodeError, ValueError) as exc:
            raise training_error("E052", f"{source}, line {number}: {exc}") from exc
        counts[form] = counts.get(form, 0) + 1
        if form == "native":
            fields = {k: v for k, v in row.items() if k in Correction.model_fields}
            try:
                correction = Correction.model_validate(fields)
            except ValidationError as exc:
                first = exc.errors()[0]
                raise training_error(
                    "E052", f"{source}, line {number}: {first['loc']}: {first['msg']}"
                ) from exc
            native.append((number, correction, row.get("status")))
        elif form in ("prodigy-spans", "doccano-spans"):
            try:
                _spans(row, form, source, number, out)
            except (KeyError, TypeError, ValueError, IndexError) as exc:
                raise training_error(
                    "E052", f"{source}, line {number}: the spans are not a list of "
                    f"{{start, end, label}} within the text ({type(exc).__name__}: {exc})"
                ) from exc
        else:
            _textcat(row, form, source, number, out)
    if native:
        out.extend(from_native(native, source))
    return out, counts


def read_corrections(path: Path) -> CorrectionSet:
    """Read one corrections source (a review database or a JSONL file)."""
    path = Path(path)
    if not path.is_file():
        raise training_error("E060", f"{path} is not a file")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
        if head == SQLITE_MAGIC:
            return read_review_db(path)
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise training_error("E060", f"{path}: {exc}") from exc
    out, counts = read_jsonl_text(text, str(path))
    if not counts:
        raise training_error("E063", f"{path} holds no corrections (an empty file is not a correction set)")
    out.files.append(SourceFile(str(path), sha256_file(path), counts))
    if (path.parent / "articles.jsonl").is_file():
        # exported next to the records it was made on (``export-corrections`` default)
        out.record_folders.append(path.parent)
    return out


def read_all(paths: Iterable[Path]) -> CorrectionSet:
    merged = CorrectionSet()
    for path in paths:
        merged.extend(read_corrections(path))
    return merged
