"""The agreement registry: treaties, pacts and standing arrangements, loaded from JSONL data.

Each line of ``pipeline/data/agreements.jsonl`` is one :class:`AgreementEntry`.  Users extend
or override the packaged registry with their own JSONL files (same format); an entry whose
``canonical_id`` is already known replaces the packaged one.  ``find_agreements`` is the pure
matcher used by the ``dipl_agreements`` component.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pipeline.errors import PipelineError
from pipeline.registry.jsonl import read_entries, read_rule_lines

PACKAGED_REGISTRY = "agreements.jsonl"
UNLISTED_PREFIX = "unlisted:"

AgreementKind = Literal[
    "agreement", "treaty", "declaration", "statement", "framework", "arrangement", "law", "list"
]


class AgreementEntry(BaseModel):
    """One agreement and every way the journal writes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    canonical_id: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]*$", description="Stable id, lower-case words joined by '-'."
    )
    canonical_name: str = Field(min_length=1, description="The name records carry.")
    kind: AgreementKind = Field(description="What sort of instrument it is.")
    year: int | None = Field(default=None, description="Year signed or adopted, if fixed.")
    parties: list[str] = Field(
        default_factory=list, description="ISO 3166-1 alpha-3 codes of the parties (empty: many)."
    )
    names: list[str] = Field(
        default_factory=list, description="Long forms and variants, matched ignoring case."
    )
    acronyms: list[str] = Field(
        default_factory=list, description="Acronyms and misspelt acronyms, matched with case."
    )
    paraphrases: list[str] = Field(
        default_factory=list,
        description="Descriptions that point at this agreement unambiguously, ignoring case.",
    )

    @field_validator("parties")
    @classmethod
    def _iso3(cls, value: list[str]) -> list[str]:
        for code in value:
            if not re.fullmatch(r"[A-Z]{3}", code):
                raise ValueError(f"party {code!r} is not an ISO 3166-1 alpha-3 code")
        return value

    @field_validator("names", "acronyms", "paraphrases")
    @classmethod
    def _non_empty_forms(cls, value: list[str]) -> list[str]:
        for form in value:
            if not form.strip():
                raise ValueError("a surface form is empty")
        return value


def _parse_lines(lines: Iterable[str], source: str) -> list[AgreementEntry]:
    entries: list[AgreementEntry] = []
    seen: set[str] = set()
    for number, entry in read_entries(lines, source, AgreementEntry):
        if entry.canonical_id in seen:
            raise PipelineError(
                "E040",
                f"{source}, line {number}, field 'canonical_id': "
                f"{entry.canonical_id!r} is defined twice",
            )
        seen.add(entry.canonical_id)
        entries.append(entry)
    return entries


def read_agreement_file(path: Path | str) -> list[AgreementEntry]:
    """Read and validate one registry file; a bad line raises ``E040``."""
    return _parse_lines(read_rule_lines(path), str(path))


def packaged_agreements() -> list[AgreementEntry]:
    """The registry shipped inside the package."""
    text = resources.files("pipeline.data").joinpath(PACKAGED_REGISTRY).read_text(encoding="utf-8")
    return _parse_lines(text.splitlines(), f"pipeline/data/{PACKAGED_REGISTRY}")


def load_agreement_registry(
    extra_paths: Sequence[Path | str] = (), include_packaged: bool = True
) -> list[AgreementEntry]:
    """The packaged registry extended (or overridden, id by id) by the user's files."""
    by_id: dict[str, AgreementEntry] = {}
    if include_packaged:
        for entry in packaged_agreements():
            by_id[entry.canonical_id] = entry
    for path in extra_paths:
        for entry in read_agreement_file(path):
            by_id[entry.canonical_id] = entry
    return list(by_id.values())


def registry_to_jsonl(entries: Iterable[AgreementEntry]) -> str:
    """Serialise entries in the registry's own line format."""
    return "".join(json.dumps(e.model_dump(), ensure_ascii=False) + "\n" for e in entries)


# --------------------------------------------------------------------------- matching

MatchKind = Literal["name", "acronym", "paraphrase", "definition", "unlisted"]


@dataclass(frozen=True)
class AgreementMention:
    """One mention found in a text, with plain values only."""

    start: int
    end: int
    text: str
    canonical_id: str
    canonical_name: str
    match: MatchKind


_AGREEMENT_HEADS = frozenset(
    {
        "Agreement",
        "Treaty",
        "Accord",
        "Accords",
        "Declaration",
        "Pact",
        "Convention",
        "Communiqué",
        "Communique",
        "Statement",
        "Framework",
        "Protocol",
        "Charter",
    }
)
# Heads that name an instrument only when they end the name ("Joint Statement").
_TRAILING_ONLY_HEADS = frozenset({"Statement", "Framework", "Charter"})
_CONNECTORS = "of|on|and|for|the|between|in|de"
# A capitalised word; a dot only inside it ("U.S"), so a full stop ends the run.
_WORD = r"[A-Z](?:[\w’'-]|\.(?=\w))*"
# A run of capitalised words, joined by spaces and lower-case connectors.
_CAPITALISED_RUN_RE = re.compile(
    rf"(?<![\w-])(?:(?:19|20)\d\d\s+)?{_WORD}(?:\s+(?:(?:{_CONNECTORS})\s+)*{_WORD})*"
)
_DEFINITION_RE = re.compile(r"\s*\(\s*([A-Z][A-Za-z0-9-]{1,9}(?:\s[A-Z]{2,5})?)\s*\)")
_LEADING_NOISE = frozenset(
    {"The", "A", "An", "This", "That", "In", "On", "Under", "Its", "Their", "Both", "After"}
)


