"""A small Okapi BM25 index over chronology entry texts, with the terms behind each score."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*")

# Function words and words every entry or article repeats, which say nothing about a happening.
_STOPWORD_TEXT = """
    a an the and or but of to in on at by for with from as into over about after before than
    that this these those which who whom whose what when where while is are was were be been
    being has have had do does did will would can could should may might must shall it its
    their they them he she his her him we our us i you your not no also other others such
    there here then so up out more most very just any all both each some same own only
    said says say new two one three first last next late early mid korea korean south japan
    japanese north us
    minister ministers president prime secretary foreign vice
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_SUFFIXES = ("ing", "ed", "es", "s")


def stem(word: str) -> str:
    """A deliberately crude stemmer: enough to join "meets"/"meeting"/"met" is not its aim,
    only "talks"/"talk", "visited"/"visit", "restrictions"/"restriction"."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def terms(text: str) -> list[str]:
    """Lower-cased, stemmed content words of a text, hyphenated words split into parts."""
    out: list[str] = []
    if text.isascii():
        # Lower-casing ASCII first finds the same words (the pattern is ASCII letters, and
        # only a few non-ASCII letters lower-case to ASCII ones, so other texts go word by word).
        words = _WORD.findall(text.lower())
    else:
        words = [w.lower() for w in _WORD.findall(text)]
    for word in words:
        parts = word.replace("'", "-").split("-") if ("-" in word or "'" in word) else (word,)
        for part in parts:
            if len(part) > 1 and part not in STOPWORDS:
                out.append(stem(part))
    return out


@dataclass(frozen=True)
class TermMatch:
    """A query's BM25 score against one document and each matched term's share of it."""

    score: float
    contributions: Mapping[str, float]

    def top_terms(self, n: int) -> list[str]:
        ranked = sorted(self.contributions.items(), key=lambda kv: (-kv[1], kv[0]))
        return [term for term, _ in ranked[:n]]


class BM25Index:
    """Okapi BM25 (k1, b) with the non-negative idf ``ln(1 + (N - df + 0.5) / (df + 0.5))``."""

    def __init__(self, documents: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self.docs = [Counter(terms(text)) for text in documents]
        self.lengths = [sum(doc.values()) for doc in self.docs]
        self.average_length = (sum(self.lengths) / len(self.lengths)) if self.docs else 0.0
        df: Counter[str] = Counter()
        for doc in self.docs:
            df.update(doc.keys())
        n = len(self.docs)
        self.idf = {term: math.log(1 + (n - f + 0.5) / (f + 0.5)) for term, f in df.items()}
        # Where each term occurs ((document, tf) in document order), so that one query is
        # scored against every document by visiting only the documents that hold its terms.
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for i, doc in enumerate(self.docs):
            for term, tf in doc.items():
                self.postings.setdefault(term, []).append((i, tf))
        self.norms = [
            self.k1 * (1 - self.b + self.b * length / (self.average_length or 1.0))
            for length in self.lengths
        ]

    def match(self, query: Mapping[str, float], index: int) -> TermMatch:
        """Score a weighted query (term -> weight) against document ``index``."""
        doc = self.docs[index]
        norm = self.norms[index]
        contributions: dict[str, float] = {}
        for term, weight in query.items():
            tf = doc.get(term, 0)
            if not tf:
                continue
            contributions[term] = weight * self.idf[term] * tf * (self.k1 + 1) / (tf + norm)
        return TermMatch(sum(contributions.values()), contributions)

    def match_all(self, query: Mapping[str, float]) -> list[TermMatch]:
        """``match(query, i)`` for every document ``i``, in document order, computed from the
        postings: the same contributions, added in the query's order, as ``match`` gives."""
        per_doc: list[dict[str, float]] = [{} for _ in self.docs]
        k1 = self.k1
        for term, weight in query.items():
            found = self.postings.get(term)
            if not found:
                continue
            idf = self.idf[term]
            for i, tf in found:
                per_doc[i][term] = weight * idf * tf * (k1 + 1) / (tf + self.norms[i])
        return [TermMatch(sum(c.values()), c) for c in per_doc]


def weighted_query(
    parts: Iterable[tuple[str, float]], split: Callable[[str], list[str]] = terms
) -> dict[str, float]:
    """Terms of several texts, each term taking the highest weight it appears with
    (``split`` gives a text's terms: ``terms``, or a caller's memo of it)."""
    query: dict[str, float] = {}
    for text, weight in parts:
        for term in split(text):
            query[term] = max(query.get(term, 0.0), weight)
    return query
