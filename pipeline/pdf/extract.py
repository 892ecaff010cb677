"""A PDF's text, page by page, with the line and paragraph breaks its geometry shows.

PDFium (through pypdfium2, see docs/pdf.md) returns each page's characters in drawing order
with generated line breaks. This module adds what the reading layer needs and PDFium does
not give: a blank line where the page shows a paragraph break (a larger gap between lines or
a change of type size), running headers and footers moved to the top and bottom of the page's
text (Chromium and some typesetters draw them last), and PDFium's marker for a hyphen at a
line end (U+FFFE) turned back into the hyphen and the line break it stands for, and the body
read column by column where the page sets it in two or more columns, whatever order the PDF
draws the lines in (see ``_reading_order``). Every page's
text ends with a form feed, as ``pdftotext`` writes it, so the reading layer knows where the
pages are.
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field

from pipeline.errors import PipelineError

PAGE_BREAK = "\f"
DEFAULT_MAX_PDF_BYTES = 200_000_000  # a whole issue with photos is 5-30 MB
DEFAULT_MAX_PDF_PAGES = 2_000
# Fewer visible characters than this per page on average: no text layer (a scan).
_MIN_TEXT_CHARS = 20
_EDGE_BAND = 0.075  # share of the page height that counts as its top or bottom margin
# A gap between two glyphs of one PDFium line wider than this many letter heights (about
# 0.9 em; a word space is 0.25-0.5 em) may be a column gutter: PDFium joins the lines of two
# columns that share a baseline into one.
_PIECE_GAP = 1.5
# Columns: the gutter is at least this share of the body's median line height wide, each
# column is at least this share of the lines' width and the narrower one at least this share
# of the wider; some band shows at least this many lines on each side of the gutter; and
# no more lines cross the gutter than stand beside it (a page of text with a few aligned
# word gaps, a "river", is not two columns).
_MIN_GUTTER = 0.6
_MIN_COLUMN_SHARE = 0.2
_MIN_COLUMN_RATIO = 0.4
_MIN_COLUMN_LINES = 3
_MAX_COLUMN_DEPTH = 4  # columns inside columns: enough for four
# A word space PDFium did not generate: a gap between two glyphs' advances wider than this
# share of the line's median advance width, beyond the line's usual gap between glyphs. A
# word space is 0.4-1 of the median advance (Times, Helvetica: about 0.5; Courier: 1); the
# widest gap between two letters of a word on the seed and corpus prints is 0.08 of it.
_SPACE_GAP = 0.25


_EMPTY_PAGE_TREE = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+0\b|/Count\s+0\b[^>]*?/Type\s*/Pages\b")
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page\b(?!s)")


@dataclass(frozen=True)
class Piece:
    """A stretch of a line between wide gaps: ``text[start:end]`` of its line, and its box."""

    start: int
    end: int
    left: float
    bottom: float
    right: float
    top: float


@dataclass(frozen=True)
class PdfLine:
    text: str
    left: float
    bottom: float
    right: float
    top: float
    size: float
    # Set when the line has gaps wide enough to be a column gutter (two or more pieces).
    pieces: tuple[Piece, ...] = field(default=(), compare=False, repr=False)


def _error(code: str, message: str) -> PipelineError:
    return PipelineError(code, message)


def open_pdf(data: bytes, max_bytes: int = DEFAULT_MAX_PDF_BYTES, max_pages: int = DEFAULT_MAX_PDF_PAGES):
    """The opened document, or a coded error: E005 too large, E010 encrypted, E012 not a PDF,
    corrupt or truncated, E013 no pages."""
    import pypdfium2 as pdfium

    if len(data) > max_bytes:
        raise _error("E005", f"the PDF is too large ({len(data):,} bytes; the limit is {max_bytes:,})")
    if not data.strip():
        raise _error("E001", "the file is empty")
    if not data.lstrip()[:5] == b"%PDF-":
        raise _error("E012", "the file is not a PDF (no %PDF- signature at its start)")
    if b"%%EOF" not in data[-2048:]:
        raise _error("E012", "the PDF looks truncated: it has no end-of-file marker (%%EOF)")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if _EMPTY_PAGE_TREE.search(data) and not _PAGE_OBJECT.search(data):
            # PDFium refuses a document whose page tree is empty without setting an error
            # code (the code it reports then is left over from an earlier failure).
            raise _error("E013", "the PDF has no pages") from exc
        if code == 4:  # FPDF_ERR_PASSWORD
            raise _error("E010", "the PDF is encrypted (password protected); give an unprotected copy") from exc
        if code == 5:  # FPDF_ERR_SECURITY
            raise _error("E010", "the PDF uses an unsupported security handler (encrypted)") from exc
        raise _error("E012", f"the PDF is corrupt and cannot be opened ({exc})") from exc
    pages = len(pdf)
    if pages == 0:
        pdf.close()
        raise _error("E013", "the PDF has no pages")
    if pages > max_pages:
        pdf.close()
        raise _error("E005", f"the PDF has too many pages ({pages:,}; the limit is {max_pages:,})")
    return pdf


def _page_lines(page) -> tuple[list[PdfLine], float]:
    """The page's lines in drawing order, with boxes (PDF units, y upwards); and its height."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        boxes = [textpage.get_charbox(i) for i in range(count)] if len(text) == count else None
        sizes = [raw.FPDFText_GetFontSize(textpage, i) for i in range(count)] if boxes else None
        cells = _cells(raw, textpage, boxes) if boxes else None
    finally:
        textpage.close()
    height = page.get_height()
    lines: list[PdfLine] = []
    chars: list[str] = []
    members: list[int] = []

    def flush() -> None:
        if cells is not None:
            _restore_spaces(chars, members, cells)
        line = "".join(chars).rstrip()
        if line.strip():
            if boxes is not None and sizes is not None and members:
                inked = [i for i in members if not text[i].isspace()] or members
                lefts, bottoms, rights, tops = zip(*(boxes[i] for i in inked), strict=True)
                size = statistics.median(sizes[i] for i in inked)
                pieces = _pieces(chars, members, boxes, len(line))
                lines.append(PdfLine(line, min(lefts), min(bottoms), max(rights), max(tops), size, pieces))
            else:
                lines.append(PdfLine(line, 0.0, 0.0, 0.0, 0.0, 0.0))
        chars.clear()
        members.clear()

    for i, ch in enumerate(text):
        if ch == "\r":
            continue
        if ch == "\n":
            flush()
        elif ch == "\ufffe":  # a hyphen PDFium found at a line end, the break dropped
            chars.append("-")
            members.append(i)
            flush()
        elif ch == "\x00":
            continue
        else:
            chars.append(ch)
            members.append(i)
    flush()
    return lines, height


