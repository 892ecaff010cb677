"""Batch annotation: input files in, articles.jsonl / chronology.jsonl / errors.jsonl out."""

from __future__ import annotations

import errno
import hashlib
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import SCHEMA_VERSION
from pipeline.atomic import AtomicWriter, OutputLock
from pipeline.errors import PipelineError
from pipeline.inputs import (
    DEFAULT_MAX_BYTES,
    ArticleInput,
    InputError,
    PassedOver,
    discover,
    read_articles,
)
from pipeline.records import (
    ErrorRecord,
    PassedOverRecord,
    SourceInfo,
    chronology_records,
    doc_to_article_record,
    dumps,
)

log = logging.getLogger(__name__)

ARTICLES_FILE = "articles.jsonl"
CHRONOLOGY_FILE = "chronology.jsonl"
ERRORS_FILE = "errors.jsonl"
PASSED_OVER_FILE = "passed_over.jsonl"


@dataclass
class AnnotateSummary:
    articles: int = 0
    entries: int = 0
    errors: list[InputError] = field(default_factory=list)
    skipped: list[PassedOver] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)  # doc_id -> warning lines

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


def _process(
    nlp: Language, articles: list[ArticleInput], workers: int
) -> Iterator[tuple[ArticleInput, Doc | PipelineError]]:
    """Run the pipeline over the articles; an article that breaks a component fails alone."""
    done = 0
    try:
        stream = nlp.pipe(((a.text, a) for a in articles), as_tuples=True, n_process=workers, batch_size=4)
        for doc, article in stream:
            done += 1
            yield article, doc
    except Exception as exc:  # noqa: BLE001 - redo the rest one by one to isolate the culprit
        log.warning("batch processing failed (%s); processing the remaining articles one by one", exc)
        for article in articles[done:]:
            try:
                yield article, nlp(article.text)
            except Exception as inner:  # noqa: BLE001
                yield article, PipelineError("E030", f"processing the article failed: {type(inner).__name__}: {inner}")


def annotate(
    paths: list[Path],
    out_dir: Path,
    nlp: Language,
    *,
    workers: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    model_name: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> AnnotateSummary:
    """Annotate every article under ``paths`` into ``out_dir``; failures go to errors.jsonl."""
    summary = AnnotateSummary()
    files, errors, skipped = discover(paths)
    summary.errors.extend(errors)
    summary.skipped = skipped
    if not files and not errors:
        where = ", ".join(str(p) for p in paths) or "(no paths given)"
        summary.errors.append(
            InputError(Path(paths[0]) if paths else Path("."), "E018",
                       f"no article files (.txt, .html) were found in {where}")
        )
    doc_ids = make_doc_ids(files)
    articles: list[ArticleInput] = []
    for item in read_articles(files, max_bytes):
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
    total = len(files)
    read_failures = total - len(articles)
    if on_progress:
        on_progress(read_failures, total)

    lock = OutputLock(out_dir)
    try:
        lock.acquire()
        writer = AtomicWriter(out_dir, [ARTICLES_FILE, CHRONOLOGY_FILE, ERRORS_FILE, PASSED_OVER_FILE])
    except OSError as exc:
        lock.release()
        raise write_error(out_dir, exc) from exc
    try:
        for k, (article, result) in enumerate(_process(nlp, articles, workers), start=1):
            if isinstance(result, PipelineError):
                summary.errors.append(InputError(article.path, result.code, result.message))
            else:
                doc_id = doc_ids[article.path]
                try:
                    record = doc_to_article_record(
                        result,
                        doc_id=doc_id,
                        source=SourceInfo(path=str(article.path), sha256=article.sha256, format=article.format),
                        model=model_name,
                    )
                    entries = chronology_records(record)
                except (ValueError, KeyError) as exc:  # pydantic's ValidationError is a ValueError
                    summary.errors.append(
                        InputError(article.path, "E031", f"a stage wrote an invalid annotation: {exc}")
                    )
                else:
                    writer.write_line(ARTICLES_FILE, dumps(record))
                    for entry in entries:
                        writer.write_line(CHRONOLOGY_FILE, dumps(entry))
                        summary.entries += 1
                    summary.articles += 1
                    if record.warnings:
                        summary.warnings[doc_id] = [f"{w.code}: {w.message}" for w in record.warnings]
            if on_progress:
                on_progress(read_failures + k, total)
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
        writer.commit()
    except OSError as exc:
        writer.abort()
        raise write_error(out_dir, exc) from exc
    except BaseException:
        writer.abort()
        raise
    finally:
        lock.release()
    return summary


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
