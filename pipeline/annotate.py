"""Batch annotation: input files in, articles.jsonl / chronology.jsonl / issues.jsonl /
errors.jsonl out."""

from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import json
import logging
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import SCHEMA_VERSION
from pipeline.atomic import AtomicWriter, OutputLock, write_text_atomic
from pipeline.errors import PipelineError
from pipeline.guard import (
    ArticleOverMemory,
    ArticleTimeout,
    limits_available,
    memory_available,
    memory_guard,
    time_budget,
)
from pipeline.inputs import (
    DEFAULT_MAX_BYTES,
    ArticleInput,
    InputError,
    PassedOver,
    discover,
    read_articles,
)
from pipeline.journal import Done, Journal, finished_articles
from pipeline.manifest import MANIFEST_FILE, manifest_text
from pipeline.pdf.extract import DEFAULT_MAX_PDF_BYTES
from pipeline.pdf.issue import IssueSplit
from pipeline.provenance import pipeline_provenance
from pipeline.records import (
    ArticleRecord,
    ErrorRecord,
    IssueArticleRef,
    IssueRecord,
    PassedOverRecord,
    Provenance,
    SourceInfo,
    chronology_records,
    doc_to_article_record,
    dumps,
)
from pipeline.review.store import DEFAULT_DB_NAME
from pipeline.workers import WorkerPool

log = logging.getLogger(__name__)

ARTICLES_FILE = "articles.jsonl"
CHRONOLOGY_FILE = "chronology.jsonl"
ERRORS_FILE = "errors.jsonl"
ISSUES_FILE = "issues.jsonl"
PASSED_OVER_FILE = "passed_over.jsonl"


@dataclass
class AnnotateSummary:
    articles: int = 0
    entries: int = 0
    issues: int = 0
    errors: list[InputError] = field(default_factory=list)
    skipped: list[PassedOver] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)  # doc_id -> warning lines
    resumed: int = 0  # articles taken over from an earlier run (--resume)
    merged: set[str] = field(default_factory=set)  # doc_ids kept from the folder (--merge)

    @property
    def failed(self) -> int:
        return len(self.errors)


def make_doc_ids(paths: list[Path]) -> dict[Path, str]:
    """Stable, unique ids from file names; a clash gets a short hash of the path."""
    stems: dict[str, int] = {}
    for p in paths:
        stems[_slug(p.stem)] = stems.get(_slug(p.stem), 0) + 1
    ids = {}
    for p in paths:
        slug = _slug(p.stem)
        if stems[slug] > 1:
            slug = f"{slug}-{hashlib.sha256(str(p).encode()).hexdigest()[:6]}"
        ids[p] = slug
    return ids