def _cells(raw, textpage, boxes: list[tuple[float, float, float, float]]) -> list[tuple[float, float]]:
    """Where each glyph's advance starts and ends on the page (x): its origin, and the origin
    plus its advance width (PDFium's loose box); the ink box where PDFium has none."""
    rect = raw.FS_RECTF()
    cells = []
    for i, box in enumerate(boxes):
        if raw.FPDFText_GetLooseCharBox(textpage, i, rect) and rect.right >= rect.left:
            cells.append((rect.left, rect.right))
        else:
            cells.append((box[0], box[2]))
    return cells


def _restore_spaces(chars: list[str], members: list[int], cells: list[tuple[float, float]]) -> None:
    """Put back a word space PDFium did not generate (justified lines, glyphs placed one by
    one): between two glyphs of a line with no space between them, where the next glyph's
    advance starts more than ``_SPACE_GAP`` of the line's median advance width after the
    previous one's ends, beyond the line's usual gap between glyphs (its letter spacing).

    Advances, not ink boxes: the ink of a glyph does not fill its advance (side bearings),
    least of all in a monospaced font or for narrow glyphs ("1", "l", "."), so gaps between
    ink boxes are no measure of a word space."""
    inked = [k for k, ch in enumerate(chars) if not ch.isspace()]
    widths = [cells[members[k]][1] - cells[members[k]][0] for k in inked]
    widths = [w for w in widths if w > 0]
    if len(widths) < 2:
        return
    threshold = _SPACE_GAP * statistics.median(widths)
    pairs = [(j, k) for j, k in zip(inked, inked[1:], strict=False) if k == j + 1]
    gaps = [cells[members[k]][0] - cells[members[j]][1] for j, k in pairs]
    # Letter spacing (tracking) widens every gap of the line alike; a line of one or two
    # gaps has no usual gap to go by.
    usual = statistics.median(gaps) if len(gaps) >= 3 else 0.0
    wide = [k for (j, k), gap in zip(pairs, gaps, strict=True) if gap - usual > threshold and "-" not in (chars[j], chars[k])]
    for k in reversed(wide):
        chars.insert(k, " ")
        members.insert(k, members[k - 1])


