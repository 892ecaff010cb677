"""Read input files into article texts, with a coded error for anything that is not one."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from pipeline.errors import PipelineError
from pipeline.pdf.extract import DEFAULT_MAX_PDF_BYTES, extract_pages
from pipeline.pdf.issue import IssueSplit, split_issue

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES
DEFAULT_MAX_BYTES = 5_000_000  # a long article is ~60 kB; anything this big is not one


@dataclass(frozen=True)
class ArticleInput:
    """One article's text, ready for the pipeline.

    A PDF's text holds its pages, each ending with a form feed; ``first_page`` is the
    number (in the PDF) of the first of them. An article cut from a whole issue carries the
    issue's split and a ``part`` that tells it from the issue's other articles."""

    path: Path
    text: str
    sha256: str
    format: str  # "txt" | "html" | "pdf"
    first_page: int | None = None
    part: str | None = None
    issue: IssueSplit | None = None


@dataclass(frozen=True)
class InputError:
    path: Path
    code: str
    message: str


@dataclass(frozen=True)
class PassedOver:
    """A file found in a folder that is not an article, and why."""

    path: Path
    reason: str


def _link_problem(path: Path) -> str | None:
    """Why a symbolic link cannot be followed, or None when it leads somewhere."""
    try:
        if not path.is_symlink():
            return None
    except OSError:
        return None  # not even the link can be examined: _kind says why
    try:
        path.resolve(strict=True)
    except RuntimeError:
        return "a symbolic link that loops"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link that loops"
        return "a broken symbolic link"
    return None


def _kind(path: Path) -> str:
    """"file", "dir", "missing", or why the path is neither (link problems, FIFOs, devices)."""
    problem = _link_problem(path)
    if problem:
        return problem
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "missing"
    except PermissionError:
        return "unreadable"
    except OSError as exc:
        return f"cannot be examined ({exc.strerror or exc})"
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISREG(mode):
        return "file"
    return "not a regular file (a pipe, socket or device)"


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[InputError], list[PassedOver]]:
    """Files to read, errors for paths that cannot be, and files a directory walk passed over.

    Every path named or found is accounted for exactly once: a file to read, an error (a
    named path that is missing, unreadable, not a regular file or a link that leads nowhere,
    or a folder that cannot be listed), or a file passed over with its reason (inside a
    folder: hidden files, other formats, links that lead nowhere, pipes and devices). The
    same file named twice, or reached through two paths, is read once.
    """
    files: list[Path] = []
    errors: list[InputError] = []
    passed: list[PassedOver] = []
    seen: set[Path] = set()

    def add_file(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for path in paths:
        kind = _kind(path)
        if kind == "dir":
            _walk(path, add_file, errors, passed)
        elif kind == "file":
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                add_file(path)
            else:
                errors.append(
                    InputError(path, "E006", f"unsupported format {path.suffix or '(no suffix)'!r}; "
                               "give .txt (UTF-8), .html or .pdf files")
                )
        elif kind == "missing":
            errors.append(InputError(path, "E008", "the path does not exist"))
        elif kind == "unreadable":
            errors.append(InputError(path, "E007", "the path cannot be read (permission denied)"))
        elif "link" in kind:
            errors.append(InputError(path, "E016", f"the path is {kind}"))
        else:
            errors.append(InputError(path, "E015", f"the path is {kind}"))
    return files, errors, passed


def _walk(
    root: Path,
    add_file: Callable[[Path], None],
    errors: list[InputError],
    passed: list[PassedOver],
) -> None:
    """Every entry under ``root`` (links to folders are not followed), in sorted order."""

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        errors.append(InputError(where, "E017", f"the folder cannot be read ({exc.strerror or exc}); "
                                 "its files were not annotated"))

    found: list[Path] = []
    for folder, dirnames, filenames in os.walk(root, onerror=unreadable):
        base = Path(folder)
        hidden_dirs = sorted(d for d in dirnames if d.startswith("."))
        for name in hidden_dirs:
            passed.append(PassedOver(base / name, "a hidden folder"))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        # os.walk lists links to folders among dirnames without entering them
        for name in list(dirnames):
            if (base / name).is_symlink():
                dirnames.remove(name)
                passed.append(PassedOver(base / name, "a symbolic link to a folder (not followed)"))
        for name in sorted(filenames):
            child = base / name
            if name.startswith("."):
                passed.append(PassedOver(child, "a hidden file"))
                continue
            kind = _kind(child)
            if kind == "file":
                if child.suffix.lower() in SUPPORTED_SUFFIXES:
                    found.append(child)
                else:
                    passed.append(PassedOver(child, "not a .txt, .html or .pdf article"))
            elif kind == "unreadable":
                errors.append(InputError(child, "E007", "the file cannot be read (permission denied)"))
            else:
                passed.append(PassedOver(child, kind))
    for child in sorted(found):  # the order of the paths, as a sorted listing gives it
        add_file(child)
    passed.sort(key=lambda item: item.path)


def decode_text(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Bytes -> text, or a PipelineError saying exactly why not."""
    if len(data) > max_bytes:
        raise PipelineError("E005", f"the file is too large ({len(data):,} bytes; the limit is {max_bytes:,})")
    if not data.strip():
        raise PipelineError("E001", "the file is empty")
    head = data[:8192]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return _decode_utf16(data)
    if b"\x00" in head:
        raise PipelineError("E002", "the file is binary, not text")
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if controls > 0.05 * len(head):
        raise PipelineError("E002", "the file is binary, not text")
    if b"\x00" in data:
        raise PipelineError("E002", "the file holds NUL bytes, so it is binary, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            raise PipelineError(
                "E004", "the file looks truncated: it ends inside a UTF-8 character"
            ) from exc
        raise PipelineError(
            "E003",
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it to UTF-8",
        ) from exc


