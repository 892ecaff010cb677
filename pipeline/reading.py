"""The reading text: the article with layout noise taken out, and a map back to the original.

PDF extraction leaves running page headers, words hyphenated across line breaks, letters
spaced apart and paragraphs wrapped into short lines; files may carry a BOM or CRLF line
ends.  None of that belongs in the reading flow (it breaks sentences and names), but every
offset the pipeline reports must still point into the text as read.  ``build_reading_text``
edits the text in small, recorded steps and keeps, for each reading character, the offset
of the original character it came from.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

MONTH_WORD = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)

# "JAPAN-KOREA RELATIONS | JANUARY 2020 103" or "104 COMPARATIVE CONNECTIONS | JANUARY 2020".
_PAGE_HEADER = re.compile(
    r"^[ \t]*(?:\d{1,4}[ \t]+)?[A-Z0-9][A-Z0-9 .,&'’\-–—]{2,}[ \t]*\|[ \t]*"
    r"[A-Z0-9][A-Z0-9 .,&'’\-–—]*?(?:[ \t]+\d{1,4})?[ \t]*$",
    re.MULTILINE,
)
_PAGE_NUMBER = re.compile(r"^[ \t]*\d{1,4}[ \t]*$", re.MULTILINE)
# A running header flattened into the start of a text line (two-column extraction):
# "US- JAPAN RELATIONS | M AY 202 1 21 Prime Minister Suga …" (letters and digits may be spaced).
_INLINE_PAGE_HEADER = re.compile(
    r"^[ \t]*[A-Z][A-Z .,&'’\-–—]{2,}RELATIONS[ \t]*\|[ \t]*(?:[A-Z] ?){3,9}[ \t]*\d(?: ?\d){3}[ \t]+\d{1,4}[ \t]+(?=\S)",
    re.MULTILINE,
)
# A run of at least four single letters separated by single spaces: "C H R O N O L O G Y".
_SPACED_LETTERS = re.compile(r"(?<![\w])(?:[A-Za-z] ){3,}[A-Za-z](?![\w])")
# Hyphen at a line end inside wrapped text: "nego-\ntiations", "Jae-\nin".
_HYPHEN_BREAK = re.compile(r"(?<=[A-Za-z])-[ \t]*\n[ \t]*(?=[a-z])")
# A name syllable split by extraction with a stray space: "Moon Jae- in".
_NAME_HYPHEN_SPACE = re.compile(r"\b([A-Z][a-z]{1,8})- (?!(?:and|or|to|the|a|an)\b)([a-z]{1,8})\b")
# A hyphen the typesetter added at a line end (U+2010 as PDFium reads a shown soft hyphen,
# or the soft hyphen itself): always a word break.
_SOFT_HYPHEN_BREAK = re.compile(r"(?<=[A-Za-z])[\u2010\u00ad][ \t]*\n[ \t]*(?=[a-z])")
# A hyphen at a line end that stays: after a digit ("60-\nperson") or before a capital
# ("Japan-\nKorea"); only the line break goes.
_KEPT_HYPHEN_BREAK = re.compile(r"(?:(?<=\d)|(?<=[A-Za-z]))-[ \t]*\n[ \t]*(?=[A-Z0-9])|(?<=\d)-[ \t]*\n[ \t]*(?=[a-z])")
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
_PAGE_BREAK = "\f"
# Lines at a page's edge that are page furniture, not text: "121", "Page 3", "- 4 -".
_EDGE_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?[-–]?\s*\d{1,4}\s*[-–]?\s*$", re.IGNORECASE)
_SENTENCE_END = ("." , "!", "?", ":", "”", '"', "’", ")", "]")
_ENTRY_START = re.compile(r"^(?:[A-Z][a-z]+,\s+)?" + MONTH_WORD + r"\s+\d{1,2}\b|^:\s")


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``; ``kind`` says why."""

    start: int
    end: int
    replacement: str
    kind: str


