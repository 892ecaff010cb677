"""Find an article's structure: header metadata, sections, paragraphs, captions, chronology.

``segment_article`` is a pure function over the reading text (see ``pipeline.reading``);
the ``dipl_segmenter`` component writes its result into the Doc.  The journal's anatomy
and its real-world variants are described in the annotation guide.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.dates.normalize import parse_chronology_date
from pipeline.reading import MONTH_WORD
from pipeline.structure import chronology as chron
from pipeline.structure import headers
from pipeline.structure.document_date import find_document_date
from pipeline.structure.periods import month_number, period_of

_DASH = r"\s*[-–—‒―]\s*"
_PERIOD = re.compile(
    r"(?P<m1>" + MONTH_WORD + r")\s*(?P<y1>\d{4})?" + _DASH + r"(?P<m2>" + MONTH_WORD + r")\s*(?P<y2>\d{4})",
    re.IGNORECASE,  # PDFs print the chronology's period in capitals ("SEPTEMBER — DECEMBER 2019")
)
_RELATIONSHIP = re.compile(
    r"^(?P<a>[A-Z][\w.]*(?:[ .][A-Z][\w.]*){0,3})\s*[-–—]\s*(?P<b>[A-Z][\w./]*(?:[ .][A-Z][\w./]*){0,3})$"
)
_BYLINE = re.compile(r"^By\s+(?P<names>.+)$")
_PUBLISHED = re.compile(
    r"^Published\s+(?P<month>[A-Z][a-z]+)\s+(?P<year>\d{4})\s+in\s+(?P<journal>.+?)\s*[·•|]\s*"
    r"Volume\s+(?P<volume>\d+),\s*Issue\s+(?P<issue>\d+)"
)
_CITATION_VOL = re.compile(r"Vol\.\s*(?P<volume>\d+),\s*No\.\s*(?P<issue>\d+)")
_CITATION_PAGES = re.compile(r"pp\.?\s*(?P<first>\d+)\s*[-–]\s*(?P<last>\d+)")
_CITATION_MONTH = re.compile(r"No\.\s*\d+,\s*(?P<month>[A-Z][a-z]+)\.?\s+(?P<year>\d{4})")
_QUOTED_DYAD = re.compile(r"^(?P<dyad>[^:]{3,60}?)\s+Relations:")
_PREFERRED = re.compile(r"Preferred citation:\s*(?P<citation>.+?)\)?\s*$")
_CITATION_BOX = re.compile(r"^\(?(?:This article is extracted from|Preferred citation:)", re.IGNORECASE)
_QUOTED_TITLE = re.compile(r"[“\"](?P<title>.+?)[,.]?[”\"]")
_CONNECT = re.compile(r"^Connect with the Authors?$", re.IGNORECASE)
_DOWNLOAD = re.compile(r"^Download Article as PDF$", re.IGNORECASE)
_CAPTION_CREDIT = re.compile(r"\b(?:Photo|Photo credit|Image|Source)\s*:\s*(?P<credit>[^:]{1,120}?)\s*$")


@dataclass
class Line:
    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class SectionSpan:
    id: str
    kind: str
    start: int
    end: int
    heading: str | None = None
    heading_start: int | None = None
    heading_end: int | None = None
    credit: str | None = None


@dataclass
class ParagraphSpan:
    id: str
    section_id: str
    start: int
    end: int


@dataclass
class EntrySpan:
    id: str
    start: int
    end: int
    date_text: str
    date: str | None
    date_end: str | None
    text_start: int


@dataclass
class ArticleStructure:
    metadata: dict[str, Any]
    sections: list[SectionSpan] = field(default_factory=list)
    paragraphs: list[ParagraphSpan] = field(default_factory=list)
    entries: list[EntrySpan] = field(default_factory=list)
    # Offsets where a new sentence must start (line starts, caption credits).
    sentence_starts: list[int] = field(default_factory=list)
    # Short lines (header lines, headings) that must stay one sentence each.
    single_sentences: list[tuple[int, int]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with their offsets, surrounding whitespace trimmed."""
    lines = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            lines.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return lines


def parse_period(text: str) -> tuple[dict[str, str | None], re.Match[str]] | None:
    """'Sep — Dec 2019' -> {'start': '2019-09', 'end': '2019-12'}; a range may cross a year."""
    m = _PERIOD.search(text)
    if not m:
        return None
    period = period_of(m)
    return (dict(period), m) if period else None


