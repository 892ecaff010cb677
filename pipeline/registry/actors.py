"""The actor registry: validated JSONL entries for states, bodies, organisations and office holders."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pipeline.errors import PipelineError
from pipeline.registry.jsonl import read_entries, read_rule_lines
from pipeline.registry.names import matching_key, name_keys

ActorType = Literal["PERSON", "STATE", "ORG", "GROUP"]
EntryType = Literal["PERSON", "STATE", "ORG", "GROUP", "NOT_ACTOR"]
AliasKind = Literal["name", "metonym", "adjective", "not_actor"]

PACKAGED_DIR = "data/actors"
# A leading "the" before a name ("the US"), as a surface is read for the case rules.
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)

_DAY_OR_MONTH = r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$"


class Office(BaseModel):
    """One office held between two dates (ISO day, or month where the day is not certain)."""

    model_config = ConfigDict(extra="forbid")

    role: str = Field(
        min_length=1, description="Office as the journal names it, e.g. 'Foreign Minister'."
    )
    start: str = Field(
        pattern=_DAY_OR_MONTH, description="First day (YYYY-MM-DD) or month (YYYY-MM)."
    )
    end: str | None = Field(
        default=None,
        pattern=_DAY_OR_MONTH,
        description="Last day or month; null while the office is held (or the end is not verified).",
    )
    note: str | None = Field(default=None, description="Source or precision note.")

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Office:
        if self.end is not None and interval(self.end)[1] < interval(self.start)[0]:
            raise ValueError(f"office ends ({self.end}) before it starts ({self.start})")
        return self


class ActorEntry(BaseModel):
    """One registry line: an actor (or a NOT_ACTOR name that must never become one)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$", description="Stable canonical id.")
    type: EntryType = Field(description="PERSON, STATE, ORG, GROUP; NOT_ACTOR for places etc.")
    name: str = Field(min_length=1, description="Canonical name.")
    country: str | None = Field(default=None, pattern=r"^[A-Z]{3}$", description="ISO alpha-3.")
    aliases: list[str] = Field(default_factory=list, description="Other names and abbreviations.")
    adjectives: list[str] = Field(default_factory=list, description="Demonyms (states only).")
    metonyms: list[str] = Field(
        default_factory=list, description="Capitals/buildings standing for this actor."
    )
    family_name: str | None = Field(default=None, description="Family name (persons).")
    offices: list[Office] = Field(default_factory=list, description="Dated offices (persons).")
    note: str | None = Field(default=None, description="Free note (sources, precision).")
    media: bool = Field(
        default=False,
        description="A news organisation: an act it reports is the act's own actors', not its.",
    )

    @field_validator("aliases", "adjectives", "metonyms")
    @classmethod
    def _no_empty_names(cls, values: list[str]) -> list[str]:
        for value in values:
            if not value.strip():
                raise ValueError("empty name")
        return values

    @model_validator(mode="after")
    def _person_fields(self) -> ActorEntry:
        if self.type == "PERSON":
            if not self.family_name:
                raise ValueError("a PERSON entry needs family_name")
            words = self.name.split()
            family = self.family_name.split()
            n = len(family)
            if words[:n] != family and words[-n:] != family:
                raise ValueError(
                    f"family_name {self.family_name!r} is neither the start nor the end of {self.name!r}"
                )
        elif self.offices:
            raise ValueError("only PERSON entries hold offices")
        if self.adjectives and self.type != "STATE":
            raise ValueError("only STATE entries have adjectives")
        return self

    def role_on(self, day_from: date, day_to: date | None = None) -> str | None:
        """The office held on a day, or the one held longest during a period."""
        day_to = day_to or day_from
        held = [
            o
            for o in self.offices
            if interval(o.start)[0] <= day_to and (o.end is None or interval(o.end)[1] >= day_from)
        ]
        if not held:
            return None

        def overlap(o: Office) -> tuple[int, date]:
            first = max(interval(o.start)[0], day_from)
            last = min(interval(o.end)[1], day_to) if o.end else day_to
            return (last - first).days, interval(o.start)[0]

        # The office held longest in the period; among equals, the most recent.
        return max(held, key=overlap).role


