"""Journal-style PDFs made during the test run: a web-form article laid out as the journal
prints it (banner, capitalised title and author lines, citation box, running header with
relationship and month, page numbers, photo captions, chronology heading), printed to PDF by
Chromium through Playwright.  No third-party PDF is ever committed; everything here is
generated from the seed and ``corpus/`` texts.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.browser import CHROMIUM, CHROMIUM_ARGS

_MONTHS = ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST",
           "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"]  # fmt: skip
_SHORT_MONTHS = {m[:3]: m for m in _MONTHS}


@dataclass
class WebArticle:
    """An article in the journal's web form, read line by line (test-side, independent of the
    pipeline's own header parser)."""

    relationship: str  # "Japan - Korea"
    period: str  # "Sep — Dec 2019"
    title: str
    authors: list[tuple[str, str]]  # (name, affiliation)
    published: str  # "January 2020"
    extracted: str  # "This article is extracted from … pp 121-128."
    blocks: list[tuple[str, str]] = field(default_factory=list)  # (heading|paragraph|caption, text)
    chronology_heading: str = ""
    chronology_period: str = ""
    entries: list[tuple[str, str]] = field(default_factory=list)  # (date, text)

    @property
    def banner(self) -> str:
        return re.sub(r"\s*-\s*", "-", self.relationship).upper() + " RELATIONS"

    @property
    def running_header(self) -> str:
        return f"{self.banner} | {self.published.upper()}"


def parse_web_article(text: str) -> WebArticle:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    i = 0
    if lines[i].lower() == "articles":
        i += 1
    relationship, period = lines[i], lines[i + 1]
    i += 2
    if lines[i].startswith("Download"):
        i += 1
    title = lines[i]
    i += 1
    if lines[i].startswith("By "):
        i += 1
    published_line = lines[i]
    i += 1
    pub = re.match(r"Published (\w+ \d{4})", published_line)
    extracted = re.search(r"\((This article is extracted from .*)\)\s*$", published_line)
    if pub is None or extracted is None:
        raise ValueError(f"not a web-form publication line: {published_line[:80]!r}")
    assert lines[i].startswith("Connect with the Author")
    i += 1
    authors = []
    while len(lines[i].split()) <= 6 and len(lines[i + 1].split()) <= 8:
        authors.append((lines[i], lines[i + 1]))
        i += 2
    article = WebArticle(relationship, period, title, authors, pub.group(1), extracted.group(1))
    while i < len(lines) and not lines[i].startswith("Chronology of"):
        line = lines[i]
        if "Photo:" in line:
            article.blocks.append(("caption", line))
        elif len(line.split()) <= 12 and not line.endswith("."):
            article.blocks.append(("heading", line))
        else:
            article.blocks.append(("paragraph", line))
        i += 1
    if i < len(lines):
        article.chronology_heading = lines[i]
        article.chronology_period = lines[i + 1]
        for line in lines[i + 2 :]:
            date, _, rest = line.partition(": ")
            article.entries.append((date + ":", rest))
    return article


def _long_period(period: str) -> str:
    """"Sep — Dec 2019" -> "SEPTEMBER — DECEMBER 2019"."""
    return re.sub(r"[A-Za-z]+", lambda m: _SHORT_MONTHS.get(m.group(0)[:3].upper(), m.group(0).upper()), period)


def _soft_hyphens(text: str) -> str:
    """Offer the browser a break point in long words (a soft hyphen), as a typesetter would."""

    def split(m: re.Match[str]) -> str:
        word = m.group(0)
        return word[:5] + "\u00ad" + word[5:]

    return re.sub(r"(?<![\w-])[a-z]{11,}(?![\w-])", split, text)


