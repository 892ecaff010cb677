"""Journal-style PDFs printed once per test session (Chromium through Playwright), and small
hand-built PDFs for the ways a PDF can be bad."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import require_chromium
from tests.conftest import CORPUS_DIR
from tests.pdf_layout import article_pdf, issue_pdf

ISSUE_ARTICLES = ("us-japan-2024-1.txt", "us-china-2023-3.txt", "china-korea-2023-3.txt")


def _require_chromium() -> None:
    require_chromium("PDF tests that print PDFs")


@pytest.fixture(scope="session")
def seed_pdf(seed_text: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed article as the journal prints it: pages 121-128, one column."""
    _require_chromium()
    return article_pdf(seed_text, tmp_path_factory.mktemp("seedpdf") / "seed.pdf", first_number=121)


@pytest.fixture(scope="session")
def two_column_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus article in two columns, soft hyphens in long words, ligature characters."""
    _require_chromium()
    text = (CORPUS_DIR / "articles" / "us-china-2023-3.txt").read_text(encoding="utf-8")
    return article_pdf(
        text, tmp_path_factory.mktemp("twocol") / "us-china.pdf", first_number=21, columns=2,
        hyphenate=True, ligatures=True,
    )


@pytest.fixture(scope="session")
def issue_pdf_path(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, int, int]]]:
    """A three-article issue (Vol. 26, No. 1, May 2024): cover, contents, then the articles."""
    _require_chromium()
    texts = [(CORPUS_DIR / "articles" / name).read_text(encoding="utf-8") for name in ISSUE_ARTICLES]
    target = tmp_path_factory.mktemp("issue") / "cc-26-1.pdf"
    spans = issue_pdf(texts, target, volume=26, number=1, month="May 2024", first_number=1)
    return target, spans


def build_pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A minimal PDF from object bodies (object 1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer_extra
    out += b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
ONE_PAGE_TREE = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
BLANK_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"


def text_pdf(pages: list[list[list[tuple[float, float, float, str]]]], font: bytes = b"Helvetica") -> bytes:
    """A PDF of pages of text runs, drawn in the order given: each page is a list of text
    objects (one BT ... ET each), each a list of (x, y, size, text) runs placed with Tm, so a
    typesetter's habit of drawing a two-column page line by line across both columns can be
    reproduced exactly. Letter size, one standard 14 font (no embedding needed)."""
    count = len(pages)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * k) for k in range(count))
    objects = [CATALOG, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count)]
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /" + font + b" /Encoding /WinAnsiEncoding >>")
    for k, page in enumerate(pages):
        ops = []
        for runs in page:
            body = b" ".join(
                b"/F1 %g Tf 1 0 0 1 %g %g Tm (%s) Tj" % (size, x, y, _pdf_string(text)) for x, y, size, text in runs
            )
            ops.append(b"BT " + body + b" ET")
        content = b"\n".join(ops)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (5 + 2 * k)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    return build_pdf(objects)


def _pdf_string(text: str) -> bytes:
    return text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
