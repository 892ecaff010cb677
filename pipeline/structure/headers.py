"""Article headers in the forms other than today's web page: PDF extractions, republications
(CIAO, CFR), author pages, and header fields that sit out of order or far from the top.

The web header is read line by line in ``pipeline.segment``; what it leaves empty is looked
for here, in the header zone (the short lines at the top, and the lines up to the last one
recognised as a header line), and in citation lines anywhere in the first part of the text
("This article is extracted from …", "Preferred citation: …"). Every function fills only
fields that are still empty, so the web header always wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from pipeline.reading import MONTH_WORD
from pipeline.structure.periods import month_number, period_of

_FULL_MONTH = (
    r"(?:JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)"
)
# Words that belong to affiliations, never to an author's name.
_AFFILIATION_WORDS = {
    "university", "college", "institute", "institution", "council", "center", "centre",
    "foundation", "forum", "school", "academy", "relations", "studies", "program",
    "programme", "society", "association", "department", "office", "ministry", "of", "on",
    "for", "the", "and", "in", "at", "foreign", "international", "national", "strategic",
    "policy", "research", "defense", "defence", "pacific", "asia", "asian", "affairs",
    "american", "fund", "fellow", "professor", "director", "senior", "csis", "uk", "usa",
    "graduate", "group", "corporation", "rand", "press", "committee", "initiative",
}  # fmt: skip
_NAME_PARTICLES = {"de", "van", "von", "der", "da", "bin", "al", "le"}
# Words only an affiliation has (not the function words of _AFFILIATION_WORDS).
_INSTITUTION_WORDS = frozenset(
    {"university", "college", "institute", "institution", "council", "center", "centre",
     "foundation", "forum", "school", "academy", "studies", "program", "programme", "society",
     "association", "department", "office", "ministry", "fund", "fellow", "professor",
     "director", "csis", "rand", "press", "committee", "initiative", "corporation", "group",
     "relations", "research"}
)

_PDF_BANNER = re.compile(r"^(?P<dyad>[A-Z][A-Z .&/]*?(?:\s*[-–]\s*[A-Z .&/]*?)?)\s*RELATIONS\b[:\s]*(?P<rest>.*)$")
_RELATIONS_LINE = re.compile(
    r"^(?:Chronology of\s+)?(?P<dyad>[A-Z][\w.]*(?:[ .][A-Z][\w.]*){0,3}\s*[-–]\s*[A-Z][\w./]*(?:[ .][A-Z][\w./]*){0,3})"
    r"\s+Relations\s*$"
)
# "Japan-China Relations: Another New Start …" inside a line (flattened PDF text).
_RELATIONS_PREFIX = re.compile(
    r"(?P<dyad>\b[A-Z][\w.]*(?: [A-Z][\w.]*){0,2}\s*[-–]\s*[A-Z][\w./]*(?: [A-Z][\w./]*){0,2})\s+Relations:\s*(?P<rest>.*)$"
)
_VOLUME_ISSUE = re.compile(
    r"\bVolume:?\s*(?P<volume>\d+),\s*Issue:?\s*(?P<issue>\d+)(?:\s*\((?P<month>[A-Z][a-z]+)\.?\s+(?P<year>\d{4})\))?"
)
_CHRONOLOGY_HEADING = re.compile(r"^Chronology\b", re.IGNORECASE)
_EXTRACTED = re.compile(r"\b(?:extracted from|Preferred citation:)", re.IGNORECASE)
_AUTHORS_LABEL = re.compile(r"^(?:Authors?:\s*(?P<names>.+)|Articles by\s+(?P<by>.+))$")
_PERIOD_GLUED = re.compile(
    r"^(?P<m1>" + MONTH_WORD + r")\s*(?P<y1>\d{4})?\s*[-–—]\s*(?P<m2>" + MONTH_WORD + r")\s*(?P<y2>\d{4})\s*(?P<title>\S.*)?$"
)
# "James J. Przystup", "Robert G. Sutter": a name with a middle initial, in a flattened header.
_NAME_WITH_INITIAL = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?\s+[A-Z]\.\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b")


class HeaderLine(Protocol):
    start: int
    end: int
    text: str


def _title_word(word: str) -> str:
    if word.upper() in {"US", "U.S.", "UK", "ROK", "DPRK", "PRC", "ASEAN", "EU"}:
        return word.upper().replace("U.S.", "US")
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def normalise_dyad(dyad: str) -> str | None:
    """"CHINA- KOREA" -> "China-Korea", "U.S.-China" -> "US-China"; None when a side is missing
    (PDF text sometimes loses one: "CHINA- ")."""
    parts = [p.strip() for p in re.split(r"\s*[-–]\s*", dyad.strip(), maxsplit=1)]
    if len(parts) != 2 or not all(parts):
        return None
    sides = []
    for side in parts:
        words = side.split()
        if side.isupper() or side.replace(".", "").isupper():
            words = [_title_word(w) for w in words]
        sides.append(" ".join(w.replace("U.S.", "US") for w in words))
    return "-".join(sides)


def _squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_banner(text: str) -> tuple[str | None, str] | None:
    """"CHINA- KOREA RELATIONS STRATEGIC DILEMMAS …" -> ("China-Korea", "STRATEGIC DILEMMAS …");
    also the letter-spaced "U S- J AP AN REL AT I ONS". None for other lines."""
    if not text.isupper() and not (_squashed(text).isupper()):
        return None
    m = _PDF_BANNER.match(text)
    if m and "-" in m.group("dyad") + "–":
        dyad = m.group("dyad")
        if re.search(r"[-–]", dyad):
            return normalise_dyad(dyad), m.group("rest").strip()
    squashed = _squashed(text)
    m2 = re.match(r"^(?P<dyad>[A-Z.]+-[A-Z.]*)RELATIONS(?P<rest>.*)$", squashed)
    if m2:
        return normalise_dyad(m2.group("dyad")), ""
    return None


def split_author_line(text: str) -> list[dict[str, str | None]] | None:
    """"SCOTT SNYDER, COUNCIL ON FOREIGN RELATIONS SEE-WON BYUN, SAN FRANCISCO STATE UNIVERSITY"
    -> two authors with affiliations. None when the line is not an author line."""
    if "," not in text or not _squashed(text).replace(",", "").replace(".", "").replace("-", "").replace("&", "").isupper():
        return None
    segments = [s.strip() for s in text.split(",")]
    if not segments[0] or not all(segments):
        return None
    # An author line names where its authors work: without one affiliation word after the
    # first comma it is something else in capitals (a title: "GUARDRAILS REBUILT, SLOWLY").
    rest_words = {w.lower().strip(".") for segment in segments[1:] for w in segment.split()}
    if not rest_words & _INSTITUTION_WORDS:
        return None
    authors: list[dict[str, str | None]] = []
    affiliation: list[str] = []

    def name_tail(words: list[str]) -> int:
        """How many trailing words form a name (0 if they do not)."""
        k = 0
        while k < len(words) and k < 4 and words[-1 - k].lower().strip(".") not in _AFFILIATION_WORDS:
            k += 1
        return k if k >= 2 else 0

    first_words = segments[0].split()
    if not 2 <= len(first_words) <= 5 or any(w.lower() in _AFFILIATION_WORDS for w in first_words):
        return None
    authors.append({"name": " ".join(first_words), "affiliation": None})
    for k, segment in enumerate(segments[1:], start=1):
        words = segment.split()
        tail = name_tail(words) if k + 1 < len(segments) else 0
        if tail and tail < len(words):
            affiliation.extend(words[:-tail])
            authors[-1]["affiliation"] = " ".join(affiliation).strip() or None
            affiliation = []
            authors.append({"name": " ".join(words[-tail:]), "affiliation": None})
        else:
            affiliation.append(segment if not affiliation else ", " + segment)
            authors[-1]["affiliation"] = " ".join(affiliation).replace(" , ", ", ").strip() or None
    return authors


def _set(meta: dict[str, Any], key: str, value: Any) -> None:
    if meta.get(key) in (None, "", []) and value not in (None, "", []):
        meta[key] = value


def volume_issue(text: str, meta: dict[str, Any]) -> bool:
    """"Volume: 11, Issue: 3 (October 2009)" (CIAO) -> volume, issue, published."""
    m = _VOLUME_ISSUE.search(text)
    if not m:
        return False
    _set(meta, "volume", int(m.group("volume")))
    _set(meta, "issue", int(m.group("issue")))
    if m.group("month") and month_number(m.group("month")):
        _set(meta, "published", f"{int(m.group('year')):04d}-{month_number(m.group('month')):02d}")
    return True


def glued_period(text: str) -> tuple[dict[str, str], str | None] | None:
    """"January — April 2024Right Where We Left It" -> the period and the title glued to it."""
    m = _PERIOD_GLUED.match(text)
    period = period_of(m) if m else None
    if m is None or period is None:
        return None
    return period, (m.group("title") or "").strip() or None


def flattened_header(text: str, meta: dict[str, Any]) -> bool:
    """A header flattened into one line with the text ("… Japan-China Relations: Another New
    Start James J. Przystup Institute …"): the dyad, and the title and author when a name
    with a middle initial marks where the title ends."""
    m = _RELATIONS_PREFIX.search(text)
    if not m:
        return False
    dyad = m.group("dyad")
    # "… Bilateral Relations Japan-China Relations:" -> "Japan-China"
    dyad = re.split(r"\b(?:Relations|Bilateral|E-Journal)\b", dyad)[-1].strip()
    _set(meta, "relationship", normalise_dyad(dyad))
    rest = m.group("rest")
    name = _NAME_WITH_INITIAL.search(rest)
    if name and 1 <= len(rest[: name.start()].split()) <= 15:
        _set(meta, "title", rest[: name.start()].strip(" ,:"))
        _set(meta, "authors", [{"name": name.group(0), "affiliation": None}])
    return True


def running_header_month(headers: Sequence[str]) -> str | None:
    """"JAPAN-KOREA RELATIONS | JANU ARY 2019 103" -> "2019-01" (the first header that names one)."""
    for header in headers:
        squashed = _squashed(header.upper())
        m = re.search(r"\|?(" + _FULL_MONTH + r")(\d{4})", squashed)
        if m:
            return f"{int(m.group(2)):04d}-{month_number(m.group(1)):02d}"
    return None


def _looks_like_person(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 4 or text.endswith((".", ",", ":", ";")):
        return False
    if any(w.lower() in _AFFILIATION_WORDS for w in words):
        return False
    return all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words)


_DYAD_LINE = re.compile(
    r"^(?P<dyad>[A-Z][\w.]*(?:[ .][A-Z][\w.]*){0,3}\s*[-–—]\s*[A-Z][\w./]*(?:[ .][A-Z][\w./]*){0,3})$"
)


def recognise(text: str, is_paragraph: bool) -> str | None:
    """What kind of header line ``text`` is, if it is one (no side effects)."""
    if text in {"Authors", "Author"}:
        return "authors_label"
    if _CHRONOLOGY_HEADING.match(text):
        return "chronology_heading"
    if pdf_banner(text) is not None:
        return "pdf_banner"
    if split_author_line(text) is not None:
        return "author_line"
    if _AUTHORS_LABEL.match(text):
        return "authors"
    if _RELATIONS_LINE.match(text):
        return "relations_line"
    if len(text.split()) <= 6 and _DYAD_LINE.match(text):
        return "dyad_line"
    if _VOLUME_ISSUE.search(text) and len(text.split()) <= 12:
        return "volume_issue"
    if glued_period(text) is not None and len(text.split()) <= 20:
        return "glued_period"
    if "Comparative Connections" in text and len(text.split()) <= 14 and not is_paragraph:
        return "journal"
    if _RELATIONS_PREFIX.search(text):
        return "flattened"
    return None


def scan_header_zone(
    lines: Sequence[HeaderLine],
    meta: dict[str, Any],
    first: int,
    *,
    is_paragraph: Callable[[Any], bool],
    zone: int = 30,
) -> int:
    """Fill what the web header left empty from the lines at the top (from ``first``); returns
    the index of the first body line (after the last line recognised as a header line).

    The zone ends at the first paragraph after a header line, unless another header line
    follows within three lines (an author page: name, biography, then the article's dyad)."""
    last_header = first - 1
    limit = min(len(lines), first + zone)
    kinds = [recognise(lines[i].text, is_paragraph(lines[i])) for i in range(first, limit)]
    authors_next = False
    seen_publication = False
    relations_title: str | None = None
    i = first
    while i < limit:
        line = lines[i]
        text = line.text
        kind = kinds[i - first]
        if authors_next and _looks_like_person(text):
            _set(meta, "authors", [{"name": text, "affiliation": None}])
            kind = "author_name"
        authors_next = False
        if kind == "chronology_heading":
            relations = _RELATIONS_LINE.match(text)
            if relations:
                _set(meta, "relationship", normalise_dyad(relations.group("dyad")))
            break  # the chronology starts here; it is not header
        if kind is None:
            if is_paragraph(line):
                if last_header < first:
                    i += 1
                    continue
                # Past a paragraph only on an author page: the article's dyad or period follows.
                ahead = kinds[i - first + 1 : i - first + 4]
                if meta.get("relationship") or not any(
                    k in {"dyad_line", "glued_period", "relations_line"} for k in ahead
                ):
                    break
            elif not meta.get("title") and i + 1 < limit and kinds[i - first + 1] in {"authors", "author_line"}:
                meta["title"] = text  # the line above a byline ("Authors: …") is the title
                kind = "title"
            elif not meta.get("authors") and seen_publication and _looks_like_person(text):
                meta["authors"] = [{"name": text, "affiliation": None}]  # CIAO: name under the volume
                kind = "author_name"
            if kind is None:
                i += 1
                continue
        if kind == "authors_label":
            authors_next = not meta.get("authors")
        elif kind == "pdf_banner":
            banner = pdf_banner(text)
            assert banner is not None
            dyad, rest = banner
            _set(meta, "relationship", dyad)
            title_lines = [rest] if rest else []
            j = i + 1
            # A title that wraps onto following upper-case lines, up to the author line; a
            # banner alone on its line has the title on the next one, commas and all.
            while (
                j < limit
                and lines[j].text.isupper()
                and ("," not in lines[j].text or not title_lines and split_author_line(lines[j].text) is None)
                and len(title_lines) < 3
                and not is_paragraph(lines[j])
            ):
                title_lines.append(lines[j].text)
                j += 1
            _set(meta, "title", " ".join(t for t in title_lines if t) or None)
            i = j - 1
        elif kind == "author_line":
            _set(meta, "authors", split_author_line(text))
        elif kind == "authors":
            by = _AUTHORS_LABEL.match(text)
            assert by is not None
            names = by.group("names") or by.group("by")
            parts = re.split(r",\s*and\s+|\s+and\s+|,\s*|\s*&\s*", names.strip().rstrip("."))
            _set(meta, "authors", [{"name": p.strip(), "affiliation": None} for p in parts if p.strip()])
        elif kind == "relations_line":
            relations = _RELATIONS_LINE.match(text)
            assert relations is not None
            _set(meta, "relationship", normalise_dyad(relations.group("dyad")))
            relations_title = relations_title or text
        elif kind == "dyad_line":
            dyad_match = _DYAD_LINE.match(text)
            assert dyad_match is not None
            _set(meta, "relationship", normalise_dyad(dyad_match.group("dyad")))
        elif kind == "volume_issue":
            volume_issue(text, meta)
            seen_publication = True
        elif kind == "glued_period":
            glued = glued_period(text)
            assert glued is not None
            if meta["period"]["start"] is None:
                meta["period"] = glued[0]
                _set(meta, "title", glued[1])
        elif kind == "journal":
            _set(meta, "journal", "Comparative Connections")
        elif kind == "flattened":
            flattened_header(text, meta)
            if "Comparative Connections" in text:
                _set(meta, "journal", "Comparative Connections")
            i += 1
            continue  # the line holds the body too: it is not consumed
        last_header = i
        i += 1
    if not meta.get("title") and relations_title:
        meta["title"] = relations_title  # a republication titled only "U.S.-China Relations"
    return last_header + 1


def citation_lines(lines: Sequence[HeaderLine], first: int, span: int = 60) -> list[str]:
    """Citation lines near the top ("This article is extracted from … Vol. 22, No. 3, …");
    a PDF's first page puts them after the summary paragraph."""
    return [
        line.text
        for line in lines[first : first + span]
        if _EXTRACTED.search(line.text) and re.search(r"Vol\.|No\.", line.text)
    ]
