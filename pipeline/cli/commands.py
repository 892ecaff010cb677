"""The ``ccpipeline`` typer app: one module per command group (``pipeline.cli`` loads it)."""

from __future__ import annotations

import typer

from pipeline.cli import diff as diff_cmd
from pipeline.cli import review as review_cmd
from pipeline.cli import schema as schema_cmd
from pipeline.cli import timeline as timeline_cmd
from pipeline.cli import train as train_cmd

app = typer.Typer(
    name="ccpipeline",
    help="Annotate Comparative Connections articles: structure, actors, dates, agreements, events.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("annotate")(train_cmd.annotate_with_default())
app.command("schema")(schema_cmd.schema_command)
app.command("review")(review_cmd.review_command)
app.command("report")(review_cmd.report_command)
app.command("export-corrections")(review_cmd.export_corrections_command)
app.command("import-corrections")(review_cmd.import_corrections_command)
app.command("train")(train_cmd.train_command)
app.command("evaluate")(train_cmd.evaluate_command)
app.command("diff")(diff_cmd.diff_command)
app.command("timeline")(timeline_cmd.timeline_command)