def parse_entry_date(
    date_text: str, period: dict[str, str | None] | None, published: str | None = None
) -> tuple[str | None, str | None]:
    """(first day, last day or None) of a chronology entry's date, as TIMEX3 values.

    Entry dates go through the date stage's normaliser, so a missing year is resolved the
    same way everywhere (from the article's period, else the publication month).
    """
    return parse_chronology_date(date_text, dict(period) if period else None, published)


def _split_names(names: str) -> list[str]:
    parts = re.split(r",\s*and\s+|\s+and\s+|,\s*|\s*&\s*", names.strip().rstrip("."))
    return [p.strip() for p in parts if p.strip()]


def _looks_like_name(text: str) -> bool:
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or text.endswith((".", ",", ":", ";")):
        return False
    particles = {"de", "van", "von", "der", "da", "bin", "al"}
    return all(t[0].isupper() or t.lower() in particles for t in tokens)


def _is_paragraph(line: Line) -> bool:
    return line.words > 14 or (line.words > 6 and line.text.endswith((".", "”", '"', "?", "!")))


def _is_affiliation(line: Line) -> bool:
    """A short line that is not a sentence; "… Fund of the U.S." ends with an abbreviation."""
    if line.words > 14:
        return False
    if line.text.endswith((".", "!", "?", "”", '"')):
        last = line.text.split()[-1]
        return bool(re.fullmatch(r"(?:[A-Z]\.){2,}|Inc\.|Ltd\.|Co\.|Corp\.", last))
    return True


def _is_heading(line: Line, next_line: Line | None) -> bool:
    text = line.text
    if line.words > 14 or len(text) > 110 or not (text[0].isupper() or text[0].isdigit() or text[0] in "“\"‘'"):
        return False
    if text.endswith((".", ",", ";", ":")) and not text.endswith("..."):
        return False
    if _CAPTION_CREDIT.search(text):
        return False
    return next_line is None or _is_paragraph(next_line) or bool(_CAPTION_CREDIT.search(next_line.text))


def _parse_citation(citation: str, meta: dict[str, Any]) -> None:
    """Fill what the citation states and the metadata lacks."""
    vol = _CITATION_VOL.search(citation)
    if vol:
        meta["volume"] = meta.get("volume") or int(vol.group("volume"))
        meta["issue"] = meta.get("issue") or int(vol.group("issue"))
    pages = _CITATION_PAGES.search(citation)
    if pages:
        meta["pages"] = f"{pages.group('first')}-{pages.group('last')}"
    if not meta.get("journal") and "Comparative Connections" in citation:
        meta["journal"] = "Comparative Connections"
    title = _QUOTED_TITLE.search(citation)
    if title:
        quoted = title.group("title").strip().rstrip(",")
        # "Japan-Korea Relations: Thaws and Tremors" -> the title proper.
        proper = quoted.split(":", 1)[1].strip() if re.match(r"^[^:]{3,60}Relations:", quoted) else quoted
        meta["title"] = meta.get("title") or proper
        dyad = _QUOTED_DYAD.match(quoted)
        if dyad and not meta.get("relationship"):
            meta["relationship"] = headers.normalise_dyad(dyad.group("dyad"))
        if title.start() > 0 and not meta["authors"]:
            names = citation[: title.start()].strip().rstrip(",")
            meta["authors"] = [{"name": n, "affiliation": None} for n in _split_names(names)]
    if not meta.get("published"):
        month = _CITATION_MONTH.search(citation)
        if month and month_number(month.group("month")):
            meta["published"] = f"{int(month.group('year')):04d}-{month_number(month.group('month')):02d}"


def _empty_metadata() -> dict[str, Any]:
    return {
        "journal_section": None,
        "relationship": None,
        "period": {"start": None, "end": None},
        "title": None,
        "authors": [],
        "journal": None,
        "volume": None,
        "issue": None,
        "published": None,
        "pages": None,
        "citation": None,
        "document_date": None,
        "chronology_order": None,
    }


