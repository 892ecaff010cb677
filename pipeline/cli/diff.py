"""``ccpipeline diff OUT_A OUT_B``: what changed between two output folders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from pipeline.diff import diff_outputs, format_diff
from pipeline.errors import PipelineError


def diff_command(
    folder_a: Annotated[Path, typer.Argument(help="The earlier output folder.")],
    folder_b: Annotated[Path, typer.Argument(help="The later output folder.")],
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write every change to this file.")] = None,
    limit: Annotated[int, typer.Option(min=0, help="Changes of each kind shown per article.")] = 10,
) -> None:
    """Per article: polarity changes of entries and sentences, events added, removed or
    changed, actor, date and agreement mentions added, removed or re-resolved, alignment links
    added and removed. Exit code 0 when nothing changed, 1 when something did."""
    try:
        diff = diff_outputs(folder_a, folder_b)
    except PipelineError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    typer.echo(format_diff(diff, limit))
    if json_out is not None:
        json_out.write_text(json.dumps(diff.as_dict(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if diff.only_a or diff.only_b or any(not a.empty for a in diff.articles):
        raise typer.Exit(1)