def _pieces(
    chars: list[str], members: list[int], boxes: list[tuple[float, float, float, float]], length: int
) -> tuple[Piece, ...]:
    """The line cut at every gap between two glyphs wider than ``_PIECE_GAP`` letter heights
    (nothing when there is no such gap): the pieces the column split may part."""
    inked = [k for k in range(length) if not chars[k].isspace()]
    heights = [boxes[members[k]][3] - boxes[members[k]][1] for k in inked if chars[k].isalpha()]
    if len(inked) < 2 or not heights:
        return ()
    threshold = _PIECE_GAP * statistics.median(heights)
    cuts = [
        n for n in range(1, len(inked))
        if boxes[members[inked[n]]][0] - boxes[members[inked[n - 1]]][2] > threshold
    ]  # fmt: skip
    if not cuts:
        return ()
    pieces = []
    for first, stop in zip([0, *cuts], [*cuts, len(inked)], strict=True):
        ks = inked[first:stop]
        own = [boxes[members[k]] for k in ks]
        start = 0 if first == 0 else ks[0]
        end = length if stop == len(inked) else ks[-1] + 1
        pieces.append(
            Piece(start, end, min(b[0] for b in own), min(b[1] for b in own), max(b[2] for b in own), max(b[3] for b in own))
        )
    return tuple(pieces)


@dataclass(frozen=True)
class _Unit:
    """What the column split places: pieces ``first``..``stop`` of body line ``line``."""

    line: int
    first: int
    stop: int
    left: float
    bottom: float
    right: float
    top: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def _merged(units: list[_Unit]) -> _Unit:
    return _Unit(
        units[0].line, min(u.first for u in units), max(u.stop for u in units), min(u.left for u in units),
        min(u.bottom for u in units), max(u.right for u in units), max(u.top for u in units),
    )


def _column_split(units: list[_Unit], min_gutter: float) -> tuple[list[_Unit], list[_Unit], list[_Unit]] | None:
    """(units left of a vertical gutter, units right of it, units across it), or None when
    the units show no columns.

    A gutter is an x-interval at least ``min_gutter`` wide that the fewest units cross, with
    whole units on both sides. A line with a piece across it is across it whole. It is a
    column gutter when the units on each side are wide enough, alike enough in width, and
    stand side by side, at least ``_MIN_COLUMN_LINES`` lines on each side, in one band
    between the lines across it, and when no more lines cross it than stand beside it.
    Candidates come from one sweep over the units' sorted ends (n log n); at most eight,
    fewest crossings first, are checked."""
    n = len(units)
    if n < 2 * _MIN_COLUMN_LINES:
        return None
    lefts = sorted(u.left for u in units)
    rights = sorted(u.right for u in units)
    xs = sorted({*lefts, *rights})
    candidates: dict[tuple[float, float], int] = {}
    for a, b in zip(xs, xs[1:], strict=False):
        wholly_left = bisect_right(rights, a)
        wholly_right = n - bisect_left(lefts, b)
        if wholly_left < _MIN_COLUMN_LINES or wholly_right < _MIN_COLUMN_LINES:
            continue
        g0, g1 = rights[wholly_left - 1], lefts[n - wholly_right]
        if g1 - g0 >= min_gutter:
            crossing = n - wholly_left - wholly_right
            candidates[(g0, g1)] = min(crossing, candidates.get((g0, g1), n))
    extent = rights[-1] - lefts[0]
    ranked = sorted(candidates, key=lambda gap: (candidates[gap], gap[0] - gap[1]))
    for g0, g1 in ranked[:8]:
        across_lines = {u.line for u in units if u.right > g0 and u.left < g1}
        left = [u for u in units if u.right <= g0 and u.line not in across_lines]
        right = [u for u in units if u.left >= g1 and u.line not in across_lines]
        if not left or not right:
            continue
        widths = (max(u.right for u in left) - min(u.left for u in left), max(u.right for u in right) - min(u.left for u in right))
        if min(widths) < _MIN_COLUMN_SHARE * extent or min(widths) < _MIN_COLUMN_RATIO * max(widths):
            continue
        if len(across_lines) > len({u.line for u in left}) + len({u.line for u in right}):
            continue
        across = _lines_whole([u for u in units if u.line in across_lines])
        if any(_side_by_side(lb, rb) for lb, rb in zip(_bands(left, across), _bands(right, across), strict=True)):
            return left, right, across
    return None


