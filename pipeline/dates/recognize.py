"""Find temporal expressions in a Doc: token patterns (data) plus the model's DATE entities.

``find_date_mentions`` is pure with respect to the Doc: it returns ``DateMention`` records and
writes nothing.  A range ("Nov. 22-23, 2019") comes back as two mentions sharing a
``range_group``, one per end, as TimeML annotates ranges.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

import numpy
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from spacy.attrs import LOWER, ORTH
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from pipeline.dates.normalize import HOLIDAYS, ORDINAL_WORDS, DateParseError, parse_expression
from pipeline.errors import PipelineError

PATTERN_RESOURCE = "date_patterns.jsonl"
RANGE_SEPARATORS = frozenset({"-", "–", "—", "to", "through", "until", "and"})
LEADING_NOISE = frozenset({"from", "between", "on", "in", "at", "by", "since", "during", "of",
                           "through", "throughout", "until"})
# NER DATE spans that are durations, ages or frequencies, not points in time.
DURATION_RE = re.compile(
    r"^(?:about |around |some |nearly |almost |more than |over |the (?:past|last|next) )?"
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|few|many)"
    r"[- ](?:days?|weeks?|months?|years?|decades?|hours?|minutes?)(?:[- ]old| long)?$"
)
AGE_RE = re.compile(r"\b(?:\d+|[a-z]+)-year-old\b|\baged \d+")
NOT_A_POINT = frozenset({"annual", "annually", "daily", "weekly", "monthly", "yearly", "per year",
                         "each year", "every year", "for years", "years", "decades", "recent years"})


class LexiconLine(BaseModel):
    """A named list of token texts a pattern can refer to as ``"$NAME"``."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["lexicon"] = Field(description="line type")
    name: str = Field(description="name patterns use after '$'", pattern=r"^[A-Z_]+$")
    values: list[str] = Field(description="token texts", min_length=1)
    note: str = Field(default="", description="what the list is for")


class RegexLine(BaseModel):
    """A named token regex a pattern can refer to as ``"$NAME"``."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["regex"] = Field(description="line type")
    name: str = Field(description="name patterns use after '$'", pattern=r"^[A-Z_]+$")
    value: str = Field(description="regular expression over one token's text")
    note: str = Field(default="", description="what the regex is for")


class PatternLine(BaseModel):
    """One spaCy Matcher token pattern."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["pattern"] = Field(description="line type")
    id: str = Field(description="stable pattern name, recorded on each mention")
    label: Literal["DATE", "RANGE"] = Field(description="DATE: one expression; RANGE: two ends")
    pattern: list[dict[str, Any]] = Field(description="spaCy Matcher token pattern", min_length=1)
    trim_start: int = Field(default=0, ge=0, description="tokens to drop from the match start")
    note: str = Field(default="", description="example of what it matches")


@dataclass(frozen=True)
class DateMention:
    """A temporal expression found in the text (character offsets into ``doc.text``)."""

    start_char: int
    end_char: int
    text: str
    source: str  # "pattern:<id>" or "ner"
    range_group: int | None = None  # both ends of a range share it
    range_role: Literal["start", "end"] | None = None


