"""Word spaces in the extracted text: one where the page shows a word gap, none inside a word.

PDFium generates most word spaces itself; ``_restore_spaces`` puts back the ones it misses
(a justified line set glyph by glyph, narrow word gaps). These PDFs use the standard fonts,
whose glyphs' ink falls well short of their advance widths (Courier's cells, the side
bearings of "1", "l", "i", "."), so ink gaps must not count as word gaps."""

from __future__ import annotations

import pytest

from pipeline.pdf.extract import _restore_spaces, extract_pages
from tests.pdf.conftest import text_pdf

Run = tuple[float, float, float, str]
SIZE = 10.0
LEADING = 14.0
LINES = [
    "Sept. 12: the 11 ministers met in 2011",
    "illicit fill",
    "left column text",
    "On 1 Jan. 1991 all 111 bills, 1.1 million lit lilies",
    "ill 1l1 i1i Il1 fifty-fifth",
]
# Advance widths per 1000 em (the fonts' AFM files) of the letters these lines use.
_HELVETICA = dict.fromkeys("abdeghnopqu0123456789", 556) | dict.fromkeys("ckvxyz", 500) | {"s": 500}
_HELVETICA |= dict.fromkeys("ijl", 222) | dict.fromkeys("ft .,:", 278) | {"r": 333, "m": 833, "w": 722}
_HELVETICA |= {"-": 333, "S": 667, "O": 778, "J": 500, "T": 611, "I": 278}
_TIMES = dict.fromkeys("abdeghknopquvxy0123456789", 500) | dict.fromkeys("ijlt .,:", 278) | {"s": 389}
_TIMES |= {"c": 444, "e": 444, "f": 333, "r": 333, "z": 444, "m": 778, "w": 722, "-": 333, "S": 556}
_TIMES |= {"O": 722, "J": 389, "T": 611, "I": 333}


def _width(text: str, font: str, size: float = SIZE) -> float:
    if font == "Courier":
        return 600 * len(text) * size / 1000
    table = _HELVETICA if font == "Helvetica" else _TIMES
    return sum(table[c] for c in text) * size / 1000


def _text(lines: list[list[Run]], font: str) -> str:
    (page,) = extract_pages(text_pdf([lines], font=font.encode()))
    return page


def _glyph_by_glyph(line: str, font: str, y: float, word_gap: float, tracking: float = 0.0) -> list[Run]:
    """The line's glyphs each placed on its own (as some typesetters justify), the spaces not
    drawn: ``word_gap`` em between words, ``tracking`` em between letters."""
    runs: list[Run] = []
    x = 72.0
    for n, word in enumerate(line.split(" ")):
        if n:
            x += (word_gap - tracking) * SIZE
        for ch in word:
            runs.append((x, y, SIZE, ch))
            x += _width(ch, font) + tracking * SIZE
    return runs


@pytest.mark.parametrize("font", ["Helvetica", "Courier", "Times-Roman"])
def test_lines_set_in_a_standard_font_come_back_with_their_own_spaces(font: str) -> None:
    """One run per line: PDFium has every space; none is added inside a word, after a digit
    or between narrow letters."""
    lines = [[(72.0, 700 - n * LEADING, SIZE, line)] for n, line in enumerate(LINES)]
    assert _text(lines, font) == "\n".join(LINES) + "\n\f"


@pytest.mark.parametrize("font", ["Helvetica", "Courier", "Times-Roman"])
def test_glyphs_placed_one_by_one_keep_their_words(font: str) -> None:
    """Every glyph its own run, spaces not drawn: words stay whole and every word gap (a
    normal space of the font) becomes one space."""
    space = _width(" ", font) / SIZE
    lines = [_glyph_by_glyph(line, font, 700 - n * LEADING, space) for n, line in enumerate(LINES)]
    assert _text(lines, font) == "\n".join(LINES) + "\n\f"


@pytest.mark.parametrize("font", ["Helvetica", "Times-Roman"])
def test_glyphs_placed_one_by_one_with_narrow_word_gaps_get_their_spaces(font: str) -> None:
    """A tight justified line, glyph by glyph: word gaps of 0.17 em, narrower than a space,
    where PDFium generates no space; the ink gaps after "1", "l", "i" are wider than some."""
    lines = [_glyph_by_glyph(line, font, 700 - n * LEADING, 0.17) for n, line in enumerate(LINES)]
    assert _text(lines, font) == "\n".join(LINES) + "\n\f"


def test_a_justified_line_gets_a_space_in_every_word_gap() -> None:
    """A justified line whose words are set apart one by one with gaps from narrower than a
    space (0.15 em, where PDFium generates none) to a full em; no space characters drawn."""
    words = ["Sept.", "12:", "the", "11", "ministers", "met", "in", "2011", "to", "fill", "illicit", "posts"]
    gaps = [0.15, 0.16, 0.18, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7, 1.0, 0.17]
    runs: list[Run] = []
    x = 72.0
    for word, gap in zip(words, [0.0, *gaps], strict=True):
        x += gap * SIZE
        runs.append((x, 700.0, SIZE, word))
        x += _width(word, "Helvetica")
    assert _text([runs], "Helvetica") == " ".join(words) + "\n\f"


@pytest.mark.parametrize("font", ["Helvetica", "Courier"])
def test_a_letter_spaced_justified_line_gets_spaces_only_between_words(font: str) -> None:
    """Tracking widens every gap of the line alike: only gaps wider than the line's own
    letter gap are word gaps."""
    line = "Sept. 12: the 11 ministers met in 2011"
    runs = _glyph_by_glyph(line, font, 700.0, word_gap=0.3, tracking=0.06)
    assert _text([runs], font) == line + "\n\f"


def test_restore_spaces_reads_advances_not_ink() -> None:
    """Cells are (origin, origin + advance): a glyph's ink may be far narrower (a "1" in a
    6-point cell), but only a gap between advances counts."""
    chars, members = list("ab’cd"), list(range(5))
    # a b ’ back to back, then 3 points (half a median advance) before "cd"
    _restore_spaces(chars, members, [(0, 6), (6, 12), (12, 14), (17, 23), (23, 29)])
    assert "".join(chars) == "ab’ cd" and members == [0, 1, 2, 2, 3, 4]
    tight = list("1211")
    _restore_spaces(tight, list(range(4)), [(0, 6), (6, 12), (12.3, 18), (18, 24)])
    assert "".join(tight) == "1211"
    spaced = list("ab-cd")  # a gap next to a hyphen is no word gap
    _restore_spaces(spaced, list(range(5)), [(0, 6), (6, 12), (15, 18), (21, 27), (27, 33)])
    assert "".join(spaced) == "ab-cd"