@dataclass
class OffsetMap:
    """Reading offset -> original offset, stored as runs where both advance together."""

    runs: list[tuple[int, int]]  # (reading_start, original_start), sorted
    reading_length: int
    removed: list[tuple[int, int, str]] = field(default_factory=list)  # original spans left out

    @classmethod
    def from_runs(cls, data: dict[str, Any]) -> OffsetMap:
        return cls(
            runs=[(int(r), int(o)) for r, o in data["runs"]],
            reading_length=int(data["length"]),
            removed=[(int(s), int(e), str(k)) for s, e, k in data.get("removed", [])],
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain values only, so the map travels inside ``Doc`` user data."""
        return {
            "runs": [list(run) for run in self.runs],
            "length": self.reading_length,
            "removed": [list(item) for item in self.removed],
        }

    def original(self, reading_offset: int) -> int:
        i = bisect.bisect_right(self.runs, (reading_offset, float("inf"))) - 1
        r_start, o_start = self.runs[max(i, 0)]
        return o_start + (reading_offset - r_start)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the reading span ``[start, end)``."""
        if end <= start:
            o = self.original(start) if start < self.reading_length else self.original_end()
            return o, o
        return self.original(start), self.original(end - 1) + 1

    def original_end(self) -> int:
        if self.reading_length == 0:
            return 0
        return self.original(self.reading_length - 1) + 1


@dataclass
class ReadingText:
    """The reading text, with per-character original offsets."""

    text: str
    origin: list[int]  # origin[i] = original offset of reading character i
    removed: list[tuple[int, int, str]]

    @property
    def changed(self) -> bool:
        return bool(self.removed) or len(self.origin) != len(self.text) or any(
            o != i for i, o in enumerate(self.origin)
        )

    def offset_map(self) -> OffsetMap:
        runs: list[tuple[int, int]] = []
        prev_r, prev_o = -2, -2
        for r, o in enumerate(self.origin):
            if not (r == prev_r + 1 and o == prev_o + 1):
                runs.append((r, o))
            prev_r, prev_o = r, o
        if not runs:
            runs = [(0, 0)]
        return OffsetMap(runs=runs, reading_length=len(self.text), removed=list(self.removed))


def apply_edits(current: ReadingText, edits: list[Edit], *, record: bool = True) -> ReadingText:
    """Apply non-overlapping edits (in current coordinates); overlapping ones are dropped."""
    if not edits:
        return current
    text, origin = current.text, current.origin
    out: list[str] = []
    out_origin: list[int] = []
    removed = list(current.removed)
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < pos:
            continue
        out.append(text[pos : edit.start])
        out_origin.extend(origin[pos : edit.start])
        anchor = origin[edit.start] if edit.start < len(origin) else (origin[-1] + 1 if origin else 0)
        out.append(edit.replacement)
        out_origin.extend([anchor] * len(edit.replacement))
        if record and edit.end > edit.start:
            removed.append((origin[edit.start], origin[edit.end - 1] + 1, edit.kind))
        pos = edit.end
    out.append(text[pos:])
    out_origin.extend(origin[pos:])
    return ReadingText(text="".join(out), origin=out_origin, removed=_merge_removed(removed))


def _merge_removed(removed: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """One entry for a run of small removals of one kind (the gaps of a letter-spaced line)."""
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(removed):
        if merged and merged[-1][2] == kind and start - merged[-1][1] <= 2:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), kind)
        else:
            merged.append((start, end, kind))
    return merged


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end == -1 else end)


def _page_header_edits(text: str) -> list[Edit]:
    """Drop running headers and lone page numbers; rejoin a paragraph they split."""
    edits = [Edit(m.start(), m.end(), "", "page_header") for m in _INLINE_PAGE_HEADER.finditer(text)]
    for pattern in (_PAGE_HEADER, _PAGE_NUMBER):
        for m in pattern.finditer(text):
            line = m.group(0).strip()
            letters = [c for c in line if c.isalpha()]
            if pattern is _PAGE_HEADER and (not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters)):
                continue
            start, end = m.start(), m.end()
            # Take the blank lines around the header with it.
            before = start
            while before > 0 and text[before - 1] in "\n \t":
                before -= 1
            after = end
            while after < len(text) and text[after] in "\n \t":
                after += 1
            prev_line = text[_line_bounds(text, max(before - 1, 0))[0] : before].rstrip()
            next_char = text[after] if after < len(text) else ""
            mid_paragraph = bool(prev_line) and (
                not prev_line.endswith(_SENTENCE_END) or next_char.islower()
            )
            if before == 0 or after == len(text):
                joiner = ""
            elif mid_paragraph:
                joiner = " "
            else:
                joiner = "\n\n"
            edits.append(Edit(before, after, joiner, "page_header"))
    return edits


def _edge_key(line: str) -> str:
    """A running header or footer with its page number and spacing taken out."""
    return re.sub(r"\s+", "", re.sub(r"\d+", "#", line)).lower()