def _lines_whole(units: list[_Unit]) -> list[_Unit]:
    """One unit per line (its pieces joined), top of the page first."""
    by_line: dict[int, list[_Unit]] = {}
    for u in units:
        by_line.setdefault(u.line, []).append(u)
    return sorted((_merged(group) for group in by_line.values()), key=lambda u: -u.middle)


def _bands(units: list[_Unit], across: list[_Unit]) -> list[list[_Unit]]:
    """The units between consecutive lines across the gutter (``across`` top first): one list
    per band, len(across) + 1 of them."""
    marks = [-u.middle for u in across]
    bands: list[list[_Unit]] = [[] for _ in range(len(across) + 1)]
    for u in units:
        bands[bisect_left(marks, -u.middle)].append(u)
    return bands


def _side_by_side(left: list[_Unit], right: list[_Unit]) -> bool:
    if len({u.line for u in left}) < _MIN_COLUMN_LINES or len({u.line for u in right}) < _MIN_COLUMN_LINES:
        return False
    return min(u.bottom for u in left) < max(u.top for u in right) and min(u.bottom for u in right) < max(u.top for u in left)


def _top_down(units: list[_Unit]) -> list[_Unit]:
    """Rows from the top of the page down (a unit whose middle lies within the row's first
    unit's height joins its row), each row left to right."""
    out: list[_Unit] = []
    row: list[_Unit] = []
    for u in sorted(units, key=lambda u: -u.top):
        if row and not (row[0].bottom < u.middle < row[0].top):
            out.extend(sorted(row, key=lambda r: r.left))
            row = []
        row.append(u)
    out.extend(sorted(row, key=lambda r: r.left))
    return out


def _columns_first(units: list[_Unit], min_gutter: float, depth: int) -> list[_Unit] | None:
    """The units in reading order when they stand in columns, else None: band by band (the
    bands the lines across the gutter make), the left side before the right, each side in
    turn read by its own columns or top down; each line across the gutter after its band."""
    split = _column_split(units, min_gutter) if depth < _MAX_COLUMN_DEPTH else None
    if split is None:
        return None
    left, right, across = split
    out: list[_Unit] = []
    for k, (lb, rb) in enumerate(zip(_bands(left, across), _bands(right, across), strict=True)):
        for side in (lb, rb):
            out.extend(_columns_first(side, min_gutter, depth + 1) or _top_down(side))
        if k < len(across):
            out.append(across[k])
    return out


def _reading_order(body: list[PdfLine]) -> list[PdfLine]:
    """The body lines read column by column where the page sets them in columns.

    Typesetters (InDesign, Word) often draw a two-column page line by line across both
    columns, and PDFium then joins the two lines on one baseline into one line; its pieces
    (cut at wide gaps) are what the split places. A page without columns keeps the drawing
    order untouched (Chromium draws one column and then the next, headers last)."""
    if len(body) < 2 * _MIN_COLUMN_LINES or any(not line.size for line in body):
        return body
    units: list[_Unit] = []
    for index, line in enumerate(body):
        if line.pieces:
            units.extend(
                _Unit(index, k, k + 1, p.left, p.bottom, p.right, p.top) for k, p in enumerate(line.pieces)
            )
        else:
            units.append(_Unit(index, 0, 1, line.left, line.bottom, line.right, line.top))
    min_gutter = _MIN_GUTTER * statistics.median(line.top - line.bottom for line in body)
    ordered = _columns_first(units, min_gutter, 0)
    if ordered is None:
        return body
    out: list[PdfLine] = []
    run: list[_Unit] = []

    def emit() -> None:
        line = body[run[0].line]
        if run[0].first == 0 and run[-1].stop == max(len(line.pieces), 1):
            out.append(line)
            return
        whole = _merged(run)
        start, end = line.pieces[whole.first].start, line.pieces[whole.stop - 1].end
        pieces = tuple(
            Piece(p.start - start, p.end - start, p.left, p.bottom, p.right, p.top)
            for p in line.pieces[whole.first : whole.stop]
        )
        text = line.text[start:end].rstrip()
        out.append(PdfLine(text, whole.left, whole.bottom, whole.right, whole.top, line.size, pieces))

    for u in ordered:
        if run and (u.line != run[-1].line or u.first != run[-1].stop):
            emit()
            run = []
        run.append(u)
    if run:
        emit()
    return out