@lru_cache(maxsize=4096)
def interval(value: str) -> tuple[date, date]:
    """First and last day of an ISO day ("2019-11-21"), month ("2019-11") or year ("2019")."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        d = date(parts[0], parts[1], parts[2])
        return d, d
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return date(parts[0], parts[1], 1), date(parts[0], parts[1], last)
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


@dataclass(frozen=True)
class AliasHit:
    """What a matching key points to: an entry and how the name stands for it."""

    entry_id: str
    kind: AliasKind
    acronym: bool  # all-capital alias: only matches all-capital text ("US", not "us")


@dataclass
class ActorRegistry:
    """Entries by id, and an index from matching key to every entry that name may mean."""

    entries: dict[str, ActorEntry] = field(default_factory=dict)
    index: dict[str, list[AliasHit]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    max_words: int = 1
    _prefixes: frozenset[str] | None = field(default=None, repr=False, compare=False)
    _families: dict[str, list[ActorEntry]] | None = field(default=None, repr=False, compare=False)

    def add(self, entry: ActorEntry, source: str, line: int) -> None:
        if entry.id in self.entries:
            raise PipelineError(
                "E040", f"{source}, line {line}, field 'id': duplicate actor id {entry.id!r}"
            )
        self.entries[entry.id] = entry
        self._families = None
        kind_name: AliasKind = "not_actor" if entry.type == "NOT_ACTOR" else "name"
        for surface in [entry.name, *entry.aliases]:
            keys = (
                name_keys(surface, entry.family_name)
                if entry.type == "PERSON"
                else {matching_key(surface)}
            )
            for key in keys:
                self._index(key, surface, entry.id, kind_name)
        for surface in entry.metonyms:
            self._index(matching_key(surface), surface, entry.id, "metonym")
        for surface in entry.adjectives:
            self._index(matching_key(surface), surface, entry.id, "adjective")

    def could_start(self, key: str) -> bool:
        """Whether some name's matching key starts with ``key`` (a window of text whose key
        does not cannot grow into a name either: keys only lengthen as words are added)."""
        if self._prefixes is None:
            self._prefixes = frozenset(k[:n] for k in self.index for n in range(len(k) + 1))
        return key in self._prefixes

    def _index(self, key: str, surface: str, entry_id: str, kind: AliasKind) -> None:
        self._prefixes = None
        if not key:
            return
        letters = [c for c in surface if c.isalpha()]
        acronym = bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 6
        hit = AliasHit(entry_id, kind, acronym)
        hits = self.index.setdefault(key, [])
        if hit not in hits:
            hits.append(hit)
        self.max_words = max(self.max_words, len(surface.replace("-", " - ").split()) + 2)

    def lookup(self, text: str) -> list[AliasHit]:
        """Every entry a surface string may name (case rules for acronyms applied)."""
        hits = self.index.get(matching_key(text))
        if not hits:
            return []  # most windows name nothing: no case rules to apply
        bare = _LEADING_THE.sub("", text.strip())
        letters = [c for c in bare if c.isalpha()]
        all_caps = bool(letters) and all(c.isupper() for c in letters)
        return [h for h in hits if all_caps or not h.acronym]

    def persons_with_family_name(self, family: str) -> list[ActorEntry]:
        """The registry's persons of that family name, in registry order."""
        if self._families is None:
            families: dict[str, list[ActorEntry]] = {}
            for e in self.entries.values():
                if e.type == "PERSON" and e.family_name:
                    families.setdefault(matching_key(e.family_name), []).append(e)
            self._families = families
        return list(self._families.get(matching_key(family), ()))

    def to_lines(self) -> list[str]:
        """The registry as JSONL lines (for saving a pipeline)."""
        return [e.model_dump_json(exclude_defaults=True) for e in self.entries.values()]


def parse_lines(lines: Iterable[str], source: str) -> Iterator[tuple[int, ActorEntry]]:
    """Validate JSONL lines; a bad line raises E040 naming the file, line and field."""
    return read_entries(lines, source, ActorEntry)


def packaged_files() -> list[tuple[str, str]]:
    """(name, text) of the registry files shipped in ``pipeline/data/actors``."""
    folder = resources.files("pipeline").joinpath(PACKAGED_DIR)
    found = [item for item in folder.iterdir() if item.name.endswith(".jsonl")]
    return [
        (f"pipeline/{PACKAGED_DIR}/{item.name}", item.read_text(encoding="utf-8"))
        for item in sorted(found, key=lambda i: i.name)
    ]


def load_registry(
    extra_paths: Iterable[str | Path] = (),
    *,
    packaged: bool = True,
    lines: Iterable[tuple[str, str]] = (),
) -> ActorRegistry:
    """Load the packaged registry, then the user's own JSONL files (and raw ``(source, text)``)."""
    registry = ActorRegistry()
    sources: list[tuple[str, str]] = list(packaged_files()) if packaged else []
    for path in extra_paths:
        p = Path(path)
        files = sorted(p.glob("*.jsonl")) if p.is_dir() else [p]
        for f in files:
            sources.append((str(f), "\n".join(read_rule_lines(f))))
    sources.extend(lines)
    for source, text in sources:
        for number, entry in parse_lines(text.splitlines(), source):
            registry.add(entry, source, number)
        registry.sources.append(source)
    return registry