def _parse_front_matter(lines: list[Line]) -> tuple[dict[str, Any], int]:
    """Metadata from the header lines; returns it and the index of the first body line."""
    meta = _empty_metadata()
    i = 0
    seen_header = False
    title_next = False
    while i < len(lines):
        line = lines[i]
        text = line.text
        if i == 0 and text.lower() in {"articles", "article"}:
            meta["journal_section"] = text
        elif _DOWNLOAD.match(text):
            title_next = True
        elif (
            meta["relationship"] is None
            and not seen_header
            and _RELATIONSHIP.match(text)
            and line.words <= 8
            and headers.pdf_banner(text) is None  # "JAPAN-KOREA RELATIONS": the header zone reads it
        ):
            m = _RELATIONSHIP.match(text)
            assert m is not None
            meta["relationship"] = f"{m.group('a').strip()}-{m.group('b').strip()}"
        elif meta["period"]["start"] is None and (parsed := parse_period(text)) and line.words <= 12:
            period, pm = parsed
            meta["period"] = period
            rest = (text[: pm.start()] + " " + text[pm.end() :]).strip()
            if rest and not _DOWNLOAD.match(rest):
                meta["title"] = rest  # a period glued to the title
            else:
                title_next = True
            seen_header = True
        elif (by := _BYLINE.match(text)) and line.words <= 20:
            meta["authors"] = [{"name": n, "affiliation": None} for n in _split_names(by.group("names"))]
        elif text.startswith("Published") and (pub := _PUBLISHED.match(text)):
            month = month_number(pub.group("month"))
            if month:
                meta["published"] = f"{int(pub.group('year')):04d}-{month:02d}"
            meta["journal"] = pub.group("journal").strip()
            meta["volume"] = int(pub.group("volume"))
            meta["issue"] = int(pub.group("issue"))
            preferred = _PREFERRED.search(text)
            if preferred:
                meta["citation"] = preferred.group("citation").strip()
                _parse_citation(meta["citation"], meta)
            elif "(" in text:
                # "(This article is extracted from …, Vol. 19, No. 2, September 2017. pp 91-100)"
                _parse_citation(text[text.index("(") :], meta)
        elif _CITATION_VOL.search(text) and ("Comparative Connections" in text or _QUOTED_TITLE.search(text)):
            # A bare citation, without the "Published ..." wrapper.
            preferred = _PREFERRED.search(text)
            meta["citation"] = preferred.group("citation").strip() if preferred else text
            _parse_citation(meta["citation"], meta)
        elif _CONNECT.match(text):
            i = _parse_connect_block(lines, i + 1, meta)
            return meta, i
        elif title_next and meta["title"] is None and line.words <= 20 and (
            not _is_paragraph(line) or not line.text.endswith(".")
        ):
            meta["title"] = text
            title_next = False
        else:
            break
        i += 1
    return meta, i


def _parse_connect_block(lines: list[Line], i: int, meta: dict[str, Any]) -> int:
    """Name / affiliation pairs after 'Connect with the Author(s)'."""
    known = {a["name"].lower(): a for a in meta["authors"]}
    found: list[dict[str, Any]] = []
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        is_known = line.text.lower() in known
        if not is_known and (known or not _looks_like_name(line.text)):
            break
        if not is_known and nxt is not None and _is_paragraph(nxt) and not _is_affiliation(nxt):
            break  # a heading before the first paragraph, not a name
        affiliation = None
        # In the journal's format every name line is followed by its affiliation line.
        if nxt is not None and nxt.text.lower() not in known and _is_affiliation(nxt):
            affiliation = nxt.text
        found.append({"name": line.text, "affiliation": affiliation})
        i += 2 if affiliation else 1
    if known:
        for author in found:
            known[author["name"].lower()]["affiliation"] = author["affiliation"]
    else:
        meta["authors"] = found
    return i


