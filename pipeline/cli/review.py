"""``ccpipeline review`` / ``report`` / ``export-corrections`` / ``import-corrections``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.atomic import write_text_atomic
from pipeline.errors import PipelineError
from pipeline.review import export
from pipeline.review.loader import load_articles
from pipeline.review.store import DEFAULT_DB_NAME, CorrectionStore


def default_reviewer() -> str:
    # The web app (FastAPI) is imported only by the commands that need it, so that
    # ``annotate`` and ``train`` do not pay for it at start-up.
    from pipeline.review.app import default_reviewer as reviewer

    return reviewer()

app = typer.Typer(
    name="review", help="Review, correct and report on annotated records.", no_args_is_help=True
)

RecordsDir = Annotated[
    Path,
    typer.Argument(
        help="Folder holding articles.jsonl and chronology.jsonl.", file_okay=False, exists=True
    ),
]
DbOption = Annotated[
    Path | None,
    typer.Option("--db", help=f"Corrections database (default: RECORDS_DIR/{DEFAULT_DB_NAME})."),
]


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code=1)


@app.command("review")
def review_command(
    records_dir: RecordsDir,
    host: Annotated[
        str, typer.Option(help="Address to listen on (local only by default).")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(help="Port to listen on (0: any free port).", min=0, max=65535)
    ] = 8765,
    db: DbOption = None,
    reviewer: Annotated[
        str,
        typer.Option(
            help="Name recorded with every correction (default: $CCREVIEW_REVIEWER or login)."
        ),
    ] = "",
    compare: Annotated[
        Path | None,
        typer.Option(help="An earlier output folder of the same articles: the Changes page shows "
                          "what this folder's run changed against it."),
    ] = None,
) -> None:
    """Start the review web app over RECORDS_DIR and print its address."""
    from pipeline.review.app import create_app
    from pipeline.review.serve import bound_url, listen_socket, serve

    # On a loopback address only answer requests naming it (a guard against DNS rebinding).
    loopback = {"127.0.0.1", "localhost", "::1"}
    allowed = sorted(loopback | {host}) if host in loopback else None
    try:
        web = create_app(
            records_dir, db, reviewer=reviewer or default_reviewer(), allowed_hosts=allowed,
            compare_dir=compare,
        )
        # Claim the port before printing the address: on a taken port the URL would lead
        # to the other server.
        sock = listen_socket(host, port)
    except PipelineError as exc:
        _fail(str(exc))
        return
    typer.echo(f"Review app for {records_dir} at {bound_url(sock, host)} (Ctrl+C to stop)")
    typer.echo(f"Corrections are stored in {web.state.store.path}")
    serve(web, sock, host)


@app.command("report")
def report_command(
    records_dir: RecordsDir,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="The HTML file to write.", dir_okay=False)
    ],
    db: DbOption = None,
) -> None:
    """Write one self-contained HTML report of RECORDS_DIR (corrections applied if any)."""
    from pipeline.review.report import write_report

    try:
        path = write_report(records_dir, out, db)
    except PipelineError as exc:
        _fail(str(exc))
        return
    typer.echo(f"Wrote {path}")


@app.command("export-corrections")
def export_corrections_command(
    records_dir: RecordsDir,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Folder to write the export files into.", file_okay=False),
    ],
    db: DbOption = None,
) -> None:
    """Write corrections.jsonl, the corrected articles/chronology, Prodigy and doccano tasks."""
    try:
        articles = load_articles(records_dir)
    except PipelineError as exc:
        _fail(str(exc))
        return
    store = CorrectionStore(db or records_dir / DEFAULT_DB_NAME)
    files = {
        "corrections.jsonl": export.corrections_jsonl(store, articles),
        "articles.jsonl": export.corrected_articles_jsonl(store, articles),
        "chronology.jsonl": export.corrected_chronology_jsonl(store, articles),
        "prodigy-textcat.jsonl": export.prodigy_textcat_jsonl(store, articles),
        "prodigy-spans.jsonl": export.prodigy_spans_jsonl(store, articles),
        "doccano.jsonl": export.doccano_jsonl(store, articles),
    }
    for name, text in files.items():
        write_text_atomic(out / name, text)
    rows = export.correction_rows(store, articles)
    orphans = [r for r in rows if r["status"] == "orphaned"]
    typer.echo(
        f"Wrote {len(files)} files to {out}: {len(rows)} corrections, {len(orphans)} no longer fit"
    )
    for row in orphans:
        typer.echo(
            f"  no longer fits: #{row['id']} {row['doc_id']} {row['kind']} {row['element_id']}: {row['reason']}",
            err=True,
        )


@app.command("import-corrections")
def import_corrections_command(
    records_dir: RecordsDir,
    file: Annotated[
        Path,
        typer.Argument(help="Corrections, Prodigy or doccano JSONL.", exists=True, dir_okay=False),
    ],
    db: DbOption = None,
    reviewer: Annotated[
        str, typer.Option(help="Name recorded with imported task corrections.")
    ] = "",
) -> None:
    """Read corrections (native, Prodigy or doccano JSONL) into the store."""
    try:
        articles = load_articles(records_dir)
        store = CorrectionStore(db or records_dir / DEFAULT_DB_NAME)
        result = export.import_jsonl(
            file.read_text(encoding="utf-8"), store, articles, reviewer or default_reviewer()
        )
    except (PipelineError, export.ImportFormatError) as exc:
        _fail(f"{file}: {exc}")
        return
    typer.echo(f"Imported {result.added} correction(s) from {file}; skipped {result.skipped}")
    for problem in result.problems:
        typer.echo(f"  skipped {problem}", err=True)