def _substitute(value: Any, names: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("$"):
        if value[1:] not in names:
            raise KeyError(value[1:])
        return names[value[1:]]
    if isinstance(value, dict):
        return {key: _substitute(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [_substitute(item, names) for item in value]
    return value


def read_pattern_lines(lines: Iterable[str], source: str) -> list[PatternLine]:
    """Validate the pattern file and expand ``$NAME`` references; errors name file and line."""
    names: dict[str, Any] = {}
    patterns: list[tuple[int, PatternLine]] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
            kind = data.get("kind") if isinstance(data, dict) else None
            if kind == "lexicon":
                lexicon = LexiconLine.model_validate(data)
                names[lexicon.name] = lexicon.values
            elif kind == "regex":
                regex = RegexLine.model_validate(data)
                re.compile(regex.value)
                names[regex.name] = regex.value
            else:
                patterns.append((number, PatternLine.model_validate(data)))
        except (json.JSONDecodeError, ValidationError, re.error) as exc:
            raise PipelineError("E040", f"{source}, line {number}: {exc}") from exc
    expanded: list[PatternLine] = []
    for number, line in patterns:
        try:
            tokens = _substitute(line.pattern, names)
        except KeyError as exc:
            raise PipelineError(
                "E040", f"{source}, line {number}, field pattern: unknown name ${exc.args[0]}"
            ) from exc
        expanded.append(line.model_copy(update={"pattern": tokens}))
    return expanded


def load_default_pattern_text() -> str:
    """The packaged pattern file's text."""
    return resources.files("pipeline.data").joinpath(PATTERN_RESOURCE).read_text(encoding="utf-8")


def _spacy_matcher(vocab: Vocab, patterns: Sequence[PatternLine]) -> Matcher:
    matcher = Matcher(vocab)
    for line in patterns:
        matcher.add(line.id, [line.pattern])
    return matcher


_WORD_ATTRS = {"LOWER": "lower", "TEXT": "text", "ORTH": "text"}


def _requirements(pattern: Sequence[dict[str, Any]]) -> list[tuple[str, str, Any]]:
    """What a document must hold for the pattern to match anywhere in it: for every token the
    pattern cannot skip (no ``OP``), each word constraint of it (an exact word, a set of
    words, a regex searched, as spaCy's Matcher does) must hold for some token. Constraints
    of other kinds are not checked (the requirement is then weaker, never wrong)."""
    out: list[tuple[str, str, Any]] = []
    for token in pattern:
        if token.get("OP") is not None:
            continue
        for attr, value in token.items():
            field = _WORD_ATTRS.get(attr)
            if field is None:
                continue
            if isinstance(value, str):
                out.append((field, "is", value))
            elif isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list):
                out.append((field, "in", frozenset(value["IN"])))
            elif isinstance(value, dict) and set(value) == {"REGEX"} and isinstance(value["REGEX"], str):
                out.append((field, "re", re.compile(value["REGEX"])))
    return out


class DateMatcher:
    """spaCy's Matcher over only the patterns a document can match.

    Most patterns need a word the document does not hold ("fortnight", a decade, a quarter,
    a weekday); a Matcher's cost grows with its patterns, so each document is matched by a
    Matcher of the patterns whose required words it holds (kept in the same order, so the
    matches come out as the full Matcher gives them), cached by that set of patterns."""

    CACHED = 256

    def __init__(self, vocab: Vocab, patterns: Sequence[PatternLine]) -> None:
        self.vocab = vocab
        self.patterns = list(patterns)
        self._requirements = [_requirements(line.pattern) for line in self.patterns]
        self._matchers: OrderedDict[tuple[int, ...], Matcher] = OrderedDict()

    def active(self, doc: Doc | Span) -> tuple[int, ...]:
        """The patterns whose required words the document holds."""
        return self._active(_WordIndex(doc))

    def _active(self, index: _WordIndex) -> tuple[int, ...]:
        found: list[int] = []
        for number, requirements in enumerate(self._requirements):
            for requirement in requirements:
                if not index.holds(requirement):
                    break
            else:
                found.append(number)
        return tuple(found)

    def matcher_for(self, active: tuple[int, ...]) -> Matcher:
        matcher = self._matchers.get(active)
        if matcher is None:
            matcher = _spacy_matcher(self.vocab, [self.patterns[i] for i in active])
            self._matchers[active] = matcher
            if len(self._matchers) > self.CACHED:
                self._matchers.popitem(last=False)
        else:
            self._matchers.move_to_end(active)
        return matcher

    def windows(self, index: _WordIndex, active: tuple[int, ...]) -> list[tuple[int, int, tuple[int, ...]]]:
        """Token ranges that hold every match of the active patterns, joined where they
        overlap, each with the patterns that can match inside it.

        A match of a pattern of n tokens holds a token meeting each of its requirements, so it
        lies within n tokens either side of any token meeting one of them; each pattern is
        placed by its requirement the document meets least often, and only the patterns
        placed in a range can match there."""
        intervals: list[tuple[int, int, int]] = []
        for number in active:
            requirements = self._requirements[number]
            if not requirements:
                return [(0, index.length, active)]  # needs no word: the whole document
            positions = min((index.positions(r) for r in requirements), key=len)
            width = len(self.patterns[number].pattern)
            intervals.extend((max(0, p - width + 1), min(index.length, p + width), number) for p in positions)
        intervals.sort()
        merged: list[tuple[int, int, set[int]]] = []
        for start, end, number in intervals:
            if merged and start < merged[-1][1]:
                last = merged[-1]
                merged[-1] = (last[0], max(last[1], end), last[2])
                last[2].add(number)
            else:
                merged.append((start, end, {number}))
        return [(start, end, tuple(sorted(numbers))) for start, end, numbers in merged]

    def __call__(self, doc: Doc | Span) -> list[tuple[int, int, int]]:
        index = _WordIndex(doc)
        active = self._active(index)
        if not active:
            return []
        if isinstance(doc, Span):
            return list(self.matcher_for(active)(doc))
        # Matching only the ranges around the words every match needs, each with the patterns
        # placed there, gives the full Matcher's matches in its order (the ranges are
        # disjoint and in text order, each match lies inside one, and patterns keep their
        # order) at a fraction of the cost: most tokens are in no range.
        found: list[tuple[int, int, int]] = []
        for start, end, numbers in self.windows(index, active):
            matcher = self.matcher_for(numbers)
            found.extend((key, start + a, start + b) for key, a, b in matcher(doc[start:end]))
        return found


class _WordIndex:
    """Where each word of a document stands, by lower-case form and by text."""

    def __init__(self, doc: Doc | Span) -> None:
        self.length = len(doc)
        self.where: dict[str, dict[str, list[int]]] = {"lower": {}, "text": {}}
        self._positions: dict[tuple[str, str, Any], list[int]] = {}
        self._held: dict[tuple[str, str, Any], bool] = {}
        if isinstance(doc, Doc):
            # The words' string ids, read in one call, grouped by id and named once each:
            # the same positions as reading every token's text, without making the tokens.
            strings = doc.vocab.strings
            for field, column in (("lower", doc.to_array(LOWER)), ("text", doc.to_array(ORTH))):
                keys, first, inverse = numpy.unique(column, return_index=True, return_inverse=True)
                order = numpy.argsort(inverse, kind="stable").tolist()  # positions, by word
                ends = numpy.cumsum(numpy.bincount(inverse)).tolist()
                keys_list, starts = keys.tolist(), [0, *ends[:-1]]
                self.where[field] = {  # words in order of first appearance, as a token loop gives
                    strings[keys_list[k]]: order[starts[k] : ends[k]]
                    for k in numpy.argsort(first, kind="stable").tolist()
                }
            return
        lower, text = self.where["lower"], self.where["text"]
        for i, token in enumerate(doc):
            lower.setdefault(token.lower_, []).append(i)
            text.setdefault(token.text, []).append(i)

    def holds(self, requirement: tuple[str, str, Any]) -> bool:
        field, kind, value = requirement
        held = self.where[field]
        if kind == "is":
            return value in held
        if kind == "in":
            return not value.isdisjoint(held)
        known = self._held.get(requirement)
        if known is None:  # one regex stands in many patterns: search the words once
            known = self._held[requirement] = any(value.search(word) for word in held)
        return known

    def positions(self, requirement: tuple[str, str, Any]) -> list[int]:
        """The tokens that meet ``requirement`` (computed once per requirement)."""
        found = self._positions.get(requirement)
        if found is None:
            field, kind, value = requirement
            held = self.where[field]
            if kind == "is":
                found = held.get(value, [])
            else:
                words = [w for w in value if w in held] if kind == "in" else [w for w in held if value.search(w)]
                found = [i for w in words for i in held[w]]
            self._positions[requirement] = found
        return found


def build_matcher(vocab: Vocab, patterns: Sequence[PatternLine]) -> DateMatcher:
    return DateMatcher(vocab, patterns)


def _trim(span: Span) -> Span | None:
    """Drop leading prepositions and punctuation, trailing punctuation and possessives."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_punct or doc[start].lower_ in LEADING_NOISE):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in {"'s", "’s"}):
        end -= 1
    return doc[start:end] if end > start else None


def _is_point_in_time(text: str) -> bool:
    lowered = re.sub(r"\s+", " ", text.lower().strip())
    if lowered in NOT_A_POINT or DURATION_RE.match(lowered) or AGE_RE.search(lowered):
        return False
    if "%" in lowered or re.fullmatch(r"(?:the )?\w+(?:st|nd|rd|th)", lowered):
        return False
    if re.fullmatch(r"[\d,.]+", lowered) and not re.fullmatch(r"(?:1[89]|20)\d\d", lowered):
        return False  # a bare number ("Volume 21") is not a date; a bare year is
    try:
        parse_expression(text)
    except DateParseError:
        return False
    return True


def _drop_false_matches(span: Span) -> bool:
    """Context checks the token patterns cannot express."""
    doc = span.doc
    lowered = span.text.lower()
    # "the fall of the wall", "the spring of discontent": a season noun followed by "of" + non-year
    if re.fullmatch(r"(?:the )?(?:fall|spring)", lowered) and span.end + 1 < len(doc):
        after = doc[span.end]
        if after.lower_ == "of" and not re.fullmatch(r"\d{4}", doc[span.end + 1].text):
            return True
    # "March first-quarter figures", "June second round": an ordinal word that is part of
    # what follows, not the day of the month
    last = span[-1]
    if last.lower_ in ORDINAL_WORDS and span.end < len(doc):
        following = doc[span.end]
        if following.text in {"-", "‐"} or following.pos_ in {"NOUN", "PROPN"}:
            return True
    # a month name that is the first word of a name ("August Strindberg") or a verb ("march")
    return len(span) == 1 and span[0].pos_ in {"VERB", "AUX"}


def _split_range(span: Span, group: int, source: str) -> list[DateMention]:
    doc = span.doc
    separator = next(
        (token.i for token in span[1:] if token.lower_ in RANGE_SEPARATORS), None
    )
    if separator is None:
        return []
    first = _trim(doc[span.start : separator])
    second = _trim(doc[separator + 1 : span.end])
    if first is None or second is None:
        return []
    return [
        DateMention(first.start_char, first.end_char, first.text, source, group, "start"),
        DateMention(second.start_char, second.end_char, second.text, source, group, "end"),
    ]


def _modifies_a_noun(span: Span) -> bool:
    """A holiday name used as a noun's modifier ("Christmas gift", "New Year message")."""
    last = span[-1]
    if span.text.lower() not in HOLIDAYS:
        return False
    return last.dep_ in {"compound", "amod", "nmod"} and last.head.i >= span.end and last.head.pos_ == "NOUN"


def find_date_mentions(doc: Doc, matcher: DateMatcher | Matcher, patterns: Sequence[PatternLine],
                       use_entities: bool = True) -> list[DateMention]:
    """All temporal expressions in ``doc``, in text order, without overlaps."""
    by_id = {line.id: line for line in patterns}
    candidates: list[Span] = []
    labels: dict[tuple[int, int], str] = {}
    for match_id, start, end in matcher(doc):
        line = by_id[doc.vocab.strings[match_id]]
        span = _trim(doc[start + line.trim_start : end])
        if span is None or _drop_false_matches(span):
            continue
        key = (span.start, span.end)
        if key in labels and by_id[labels[key]].label == "RANGE":
            continue
        candidates.append(span)
        labels[key] = line.id
    kept = filter_spans(candidates)
    mentions: list[DateMention] = []
    group = 0
    for span in kept:
        line = by_id[labels[(span.start, span.end)]]
        if line.label == "RANGE":
            ends = _split_range(span, group, f"pattern:{line.id}")
            if ends:
                mentions.extend(ends)
                group += 1
                continue
        mentions.append(DateMention(span.start_char, span.end_char, span.text, f"pattern:{line.id}"))
    if use_entities:
        taken = [(m.start_char, m.end_char) for m in mentions]
        for ent in doc.ents:
            if ent.label_ != "DATE":
                continue
            span = _trim(ent)
            if span is None:
                continue
            if any(span.start_char < end and start < span.end_char for start, end in taken):
                continue
            if not _is_point_in_time(span.text):
                continue
            if _modifies_a_noun(span):
                continue  # "a Christmas gift": a holiday named as a kind of thing, not a time
            mentions.append(DateMention(span.start_char, span.end_char, span.text, "ner"))
    return sorted(mentions, key=lambda m: (m.start_char, m.end_char))