def segment_article(text: str, page_headers: Sequence[str] = ()) -> ArticleStructure:
    """Split the reading text of one article into its structure.

    ``page_headers`` are the running headers the reading layer took out of the text (they
    can date a PDF extraction)."""
    lines = split_lines(text)
    meta, body_start = _parse_front_matter(lines)
    if meta["relationship"] is None or meta["title"] is None:
        body_start = max(body_start, headers.scan_header_zone(lines, meta, body_start, is_paragraph=_is_paragraph))
    # A PDF's citation box right under the header ("This article is extracted from …
    # Preferred citation: …") is header too, not the first paragraph.
    while body_start < len(lines) and _CITATION_BOX.match(lines[body_start].text):
        preferred = _PREFERRED.search(lines[body_start].text)
        if preferred and not meta.get("citation"):
            meta["citation"] = preferred.group("citation").strip()
        body_start += 1
    for citation in headers.citation_lines(lines, 0):
        preferred = _PREFERRED.search(citation)
        if preferred:  # names and title from the citation proper, not the wrapper before it
            _parse_citation(preferred.group("citation"), meta)
        _parse_citation(citation, meta)
    structure = ArticleStructure(metadata=meta)
    structure.sentence_starts = [line.start for line in lines]
    if not lines:
        return structure
    if meta["relationship"] is None and meta["period"]["start"] is None and meta["title"] is None:
        structure.warnings.append({"code": "W103", "message": "no article header (relationship, period, title) found"})
    if not meta["authors"]:
        structure.warnings.append({"code": "W104", "message": "no authors found"})

    sections = structure.sections
    if body_start > 0:
        sections.append(SectionSpan("sec-00", "front_matter", lines[0].start, lines[body_start - 1].end))
        structure.single_sentences.extend(
            (line.start, line.end) for line in lines[:body_start] if not _is_paragraph(line)
        )

    found = find_chronology_start(lines, body_start)
    if found is not None and not found[1] and meta["period"]["start"] is None:
        # A timeline without a heading may state its period just above ("2008 Jul.~ 2008 Dec.").
        for line in lines[max(0, found[0] - 3) : found[0]]:
            stated = chron.heading_period(line.text)
            if stated:
                meta["period"] = stated
    body_end = found[0] if found is not None else len(lines)
    _segment_narrative(lines[body_start:body_end], structure)
    if found is None:
        structure.warnings.append({"code": "W101", "message": "no chronology section found"})
    else:
        _segment_chronology(lines[found[0] :], structure, has_heading=found[1])

    meta["document_date"] = find_document_date(lines, meta, page_headers, structure.entries)
    if meta["document_date"] is None:
        structure.warnings.append({"code": "W107", "message": "no document date found (no period, publication line, dateline or full date)"})

    last = lines[-1].text
    if not last.endswith((".", "!", "?", "”", '"', "’", ")", "]")) and not _CAPTION_CREDIT.search(last):
        structure.warnings.append(
            {"code": "W105", "message": f"the text ends mid-sentence ({last[-40:]!r}); it may be truncated"}
        )
    return structure


def _next_id(prefix: str, items: list[Any], width: int = 2) -> str:
    return f"{prefix}-{len(items) + 1:0{width}d}" if prefix != "sec" else f"sec-{len(items):0{width}d}"


def _segment_narrative(lines: list[Line], structure: ArticleStructure) -> None:
    sections, paragraphs = structure.sections, structure.paragraphs
    current: SectionSpan | None = None

    def close(section: SectionSpan | None, end: int) -> None:
        if section is not None:
            section.end = max(section.end, end)

    for k, line in enumerate(lines):
        nxt = lines[k + 1] if k + 1 < len(lines) else None
        credit = _CAPTION_CREDIT.search(line.text)
        if credit and line.words >= 3:
            caption = SectionSpan(
                _next_id("sec", sections), "caption", line.start, line.end, credit=credit.group("credit").strip()
            )
            sections.append(caption)
            paragraphs.append(ParagraphSpan(_next_id("par", paragraphs, 3), caption.id, line.start, line.end))
            structure.sentence_starts.append(line.start + credit.start())
            close(current, line.end)
            continue
        if _is_heading(line, nxt):
            structure.single_sentences.append((line.start, line.end))
            current = SectionSpan(
                _next_id("sec", sections),
                "narrative",
                line.start,
                line.end,
                heading=line.text,
                heading_start=line.start,
                heading_end=line.end,
            )
            sections.append(current)
            continue
        if current is None:
            current = SectionSpan(_next_id("sec", sections), "narrative", line.start, line.end)
            sections.append(current)
        paragraphs.append(ParagraphSpan(_next_id("par", paragraphs, 3), current.id, line.start, line.end))
        close(current, line.end)


