"""``ccpipeline timeline OUT``: each relationship's escalation by month, across a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.diff import read_records
from pipeline.errors import PipelineError
from pipeline.timeline import relationship_months, to_csv


def timeline_command(
    folder: Annotated[Path, typer.Argument(help="An output folder of annotate.")],
    csv_out: Annotated[Path | None, typer.Option("--csv", help="Write the table here (default: print it).")] = None,
) -> None:
    """Per relationship and month: chronology entries by polarity and the net escalation
    (escalatory minus de-escalatory); undated entries in a row with an empty month."""
    try:
        records = read_records(folder)
    except PipelineError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    text = to_csv(relationship_months(records.values()))
    if csv_out is None:
        typer.echo(text, nl=False)
    else:
        csv_out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {csv_out}")
