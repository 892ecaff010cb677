"""PDF text extraction: reading order, paragraphs, page furniture, hyphens, ligatures, and a
coded error for every kind of bad PDF."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.pdf.extract import extract_pages
from pipeline.reading import build_reading_text
from tests.conftest import CORPUS_DIR
from tests.pdf.conftest import BLANK_PAGE, CATALOG, ONE_PAGE_TREE, build_pdf
from tests.pdf_layout import parse_web_article


def _squash(text: str) -> str:
    return " ".join(text.split())


def _reading_lines(text: str) -> list[str]:
    return [_squash(line) for line in build_reading_text(text).text.split("\n") if line.strip()]


def test_pages_end_with_a_form_feed_and_keep_their_order(seed_pdf: Path) -> None:
    pages = extract_pages(seed_pdf.read_bytes())
    assert len(pages) == 8 and all(page.endswith("\f") and page.count("\f") == 1 for page in pages)
    assert pages[0].startswith("JAPAN-KOREA RELATIONS\n")
    assert pages[-1].rstrip("\f").rstrip().endswith("128")  # the footer comes last on its page
    assert pages[1].startswith("JAPAN-KOREA RELATIONS | JANUARY 2020\n")  # the header first


def test_two_columns_are_read_paragraph_by_paragraph(two_column_pdf: Path) -> None:
    """Every paragraph, heading, caption and entry of the source comes back whole, as one line
    of the reading text: columns in order, wrapped lines and soft hyphens joined, ligatures
    read as letters, paragraphs apart."""
    pages = extract_pages(two_column_pdf.read_bytes())
    text = "".join(pages)
    print(text[:3000])  # the extracted text as read (pytest -s)
    assert "\u2010" in text and "\ufb01" not in text  # shown soft hyphens; PDFium split the ligatures
    lines = _reading_lines(text)
    source = parse_web_article((CORPUS_DIR / "articles" / "us-china-2023-3.txt").read_text(encoding="utf-8"))
    wanted = [t for _, t in source.blocks] + [f"{d} {t}" for d, t in source.entries]
    missing = [w for w in wanted if _squash(w) not in lines]
    assert missing == []
    order = [lines.index(_squash(w)) for w in wanted]
    assert order == sorted(order)


def test_running_headers_and_page_numbers_leave_the_reading_flow(two_column_pdf: Path) -> None:
    text = "".join(extract_pages(two_column_pdf.read_bytes()))
    reading = build_reading_text(text)
    assert "| JANUARY 2024" in text and "| JANUARY 2024" not in reading.text
    assert not re.search(r"^\s*2[1-9]\s*$", reading.text, re.MULTILINE)
    kinds = {kind for _, _, kind in reading.removed}
    assert {"page_header", "page_number", "hyphen_break"} <= kinds
    for start, end, kind in reading.removed:
        if kind == "page_header":
            assert text[start:end].strip() == "US-CHINA RELATIONS | JANUARY 2024"
        elif kind == "page_number":
            assert text[start:end].strip().isdigit()
    assert "\f" not in reading.text


def test_a_hyphenated_compound_broken_at_a_line_end_keeps_its_hyphen() -> None:
    text = "The solid-fuel test was the first.\nA second solid-\nfuel missile and new nego-\ntiations followed.\n\f"
    reading = build_reading_text(text).text
    assert "second solid-fuel missile" in reading and "new negotiations followed" in reading


def test_hyphen_after_a_number_and_before_a_capital_stays() -> None:
    reading = build_reading_text("a 60-\nperson delegation of the Japan-\nKorea forum\n\f").text
    assert "a 60-person delegation of the Japan-Korea forum" in reading


def test_ligature_characters_read_as_letters_and_map_back() -> None:
    text = "The oﬃcial ﬁled a brief.\n"
    reading = build_reading_text(text)
    assert reading.text == "The official filed a brief.\n"
    start = reading.text.index("filed")
    span = reading.offset_map().span(start, start + len("filed"))
    assert text[span[0] : span[1]] == "ﬁled"


def test_paragraph_continued_on_the_next_page_is_joined() -> None:
    text = "The talks went on into the\n121\n\fJAPAN-KOREA RELATIONS | JANUARY 2020\nnight without result.\n\nNext.\n122\n\f"
    assert _reading_lines(text) == ["The talks went on into the night without result.", "Next."]


# ---------------------------------------------------------------------------------------
# Bad PDFs


def _code(data: bytes, **limits: int) -> str:
    with pytest.raises(PipelineError) as caught:
        extract_pages(data, **limits)
    return caught.value.code


def test_encrypted_pdf_is_E010() -> None:
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"
    data = build_pdf([CATALOG, ONE_PAGE_TREE, BLANK_PAGE, encrypt], b"/Encrypt 4 0 R /ID [<" + b"33" * 16 + b"> <" + b"33" * 16 + b">] ")
    assert _code(data) == "E010"


def test_scanned_pdf_without_text_layer_is_E011_and_says_OCR() -> None:
    pixels = zlib.compress(bytes([128]) * 64 * 64)
    image = b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream"
    content = b"q 612 0 0 792 0 0 cm /Im1 Do Q"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>"
    stream = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    data = build_pdf([CATALOG, ONE_PAGE_TREE, page, image, stream])
    with pytest.raises(PipelineError) as caught:
        extract_pages(data)
    assert caught.value.code == "E011" and "OCR" in caught.value.message


def test_truncated_pdf_is_E012(seed_pdf: Path) -> None:
    data = seed_pdf.read_bytes()
    assert _code(data[: len(data) // 2]) == "E012"


def test_corrupt_pdf_is_E012() -> None:
    assert _code(b"%PDF-1.4\n1 0 obj << broken\n%%EOF\n") == "E012"
    assert _code(b"GIF89a not a pdf %%EOF") == "E012"


def test_pdf_with_no_pages_is_E013() -> None:
    assert _code(build_pdf([CATALOG, b"<< /Type /Pages /Kids [] /Count 0 >>"])) == "E013"


def test_enormous_pdf_is_E005(seed_pdf: Path) -> None:
    data = seed_pdf.read_bytes()
    assert _code(data, max_bytes=len(data) - 1) == "E005"
    assert _code(data, max_pages=5) == "E005"


def test_a_word_space_missing_from_the_text_layer_is_put_back() -> None:
    from pipeline.pdf.extract import _restore_spaces

    chars = list("ab’cd")
    # the glyphs' advances (origin, origin + advance): a b ’ back to back, then a gap of
    # half a letter's advance before "cd"
    cells = [(0, 5), (5, 10), (10, 12), (14.5, 19.5), (19.5, 24.5)]
    members = list(range(5))
    _restore_spaces(chars, members, cells)
    assert "".join(chars) == "ab’ cd"
    tight = list("abcd")
    _restore_spaces(tight, list(range(4)), [(0, 5), (5, 10), (10.5, 15), (15, 20)])
    assert "".join(tight) == "abcd"