def page_edge_noise(pages: list[str]) -> list[list[tuple[int, int, str]]]:
    """Per page, the lines at its top and bottom that are page furniture: (start, end, kind)
    offsets into the page's text, kind ``page_number`` or ``page_header``.

    A line counts when it is a lone page number, a running header of the journal's form
    ("JAPAN-KOREA RELATIONS | JANUARY 2020"), or the same line (numbers aside) at the edge
    of at least two other pages. Only lines touching the edge count: the first non-furniture
    line from either end stops the search."""
    edges: list[list[tuple[int, int, str]]] = []
    for page in pages:
        spans = []
        pos = 0
        for raw in page.split("\n"):
            if raw.strip() and raw.strip() != _PAGE_BREAK:
                spans.append((pos, pos + len(raw), raw.strip().strip(_PAGE_BREAK).strip()))
            pos += len(raw) + 1
        edges.append(spans)
    counts: dict[str, int] = {}
    for spans in edges:
        keys = {_edge_key(t) for _, _, t in spans[:3] + spans[-3:]}
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    out: list[list[tuple[int, int, str]]] = []
    for spans in edges:
        found: dict[int, tuple[int, int, str]] = {}

        def kind_of(line: str) -> str | None:
            if _EDGE_PAGE_NUMBER.match(line):
                return "page_number"
            if len(line.split()) > 15:
                return None
            if _PAGE_HEADER.match(line) and sum(c.isupper() for c in line) >= 0.8 * sum(c.isalpha() for c in line):
                return "page_header"
            if counts.get(_edge_key(line), 0) >= 3 and len(pages) >= 3:
                return "page_header"
            return None

        for order in (spans[:3], list(reversed(spans[-3:]))):
            for start, end, line in order:
                kind = kind_of(line)
                if kind is None:
                    break
                found[start] = (start, end, kind)
        out.append(sorted(found.values()))
    return out


