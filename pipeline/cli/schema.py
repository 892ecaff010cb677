"""``ccpipeline schema``: print the JSON Schema of the output records."""

from __future__ import annotations

import json

import typer

from pipeline.records import json_schema


def schema_command() -> None:
    """Print the JSON Schema of articles.jsonl, chronology.jsonl and errors.jsonl records."""
    typer.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))