_CSS = """
@page { size: Letter; margin: 0.9in 0.8in 0.9in 0.8in; }
body { font-family: 'Liberation Serif', serif; font-size: 11pt; line-height: 1.35; }
.banner { font-family: 'Liberation Sans', sans-serif; font-size: 16pt; font-weight: bold; margin-bottom: 4pt; }
h1 { font-family: 'Liberation Sans', sans-serif; font-size: 20pt; margin: 0 0 10pt 0; }
.authors { font-family: 'Liberation Sans', sans-serif; font-size: 10pt; margin-bottom: 12pt; }
.extracted { font-size: 9pt; border: 1px solid #888; padding: 6pt; margin: 12pt 0; }
.body p { text-align: justify; margin: 0 0 8pt 0; }
.body h2 { font-size: 12pt; margin: 12pt 0 6pt 0; break-after: avoid; }
.cols { column-count: 2; column-gap: 0.3in; }
figure { margin: 8pt 0; break-inside: avoid; }
figure .photo { height: 110pt; background: #bbb; }
figcaption { font-size: 9pt; font-style: italic; margin-top: 3pt; }
.chronology { break-before: page; }
.chronology h2 { font-family: 'Liberation Sans', sans-serif; font-size: 14pt; margin: 0; }
.chronology .period { font-family: 'Liberation Sans', sans-serif; font-weight: bold; margin: 2pt 0 10pt 0; }
.chronology p { margin: 0 0 6pt 0; text-align: justify; }
.page { break-before: page; }
.toc p { margin: 4pt 0; }
"""


def article_html(
    article: WebArticle, *, columns: int = 1, hyphenate: bool = False, ligatures: bool = False
) -> str:
    """The article's pages as the journal prints them (the body of an HTML document).

    ``hyphenate`` offers soft hyphens in long words, ``ligatures`` sets "fi" and "fl" as the
    ligature characters (a text layer that keeps them, as many typeset PDFs do)."""

    def esc(text: str) -> str:
        escaped = html.escape(text, quote=False)
        if ligatures:
            escaped = escaped.replace("fi", "\ufb01").replace("fl", "\ufb02")
        return _soft_hyphens(escaped) if hyphenate else escaped

    parts = [
        f'<div class="banner">{esc(article.banner)}</div>',
        f"<h1>{esc(article.title.upper())}</h1>",
        '<div class="authors">'
        + "<br>".join(f"{esc(n.upper())}, {esc(a.upper())}" for n, a in article.authors)
        + "</div>",
        f'<div class="extracted">{esc(article.extracted)}</div>',
        f'<div class="body{" cols" if columns == 2 else ""}">',
    ]
    for kind, text in article.blocks:
        if kind == "heading":
            parts.append(f"<h2>{esc(text)}</h2>")
        elif kind == "caption":
            parts.append(f'<figure><div class="photo"></div><figcaption>{esc(text)}</figcaption></figure>')
        else:
            parts.append(f"<p>{esc(text)}</p>")
    parts.append("</div>")
    if article.entries:
        parts.append('<div class="chronology">')
        heading = re.sub(r"\s*-\s*", "-", article.chronology_heading).upper()
        parts.append(f"<h2>{esc(heading)}</h2>")
        parts.append(f'<div class="period">{esc(_long_period(article.chronology_period))}</div>')
        for date, text in article.entries:
            parts.append(f"<p><b>{esc(date)}</b> {esc(text)}</p>")
        parts.append("</div>")
    return "\n".join(parts)


def _document(body: str) -> str:
    return f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>{_CSS}</style></head><body>{body}</body></html>'


def _template(text: str, align: str) -> str:
    return (
        f'<div style="font-family: Liberation Sans, sans-serif; font-size: 8pt; width: 100%; '
        f'margin: 0 0.8in; text-align: {align};">{html.escape(text)}</div>'
    )


@dataclass
class PrintJob:
    """One stretch of pages sharing a running header (empty for none), numbered from
    ``first_number``; the first ``bare_first`` pages print without the running header (an
    article's first page)."""

    body: str
    running_header: str = ""
    first_number: int | None = None
    bare_first: int = 1