def _page_break_edits(text: str) -> tuple[list[Edit], list[int]]:
    """Furniture lines at page edges out of the flow; returns them and the page break offsets."""
    bounds = [0]
    bounds.extend(m.end() for m in re.finditer(_PAGE_BREAK, text))
    if bounds[-1] != len(text):
        bounds.append(len(text))
    pages = [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    edits = []
    for base, noise in zip(bounds, page_edge_noise(pages), strict=False):
        for start, end, kind in noise:
            stop = base + end
            if stop < len(text) and text[stop] == "\n":
                stop += 1
            edits.append(Edit(base + start, stop, "", kind))
    return edits, bounds


def _page_join_edits(text: str) -> list[Edit]:
    """Each form feed, with the blank space around it, becomes what the text needs there: a
    space inside a sentence, a line break after a hyphen (the hyphen step decides), or a
    paragraph break."""
    edits = []
    for m in re.finditer(r"[ \t\n]*\f[ \t\n\f]*", text):
        before = text[: m.start()].rstrip()
        after = text[m.end() : m.end() + 1]
        if not before or m.end() >= len(text):
            joiner = "" if m.end() >= len(text) else ""
        elif before.endswith(("-", "\u2010", "\u00ad")) and after.isalnum():
            joiner = "\n"
        elif not before.endswith(_SENTENCE_END) or after.islower():
            joiner = " "
        else:
            joiner = "\n\n"
        edits.append(Edit(m.start(), m.end(), joiner, "page_break"))
    return edits


def _hyphen_edits(text: str) -> list[Edit]:
    """Rejoin words broken at a line end; keep the hyphen of a compound broken there.

    A soft hyphen shown at a line end is always a break. For a plain hyphen the document is
    its own dictionary: the compound written elsewhere with its hyphen ("cost-sharing") keeps
    it, a word written elsewhere whole ("negotiations") is joined, two halves that are both
    words of the text ("solid", "fuel") keep the hyphen, anything else is joined."""
    edits = [Edit(m.start(), m.end(), "", "hyphen_break") for m in _SOFT_HYPHEN_BREAK.finditer(text)]
    for m in _KEPT_HYPHEN_BREAK.finditer(text):
        edits.append(Edit(m.start() + 1, m.end(), "", "hyphen_break"))
    breaks = []
    for m in _HYPHEN_BREAK.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        word_start = m.start()
        while word_start > line_start and text[word_start - 1].isalpha():
            word_start -= 1
        tail = re.match(r"[a-z]+", text[m.end() :])
        breaks.append((m, text[word_start : m.start()], tail.group(0) if tail else ""))
    vocabulary: Counter[str] = Counter()
    compounds: set[str] = set()
    if breaks:
        for w in _WORD.finditer(text):
            word = w.group(0).lower()
            if "-" in word:
                compounds.add(word)
            vocabulary.update(word.split("-"))
        for _, fragment, rest in breaks:  # the broken halves are not evidence for themselves
            vocabulary[fragment.lower()] -= 1
            vocabulary[rest] -= 1
    for m, fragment, rest in breaks:
        low = fragment.lower()
        keep = (
            # A capitalised syllable before the hyphen is a name part ("Jae-in").
            (fragment[:1].isupper() and len(fragment) <= 8)
            or f"{low}-{rest}" in compounds
            or (vocabulary[low + rest] <= 0 and vocabulary[low] > 0 and vocabulary[rest] > 0 and len(low) > 1)
        )
        if keep:
            edits.append(Edit(m.start() + 1, m.end(), "", "hyphen_break"))
        else:
            edits.append(Edit(m.start(), m.end(), "", "hyphen_break"))
    for m in _NAME_HYPHEN_SPACE.finditer(text):
        space = m.start(2) - 1
        edits.append(Edit(space, space + 1, "", "hyphen_break"))
    return edits


def _spaced_letter_edits(text: str) -> list[Edit]:
    """Close up letter-spaced lines ("C H R O N O L O G Y  O F") and inline runs of 4+ letters."""
    edits = []
    pos = 0
    for line in text.split("\n"):
        words = [w for w in line.strip().split(" ") if w]
        singles = sum(1 for w in words if len(w) == 1)
        if len(words) >= 4 and singles >= 0.8 * len(words):
            i = pos + len(line) - len(line.lstrip())
            end = pos + len(line.rstrip())
            while i < end:
                if line[i - pos] == " ":
                    j = i
                    while j < end and line[j - pos] == " ":
                        j += 1
                    # One space between letters joins them; a wider gap is a word break.
                    edits.append(Edit(i, j if j - i == 1 else j - 1, "", "spaced_letters"))
                    i = j
                else:
                    i += 1
        else:
            for m in _SPACED_LETTERS.finditer(line):
                for k in range(m.start(), m.end()):
                    if line[k] == " ":
                        edits.append(Edit(pos + k, pos + k + 1, "", "spaced_letters"))
        pos += len(line) + 1
    return edits


def _line_wrap_edits(text: str, *, paragraphs_marked: bool = False) -> list[Edit]:
    """Join lines of a wrapped paragraph: a long line that stops mid-sentence continues below.

    With ``paragraphs_marked`` (PDF text, where the extractor put a blank line at every
    paragraph break) every single line break inside a block is a wrap, except before a
    chronology entry (a line opening with a date after one that ends a sentence)."""
    edits = []
    pos = 0
    while True:
        nl = text.find("\n", pos)
        if nl == -1 or nl + 1 >= len(text):
            break
        line = text[pos:nl]
        next_end = text.find("\n", nl + 1)
        next_line = text[nl + 1 : len(text) if next_end == -1 else next_end]
        stripped = line.rstrip()
        # A line opening with a date starts an entry only after a line that ends a sentence.
        entry_next = bool(_ENTRY_START.match(next_line.lstrip())) and stripped.endswith(_SENTENCE_END)
        if paragraphs_marked and stripped and next_line.strip() and not entry_next or (
            stripped
            and next_line.strip()
            and len(stripped) >= 50
            and (not stripped.endswith(_SENTENCE_END) or next_line.lstrip()[:1].islower())
            and not _ENTRY_START.match(next_line.lstrip())
        ):
            edits.append(Edit(nl, nl + 1, " ", "line_wrap"))
        pos = nl + 1
    return edits


def build_reading_text(original: str) -> ReadingText:
    """Take BOM, CR, page headers, hyphen breaks, spaced letters and line wraps out."""
    current = ReadingText(text=original, origin=list(range(len(original))), removed=[])
    basic = []
    if original.startswith("\ufeff"):
        basic.append(Edit(0, 1, "", "bom"))
    basic.extend(Edit(m.start(), m.start() + 1, "", "carriage_return") for m in re.finditer("\r", original))
    # CRs and the BOM are encoding detail, not noise worth listing.
    current = apply_edits(current, basic, record=False)
    # A double high-reversed-9 quote (or a modifier letter) used as the apostrophe by some
    # scraped pages ("DPRK‟s"): the reading flow gets a real one, so possessives are read.
    current = apply_edits(
        current,
        [Edit(m.start(), m.end(), "’", "apostrophe") for m in re.finditer(r"(?<=[A-Za-z])[\u201f\u02bc](?=[A-Za-z])", current.text)],
        record=False,
    )
    # Ligature characters ("ﬁ") read as their letters; a mid-line U+2010 as a hyphen.
    current = apply_edits(
        current,
        [Edit(m.start(), m.end(), _LIGATURES.get(m.group(0), "-"), "ligature") for m in re.finditer(
            "[\ufb00-\ufb06]|\u2010(?![ \t]*\n)", current.text)],
        record=False,
    )
    # Text extracted from a PDF marks every page's end with a form feed.
    paged = _PAGE_BREAK in current.text
    if paged:
        furniture, _ = _page_break_edits(current.text)
        current = apply_edits(current, furniture)
        # The form feeds are whitespace, like wrapped lines: out of the flow, not listed.
        current = apply_edits(current, _page_join_edits(current.text), record=False)
    current = apply_edits(current, _page_header_edits(current.text))
    current = apply_edits(current, _hyphen_edits(current.text))
    current = apply_edits(current, _spaced_letter_edits(current.text))
    # Wrapped lines become spaces: same length, nothing is removed, so not listed as noise.
    current = apply_edits(current, _line_wrap_edits(current.text, paragraphs_marked=paged), record=False)
    return current
