"""Gold for the real-text development set (docs/realtext_gold.md): model, locators, scoring.

The texts are third-party and live outside the repository; the gold holds labels with short
locators (a mention's text and occurrence, a sentence's first words), resolved here against
the retrieved text. Scoring compares one article record (as written to ``articles.jsonl``)
with one gold file, field by field, and returns counts so that figures can be summed per kind.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["article", "article-pdf", "republication", "chronology", "news"]
Polarity = Literal["escalatory", "de-escalatory", "neutral"]
Anchor = Literal["period", "publication", "running_header", "dateline", "latest_date"]
METADATA_FIELDS = (
    "relationship",
    "period",
    "title",
    "authors",
    "volume",
    "issue",
    "published",
    "pages",
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GoldPeriod(Strict):
    start: str | None = Field(description="First month covered, YYYY-MM.")
    end: str | None = Field(description="Last month covered, YYYY-MM.")


class GoldMetadata(Strict):
    relationship: str | None = Field(description="'Japan-China', as the pipeline writes it.")
    period: GoldPeriod | None = Field(description="The period covered, or null.")
    title: str | None = Field(description="Title as printed, without a dyad prefix.")
    authors: list[str] = Field(description="Author names in byline order.")
    volume: int | None = Field(description="Volume number.")
    issue: int | None = Field(description="Issue number.")
    published: str | None = Field(description="Publication month, YYYY-MM.")
    pages: str | None = Field(description="Page range, e.g. '121-128'.")


class GoldDocumentDate(Strict):
    value: str = Field(description="TIMEX3 value of the document date.")
    anchor: Anchor = Field(description="Which source gave it.")


class GoldEntry(Strict):
    locator: str = Field(min_length=1, description="First words of the entry's text.")
    date: str | None = Field(description="TIMEX3 of the entry's (first) day, null when lost.")
    date_end: str | None = Field(None, description="Last day of a range.")
    polarity: Polarity | None = Field(None, description="Polarity of the entry's main event.")
    source: list[str] = Field(default_factory=list, description="Main-event source mentions.")
    target: list[str] = Field(default_factory=list, description="Main-event target mentions.")


class GoldChronology(Strict):
    order: Literal["oldest_first", "newest_first"] | None = Field(description="As printed.")
    entries: list[GoldEntry] = Field(description="Every entry visible in the text.")


class GoldMention(Strict):
    text: str = Field(min_length=1, description="The mention exactly as printed.")
    occurrence: int = Field(1, ge=1, description="n-th stand-alone match of ``text``.")


class GoldActorMention(GoldMention):
    type: Literal["PERSON", "STATE", "ORG", "GROUP"]
    country: str | None = Field(description="ISO alpha-3 or null.")
    person: str | None = Field(None, description="Identity key shared by one person's mentions.")


class GoldDateMention(GoldMention):
    value: str | None = Field(description="TIMEX3 value, or null when it cannot be resolved.")
    mod: str | None = Field(None, description="TIMEX3 modifier.")


class GoldAgreementMention(GoldMention):
    agreement: str = Field(min_length=1, description="Registry id, or a new slug.")


class GoldSentence(Strict):
    locator: str = Field(min_length=1, description="First words of the sentence.")
    polarity: Polarity


class RealTextGold(Strict):
    id: str
    kind: Kind
    first_words: str
    metadata: GoldMetadata | None
    document_date: GoldDocumentDate | None = Field(
        description="Null when the text holds no date with a year (the pipeline must say none)."
    )
    chronology: GoldChronology | None = None
    actors: list[GoldActorMention] = Field(default_factory=list)
    dates: list[GoldDateMention] = Field(default_factory=list)
    agreements: list[GoldAgreementMention] = Field(default_factory=list)
    sentences: list[GoldSentence] = Field(default_factory=list)


class LocatorError(ValueError):
    """A gold locator does not resolve in its text."""


def read_gold(path: str | Path) -> RealTextGold:
    return RealTextGold.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))


def _squash(text: str) -> str:
    return " ".join(text.split())


def find_mention(text: str, mention: str, occurrence: int = 1) -> tuple[int, int]:
    """Offsets of the ``occurrence``-th stand-alone match of ``mention`` in ``text``."""
    pattern = re.compile(r"(?<![^\W_])" + re.escape(mention) + r"(?![^\W_])")
    for n, match in enumerate(pattern.finditer(text), start=1):
        if n == occurrence:
            return match.start(), match.end()
    raise LocatorError(f"{mention!r} occurrence {occurrence} is not in the text")


def find_locator(text: str, locator: str, start: int = 0) -> int:
    """Offset of the first match of ``locator`` (whitespace-insensitive) from ``start``."""
    words = locator.split()
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    match = pattern.search(text, start)
    if match is None:
        raise LocatorError(f"locator {locator!r} is not in the text")
    return match.start()


def check_gold(gold: RealTextGold, text: str) -> list[str]:
    """Every locator problem of ``gold`` against ``text`` (empty when all resolve)."""
    problems: list[str] = []
    if not _squash(text).startswith(_squash(gold.first_words)):
        problems.append(f"text does not start with {gold.first_words!r}")
    groups: list[tuple[str, Sequence[GoldMention]]] = [
        ("actors", gold.actors),
        ("dates", gold.dates),
        ("agreements", gold.agreements),
    ]
    for name, mentions in groups:
        seen: set[tuple[str, int]] = set()
        for m in mentions:
            key = (m.text, m.occurrence)
            if key in seen:
                problems.append(f"{name}: {m.text!r} occurrence {m.occurrence} labelled twice")
            seen.add(key)
            try:
                find_mention(text, m.text, m.occurrence)
            except LocatorError as err:
                problems.append(f"{name}: {err}")
    entries = gold.chronology.entries if gold.chronology else []
    for entry in entries:
        try:
            find_locator(text, entry.locator)
        except LocatorError as err:
            problems.append(f"chronology: {err}")
    for sentence in gold.sentences:
        try:
            find_locator(text, sentence.locator)
        except LocatorError as err:
            problems.append(f"sentences: {err}")
    persons: dict[str, set[str]] = {}
    for a in gold.actors:
        if (a.type == "PERSON") != (a.person is not None):
            problems.append(f"actors: {a.text!r}: 'person' is set exactly for PERSON mentions")
        if a.person is not None:
            persons.setdefault(a.person, set()).add(a.country or "")
    for person_key, countries in persons.items():
        if len(countries) > 1:
            problems.append(f"actors: person {person_key!r} has several countries {sorted(countries)}")
    return problems


# --------------------------------------------------------------------------- scoring


def _norm(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value))
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"\s*[-–—]\s*", "-", text)
    return " ".join(text.casefold().split()).strip(" .,:;")


def _metadata_value(meta: Mapping[str, Any], field: str) -> Any:
    value = meta.get(field)
    if field == "period":
        if not value or (value.get("start") is None and value.get("end") is None):
            return None
        return (value.get("start"), value.get("end"))
    if field == "authors":
        return [_norm(a["name"] if isinstance(a, Mapping) else a) for a in value or []]
    if field in ("volume", "issue"):
        return value
    if field in ("relationship", "title", "pages", "published"):
        return None if value in (None, "") else _norm(value)
    return value


def score_metadata(record: Mapping[str, Any], gold: RealTextGold) -> dict[str, Any]:
    """Per field: right or wrong (gold null means the pipeline must leave it empty)."""
    if gold.metadata is None:
        return {"right": 0, "total": 0, "wrong": []}
    predicted = record.get("metadata") or {}
    expected = gold.metadata.model_dump()
    right, wrong = 0, []
    for field in METADATA_FIELDS:
        want = _metadata_value(expected, field)
        got = _metadata_value(predicted, field)
        if want == got:
            right += 1
        else:
            wrong.append({"field": field, "gold": want, "predicted": got})
    return {"right": right, "total": len(METADATA_FIELDS), "wrong": wrong}


def score_document_date(record: Mapping[str, Any], gold: RealTextGold) -> dict[str, Any]:
    predicted = (record.get("metadata") or {}).get("document_date") or {}
    expected = gold.document_date
    if expected is None:
        value_right = anchor_right = not predicted.get("value")
    else:
        value_right = predicted.get("value") == expected.value
        anchor_right = value_right and predicted.get("anchor") == expected.anchor
    return {
        "value_right": int(value_right),
        "anchor_right": int(anchor_right),
        "total": 1,
        "gold": None if expected is None else expected.model_dump(),
        "predicted": {"value": predicted.get("value"), "anchor": predicted.get("anchor")},
    }


def _entry_starts(text: str, gold_entries: Iterable[GoldEntry]) -> list[tuple[int, GoldEntry]]:
    return [(find_locator(text, e.locator), e) for e in gold_entries]


def score_chronology(record: Mapping[str, Any], gold: RealTextGold) -> dict[str, Any]:
    """An entry is found when a predicted entry's text starts at (or just before) its locator;
    its date is right when the value (and the range end) match."""
    if gold.chronology is None:
        return {"found": 0, "date_right": 0, "total": 0, "order_right": 0, "orders": 0,
                "missed": []}
    text = record["text"]
    predicted = record.get("chronology") or []
    by_text_start = {int(p["text_start"]): p for p in predicted}
    found = date_right = 0
    missed: list[str] = []
    for start, entry in _entry_starts(text, gold.chronology.entries):
        match = by_text_start.get(start)
        if match is None:
            # tolerate an entry whose text span starts a few characters early (a lost ": ")
            match = next(
                (p for p in predicted if int(p["text_start"]) <= start < int(p["end"])
                 and start - int(p["text_start"]) <= 3),
                None,
            )
        if match is None:
            missed.append(entry.locator)
            continue
        found += 1
        if match.get("date") == entry.date and (
            entry.date_end is None or match.get("date_end") == entry.date_end
        ):
            date_right += 1
    order_total = int(gold.chronology.order is not None)
    order_right = 0
    if order_total:
        got = (record.get("metadata") or {}).get("chronology_order")
        order_right = int(got == gold.chronology.order)
    return {
        "found": found,
        "date_right": date_right,
        "total": len(gold.chronology.entries),
        "order_right": order_right,
        "orders": order_total,
        "missed": missed,
    }


def _spans_by_offsets(items: Iterable[Mapping[str, Any]]) -> dict[tuple[int, int], Mapping[str, Any]]:
    return {(int(i["start"]), int(i["end"])): i for i in items}


def _overlapping(
    items: Sequence[Mapping[str, Any]], start: int, end: int
) -> Mapping[str, Any] | None:
    """The predicted span matching [start, end): exact, else the one overlapping it most."""
    best, best_overlap = None, 0
    for item in items:
        overlap = min(end, int(item["end"])) - max(start, int(item["start"]))
        if overlap > best_overlap:
            best, best_overlap = item, overlap
    return best


def score_actors(record: Mapping[str, Any], gold: RealTextGold) -> dict[str, Any]:
    """Mentions found (overlap), country right (of found), person identities consistent."""
    text = record["text"]
    predicted = record.get("actors") or []
    found = country_right = 0
    missed: list[str] = []
    wrong_country: list[dict[str, Any]] = []
    ids_by_person: dict[str, list[str | None]] = {}
    for mention in gold.actors:
        start, end = find_mention(text, mention.text, mention.occurrence)
        match = _overlapping(predicted, start, end)
        if mention.person is not None:
            ids_by_person.setdefault(mention.person, []).append(
                None if match is None else match.get("canonical_id")
            )
        if match is None:
            missed.append(f"{mention.text}#{mention.occurrence}")
            continue
        found += 1
        if match.get("country") == mention.country:
            country_right += 1
        else:
            wrong_country.append(
                {"mention": f"{mention.text}#{mention.occurrence}", "gold": mention.country,
                 "predicted": match.get("country")}
            )
    consistent = 0
    inconsistent: list[dict[str, Any]] = []
    owners: dict[str, set[str]] = {}
    for person, ids in ids_by_person.items():
        for i in ids:
            if i is not None:
                owners.setdefault(i, set()).add(person)
    for person, ids in ids_by_person.items():
        distinct = set(ids)
        ok = len(distinct) == 1 and None not in distinct
        ok = ok and owners.get(next(iter(distinct)) or "", set()) == {person}
        if ok:
            consistent += 1
        else:
            inconsistent.append({"person": person, "ids": ids})
    return {
        "found": found,
        "country_right": country_right,
        "total": len(gold.actors),
        "persons_consistent": consistent,
        "persons": len(ids_by_person),
        "missed": missed,
        "wrong_country": wrong_country,
        "inconsistent": inconsistent,
    }


def score_dates(record: Mapping[str, Any], gold: RealTextGold) -> dict[str, Any]:
    """A gold date is right when a predicted span overlaps it with the same value and mod."""
    text = record["text"]
    predicted = record.get("dates") or []
    right = 0
    wrong: list[dict[str, Any]] = []
    for mention in gold.dates:
        start, end = find_mention(text, mention.text, mention.occurrence)
        match = _overlapping(predicted, start, end)
        got = None if match is None else (match.get("value"), match.get("mod"))
        if got is not None and got[0] and "T" in got[0] and mention.value and "T" not in mention.value:
            # the gold labels no times of day: a value with one is read at its day
            got = (got[0].split("T")[0], got[1])
        if got == (mention.value, mention.mod):
            right += 1
        else:
            wrong.append(
                {"mention": f"{mention.text}#{mention.occurrence}",
                 "gold": [mention.value, mention.mod],
                 "predicted": None if got is None else list(got)}
            )
    return {"right": right, "total": len(gold.dates), "wrong": wrong}


def score_agreements(
    record: Mapping[str, Any], gold: RealTextGold, registry_ids: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """A gold agreement mention is found when an overlapping prediction has the right identity.

    For an agreement in the registry (``registry_ids``) that is its registry id. For one the
    registry does not hold, the gold id is the annotator's own slug, which no pipeline can be
    expected to spell: there a mention counts when it carries the id most mentions of that
    agreement carry, and no other agreement of the text was given that id."""
    text = record["text"]
    predicted = record.get("agreements") or []
    matched: list[tuple[GoldAgreementMention, str | None]] = []
    for mention in gold.agreements:
        start, end = find_mention(text, mention.text, mention.occurrence)
        match = _overlapping(predicted, start, end)
        matched.append((mention, None if match is None else match.get("canonical_id")))
    # Each unlisted gold agreement's id in the prediction: the id most of its mentions carry.
    votes: dict[str, Counter[str]] = {}
    for mention, got in matched:
        if got is not None:
            votes.setdefault(mention.agreement, Counter())[got] += 1
    cluster = {agreement: counts.most_common(1)[0][0] for agreement, counts in votes.items()}
    claimed = Counter(cluster.values())
    right = 0
    missed: list[dict[str, Any]] = []
    for mention, got in matched:
        if mention.agreement in registry_ids:
            ok = got == mention.agreement
        else:
            # that id, and no other agreement of the text predicted as the same one
            ok = got is not None and cluster.get(mention.agreement) == got and claimed[got] == 1
        if ok:
            right += 1
        else:
            missed.append({"mention": f"{mention.text}#{mention.occurrence}", "gold": mention.agreement,
                           "predicted": got})
    return {"right": right, "total": len(gold.agreements), "missed": missed}


def score_record(
    record: Mapping[str, Any], gold: RealTextGold, registry_ids: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """All figures of one text (``registry_ids``: the agreement registry's ids)."""
    return {
        "id": gold.id,
        "kind": gold.kind,
        "metadata": score_metadata(record, gold),
        "document_date": score_document_date(record, gold),
        "chronology": score_chronology(record, gold),
        "actors": score_actors(record, gold),
        "dates": score_dates(record, gold),
        "agreements": score_agreements(record, gold, registry_ids),
    }


# (figure name, section, numerator key, denominator key)
FIGURES: tuple[tuple[str, str, str, str], ...] = (
    ("metadata fields right", "metadata", "right", "total"),
    ("document date right", "document_date", "value_right", "total"),
    ("document date anchor right", "document_date", "anchor_right", "total"),
    ("chronology entries found", "chronology", "found", "total"),
    ("chronology entry dates right", "chronology", "date_right", "total"),
    ("chronology order right", "chronology", "order_right", "orders"),
    ("actor mentions found", "actors", "found", "total"),
    ("actor country right", "actors", "country_right", "found"),
    ("person identities consistent", "actors", "persons_consistent", "persons"),
    ("date values right", "dates", "right", "total"),
    ("agreement mentions found", "agreements", "right", "total"),
)


def summarise(scores: Sequence[Mapping[str, Any]], groups: Mapping[str, Sequence[str]]) -> dict[str, dict[str, Any]]:
    """For each group of kinds, each figure as ``[numerator, denominator, ratio]``."""
    table: dict[str, dict[str, Any]] = {}
    for group, kinds in groups.items():
        rows = [s for s in scores if s["kind"] in kinds]
        table[group] = {}
        for name, section, num, den in FIGURES:
            n = sum(int(r[section][num]) for r in rows)
            d = sum(int(r[section][den]) for r in rows)
            table[group][name] = [n, d, round(n / d, 3) if d else None]
    return table