def render_pdf(jobs: Sequence[PrintJob], target: Path) -> list[int]:
    """Print the jobs one after another into one PDF; returns each job's page count.

    Chromium numbers pages from 1 in each print, so every page is printed on its own with
    its own header and footer (the journal's page number) and the pages are joined."""
    import pypdfium2 as pdfium
    from playwright.sync_api import sync_playwright

    counts: list[int] = []
    merged = pdfium.PdfDocument.new()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        for job in jobs:
            page.set_content(_document(job.body))
            whole = pdfium.PdfDocument(page.pdf(format="Letter", prefer_css_page_size=True))
            count = len(whole)
            whole.close()
            counts.append(count)
            for k in range(1, count + 1):
                header = job.running_header if k > job.bare_first else ""
                number = "" if job.first_number is None else str(job.first_number + k - 1)
                single = page.pdf(
                    prefer_css_page_size=True,
                    page_ranges=str(k),
                    display_header_footer=True,
                    header_template=_template(header, "left") if header else "<span></span>",
                    footer_template=_template(number, "right") if number else "<span></span>",
                )
                src = pdfium.PdfDocument(single)
                merged.import_pages(src)
                src.close()
        browser.close()
    merged.save(str(target))
    merged.close()
    return counts


def article_pdf(
    text: str, target: Path, *, first_number: int = 1, columns: int = 1, hyphenate: bool = False,
    ligatures: bool = False,
) -> Path:
    article = parse_web_article(text)
    body = article_html(article, columns=columns, hyphenate=hyphenate, ligatures=ligatures)
    render_pdf([PrintJob(body, article.running_header, first_number)], target)
    return target


def issue_pdf(
    texts: Iterable[str], target: Path, *, volume: int, number: int, month: str, first_number: int = 1,
    contents: bool = True,
) -> list[tuple[str, int, int]]:
    """A whole issue: cover, table of contents (optional), then the articles, each from a new
    page with continuous page numbers; every article's citation names this issue.  Returns
    (banner, first physical page, last physical page) per article."""
    articles = [parse_web_article(t) for t in texts]
    for a in articles:
        a.published = month
        a.extracted = re.sub(
            r"Vol\. \d+, No\. \d+, [A-Z][a-z]+ \d{4}", f"Vol. {volume}, No. {number}, {month}", a.extracted
        )
        a.extracted = re.sub(r"Vol\. \d+, No\. \d+, pp", f"Vol. {volume}, No. {number}, pp", a.extracted)
    cover = PrintJob(
        '<div class="banner">COMPARATIVE CONNECTIONS</div>'
        "<h1>A TRIANNUAL E-JOURNAL ON EAST ASIAN BILATERAL RELATIONS</h1>"
        f'<div class="authors">VOLUME {volume}, NUMBER {number} | {month.upper()}</div>',
        bare_first=1,
    )
    # Page counts first (the contents page needs them), then the real print.
    import pypdfium2 as pdfium
    from playwright.sync_api import sync_playwright

    bodies = [article_html(a) for a in articles]
    counts = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        for body in bodies:
            page.set_content(_document(body))
            doc = pdfium.PdfDocument(page.pdf(format="Letter", prefer_css_page_size=True))
            counts.append(len(doc))
            doc.close()
        browser.close()
    front = 2 if contents else 1
    jobs = [cover]
    if contents:
        rows, printed = [], first_number + front
        for a, count in zip(articles, counts, strict=True):
            rows.append(f"<p>{html.escape(a.banner)}: {html.escape(a.title.upper())} .......... {printed}</p>")
            printed += count
        jobs.append(PrintJob('<div class="toc"><h1>TABLE OF CONTENTS</h1>' + "".join(rows) + "</div>",
                             first_number=first_number + 1, bare_first=1))
    spans = []
    physical = front + 1
    printed = first_number + front
    for a, count in zip(articles, counts, strict=True):
        # The citation names the pages the article has in this issue.
        a.extracted = re.sub(r"pp\.? ?\d+\s*[-–]\s*\d+", f"pp {printed}-{printed + count - 1}", a.extracted)
        jobs.append(PrintJob(article_html(a), a.running_header, printed))
        spans.append((a.banner, physical, physical + count - 1))
        physical += count
        printed += count
    render_pdf(jobs, target)
    return spans