def _slug(stem: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-") or "article"


def _doc_id(article: ArticleInput, doc_ids: dict[Path, str]) -> str:
    base = doc_ids[article.path]
    return f"{base}-{article.part}" if article.part else base


def _source(article: ArticleInput, doc_ids: dict[Path, str]) -> SourceInfo:
    last = None
    if article.format == "pdf" and article.first_page is not None:
        last = article.first_page + max(article.text.count("\f"), 1) - 1
    return SourceInfo(
        path=str(article.path),
        sha256=article.sha256,
        format=article.format,
        first_page=article.first_page,
        last_page=last,
        issue_id=doc_ids[article.path] if article.issue is not None else None,
    )


def _with_issue_identity(record: ArticleRecord, issue: IssueSplit) -> None:
    """An article cut from an issue takes the issue's volume, number and month where its own
    header does not state them."""
    meta = record.metadata
    if meta.volume is None:
        meta.volume = issue.volume
    if meta.issue is None:
        meta.issue = issue.number
    if meta.published is None:
        meta.published = issue.published


def issue_record(issue_id: str, source: SourceInfo, split: IssueSplit, doc_ids: list[str]) -> IssueRecord:
    refs = []
    for doc_id, article in zip(doc_ids, split.articles, strict=True):
        printed = None
        if article.printed_first and article.printed_last:
            printed = f"{article.printed_first}-{article.printed_last}"
        refs.append(
            IssueArticleRef(
                doc_id=doc_id, banner=article.banner, relationship=article.relationship, title=article.title,
                first_page=article.first, last_page=article.last, printed_pages=printed,
            )
        )
    return IssueRecord(
        schema_version=SCHEMA_VERSION, issue_id=issue_id, source=source, volume=split.volume,
        issue=split.number, published=split.published, page_count=split.page_count,
        contents_found=split.contents_found, articles=refs, unassigned_pages=split.unassigned,
    )


BATCH_SIZE = 4
DEFAULT_MAX_SECONDS = 300.0  # per article; a real article takes seconds, a pathological one can hang
# Resident memory a process may reach while it annotates an article. A real article needs
# about 260 MB with the model loaded; a pathological one can take gigabytes.
DEFAULT_MAX_MEMORY_MB = 2048


@dataclass(frozen=True)
class ArticleOutput:
    """What one article became: its record line, its chronology lines and warnings."""

    doc_id: str
    article_line: str
    chronology_lines: list[str]
    warnings: list[str]


Outcome = ArticleOutput | PipelineError
Build = Callable[[ArticleInput, Doc], Outcome]


def _timeout_error(max_seconds: float | None) -> PipelineError:
    return PipelineError(
        "E032",
        f"the article took longer than {max_seconds or 0:g} s, the time budget (--max-seconds); "
        "it was left out and the batch went on",
    )


def _memory_error(exc: BaseException, max_memory: int | None) -> PipelineError:
    detail = str(exc) if isinstance(exc, ArticleOverMemory) else "the process could not get more memory"
    limit = f" (--max-memory {max_memory / 2**20:,.0f} MB)" if max_memory else ""
    return PipelineError("E033", f"the article needed more memory than allowed{limit}: {detail}; it was left out and the batch went on")


def run_article(nlp: Language, article: ArticleInput, build: Build,
                max_seconds: float | None, max_memory: int | None) -> Outcome:
    """One article under its time budget and memory guard; never raises for the article's sake."""
    try:
        with time_budget(max_seconds), memory_guard(max_memory):
            return build(article, nlp(article.text))
    except ArticleTimeout:
        return _timeout_error(max_seconds)
    except (ArticleOverMemory, MemoryError) as exc:
        gc.collect()
        return _memory_error(exc, max_memory)
    except Exception as exc:  # noqa: BLE001 - the article fails alone
        return PipelineError("E030", f"processing the article failed: {type(exc).__name__}: {exc}")


@dataclass(frozen=True)
class ClusterTarget:
    """Where ``annotate --cluster`` sends the articles, and the pipeline the workers build."""

    address: str
    model: str | None = None
    config: str | None = None
    timeout: float = 10.0  # seconds to reach the scheduler


def _process(
    nlp: Language, articles: list[ArticleInput], build: Build, workers: int,
    max_seconds: float | None = None, max_memory: int | None = None, cluster: ClusterTarget | None = None,
    on_finished: Callable[[ArticleInput, Outcome], None] | None = None,
) -> Iterator[tuple[ArticleInput, Outcome]]:
    """Run the pipeline over the articles, in input order; ``on_finished`` hears of each
    outcome as soon as it is known, in the order the articles finish (with workers or a
    cluster, not the input order), so that it can be made durable at once. An article that breaks a component,
    runs over its time budget or past the memory limit fails alone (``E030``, ``E032``,
    ``E033``) and the others go on.

    One process: articles go through ``nlp.pipe`` in batches, each batch under the budget of
    its articles and the memory guard; when a batch fails, the rest are done one by one, each
    under its own limits, so the culprit is found. Several workers: ``pipeline.workers``, an
    article at a time per worker, each under its own limits there. A cluster:
    ``pipeline.cluster``, an article per task on the cluster's workers."""
    if cluster is not None and articles:
        from pipeline.cluster import process_on_cluster

        yield from process_on_cluster(cluster.address, articles, build, cluster.model, cluster.config,
                                      pipeline_provenance(nlp), max_seconds, max_memory, cluster.timeout,
                                      on_finished=on_finished)
        return
    finished = on_finished or (lambda article, outcome: None)
    if workers > 1 and len(articles) > 1:
        pool = WorkerPool(
            articles,
            lambda article: run_article(nlp, article, build, max_seconds, max_memory),
            lambda article, error: error,
            workers, max_seconds=max_seconds, max_memory=max_memory,
            # longest first: the last articles handed out are short, so the workers end together
            order=sorted(range(len(articles)), key=lambda i: -len(articles[i].text)),
            on_result=lambda index, outcome: finished(articles[index], outcome),
        )
        for index, outcome in pool:
            yield articles[index], outcome
        return
    done = 0
    try:
        stream = nlp.pipe(((a.text, a) for a in articles), as_tuples=True, batch_size=BATCH_SIZE)
        while done < len(articles):
            with time_budget(max_seconds * BATCH_SIZE if max_seconds else None), memory_guard(max_memory):
                doc, article = next(stream)
            done += 1
            outcome = build(article, doc)
            finished(article, outcome)
            yield article, outcome
    except (Exception, MemoryError) as exc:  # noqa: BLE001 - redo the rest one by one to isolate the culprit
        if isinstance(exc, (ArticleOverMemory, MemoryError)):
            gc.collect()
        reason = "ran over its time budget" if isinstance(exc, ArticleTimeout) else f"failed ({exc})"
        log.warning("batch processing %s; processing the remaining articles one by one", reason)
        for article in articles[done:]:
            outcome = run_article(nlp, article, build, max_seconds, max_memory)
            finished(article, outcome)
            yield article, outcome


def _builder(doc_ids: dict[Path, str], model_name: str | None, provenance: Provenance | None) -> Build:
    """The records of an article from its Doc (run in a worker process too)."""

    def build(article: ArticleInput, doc: Doc) -> Outcome:
        doc_id = _doc_id(article, doc_ids)
        try:
            record = doc_to_article_record(
                doc, doc_id=doc_id, source=_source(article, doc_ids), model=model_name, provenance=provenance,
            )
            if article.issue is not None:
                _with_issue_identity(record, article.issue)
            entries = chronology_records(record)
        except (ValueError, KeyError) as exc:  # pydantic's ValidationError is a ValueError
            return PipelineError("E031", f"a stage wrote an invalid annotation: {exc}")
        return ArticleOutput(
            record.doc_id, dumps(record), [dumps(entry) for entry in entries],
            [f"{w.code}: {w.message}" for w in record.warnings],
        )

    return build


def annotate(
    paths: list[Path],
    out_dir: Path,
    nlp: Language,
    *,
    workers: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pdf_bytes: int = DEFAULT_MAX_PDF_BYTES,
    model_name: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    replace: bool = False,
    resume: bool = False,
    merge: bool = False,
    cluster: ClusterTarget | None = None,
    max_seconds: float | None = DEFAULT_MAX_SECONDS,
    wait_seconds: float = 0.0,
    max_memory: int | None = DEFAULT_MAX_MEMORY_MB * 2**20,
) -> AnnotateSummary:
    """Annotate every article under ``paths`` into ``out_dir``; failures go to errors.jsonl.

    A run that would drop articles the folder already holds (or the reviewed corrections made
    on them) is refused with E072, the folder left as it was, unless ``replace`` is given.
    Each finished article is journalled durably (``pipeline.journal``); with ``resume``, the
    articles an earlier or interrupted run finished from the same input bytes with the same
    pipeline are taken over as they were written instead of being annotated again. With
    ``merge``, the folder's articles this run did not annotate are kept beside the new ones
    (after them, in their earlier order, with their chronology entries, issue records and
    error lines), so a run over a few articles updates a larger folder."""
    if merge and replace:
        raise ValueError("merge keeps the folder's other articles and replace drops them: give one")
    summary = AnnotateSummary()
    if workers == 1 and (max_seconds or max_memory) and not limits_available():
        log.warning("the time budget and memory guard need a POSIX main thread or CPython; "
                    "they are not enforced in this call (use --workers 2 or more, or call from the main thread)")
    elif max_memory and not memory_available():
        log.warning("the memory guard needs /proc (Linux); it is not enforced on this system")
    files, errors, skipped = discover(paths)
    summary.errors.extend(errors)
    summary.skipped = skipped
    if not files and not errors:
        where = ", ".join(str(p) for p in paths) or "(no paths given)"
        summary.errors.append(
            InputError(Path(paths[0]) if paths else Path("."), "E018",
                       f"no article files (.txt, .html, .pdf) were found in {where}")
        )
    doc_ids = make_doc_ids(files)
    articles: list[ArticleInput] = []
    issues: dict[Path, tuple[IssueSplit, list[str], SourceInfo]] = {}
    for item in read_articles(files, max_bytes, max_pdf_bytes):
        if isinstance(item, ArticleInput) and item.issue is not None:
            issues.setdefault(
                item.path,
                (item.issue, [], SourceInfo(path=str(item.path), sha256=item.sha256, format="pdf",
                                            first_page=1, last_page=item.issue.page_count)),
            )[1].append(_doc_id(item, doc_ids))
        if isinstance(item, InputError):
            summary.errors.append(item)
        elif len(item.text) > nlp.max_length:
            summary.errors.append(
                InputError(
                    item.path,
                    "E005",
                    f"the article is too long for the pipeline ({len(item.text):,} characters; "
                    f"the model's limit is {nlp.max_length:,})",
                )
            )
        else:
            articles.append(item)
    # An issue PDF gives several articles: progress counts articles and failed files.
    read_failures = len(summary.errors) - len(errors)
    total = read_failures + len(articles)
    if on_progress:
        on_progress(read_failures, total)

    written: set[str] = set()
    provenance = Provenance.model_validate(pipeline_provenance(nlp)) if articles else None
    lock = OutputLock(out_dir, wait_seconds=wait_seconds)
    journal = Journal(out_dir)
    try:
        lock.acquire()
        # What an earlier run finished with these very inputs and this very pipeline.
        reusable: dict[str, Done] = {}
        if resume:
            done = finished_articles(out_dir, ARTICLES_FILE, CHRONOLOGY_FILE)
            current = provenance.model_dump() if provenance is not None else None
            for article in articles:
                earlier = done.get(_doc_id(article, doc_ids))
                if earlier is not None and earlier.sha256 == article.sha256 and earlier.provenance == current:
                    reusable[earlier.doc_id] = earlier
        writer = AtomicWriter(
            out_dir, [ARTICLES_FILE, CHRONOLOGY_FILE, ISSUES_FILE, ERRORS_FILE, PASSED_OVER_FILE]
        )
        journal.open()
    except OSError as exc:
        lock.release()
        raise write_error(out_dir, exc) from exc
    summary.resumed = len(reusable)
    todo = [a for a in articles if _doc_id(a, doc_ids) not in reusable]

    def journal_finished(article: ArticleInput, outcome: Outcome) -> None:
        # durable as soon as it is done, whatever the order the workers finish in
        if isinstance(outcome, ArticleOutput):
            journal.add(outcome.article_line, list(outcome.chronology_lines))

    results = iter(_process(nlp, todo, _builder(doc_ids, model_name, provenance), workers, max_seconds, max_memory,
                            cluster, on_finished=journal_finished))

    def write(output: ArticleOutput, reused: bool = False) -> None:
        writer.write_line(ARTICLES_FILE, output.article_line)
        written.add(output.doc_id)
        for line in output.chronology_lines:
            writer.write_line(CHRONOLOGY_FILE, line)
            summary.entries += 1
        summary.articles += 1
        if reused:  # an annotated article was journalled when it finished
            journal.add(output.article_line, list(output.chronology_lines))
        if output.warnings:
            summary.warnings[output.doc_id] = list(output.warnings)

    try:
        for k, article in enumerate(articles, start=1):
            reused = reusable.get(_doc_id(article, doc_ids))
            if reused is not None:
                warnings = json.loads(reused.article_line).get("warnings") or []
                write(ArticleOutput(reused.doc_id, reused.article_line, list(reused.chronology_lines),
                                    [f"{w['code']}: {w['message']}" for w in warnings]), reused=True)
            else:
                processed, result = next(results)
                if _doc_id(processed, doc_ids) != _doc_id(article, doc_ids):  # workers keep the order
                    raise RuntimeError(f"results out of order: {processed.path} for {article.path}")
                if isinstance(result, PipelineError):
                    summary.errors.append(InputError(article.path, result.code, result.message))
                else:
                    write(result)
            if on_progress:
                on_progress(read_failures + k, total)
        for path, (split, issue_doc_ids, source) in issues.items():
            writer.write_line(ISSUES_FILE, dumps(issue_record(doc_ids[path], source, split, issue_doc_ids)))
            summary.issues += 1
        for error in sorted(summary.errors, key=lambda e: str(e.path)):
            writer.write_line(
                ERRORS_FILE,
                dumps(ErrorRecord(schema_version=SCHEMA_VERSION, path=str(error.path), code=error.code, message=error.message)),
            )
        for passed in summary.skipped:
            writer.write_line(
                PASSED_OVER_FILE,
                dumps(PassedOverRecord(schema_version=SCHEMA_VERSION, path=str(passed.path), reason=passed.reason)),
            )
        if merge:
            summary.merged = keep_earlier(out_dir, writer, written, {str(e.path) for e in summary.errors},
                                          {str(a.path) for a in articles}, {str(p.path) for p in summary.skipped})
        if not replace:
            refuse_to_drop(out_dir, written | summary.merged)
        written_files = writer.manifest()
        writer.commit()
        # Written last: the files above belong together (pipeline.manifest).
        write_text_atomic(
            out_dir / MANIFEST_FILE, manifest_text(written_files, provenance.model_dump() if provenance else None)
        )
        journal.close(remove=True)
    except OSError as exc:
        writer.abort()
        journal.close(remove=False)
        raise write_error(out_dir, exc) from exc
    except BaseException:
        # The journal stays: ``--resume`` picks up what was finished.
        writer.abort()
        journal.close(remove=False)
        raise
    finally:
        lock.release()
    return summary


def _lines(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(line, parsed) of a JSONL output file the merge keeps; a damaged line is E051 (the
    merge would lose it), and the folder is left as it was."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise PipelineError("E051", f"{path}, line {number}: not a JSON record ({exc}); --merge would "
                                            "lose it, so the folder was left as it was") from exc
            if not isinstance(row, dict):
                raise PipelineError("E051", f"{path}, line {number}: not a JSON object; --merge would lose it, "
                                            "so the folder was left as it was")
            yield line.rstrip("\n"), row


def keep_earlier(out_dir: Path, writer: AtomicWriter, written: set[str], failed_paths: set[str],
                 read_paths: set[str], passed_paths: set[str]) -> set[str]:
    """--merge: write the folder's records of articles this run did not annotate after the
    new ones (articles, their chronology entries, issue records), and the earlier error and
    passed-over lines of inputs this run did not see. Returns the doc_ids kept."""
    kept: set[str] = set()
    for line, row in _lines(out_dir / ARTICLES_FILE):
        doc_id = str(row.get("doc_id"))
        if doc_id not in written and doc_id not in kept:
            writer.write_line(ARTICLES_FILE, line)
            kept.add(doc_id)
    for line, row in _lines(out_dir / CHRONOLOGY_FILE):
        if str(row.get("doc_id")) in kept:
            writer.write_line(CHRONOLOGY_FILE, line)
    for line, row in _lines(out_dir / ISSUES_FILE):
        ids = {str(a.get("doc_id")) for a in row.get("articles") or [] if isinstance(a, dict)}
        source = row.get("source")
        path = source.get("path") if isinstance(source, dict) else None
        if ids & kept and str(path) not in read_paths:
            writer.write_line(ISSUES_FILE, line)
    for line, row in _lines(out_dir / ERRORS_FILE):
        path = str(row.get("path"))
        if path not in failed_paths and path not in read_paths:
            writer.write_line(ERRORS_FILE, line)
    seen = failed_paths | read_paths | passed_paths
    for line, row in _lines(out_dir / PASSED_OVER_FILE):
        if str(row.get("path")) not in seen:
            writer.write_line(PASSED_OVER_FILE, line)
    return kept


def refuse_to_drop(out_dir: Path, written: set[str]) -> None:
    """E072 when the folder holds articles this run did not write, or reviewed corrections on
    them: replacing the outputs would lose them (corrections on articles the run rewrites are
    re-attached by the review app, so those are fine)."""
    existing: list[str] = []
    path = out_dir / ARTICLES_FILE
    if path.is_file():
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    try:
                        existing.append(str(json.loads(line)["doc_id"]))
                    except (ValueError, KeyError, TypeError):
                        continue  # a damaged line is not an article to keep
    dropped = sorted(set(existing) - written)
    corrections = 0
    database = out_dir / DEFAULT_DB_NAME
    if database.is_file():
        try:
            with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
                rows = db.execute(
                    "SELECT doc_id, COUNT(*) FROM corrections WHERE undone_at IS NULL GROUP BY doc_id"
                ).fetchall()
        except sqlite3.Error as exc:
            # Corrections that cannot be read cannot be checked: keep the folder as it is.
            raise PipelineError(
                "E072",
                f"{database} cannot be read ({exc}), so this run cannot tell whether it would "
                "orphan reviewed corrections; the folder was left as it was. Give another --out, "
                "or pass --replace to overwrite",
            ) from exc
        corrections = sum(int(n) for doc_id, n in rows if doc_id not in written)
        dropped = sorted(set(dropped) | {str(doc_id) for doc_id, _ in rows if doc_id not in written})
    if not dropped:
        return
    names = ", ".join(dropped[:5]) + (f" and {len(dropped) - 5} more" if len(dropped) > 5 else "")
    held = f" and {corrections} reviewed correction(s) on them" if corrections else ""
    raise PipelineError(
        "E072",
        f"{out_dir} holds {len(dropped)} article(s) this run did not annotate ({names}){held}; "
        "the folder was left as it was. Give another --out, add those inputs, pass --merge to keep them beside the new ones, or pass --replace "
        "to overwrite",
    )


def write_error(out_dir: Path, exc: OSError) -> PipelineError:
    """A write failure (disk full, read-only folder) as a coded error; the previous outputs
    are still in place, since nothing was renamed."""
    reason = exc.strerror or str(exc)
    hint = {
        errno.ENOSPC: "free some space",
        errno.EROFS: "give an --out on a writable disk",
        errno.EACCES: "give an --out you may write to",
        errno.EPERM: "give an --out you may write to",
    }.get(exc.errno or 0, "check the output folder")
    return PipelineError(
        "E071",
        f"the outputs cannot be written to {out_dir} ({reason}); {hint}. The previous outputs, if any, are untouched",
    )
