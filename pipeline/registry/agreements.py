"""The agreement registry: treaties, pacts and standing arrangements, loaded from JSONL data.

Each line of ``pipeline/data/agreements.jsonl`` is one :class:`AgreementEntry`.  Users extend
or override the packaged registry with their own JSONL files (same format); an entry whose
``canonical_id`` is already known replaces the packaged one.  ``find_agreements`` is the pure
matcher used by the ``dipl_agreements`` component.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
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
        "Memorandum",
        "Act",
        "Consensus",
    }
)
# Heads that name an instrument only when they end the name ("Joint Statement").
_TRAILING_ONLY_HEADS = frozenset({"Statement", "Framework", "Charter", "Act", "Consensus"})
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
    # "Sino-Russian Joint Declaration on the International Order …": a head inside the run,
    # followed by a connector and more of the name.
    for k in range(1, len(words) - 2):
        if words[k] in _AGREEMENT_HEADS - _TRAILING_ONLY_HEADS and words[k + 1] in {"on", "of", "for", "between"}:
            return name, offset
    # "China-ROK Free Trade Agreement in December": the run went on past the name through a
    # connector; the name ends at its head.
    for k in range(len(words) - 2, 0, -1):
        if words[k].rstrip(".,") in _AGREEMENT_HEADS and words[k + 1] in {"in", "and", "the"}:
            cut = run[offset - start :]
            end = 0
            for _ in range(k + 1):
                end = cut.index(" ", end) + 1 if " " in cut[end:] else len(cut)
            return cut[:end].strip().rstrip(".,"), offset
    return None


_SLUG_EXPANSIONS = {"fta": "free-trade-agreement", "mou": "memorandum-of-understanding"}


def _slug(text: str) -> str:
    """An id from a name; "FTA" and "Free Trade Agreement" give the same one."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-").split("-")
    return "-".join(_SLUG_EXPANSIONS.get(w, w) for w in words if w)


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
    # The form's runs of letters and digits, longest first: every match contains each of them
    # verbatim (the pattern only varies quotes, hyphens and spaces), so a text without one of
    # them cannot match ("comfort women agreement" needs "comfort", not only "agreement").
    needles: tuple[str, ...] = ()
    ignore_case: bool = True
    # The ASCII letters and digits the form starts with (lower-cased when case is ignored):
    # every match starts with them, so only where they stand need the pattern be tried.
    # None when the form starts otherwise (a quote, a non-ASCII letter).
    lead: str | None = None

    def matches(self, text: str, haystack: str, folds_plainly: bool) -> list[tuple[int, int]]:
        """(start, end) of every match in ``text``, as ``pattern.finditer`` gives them.

        ``haystack`` is ``text`` lower-cased when case is ignored; ``folds_plainly`` says that
        it has the text's offsets and none of the letters that match an ASCII one only when
        case is ignored (the Kelvin sign, the long s, dotted and dotless i). Then a match can
        start only where ``lead`` stands in the haystack, and the pattern is tried there
        alone (anchored, its look-behind still reading the text before it)."""
        if self.lead is None or (self.ignore_case and not folds_plainly):
            return [(m.start(), m.end()) for m in self.pattern.finditer(text)]
        found: list[tuple[int, int]] = []
        after = 0  # finditer goes on from the end of the last match
        at = haystack.find(self.lead)
        while at != -1:
            if at >= after:
                m = self.pattern.match(text, at)
                if m is not None:
                    found.append((m.start(), m.end()))
                    after = m.end()
            at = haystack.find(self.lead, at + 1)
        return found


# Letters that equal an ASCII letter under re.IGNORECASE without lower-casing to it.
_SPECIAL_FOLDS = frozenset("\u212a\u017f\u0130\u0131")


def _needle(form: str, ignore_case: bool) -> tuple[str, ...]:
    runs = sorted(set(re.findall(r"[^\W_]+", form)), key=lambda r: (-len(r), r))
    return tuple(r.lower() for r in runs) if ignore_case else tuple(runs)


def _lead(form: str, ignore_case: bool) -> str | None:
    m = re.match(r"[A-Za-z0-9]+", form)
    if m is None:
        return None
    return m.group(0).lower() if ignore_case else m.group(0)