def _named_instrument(run: str, start: int) -> tuple[str, int] | None:
    """The agreement name inside a capitalised run, or None when the run names none."""
    words = run.split()
    offset = start
    while len(words) > 1 and words[0] in _LEADING_NOISE:
        offset = run.index(words[1], offset - start) + start
        words = words[1:]
    if len(words) < 2:
        return None
    name = run[offset - start :].strip().rstrip(".")
    if words[-1].rstrip(".") in _AGREEMENT_HEADS:
        return name, offset
    head_first = words[0] in _AGREEMENT_HEADS - _TRAILING_ONLY_HEADS
    if head_first and words[1] in _CONNECTORS.split("|") and len(words) >= 3:
        return name, offset
    return None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _form_pattern(form: str, ignore_case: bool) -> re.Pattern[str]:
    # Quotes, apostrophes, hyphens and spaces vary in scraped text.
    variants = {
        '"': '["“”]',
        "“": '["“”]',
        "”": '["“”]',
        "'": "['’]",
        "’": "['’]",
        "-": "[-‐–\\s]?",
        " ": "\\s+",
    }
    escaped = "".join(variants.get(char, re.escape(char)) for char in form)
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(rf"(?<![\w-]){escaped}(?![\w-])", flags)


@dataclass(frozen=True)
class _Form:
    pattern: re.Pattern[str]
    entry: AgreementEntry
    match: MatchKind
    length: int


def compile_forms(entries: Sequence[AgreementEntry]) -> list[_Form]:
    """Every surface form of the registry as a compiled pattern."""
    forms: list[_Form] = []
    for entry in entries:
        for name in entry.names:
            forms.append(_Form(_form_pattern(name, True), entry, "name", len(name)))
        for acronym in entry.acronyms:
            forms.append(_Form(_form_pattern(acronym, False), entry, "acronym", len(acronym)))
        for phrase in entry.paraphrases:
            forms.append(_Form(_form_pattern(phrase, True), entry, "paraphrase", len(phrase)))
    return forms


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < t_end and t_start < end for t_start, t_end in taken)


def find_agreements(
    text: str,
    entries: Sequence[AgreementEntry],
    recognise_unlisted: bool = True,
    forms: Sequence[_Form] | None = None,
) -> list[AgreementMention]:
    """Find agreement mentions in ``text``, longest match first, no overlaps.

    Order of work: registry forms; then in-text definitions "Long Form (ACR)", after which
    ``ACR`` resolves to the long form's agreement; then capitalised names ending in an
    agreement word that the registry does not hold (``unlisted:<slug>`` ids).
    """
    compiled = list(forms) if forms is not None else compile_forms(entries)
    candidates: list[tuple[int, int, _Form]] = []
    for form in compiled:
        for m in form.pattern.finditer(text):
            candidates.append((m.start(), m.end(), form))
    # Longer spans first; among equal spans, names beat acronyms beat paraphrases.
    rank = {"name": 0, "acronym": 1, "paraphrase": 2}
    candidates.sort(key=lambda c: (-(c[1] - c[0]), rank[c[2].match], c[0]))
    taken: list[tuple[int, int]] = []
    found: list[AgreementMention] = []
    for start, end, form in candidates:
        if _overlaps(start, end, taken):
            continue
        taken.append((start, end))
        found.append(
            AgreementMention(
                start,
                end,
                text[start:end],
                form.entry.canonical_id,
                form.entry.canonical_name,
                form.match,
            )
        )

    # In-text definitions: a long form (registered or not) followed by "(ACR)".
    defined: dict[str, tuple[str, str]] = {}
    for mention in sorted(found, key=lambda m: m.start):
        if mention.match != "name":
            continue
        d = _DEFINITION_RE.match(text, mention.end)
        if d:
            defined[d.group(1)] = (mention.canonical_id, mention.canonical_name)
    if recognise_unlisted:
        for m in _CAPITALISED_RUN_RE.finditer(text):
            named = _named_instrument(m.group(0), m.start())
            if named is None:
                continue
            name, start = named
            end = start + len(name)
            if _overlaps(start, end, taken):
                continue
            canonical_id = UNLISTED_PREFIX + _slug(name)
            taken.append((start, end))
            found.append(AgreementMention(start, end, name, canonical_id, name, "unlisted"))
            d = _DEFINITION_RE.match(text, end)
            if d:
                defined[d.group(1)] = (canonical_id, name)
    for acronym, (canonical_id, canonical_name) in defined.items():
        pattern = _form_pattern(acronym, False)
        for m in pattern.finditer(text):
            if _overlaps(m.start(), m.end(), taken):
                continue
            taken.append((m.start(), m.end()))
            found.append(
                AgreementMention(
                    m.start(), m.end(), m.group(0), canonical_id, canonical_name, "definition"
                )
            )
    return sorted(found, key=lambda m: m.start)
