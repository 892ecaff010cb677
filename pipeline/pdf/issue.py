"""A whole issue's PDF split into its articles.

Every article of the journal opens on a new page with its banner ("JAPAN-KOREA RELATIONS",
"REGIONAL OVERVIEW") over its capitalised title; the running headers and page numbers
around it are page furniture (``pipeline.reading.page_edge_noise``). When the issue has a
table of contents ("BANNER: TITLE ....... 121"), its printed page numbers, read against the
numbers printed on the pages, also mark where articles start (a banner lost in extraction).
Pages before the first article (cover, contents) belong to no article and are reported.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.reading import page_edge_noise
from pipeline.structure.headers import normalise_dyad

_BANNER = re.compile(
    r"^(?P<banner>(?:(?P<dyad>[A-Z][A-Z .&/]*?\s*[-–]\s*[A-Z][A-Z .&/]*?)\s+RELATIONS)|[A-Z][A-Z .&/-]*?\bOVERVIEW)\b[:\s]*(?P<rest>.*)$"
)
_CONTENTS = re.compile(r"^(?:TABLE OF\s+)?CONTENTS$", re.IGNORECASE)
_CONTENTS_ROW = re.compile(r"^(?P<label>\S.*?\S)\s*(?:\.{2,}|…+|\s{2,})\s*(?P<page>\d{1,4})$")
_ISSUE_LINE = re.compile(
    r"\bVOLUME\s+(?P<volume>\d+),?\s+(?:NUMBER|NO\.|ISSUE)\s+(?P<number>\d+)\b(?:[^A-Za-z]+(?P<month>[A-Za-z]+)\s+(?P<year>\d{4}))?",
    re.IGNORECASE,
)
_CITATION = re.compile(r"Vol\.\s*(?P<volume>\d+),\s*No\.\s*(?P<number>\d+),\s*(?P<month>[A-Z][a-z]+)\.?\s+(?P<year>\d{4})")
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}  # fmt: skip


@dataclass(frozen=True)
class IssueArticle:
    """Pages ``first``..``last`` (1-based, physical) of the issue hold one article."""

    first: int
    last: int
    banner: str
    relationship: str | None
    title: str | None
    printed_first: str | None = None
    printed_last: str | None = None


@dataclass(frozen=True)
class IssueSplit:
    articles: list[IssueArticle]
    unassigned: list[int]
    page_count: int
    volume: int | None = None
    number: int | None = None
    published: str | None = None
    contents_found: bool = False
    printed: dict[int, str] = field(default_factory=dict)  # physical page -> printed number


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def _body_lines(page: str, noise: list[tuple[int, int, str]]) -> list[str]:
    out, pos = [], 0
    skip = {start for start, _, _ in noise}
    for raw in page.split("\n"):
        if pos not in skip and raw.strip(" \t\f"):
            out.append(raw.strip(" \t\f"))
        pos += len(raw) + 1
    return out


def article_opening(lines: list[str]) -> tuple[str, str | None, str | None] | None:
    """(banner, relationship, title) when the page opens an article, else None."""
    if not lines:
        return None
    first = lines[0]
    if (
        not _is_caps(first)
        or len(first.split()) > 20
        or first.upper().startswith("CHRONOLOGY")
        or "|" in first  # a running header ("JAPAN-KOREA RELATIONS | JANUARY 2020")
    ):
        return None
    m = _BANNER.match(first)
    if not m:
        return None
    rest = m.group("rest").strip()
    title = rest or (lines[1] if len(lines) > 1 and _is_caps(lines[1]) and len(lines[1].split()) <= 20 else None)
    if title is None:
        return None  # a banner with no title under it is a running header, not an opening
    dyad = m.group("dyad")
    relationship = normalise_dyad(dyad) if dyad else None
    return m.group("banner").strip(), relationship, title


def _contents(pages_lines: list[list[str]]) -> list[tuple[str, str]]:
    """(label, printed page) rows of the table of contents, if a page holds one."""
    for lines in pages_lines[:6]:
        if any(_CONTENTS.match(line) for line in lines[:3]):
            rows = [(m.group("label").strip(" .:"), m.group("page")) for line in lines if (m := _CONTENTS_ROW.match(line))]
            if rows:
                return rows
    return []


def _issue_identity(pages: list[str], before: int) -> tuple[int | None, int | None, str | None]:
    """Volume, number, publication month: from the front pages, else the articles' citations."""
    for page in pages[:before]:
        m = _ISSUE_LINE.search(page)
        if m:
            month = _MONTHS.get((m.group("month") or "").lower()[:3])
            published = f"{int(m.group('year')):04d}-{month:02d}" if month and m.group("year") else None
            return int(m.group("volume")), int(m.group("number")), published
    votes = Counter(
        (int(m.group("volume")), int(m.group("number")), m.group("month"), m.group("year"))
        for page in pages
        for m in _CITATION.finditer(" ".join(page.split()))
    )
    if not votes:
        return None, None, None
    (volume, number, month_name, year), _ = votes.most_common(1)[0]
    month = _MONTHS.get(month_name.lower()[:3])
    return volume, number, (f"{int(year):04d}-{month:02d}" if month else None)


def split_issue(pages: list[str]) -> IssueSplit | None:
    """The articles of an issue PDF; None when the PDF holds fewer than two (one article)."""
    noise = page_edge_noise(pages)
    pages_lines = [_body_lines(page, n) for page, n in zip(pages, noise, strict=True)]
    printed: dict[int, str] = {}
    for k, (page, n) in enumerate(zip(pages, noise, strict=True), start=1):
        numbers = [page[s:e].strip() for s, e, kind in n if kind == "page_number"]
        if numbers:
            printed[k] = re.sub(r"\D", "", numbers[-1])
    starts: dict[int, tuple[str, str | None, str | None]] = {}
    for k, lines in enumerate(pages_lines, start=1):
        opening = article_opening(lines)
        if opening:
            starts[k] = opening
    rows = _contents(pages_lines)
    by_printed = {label: k for k, label in printed.items()}
    for label, printed_number in rows:
        physical = by_printed.get(printed_number)
        if physical is None or physical in starts:
            continue
        banner_match = _BANNER.match(label.upper())
        dyad = banner_match.group("dyad") if banner_match else None
        title = banner_match.group("rest").strip(" :") if banner_match else label
        starts[physical] = (
            banner_match.group("banner") if banner_match else label,
            normalise_dyad(dyad) if dyad else None,
            title or None,
        )
    if len(starts) < 2:
        return None
    ordered = sorted(starts)
    articles = []
    for i, first in enumerate(ordered):
        last = (ordered[i + 1] - 1) if i + 1 < len(ordered) else len(pages)
        banner, relationship, title = starts[first]
        articles.append(IssueArticle(first, last, banner, relationship, title, printed.get(first), printed.get(last)))
    volume, number, published = _issue_identity(pages, ordered[0] - 1)
    return IssueSplit(
        articles=articles,
        unassigned=list(range(1, ordered[0])),
        page_count=len(pages),
        volume=volume,
        number=number,
        published=published,
        contents_found=bool(rows),
        printed=printed,
    )