def find_chronology_start(lines: list[Line], body_start: int) -> tuple[int, bool] | None:
    """Where the chronology begins: ``(line index, has_heading)``.

    A "Chronology of …" / "Chronology from … to …" heading, else (a standalone chronology page
    or timeline without one) the first of a run of entry lines: at least three entries, and
    entries opening most of the lines from there on.
    """
    for i in range(body_start, len(lines)):
        if chron.is_chronology_heading(lines[i].text):
            return i, True
    opens = [chron.match_entry_start(line.text) is not None for line in lines]
    for i in range(body_start, len(lines)):
        if not opens[i]:
            continue
        rest = opens[i:]
        if sum(rest) >= 3 and sum(rest) * 2 >= len(rest):
            return i, False
        if sum(rest) >= 2 and len(rest) <= 4 and all(rest[:2]):
            return i, False
    return None


def _segment_chronology(lines: list[Line], structure: ArticleStructure, has_heading: bool) -> None:
    """Entries from the chronology's lines (the heading first when it has one)."""
    heading = lines[0] if has_heading else None
    section = SectionSpan(
        _next_id("sec", structure.sections),
        "chronology",
        lines[0].start,
        lines[-1].end,
        heading=heading.text if heading else None,
        heading_start=heading.start if heading else None,
        heading_end=heading.end if heading else None,
    )
    structure.sections.append(section)
    body = lines[1:] if heading else lines
    meta = structure.metadata
    if heading is not None:
        structure.single_sentences.append((heading.start, heading.end))
        stated = chron.heading_period(heading.text)
        if stated and meta["period"]["start"] is None:
            meta["period"] = stated
    # Period lines under the heading ("Sep 2019 - Dec 2019", "2008 Jul.~ 2008 Dec.").
    while body and body[0].words <= 8 and chron.match_entry_start(body[0].text) is None and (
        parse_period(body[0].text) or chron.heading_period(body[0].text)
    ):
        parsed = parse_period(body[0].text)
        line_period: dict[str, Any] | None = dict(parsed[0]) if parsed else chron.heading_period(body[0].text)
        if line_period and meta["period"]["start"] is None:
            meta["period"] = line_period
        structure.single_sentences.append((body[0].start, body[0].end))
        body = body[1:]
    entries = structure.entries

    def add_entry(start: int, end: int, date_text: str, text_start: int) -> None:
        if date_text:
            first, last = parse_entry_date(date_text, meta["period"], meta["published"])
        else:
            first, last = None, None
            structure.warnings.append(
                {"code": "W102", "message": f"chronology entry {len(entries) + 1} has no date (lost in extraction)"}
            )
        # The date prefix and the first words of the entry stay one sentence.
        structure.single_sentences.append((start, min(text_start + 1, end)))
        structure.sentence_starts.append(start)
        entries.append(EntrySpan(_next_id("chr", entries, 3), start, end, date_text, first, last, text_start))

    pending: tuple[Line, str] | None = None  # a date alone on its line, waiting for its text
    for line in body:
        opened = chron.match_entry_start(line.text)
        if opened is not None and opened.text_offset is None:
            if pending is not None:  # two date lines in a row: the first had no text
                add_entry(pending[0].start, pending[0].end, pending[1], pending[0].end)
            pending = (line, opened.date_text)
            continue
        if pending is not None and opened is None:
            date_line, date_text = pending
            add_entry(date_line.start, line.end, date_text, line.start)
            pending = None
            continue
        if pending is not None:
            add_entry(pending[0].start, pending[0].end, pending[1], pending[0].end)
            pending = None
        if opened is None:
            if entries:
                entries[-1].end = line.end  # a continuation line of the previous entry
            else:
                # Text between the heading and the first entry stays in the section only; a
                # republication's wrapper there may say where it was published.
                headers.volume_issue(line.text, meta)
            continue
        starts = [opened, *chron.inline_entry_starts(line.text, opened)]
        for k, item in enumerate(starts):
            assert item.text_offset is not None
            begin = line.start + item.offset
            end = line.start + starts[k + 1].offset if k + 1 < len(starts) else line.end
            end = begin + len(line.text[item.offset : end - line.start].rstrip())
            add_entry(begin, end, item.date_text, line.start + item.text_offset)
    if pending is not None:
        add_entry(pending[0].start, pending[0].end, pending[1], pending[0].end)
    meta["chronology_order"] = chron.entry_order([e.date for e in entries]) or chron.order_from_period(
        [e.date for e in entries], meta["period"]
    )