def _ordered(lines: list[PdfLine], height: float) -> tuple[list[PdfLine], list[PdfLine], list[PdfLine]]:
    """(lines in the top margin, body lines, lines in the bottom margin)."""
    if not height or not any(line.top for line in lines):
        return [], lines, []
    top = [ln for ln in lines if ln.bottom > height * (1 - _EDGE_BAND)]
    bottom = [ln for ln in lines if ln.top < height * _EDGE_BAND]
    body = [ln for ln in lines if height * _EDGE_BAND <= ln.top and ln.bottom <= height * (1 - _EDGE_BAND)]
    body = _reading_order(body)
    top.sort(key=lambda ln: -ln.top)
    bottom.sort(key=lambda ln: -ln.top)
    return top, body, bottom


def _breaks(body: list[PdfLine]) -> list[str]:
    """The separator after each body line: a blank line where a paragraph ends, else "\\n"."""
    if not body:
        return []
    gaps = []
    for a, b in zip(body, body[1:], strict=False):
        gap = a.bottom - b.top
        if gap >= -0.5 * a.size and abs(a.size - b.size) < 0.5:
            gaps.append(gap)
    # Lines of one paragraph are the closest pair on a page; a low quantile finds that
    # spacing even on a page of one-line chronology entries.
    usual = sorted(gaps)[len(gaps) // 5] if gaps else 0.0
    # The right edge of each column (lines that start at the same x): a line that stops well
    # short of it and ends a sentence ends its paragraph, also where the next one starts a
    # new column.
    # (the most common right end among the lines that start there: full-width lines of a
    # header box above a column do not widen the column).
    rights: dict[int, Counter[int]] = {}
    for line in body:
        rights.setdefault(round(line.left / 4), Counter())[round(line.right / 4)] += 1
    edge = {key: 4.0 * counts.most_common(1)[0][0] for key, counts in rights.items()}
    seps = []
    for a, b in zip(body, body[1:], strict=False):
        if not a.size and not b.size:  # no geometry: keep PDFium's line breaks only
            seps.append("\n")
            continue
        gap = a.bottom - b.top
        column_right = edge.get(round(a.left / 4), a.right)
        short = a.right < column_right - 0.15 * max(column_right - a.left, 0.0) and a.text.rstrip().endswith(
            (".", "!", "?", "”", '"', ":")
        )
        if abs(a.size - b.size) >= 0.5 or short:
            seps.append("\n\n")
        elif b.top > a.top + a.size:  # back up the page: the next column or frame
            seps.append("\n")
        elif gap > usual + 0.35 * a.size:
            seps.append("\n\n")
        else:
            seps.append("\n")
    seps.append("\n")
    return seps


def page_text(page) -> str:
    """One page as text: margin lines first and last, paragraphs apart, a form feed at the end."""
    lines, height = _page_lines(page)
    top, body, bottom = _ordered(lines, height)
    parts = [ln.text + "\n" for ln in top]
    for line, sep in zip(body, _breaks(body), strict=True):
        parts.append(line.text + sep)
    parts.extend(ln.text + "\n" for ln in bottom)
    return "".join(parts) + PAGE_BREAK


def extract_pages(data: bytes, max_bytes: int = DEFAULT_MAX_PDF_BYTES, max_pages: int = DEFAULT_MAX_PDF_PAGES) -> list[str]:
    """Each page's text (see ``page_text``), or a coded error; E011 when no page has a text layer."""
    import pypdfium2 as pdfium

    pdf = open_pdf(data, max_bytes, max_pages)
    try:
        pages = []
        for index in range(len(pdf)):
            try:
                page = pdf[index]
            except pdfium.PdfiumError as exc:
                raise _error("E012", f"page {index + 1} of the PDF is corrupt and cannot be read ({exc})") from exc
            try:
                pages.append(page_text(page))
            finally:
                page.close()
    finally:
        pdf.close()
    visible = sum(len("".join(p.split())) for p in pages)
    if visible < _MIN_TEXT_CHARS * len(pages):
        raise _error(
            "E011",
            f"the PDF has no text layer ({len(pages)} page(s), {visible} characters of text); "
            "it looks scanned and needs OCR first",
        )
    return pages
