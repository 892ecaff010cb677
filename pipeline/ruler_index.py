"""An indexed matcher for the English model's attribute ruler: the same matches, found faster.

spaCy's ``AttributeRuler`` finds its matches with a general ``Matcher``, which tries every
pattern at every token. The small English model's ruler holds about 180 patterns, nearly all
of one token, each keyed on the token's tag or its lowercase form ("TAG": "DT" with
"LOWER": "the"), so the Matcher spends a tenth of the model's time (about 21 µs a word on the
benchmark texts, of the model's 250-350) trying patterns that cannot match. Indexing the
patterns by the value of their first token's most selective attribute leaves one to three
candidates a token, each checked in full; the one-token patterns' verdict on a row of values
(a tagged word in its usual role) is remembered, as the same rows recur. About 6 µs a word.

Only patterns the index can decide exactly are indexed: a sequence of plain token dicts whose
keys are token attributes (``TAG``, ``LOWER``, ``DEP``, ``IS_SPACE``, ...) compared for
equality, with ``IN`` / ``NOT_IN``, or with ``REGEX`` on a string attribute (searched in the
attribute's string, as spaCy does). A ruler holding any other pattern (an operator, an
extension attribute, a fuzzy match) keeps spaCy's matcher. Attributes are then assigned by the
ruler's own ``set_annotations``, in the ruler's own order (later patterns win), so the tokens
come out exactly as with spaCy's matcher; ``tests/test_ruler_index.py`` compares both on the
seed and the corpus, token by token.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import Any

from spacy.attrs import IDS as ATTR_IDS
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

# Token attributes the index reads as one column of ``Doc.to_array``; values are compared as
# the integers spaCy stores (string hashes, flags as 0/1).
_ATTRS = ("ORTH", "LOWER", "NORM", "TAG", "POS", "DEP", "LEMMA", "SHAPE", "ENT_TYPE", "IS_SPACE",
          "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_STOP",
          "LIKE_NUM")
# Prefer the most selective attribute as the index key of a pattern's first token.
_KEY_ORDER = ("ORTH", "LOWER", "NORM", "LEMMA", "TAG", "DEP", "POS", "ENT_TYPE", "SHAPE", "IS_SPACE",
              "IS_PUNCT", "IS_DIGIT", "LIKE_NUM")

# (column, wanted in set?, values, regex): a set test on the integer value, or, for a regex,
# ``regex.search`` on the attribute's string as spaCy's matcher does
Check = tuple[int, bool, frozenset[int], "re.Pattern[str] | None"]
_STRING_ATTRS = ("ORTH", "LOWER", "NORM", "TAG", "POS", "DEP", "LEMMA", "SHAPE", "ENT_TYPE")


class UnsupportedPattern(ValueError):
    """A ruler pattern the index cannot decide exactly (the ruler keeps spaCy's matcher)."""


def _value(vocab: Any, attr: str, value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return int(vocab.strings.add(value))
    raise UnsupportedPattern(f"{attr}: {value!r}")


def _token_checks(vocab: Any, token: dict[str, Any], columns: dict[str, int]) -> list[Check]:
    checks: list[Check] = []
    for key, wanted in token.items():
        attr = key.upper()
        if attr not in columns:
            raise UnsupportedPattern(key)
        if isinstance(wanted, dict):
            if len(wanted) != 1 or next(iter(wanted)) not in ("IN", "NOT_IN", "REGEX"):
                raise UnsupportedPattern(f"{key}: {wanted!r}")
            (op, values), = wanted.items()
            if op == "REGEX":
                if attr not in _STRING_ATTRS or not isinstance(values, str):
                    raise UnsupportedPattern(f"{key}: {wanted!r}")
                checks.append((columns[attr], True, frozenset(), re.compile(values)))
            else:
                checks.append((columns[attr], op == "IN", frozenset(_value(vocab, attr, v) for v in values), None))
        else:
            checks.append((columns[attr], True, frozenset((_value(vocab, attr, wanted),)), None))
    return checks


class IndexedRulerMatch:
    """Drop-in for ``AttributeRuler.match``: the sorted ``(attr_id, match_id, start, end)`` list."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.ruler = ruler
        self.size = len(ruler.attrs)
        used: list[str] = []
        compiled: list[tuple[int, int, list[list[Check]]]] = []  # (attr id, match id, checks)
        raw: list[tuple[int, int, Sequence[dict[str, Any]]]] = []
        for i in range(self.size):
            key = str(i)
            _on_match, patterns = ruler.matcher.get(key)
            match_id = int(ruler.vocab.strings[key])
            for pattern in patterns:
                if not pattern or not all(isinstance(t, dict) and t for t in pattern):
                    raise UnsupportedPattern(repr(pattern))
                for token in pattern:
                    for name in token:
                        if name.upper() not in _ATTRS:
                            raise UnsupportedPattern(name)
                        if name.upper() not in used:
                            used.append(name.upper())
                raw.append((i, match_id, pattern))
        self.columns = [ATTR_IDS[name] for name in used]
        column_of = {name: k for k, name in enumerate(used)}
        for i, match_id, token_dicts in raw:
            compiled.append((i, match_id, [_token_checks(ruler.vocab, t, column_of) for t in token_dicts]))
        # Patterns of one token decide a token by its row of values alone, so their matches are
        # remembered per row. Each pattern is indexed under one (column, value) of one of its
        # tokens, its anchor (the first token that has a plain value to index; a pattern whose
        # first token is a regex, "y'" of "y'all", is found from "all"), and checked in full.
        Entry = tuple[int, int, list[list[Check]], int]  # (attr id, match id, checks, anchor)
        self.index: tuple[dict[tuple[int, int], list[Entry]], dict[tuple[int, int], list[Entry]]] = ({}, {})
        self.unindexed: tuple[list[Entry], list[Entry]] = ([], [])
        key_columns: list[int] = []
        for attr_id, match_id, checks in compiled:
            longer = int(len(checks) > 1)
            chosen = None
            for anchor, token_checks in enumerate(checks):
                for name in _KEY_ORDER:
                    col = column_of.get(name)
                    hit = [c for c in token_checks if c[0] == col and c[1] and c[3] is None]
                    if hit:
                        chosen = (anchor, hit[0])
                        break
                if chosen:
                    break
            if chosen is None:
                self.unindexed[longer].append((attr_id, match_id, checks, 0))
                continue
            anchor, (col, _inside, values, _regex) = chosen
            for value in sorted(values):  # an IN set: the pattern under each of its values
                self.index[longer].setdefault((col, value), []).append((attr_id, match_id, checks, anchor))
            if col not in key_columns:
                key_columns.append(col)
        self.key_columns = key_columns

    def _searched(self, regex: re.Pattern[str], value: int) -> bool:
        return _search(regex, self.ruler.vocab.strings[value])

    def _candidates(self, longer: int, row: list[int]) -> list[tuple[int, int, list[list[Check]], int]]:
        found = self.unindexed[longer]
        index = self.index[longer]
        for col in self.key_columns:
            hit = index.get((col, row[col]))
            if hit:
                found = found + hit
        return found

    def _holds(self, checks: list[Check], values: list[int]) -> bool:
        return all(
            (values[col] in wanted) is inside if regex is None else self._searched(regex, values[col])
            for col, inside, wanted, regex in checks
        )

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        if len(doc) == 0:
            return []
        if not self.columns:  # patterns of empty dicts are refused, so there are none
            return []
        rows: list[list[int]] = doc.to_array(self.columns).reshape(len(doc), len(self.columns)).tolist()  # type: ignore[assignment]
        n = len(rows)
        longer_patterns = bool(self.index[1] or self.unindexed[1])
        found: set[tuple[int, int, int, int]] = set()
        for at, row in enumerate(rows):
            for attr_id, match_id in _single_matches(self, tuple(row)):
                found.add((attr_id, match_id, at, at + 1))
            if not longer_patterns:
                continue
            for attr_id, match_id, checks, anchor in self._candidates(1, row):
                start = at - anchor
                end = start + len(checks)
                if start >= 0 and end <= n and all(self._holds(c, rows[start + k]) for k, c in enumerate(checks)):
                    found.add((attr_id, match_id, start, end))
        return sorted(found)


@functools.lru_cache(maxsize=200_000)
def _single_matches(matcher: IndexedRulerMatch, row: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    """The one-token patterns a token's row of values matches, as (attr id, match id); the same
    rows recur through a text (a tagged word in its usual role), so they are remembered."""
    values = list(row)
    return tuple(
        (attr_id, match_id) for attr_id, match_id, checks, _ in matcher._candidates(0, values) if matcher._holds(checks[0], values)
    )


@functools.lru_cache(maxsize=50_000)
def _search(regex: re.Pattern[str], text: str) -> bool:
    return regex.search(text) is not None


def index_attribute_rulers(nlp: Language) -> list[str]:
    """Give every attribute ruler of ``nlp`` the indexed matcher where its patterns allow it;
    returns the names of the rulers indexed. A ruler whose patterns change later (``add``,
    ``clear``) goes back to spaCy's matcher until indexed again."""
    indexed: list[str] = []
    for name, pipe in nlp.pipeline:
        if not isinstance(pipe, AttributeRuler):
            continue
        try:
            fast = IndexedRulerMatch(pipe)
        except UnsupportedPattern:
            continue
        pipe.match = _guarded(pipe, fast)  # type: ignore[method-assign,assignment]
        indexed.append(name)
    return indexed


def _guarded(ruler: AttributeRuler, fast: IndexedRulerMatch) -> Callable[[Doc], Any]:
    spacy_match = type(ruler).match.__get__(ruler)

    def match(doc: Doc) -> Any:
        if len(ruler.attrs) != fast.size or ruler.matcher is not fast_matcher:
            return spacy_match(doc)
        return fast(doc)

    fast_matcher = ruler.matcher
    return match

