"""Columns read in geometric order, whatever order the PDF draws its lines in.

Typesetters (InDesign, Word) often draw a two-column page line by line across both columns;
PDFium then returns the two lines on one baseline as one line ("In July the manager Sales
fell by"). These hand-made PDFs draw their columns that way, and in other orders, and the
text must come back column by column, the full-width lines where they stand."""

from __future__ import annotations

import random

import pytest

from pipeline.pdf.extract import extract_pages
from pipeline.reading import build_reading_text
from tests.pdf.conftest import text_pdf

Run = tuple[float, float, float, str]
HEADER = "JAPAN-KOREA RELATIONS | JANUARY 2020"
TITLE = "A TITLE THAT SPANS BOTH COLUMNS OF THIS PAGE"
HEADING = "A HEADING ACROSS BOTH COLUMNS IN THE MIDDLE"
SIZE = 10.0
LEADING = 13.0
GUTTER = 12.0  # a tight InDesign gutter (1p0)
# Helvetica's advance widths (per 1000 em) for the letters these pages use: the column
# edges, and so the gutter, are exact.
_WIDTHS = dict.fromkeys("abdeghnopqu0123456789", 556) | dict.fromkeys("ckrsvxyz", 500)
_WIDTHS |= dict.fromkeys("fijlt .,:", 278) | {"r": 333, "m": 833, "w": 722, "S": 667, "O": 778}


def _sentences(band: str, column: str, count: int = 4) -> list[str]:
    return [f"Sentence {n} of the {column} column in the {band} band ends here." for n in range(1, count + 1)]


def _width(text: str, size: float = SIZE) -> float:
    return sum(_WIDTHS[c] for c in text) * size / 1000


def _column_lines(sentences: list[str], width: float) -> list[str]:
    """The sentences set ragged right in a column ``width`` wide."""
    lines: list[str] = []
    for word in " ".join(sentences).split():
        if lines and _width(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _band(
    columns: list[list[str]], xs: list[float], top: float, order: str, rng: random.Random
) -> tuple[list[list[Run]], float]:
    """A band of columns as text objects in the given drawing order, and the y below it."""
    rows = max(len(c) for c in columns)
    runs = [
        [(x, top - r * LEADING, SIZE, lines[r]) for r in range(len(lines))]
        for x, lines in zip(xs, columns, strict=True)
    ]
    if order == "across":  # one text object per row, left run first: PDFium joins them
        objects = [[col[r] for col in runs if r < len(col)] for r in range(rows)]
    elif order == "row by row":  # a text object per line, across the columns row by row
        objects = [[col[r]] for r in range(rows) for col in runs if r < len(col)]
    elif order == "last column first":
        objects = [[run] for col in reversed(runs) for run in col]
    else:  # "shuffled"
        objects = [[run] for col in runs for run in col]
        rng.shuffle(objects)
    return objects, top - rows * LEADING - 2 * LEADING


def _page(order: str, *, columns: int = 2) -> tuple[bytes, str]:
    """A page: a full-width running header with the page number at the right margin, a
    full-width title, a band of columns, a full-width heading, a second band of columns.
    Returns the PDF and the text in reading order (header aside)."""
    rng = random.Random(7)
    names = ["left", "right"] if columns == 2 else ["first", "second", "third"]
    width = (468 - (columns - 1) * GUTTER) / columns
    xs = [72 + k * (width + GUTTER) for k in range(columns)]
    objects: list[list[Run]] = [[(72, 750, 9, HEADER), (530, 750, 9, "121")], [(72, 700, 16, TITLE)]]
    expected = [TITLE]
    y = 660.0
    for band, heading in (("upper", HEADING), ("lower", None)):
        sentences = [_sentences(band, name) for name in names]
        drawn, y = _band([_column_lines(s, width) for s in sentences], xs, y, order, rng)
        objects.extend(drawn)
        expected.extend(" ".join(s) for s in sentences)
        if heading:
            objects.append([(72, y, 16, heading)])
            expected.append(heading)
            y -= 2 * LEADING
    return text_pdf([objects]), " ".join(expected)


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("order", ["across", "row by row", "last column first", "shuffled"])
def test_two_columns_drawn_across_the_page_are_read_column_by_column(order: str) -> None:
    data, expected = _page(order)
    (page,) = extract_pages(data)
    assert page.startswith(HEADER)  # the running header first on its page ...
    reading = build_reading_text(page).text
    assert HEADER not in reading and "121" not in reading  # ... and out of the reading flow
    assert _squash(reading) == _squash(expected)  # title, upper band left then right, heading, ...
    assert reading.lstrip().startswith(TITLE + "\n")


def test_the_interleaved_lines_come_apart_whole() -> None:
    """Each line of a column is a line of the page text: nothing of the other column on it."""
    data, _ = _page("across")
    lines = extract_pages(data)[0].split("\n")
    left = _column_lines(_sentences("upper", "left"), 228)
    right = _column_lines(_sentences("upper", "right"), 228)
    start = lines.index(left[0])
    assert lines[start : start + len(left) + len(right)] == left + right


@pytest.mark.parametrize("order", ["across", "shuffled"])
def test_three_columns_are_read_left_to_right(order: str) -> None:
    data, expected = _page(order, columns=3)
    reading = build_reading_text(extract_pages(data)[0]).text
    assert _squash(reading) == _squash(expected)


def test_a_single_column_page_keeps_its_drawing_order() -> None:
    """One column with dates set apart at its left (a narrow label column, not a text column)
    and a line drawn out of place: the drawing order is kept, as before."""
    objects: list[list[Run]] = [[(72, 700, 16, "CHRONOLOGY")]]
    y = 670.0
    entries = []
    for day in range(22, 27):  # (no "1": PDFium's box for it leaves a gap that reads as a space)
        text = _column_lines([f"On day {day} the two delegations met again and agreed on the next round."], 300)
        objects.append([(72, y, SIZE, f"Sept. {day}:"), (160, y, SIZE, text[0])])
        objects.extend([[(160, y - k * LEADING, SIZE, line)] for k, line in enumerate(text[1:], 1)])
        entries.append(f"Sept. {day}: {text[0]}")
        y -= (len(text) + 1) * LEADING
    objects.append([(72, 680, SIZE, "A note drawn last but placed near the top.")])
    (page,) = extract_pages(text_pdf([objects]))
    lines = [line for line in page.split("\n") if line.strip("\f")]
    assert lines[0] == "CHRONOLOGY"
    assert [line for line in lines if line.startswith("Sept.")] == entries
    assert lines[-1] == "A note drawn last but placed near the top."