def _decode_utf16(data: bytes) -> str:
    """A file that starts with a UTF-16 byte-order mark (as Windows tools save "Unicode"
    text). It must decode whole and hold text, like a UTF-8 file: no NUL characters, few
    control characters."""
    try:
        text = data.decode("utf-16")  # the mark says which byte order, and is dropped
    except UnicodeDecodeError as exc:
        if exc.reason in {"truncated data", "unexpected end of data"} or len(data) % 2:
            raise PipelineError(
                "E004", "the file looks truncated: it ends inside a UTF-16 character"
            ) from exc
        raise PipelineError(
            "E003", f"the file starts as UTF-16 but is not valid UTF-16 (at byte offset {exc.start}); "
            "convert it to UTF-8",
        ) from exc
    if not text.strip():
        raise PipelineError("E001", "the file is empty")
    if "\x00" in text:
        raise PipelineError("E002", "the UTF-16 file holds NUL characters, so it is binary, not text")
    sample = text[:4096]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\f\r")
    if controls > 0.05 * len(sample):
        raise PipelineError("E002", "the file is binary, not text")
    return text


_BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "ul", "ol", "table", "tr", "blockquote", "figure", "figcaption", "br", "main", "aside",
    "dt", "dd", "pre",
}  # fmt: skip
_DROP_TAGS = ["script", "style", "noscript", "template", "nav", "svg", "iframe", "form", "button"]


def html_to_text(markup: str) -> str:
    """The article text of a saved journal page: one block per line, blank lines between."""
    tree = LexborHTMLParser(markup)
    tree.strip_tags(_DROP_TAGS)
    root: LexborNode | None = tree.css_first("article") or tree.css_first("main") or tree.body
    if root is None:
        return ""
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = re.sub(r"[ \t\r\n\u00a0]+", " ", "".join(current)).strip()
        if line:
            blocks.append(line)
        current.clear()

    # An explicit stack, not recursion: a page with thousands of unclosed tags nests that
    # deep, and must not exhaust Python's recursion limit (the batch would die with it).
    # Each frame is the iterator over a node's children and whether the node is a block.
    stack: list[tuple[Iterator[LexborNode], bool]] = [(iter(root.iter(include_text=True)), False)]
    while stack:
        children, is_block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if is_block:
                flush()
            continue
        if child.tag == "-text":
            current.append(child.text_content or "")
            continue
        block = child.tag in _BLOCK_TAGS
        if block:
            flush()
        stack.append((iter(child.iter(include_text=True)), block))
    flush()
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "article"


def read_pdf(path: Path, data: bytes, digest: str, max_pdf_bytes: int = DEFAULT_MAX_PDF_BYTES) -> list[ArticleInput]:
    """One article per PDF, or, for a whole issue, one per article it holds."""
    pages = extract_pages(data, max_pdf_bytes)
    split = split_issue(pages)
    if split is None:
        return [ArticleInput(path, "".join(pages), digest, "pdf", first_page=1)]
    return [
        ArticleInput(
            path,
            "".join(pages[article.first - 1 : article.last]),
            digest,
            "pdf",
            first_page=article.first,
            part=f"{k:02d}-{_slug(article.relationship or article.banner)}",
            issue=split,
        )
        for k, article in enumerate(split.articles, start=1)
    ]


def read_inputs(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES, max_pdf_bytes: int = DEFAULT_MAX_PDF_BYTES
) -> list[ArticleInput]:
    """The article(s) in one input file, or a PipelineError saying why there are none."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PipelineError("E007", f"the file cannot be read: {exc.strerror or exc}") from exc
    digest = hashlib.sha256(data).hexdigest()
    if path.suffix.lower() in PDF_SUFFIXES:
        return read_pdf(path, data, digest, max_pdf_bytes)
    return [_text_article(path, data, digest, max_bytes)]


def read_article(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ArticleInput:
    """The first (for a text or HTML file: the only) article of one input file."""
    return read_inputs(path, max_bytes)[0]


def _text_article(path: Path, data: bytes, digest: str, max_bytes: int) -> ArticleInput:
    text = decode_text(data, max_bytes)
    if path.suffix.lower() in HTML_SUFFIXES:
        text = html_to_text(text)
        if not text.strip():
            raise PipelineError("E009", "the HTML page holds no article text")
        return ArticleInput(path, text, digest, "html")
    return ArticleInput(path, text, digest, "txt")


def read_articles(
    files: Iterable[Path], max_bytes: int = DEFAULT_MAX_BYTES, max_pdf_bytes: int = DEFAULT_MAX_PDF_BYTES
) -> Iterator[ArticleInput | InputError]:
    for path in files:
        try:
            yield from read_inputs(path, max_bytes, max_pdf_bytes)
        except PipelineError as exc:
            yield InputError(path, exc.code, exc.message)
