"""Compare PDF text extractors on journal-style PDFs printed here by Chromium (docs/pdf.md).

For each test PDF (the seed article in one column; in two columns with soft hyphens and
ligature characters; the corpus articles) and each library, it reports the extraction time
per page (best of several runs) and the reading-order quality: how much of the source's word
sequence comes back in order (difflib ratio over words), how many extracted words are not
words of the source (split or glued words), and whether the running header is found.

    .venv/bin/python scripts/compare_pdf_extractors.py [--runs 5]
needs Chromium (/usr/bin/chromium), Playwright, pypdfium2 and pdfplumber.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pdf_layout import article_pdf, parse_web_article  # noqa: E402

SEED = ROOT.parent / "shared" / "seeds" / "000_ed224ae42dbf410d.txt"


def pdfium_pages(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        out = []
        for page in pdf:
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return out
    finally:
        pdf.close()


def plumber_pages(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def plumber_flow_pages(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [page.extract_text(use_text_flow=True) or "" for page in pdf.pages]


EXTRACTORS: dict[str, Callable[[Path], list[str]]] = {
    "pypdfium2": pdfium_pages,
    "pdfplumber": plumber_pages,
    "pdfplumber(use_text_flow)": plumber_flow_pages,
}


def _words(text: str) -> list[str]:
    # The same minimal repair for every library: ligature characters, line-end hyphens of
    # any kind (U+2010, U+00AD, pdfium's U+FFFE) joined.
    text = text.replace("\ufb01", "fi").replace("\ufb02", "fl")
    text = re.sub(r"[\u2010\u00ad\ufffe]\s*", "", text)
    text = re.sub(r"(?<=[a-z])-\r?\n(?=[a-z])", "", text)
    return [w for w in re.findall(r"[a-z0-9]+", text.lower())]


def source_words(text: str) -> list[str]:
    article = parse_web_article(text)
    parts = [article.banner, article.title, *(f"{n} {a}" for n, a in article.authors), article.extracted]
    parts += [t for _, t in article.blocks]
    if article.entries:
        parts += [article.chronology_heading, article.chronology_period]
        parts += [f"{d} {t}" for d, t in article.entries]
    return _words("\n".join(parts))


def measure(path: Path, source: list[str], runs: int) -> dict[str, dict[str, float]]:
    vocab = set(source)
    results = {}
    for name, extract in EXTRACTORS.items():
        best = float("inf")
        pages: list[str] = []
        for _ in range(runs):
            t0 = time.perf_counter()
            pages = extract(path)
            best = min(best, time.perf_counter() - t0)
        words = _words("\n".join(pages))
        matcher = difflib.SequenceMatcher(None, source, words, autojunk=False)
        unknown = sum(1 for w in words if w not in vocab and not w.isdigit())
        results[name] = {
            "pages": len(pages),
            "ms_per_page": 1000 * best / max(len(pages), 1),
            "order_ratio": matcher.ratio(),
            "foreign_words": unknown,
            "header_found": float(any("| JANUARY" in p or "| MAY" in p for p in pages)),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    texts = {"seed": SEED.read_text(encoding="utf-8")}
    for name in ("us-japan-2024-1", "us-china-2023-3"):
        texts[name] = (ROOT / "corpus" / "articles" / f"{name}.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        cases = []
        for name, text in texts.items():
            one = article_pdf(text, Path(tmp) / f"{name}-1col.pdf", first_number=121)
            two = article_pdf(
                text, Path(tmp) / f"{name}-2col.pdf", first_number=121, columns=2, hyphenate=True, ligatures=True
            )
            cases += [(f"{name} 1 column", one, text), (f"{name} 2 columns+hyphens+ligatures", two, text)]
        totals: dict[str, list[float]] = {}
        print(f"{'PDF':45} {'library':27} {'pages':>5} {'ms/page':>8} {'order':>6} {'foreign':>7}")
        for label, path, text in cases:
            for name, r in measure(path, source_words(text), args.runs).items():
                totals.setdefault(name, []).append(r["ms_per_page"])
                print(
                    f"{label:45} {name:27} {r['pages']:5.0f} {r['ms_per_page']:8.2f} "
                    f"{r['order_ratio']:6.3f} {r['foreign_words']:7.0f}"
                )
        for name, values in totals.items():
            print(f"mean ms/page {name}: {sum(values) / len(values):.2f}")


if __name__ == "__main__":
    main()