def compile_forms(entries: Sequence[AgreementEntry]) -> list[_Form]:
    """Every surface form of the registry as a compiled pattern."""
    forms: list[_Form] = []
    for entry in entries:
        for name in entry.names:
            forms.append(_Form(_form_pattern(name, True), entry, "name", len(name), _needle(name, True), True,
                               _lead(name, True)))
        for acronym in entry.acronyms:
            forms.append(
                _Form(_form_pattern(acronym, False), entry, "acronym", len(acronym), _needle(acronym, False), False,
                      _lead(acronym, False))
            )
        for phrase in entry.paraphrases:
            forms.append(
                _Form(_form_pattern(phrase, True), entry, "paraphrase", len(phrase), _needle(phrase, True), True,
                      _lead(phrase, True))
            )
    return forms


class _Taken:
    """The spans already given to a mention: disjoint, kept sorted by start, so that whether a
    new span overlaps one is a binary search (a text with thousands of mentions stays linear)."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def append(self, span: tuple[int, int]) -> None:
        i = bisect.bisect_left(self._starts, span[0])
        self._starts.insert(i, span[0])
        self._ends.insert(i, span[1])

    def overlaps(self, start: int, end: int) -> bool:
        # the span starting last before ``end`` is the only one that can reach past ``start``
        i = bisect.bisect_left(self._starts, end) - 1
        return i >= 0 and self._ends[i] > start


def _overlaps(start: int, end: int, taken: _Taken) -> bool:
    return taken.overlaps(start, end)


class _ByPosition:
    """Mentions that do not overlap one another, found by a span they overlap."""

    def __init__(self, mentions: Iterable[AgreementMention] = ()) -> None:
        self._mentions = sorted(mentions, key=lambda m: m.start)
        self._starts = [m.start for m in self._mentions]

    def add(self, mention: AgreementMention) -> None:
        i = bisect.bisect_left(self._starts, mention.start)
        self._starts.insert(i, mention.start)
        self._mentions.insert(i, mention)

    def overlapping(self, start: int, end: int) -> AgreementMention | None:
        i = bisect.bisect_left(self._starts, end) - 1
        if i >= 0 and self._mentions[i].end > start:
            return self._mentions[i]
        return None


def find_agreements(
    text: str,
    entries: Sequence[AgreementEntry],
    recognise_unlisted: bool = True,
    forms: Sequence[_Form] | None = None,
    state_of: Callable[[str], str | None] | None = None,
    document_year: int | None = None,
) -> list[AgreementMention]:
    """Find agreement mentions in ``text``, longest match first, no overlaps.

    Order of work: registry forms; then in-text definitions "Long Form (ACR)", after which
    ``ACR`` resolves to the long form's agreement; then capitalised names ending in an
    agreement word that the registry does not hold (``unlisted:<slug>`` ids). An agreement
    named by its parties ("the ROK-Japan history agreement") is the registry agreement of
    exactly those parties signed in the document's year, when there is one (``state_of``
    maps a state name to its ISO code; ``document_year`` is the year the text is about).
    """
    compiled = list(forms) if forms is not None else compile_forms(entries)
    candidates: list[tuple[int, int, _Form]] = []
    lowered = text.lower()
    folds_plainly = len(lowered) == len(text) and _SPECIAL_FOLDS.isdisjoint(text)
    for form in compiled:
        haystack = lowered if form.ignore_case else text
        if any(needle not in haystack for needle in form.needles):
            continue  # a literal every match holds is absent: skip the regex
        for start, end in form.matches(text, haystack, folds_plainly):
            candidates.append((start, end, form))
    # Longer spans first; among equal spans, names beat acronyms beat paraphrases.
    rank = {"name": 0, "acronym": 1, "paraphrase": 2}
    candidates.sort(key=lambda c: (-(c[1] - c[0]), rank[c[2].match], c[0]))
    taken = _Taken()
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
    if recognise_unlisted:
        # "AUKUS agreement", "the KEDO accord": an acronym named as an agreement.
        for m in _ACRONYM_AGREEMENT_RE.finditer(text):
            if m.group(0) == m.group("acronym") and "-" not in m.group(0):
                continue  # an acronym alone names no agreement unless the registry says so
            start, end = m.start(), m.end()
            if _overlaps(start, end, taken):
                continue
            acronym = m.group("acronym")
            canonical_id = UNLISTED_PREFIX + _slug(acronym)
            taken.append((start, end))
            found.append(AgreementMention(start, end, m.group(0), canonical_id, acronym, "unlisted"))
        # "the US-ROK agreement", "a ROK-Japan history agreement": an agreement named by its parties.
        # "signs a joint declaration", "sign an MoU": what is signed is an agreement.
        for pattern in (_PARTY_AGREEMENT_RE, _SIGNED_RE):
            for m in pattern.finditer(text):
                group = "name" if m.group("name") else "joint"
                start, end = m.start(group), m.end(group)
                if _overlaps(start, end, taken):
                    continue
                name = m.group(group)
                canonical_id = UNLISTED_PREFIX + _slug(name) + (f"-{start}" if pattern is _SIGNED_RE else "")
                canonical_name = name
                if pattern is _PARTY_AGREEMENT_RE:
                    entry = _entry_of_parties(name, entries, state_of, document_year)
                    if entry is not None:
                        canonical_id, canonical_name = entry.canonical_id, entry.canonical_name
                taken.append((start, end))
                found.append(AgreementMention(start, end, name, canonical_id, canonical_name,
                                              "paraphrase" if canonical_name != name else "unlisted"))
        for m in _POSSESSED_RE.finditer(text):
            start, end = m.start(), m.end()
            if _overlaps(start, end, taken):
                continue
            name = f"{m.group('owner')} {m.group('head')}"
            taken.append((start, end))
            found.append(AgreementMention(start, end, m.group(0), UNLISTED_PREFIX + _slug(name), name, "unlisted"))
    if recognise_unlisted:
        found.extend(_apposed_and_placed(text, found, taken, entries, defined))
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
    found.sort(key=lambda m: m.start)
    if recognise_unlisted:
        found.extend(_specific_kinds(text, found, taken))
        found.sort(key=lambda m: m.start)
    found.extend(_generic_references(text, found, taken))
    return sorted(found, key=lambda m: m.start)


def _entry_of_parties(
    name: str,
    entries: Sequence[AgreementEntry],
    state_of: Callable[[str], str | None] | None,
    year: int | None,
) -> AgreementEntry | None:
    """The one registry agreement between the two states a dyad names, signed in ``year``."""
    if state_of is None or year is None:
        return None
    dyad = name.split()[0]
    sides = re.split(r"-(?=[A-Z])", dyad, maxsplit=1)
    codes = {state_of(side) for side in sides}
    if len(sides) != 2 or None in codes or len(codes) != 2:
        return None
    matches = [e for e in entries if set(e.parties) == codes and e.year == year]
    return matches[0] if len(matches) == 1 else None


_ACRONYM_AGREEMENT_RE = re.compile(
    r"(?<![\w-])(?P<acronym>[A-Z]{3,8}|[A-Z][\w.]*-[A-Z][\w.]*\s+FTA)(?:\s+(?:agreement|pact|accord|treaty|deal))?(?![\w-])"
)
# "ASEAN’s new Charter", "China's draft Treaty": an organisation's or state's own instrument.
_POSSESSED_RE = re.compile(
    r"(?<![\w-])(?P<owner>[A-Z][A-Za-z]{1,15})['’]s\s+(?:(?:new|draft|revised|landmark|founding)\s+)?"
    r"(?P<head>Charter|Constitution|Treaty|Declaration|Accord|Pact)(?![\w-])"
)
_PARTY_AGREEMENT_RE = re.compile(
    r"(?<![\w-])(?P<name>(?:U\.S\.|[A-Z][A-Za-z]*)-(?:U\.S\.|[A-Z][A-Za-z]*)(?:\s+[a-z][\w-]*){0,2}\s+(?:agreement|accord|pact|deal|treaty|joint statement|summit statement|joint declaration))(?![\w-])"
    r"(?P<joint>)"
)
_SIGNED_RE = re.compile(
    r"\b(?:(?:sign|signs|signed|signing|adopt|adopts|adopted|conclude|concludes|concluded)\s+(?:a|an)\s+"
    r"(?:(?:[a-z][\w-]*|and)\s+){0,4}?"
    r"(?P<name>(?:joint\s+)?(?:declaration|statement|communiqu[eé]|memorandum of understanding|MoU|MOU|peace agreement|agreement|accord|treaty))"
    r"|(?:issue|issues|issued|release|releases|released)\s+(?:a|an)\s+(?P<joint>joint\s+(?:declaration|statement|communiqu[eé])))(?![\w-])"
)
# "the pact", "the 12-article joint declaration", "the FTA", "this accord"
_GENERIC_RE = re.compile(
    r"(?<![\w-])(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?P<mods>(?:[a-z0-9][\w-]*\s+){0,3})"
    r"(?P<head>pact|accord|agreement|deal|treaty|declaration|statement|charter|communiqu[eé]|"
    r"Pact|Accord|Agreement|Treaty|Declaration|Statement|Charter|Communiqu[eé]|FTA|MOU|MoU)(?![\w-])"
)
_GENERIC_HEAD_FAMILY = {
    "fta": "trade", "treaty": "treaty", "declaration": "declaration", "statement": "statement",
    "charter": "charter", "communique": "communique", "communiqué": "communique",
    "mou": "memorandum",
}
_NAME_FAMILY = (
    ("trade", re.compile(r"\b(?:Free Trade|FTA|Trade Agreement|Economic Partnership)\b", re.I)),
    ("treaty", re.compile(r"\bTreaty\b", re.I)),
    ("declaration", re.compile(r"\bDeclaration\b", re.I)),
    ("statement", re.compile(r"\bStatement\b", re.I)),
    ("charter", re.compile(r"\bCharter\b", re.I)),
    ("communique", re.compile(r"\bCommuniqu[eé]\b", re.I)),
    ("memorandum", re.compile(r"\b(?:Memorandum|MOU|MoU)\b")),
)
# How far back (characters) a generic noun looks for the agreement it refers to.
_GENERIC_REACH = 1500


def _families(name: str) -> set[str]:
    return {family for family, pattern in _NAME_FAMILY if pattern.search(name)}


def _generic_references(
    text: str, named: Sequence[AgreementMention], taken: _Taken
) -> list[AgreementMention]:
    """Generic nouns that clearly refer to one named agreement: the nearest one before them
    (within reach) whose kind fits ("the FTA" -> a free trade agreement, "the declaration" ->
    a declaration; "the pact", "the accord", "the deal", "the agreement" fit any); else, when
    the text names exactly one agreement of that kind, that one. Otherwise nothing is marked:
    an unclear reference is not guessed."""
    if not named:
        return []
    out: list[AgreementMention] = []
    ordered = sorted(named, key=lambda n: n.end)
    ends = [n.end for n in ordered]
    kinds = [_families(n.canonical_name + " " + n.text) for n in ordered]
    distinct: dict[str, set[str]] = {}
    first: dict[str, AgreementMention] = {}
    for mention, mention_kinds in zip(ordered, kinds, strict=True):
        if mention.canonical_id not in first:
            first[mention.canonical_id] = mention
            distinct[mention.canonical_id] = mention_kinds
    only: dict[str | None, AgreementMention | None] = {}
    for m in _GENERIC_RE.finditer(text):
        start, end = m.start(), m.end()
        if _overlaps(start, end, taken):
            continue
        family = _GENERIC_HEAD_FAMILY.get(m.group("head").lower())
        target = None
        # the nearest fitting agreement before it, within reach
        i = bisect.bisect_right(ends, start) - 1
        while i >= 0 and start - ends[i] <= _GENERIC_REACH:
            if family is None or family in kinds[i]:
                target = ordered[i]
                break
            i -= 1
        if target is None:
            if family not in only:
                fitting = [first[c] for c, k in distinct.items() if family is None or family in k]
                only[family] = fitting[0] if len(fitting) == 1 else None
            target = only[family]
        if target is None:
            continue
        taken.append((start, end))
        out.append(AgreementMention(start, end, text[start:end], target.canonical_id,
                                    target.canonical_name, "paraphrase"))
    return out


# ------------------------------------------------------------ generic nouns tied to a name

# The nouns an agreement is described by when it is not named.
_DESCRIBING_HEADS = (
    r"(?:joint\s+)?(?:agreement|accord|pact|deal|treaty|declaration|statement|arrangement|framework|"
    r"consensus|understanding|memorandum of understanding|memorandum|charter|communiqu[eé]|protocol|"
    r"convention)"
)
# Up to three modifiers before the noun ("a new defense"), none a function word, so that a
# match never runs across "the delegates to a joint statement".
_MODS = r"(?:(?!(?:a|an|the|to|of|in|on|at|for|with|by|and|or|from|as|that|this)\s)[a-z0-9][\w-]*\s+){0,3}?"
_APPOSITION_OPEN = r"\s*(?:[–—]|--|,|\()\s*"
# "“1992 consensus” – a tacit agreement between ...": a description set beside a name.
_DESCRIPTION_AFTER_RE = re.compile(
    rf"[”\"’']?{_APPOSITION_OPEN}(?P<np>(?:a|an|the)\s+{_MODS}{_DESCRIBING_HEADS})(?![\w-])"
)
# "a new defense arrangement – the Security Engagement Board – with ...": a name set beside a
# description; the name needs two capitalised words and a closing mark like the opening one.
_NAME_AFTER_RE = re.compile(
    rf"(?<![\w-])(?P<np>(?:[Aa]n?|[Tt]he)\s+{_MODS}{_DESCRIBING_HEADS})"
    rf"(?P<open>\s*(?:[–—]|--|\(|,)\s*)(?:the\s+)?(?P<name>{_WORD}(?:\s+(?:of|on|for|and)?\s*{_WORD})+)"
    r"(?P<close>\s*(?:[–—]|--|\)|,))"
)
# "a memorandum of understanding (MOU) on ...": a description given an acronym.
_DESCRIPTION_DEFINED_RE = re.compile(
    rf"(?<![\w-])(?P<np>(?:[Aa]n?|[Tt]he)\s+{_MODS}{_DESCRIBING_HEADS})"
    r"\s*\(\s*(?P<acronym>[A-Z][A-Za-z]{1,7})\s*\)"
)
# "a joint statement at the fourth round of the Six-Party Talks": a description placed by the
# meeting or body it came from.
# ("within the framework of the Six-Party Talks", "an understanding of" are idioms, so those
# nouns are left out.)
_PLACED_RE = re.compile(
    rf"(?<![\w-])(?P<np>(?:[Aa]n?|[Tt]he)\s+{_MODS}"
    r"(?:joint\s+)?(?:agreement|accord|pact|deal|treaty|declaration|statement|communiqu[eé]|protocol|convention))"
    r"\s+(?:at|of|from)\s+(?:the\s+)?(?:[a-z0-9][\w-]*\s+(?:of\s+the\s+)?){0,4}?"
    rf"(?P<forum>{_WORD}(?:\s+{_WORD})*)"
)
_CLOSING = {"(": ")", ",": ",", "--": "--", "–": "–", "—": "—"}


def _words_of(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text.lower())}


def _apposed_and_placed(
    text: str,
    found: list[AgreementMention],
    taken: _Taken,
    entries: Sequence[AgreementEntry],
    defined: dict[str, tuple[str, str]],
) -> list[AgreementMention]:
    """Descriptions ("a tacit agreement", "a new defense arrangement") that the text ties to one
    agreement: set beside its name (apposition, either order), given an acronym in brackets
    (which then names it), or placed by the meeting it came from when exactly one registry
    agreement of that kind names that meeting. Unlisted names met this way get their own id."""
    out: list[AgreementMention] = []
    index = _ByPosition(found)

    def add(start: int, end: int, canonical_id: str, canonical_name: str, match: MatchKind) -> None:
        taken.append((start, end))
        mention = AgreementMention(start, end, text[start:end], canonical_id, canonical_name, match)
        out.append(mention)
        index.add(mention)

    for mention in list(found):
        m = _DESCRIPTION_AFTER_RE.match(text, mention.end)
        if m and not _overlaps(m.start("np"), m.end("np"), taken):
            add(m.start("np"), m.end("np"), mention.canonical_id, mention.canonical_name, "paraphrase")
    for m in _NAME_AFTER_RE.finditer(text):
        opening = m.group("open").strip()
        if m.group("close").strip() != _CLOSING.get(opening):
            continue
        np_span, name_span = m.span("np"), m.span("name")
        if _overlaps(*np_span, taken):
            continue
        name = m.group("name")
        existing = index.overlapping(*name_span)
        if existing is not None:
            canonical_id, canonical_name = existing.canonical_id, existing.canonical_name
        elif _overlaps(*name_span, taken):
            continue
        else:
            canonical_id, canonical_name = UNLISTED_PREFIX + _slug(name), name
            add(*name_span, canonical_id, canonical_name, "unlisted")
        add(*np_span, canonical_id, canonical_name, "paraphrase")
    for m in _DESCRIPTION_DEFINED_RE.finditer(text):
        acronym = m.group("acronym")
        if _overlaps(m.start("np"), m.end("np"), taken):
            # already found ("signed a memorandum of understanding (MOU)"): the acronym is its
            inside = index.overlapping(m.start("np"), m.end("np"))
            if inside is not None:
                defined.setdefault(acronym, (inside.canonical_id, inside.canonical_name))
            continue
        canonical_id = f"{UNLISTED_PREFIX}{_slug(acronym)}-{m.start()}"
        add(m.start("np"), m.end("np"), canonical_id, acronym, "unlisted")
        defined.setdefault(acronym, (canonical_id, acronym))
    placed: dict[tuple[frozenset[str], str | None], AgreementEntry | None] = {}
    for m in _PLACED_RE.finditer(text):
        if _overlaps(m.start("np"), m.end("np"), taken):
            continue
        forum = frozenset(_words_of(m.group("forum")) - {"the"})
        family = _GENERIC_HEAD_FAMILY.get(m.group("np").split()[-1].lower())
        if not forum:
            continue
        if (forum, family) not in placed:
            fitting = [
                e for e in entries
                if (family is None or family in _families(e.canonical_name))
                and any(forum <= _words_of(name) for name in (e.canonical_name, *e.names))
            ]
            placed[forum, family] = fitting[0] if len(fitting) == 1 else None
        entry = placed[forum, family]
        if entry is not None:
            add(m.start("np"), m.end("np"), entry.canonical_id, entry.canonical_name, "paraphrase")
    return out


# Kinds of agreement a plain noun names even when the text gives no name: a peace agreement or
# a ceasefire is one particular agreement between the sides the text is about.
_SPECIFIC_KINDS = (
    ("peace", r"peace\s+(?:agreement|accord|treaty|deal|pact)",
     re.compile(r"\bPeace\s+(?:Agreement|Accord|Treaty|Deal|Pact)\b|\bTreaty of Peace\b", re.I)),
    ("ceasefire", r"cease-?fire(?:\s+agreement)?|truce|armistice(?:\s+agreement)?",
     re.compile(r"\b(?:Cease-?fire|Truce|Armistice)\b", re.I)),
)
_SPECIFIC_RE = re.compile(
    rf"(?<![\w-])(?:(?P<det>[Tt]he|[Tt]his|[Tt]hat|[Aa]n?|[Ii]ts|[Tt]heir)\s+{_MODS}"
    r"|(?P<place>[A-Z][a-z]+\s+))"
    rf"(?P<head>{'|'.join(f'(?P<{kind}>{pattern})' for kind, pattern, _ in _SPECIFIC_KINDS)})(?![\w-])"
    # "the truce village", "the ceasefire line": the noun only qualifies another one.
    r"(?!\s+(?:village|line|lines|zone|area|commission|talks|negotiations|monitors|monitoring|observers|"
    r"violations?|proposals?|plan|process|deadline|terms|conference|mission|regime)\b)"
)


def _specific_kinds(
    text: str, found: Sequence[AgreementMention], taken: _Taken
) -> list[AgreementMention]:
    """Peace agreements and ceasefires named by their noun ("a draft peace agreement between
    ...", "the ceasefire", "Mindanao peace agreement"). A mention with "a"/"an" brings in a new
    agreement; any other one is the nearest agreement of that kind before it, named or brought
    in (one text speaks of one peace agreement until it brings in another); with none before
    it, it brings one in."""
    out: list[AgreementMention] = []
    # per kind, the mentions of that kind so far, in order of their ends
    of_kind: dict[str, list[AgreementMention]] = {
        kind: sorted((n for n in found if pattern.search(n.canonical_name + " " + n.text)), key=lambda n: n.end)
        for kind, _, pattern in _SPECIFIC_KINDS
    }
    for m in _SPECIFIC_RE.finditer(text):
        start = m.start() if m.group("det") else m.start("place") if m.group("place") else m.start("head")
        if m.group("place") and m.group("place").strip() in _LEADING_NOISE:
            start = m.start("head")
        end = m.end()
        if _overlaps(start, end, taken):
            continue
        kind = next(k for k, _, _ in _SPECIFIC_KINDS if m.group(k))
        mentions = of_kind[kind]
        i = bisect.bisect_right(mentions, start, key=lambda n: n.end) - 1
        indefinite = (m.group("det") or "").lower() in {"a", "an"}
        if not indefinite and i >= 0:
            canonical_id, canonical_name = mentions[i].canonical_id, mentions[i].canonical_name
        else:
            canonical_id, canonical_name = f"{UNLISTED_PREFIX}{kind}-{start}", m.group("head")
        taken.append((start, end))
        mention = AgreementMention(start, end, text[start:end], canonical_id, canonical_name,
                                   "paraphrase" if canonical_name != m.group("head") else "unlisted")
        out.append(mention)
        bisect.insort(mentions, mention, key=lambda n: n.end)
    return out
