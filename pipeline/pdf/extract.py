"""A PDF's text, page by page, with the line and paragraph breaks its geometry shows.

PDFium (through pypdfium2, see docs/pdf.md) returns each page's characters in drawing order
with generated line breaks. This module adds what the reading layer needs and PDFium does
not give: a blank line where the page shows a paragraph break (a larger gap between lines or
a change of type size), running headers and footers moved to the top and bottom of the page's
text (Chromium and some typesetters draw them last), and PDFium's marker for a hyphen at a
line end (U+FFFE) turned back into the hyphen and the line break it stands for. Every page's
text ends with a form feed, as ``pdftotext`` writes it, so the reading layer knows where the
pages are.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from pipeline.errors import PipelineError

PAGE_BREAK = "\f"
DEFAULT_MAX_PDF_BYTES = 200_000_000  # a whole issue with photos is 5-30 MB
DEFAULT_MAX_PDF_PAGES = 2_000
# Fewer visible characters than this per page on average: no text layer (a scan).
_MIN_TEXT_CHARS = 20
_EDGE_BAND = 0.075  # share of the page height that counts as its top or bottom margin


_EMPTY_PAGE_TREE = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+0\b|/Count\s+0\b[^>]*?/Type\s*/Pages\b")
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page\b(?!s)")


@dataclass(frozen=True)
class PdfLine:
    text: str
    left: float
    bottom: float
    right: float
    top: float
    size: float


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
    finally:
        textpage.close()
    height = page.get_height()
    lines: list[PdfLine] = []
    chars: list[str] = []
    members: list[int] = []

    def flush() -> None:
        if boxes is not None:
            _restore_spaces(chars, members, boxes)
        line = "".join(chars).rstrip()
        if line.strip():
            if boxes is not None and sizes is not None and members:
                inked = [i for i in members if not text[i].isspace()] or members
                lefts, bottoms, rights, tops = zip(*(boxes[i] for i in inked), strict=True)
                size = statistics.median(sizes[i] for i in inked)
                lines.append(PdfLine(line, min(lefts), min(bottoms), max(rights), max(tops), size))
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


def _restore_spaces(chars: list[str], members: list[int], boxes: list[tuple[float, float, float, float]]) -> None:
    """Put back a word space PDFium did not generate: a gap between two letters of a line
    wider than a third of the line's letter height, with no space between them (justified
    lines, glyphs placed one by one)."""
    heights = [boxes[i][3] - boxes[i][1] for i, ch in zip(members, chars, strict=True) if ch.isalpha()]
    if len(heights) < 2:
        return
    threshold = statistics.median(heights) / 3
    k = 1
    while k < len(chars):
        a, b = chars[k - 1], chars[k]
        if not a.isspace() and not b.isspace() and b != "-" and a != "-":
            gap = boxes[members[k]][0] - boxes[members[k - 1]][2]
            if gap > threshold:
                chars.insert(k, " ")
                members.insert(k, members[k - 1])
                k += 1
        k += 1


def _ordered(lines: list[PdfLine], height: float) -> tuple[list[PdfLine], list[PdfLine], list[PdfLine]]:
    """(lines in the top margin, body lines, lines in the bottom margin)."""
    if not height or not any(line.top for line in lines):
        return [], lines, []
    top = [ln for ln in lines if ln.bottom > height * (1 - _EDGE_BAND)]
    bottom = [ln for ln in lines if ln.top < height * _EDGE_BAND]
    body = [ln for ln in lines if height * _EDGE_BAND <= ln.top and ln.bottom <= height * (1 - _EDGE_BAND)]
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
