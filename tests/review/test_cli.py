"""The review sub-app's commands, run through typer's test runner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli.review import app
from pipeline.review import edits
from pipeline.review.loader import load_articles
from pipeline.review.reattach import apply_corrections
from pipeline.review.store import CorrectionStore
from tests.review.fixture_records import MAIN_DOC

runner = CliRunner()


def test_report_command_writes_one_html_file(records_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(records_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_report_command_fails_in_one_line_without_records(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(tmp_path), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 1
    assert "E050" in result.output
    assert not (tmp_path / "r.html").exists()


def test_export_then_import_round_trip(records_dir: Path, tmp_path: Path) -> None:
    store = CorrectionStore(records_dir / "corrections.sqlite")
    overlay = apply_corrections(load_articles(records_dir)[MAIN_DOC], [])
    for c in edits.set_fields(overlay, "event", "evt-448-502", {"polarity": "neutral"}, "ana"):
        store.add(c)
    out = tmp_path / "export"
    result = runner.invoke(app, ["export-corrections", str(records_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "articles.jsonl",
        "chronology.jsonl",
        "corrections.jsonl",
        "doccano.jsonl",
        "prodigy-spans.jsonl",
        "prodigy-textcat.jsonl",
    ]
    assert json.loads((out / "corrections.jsonl").read_text().splitlines()[0])["after"] == "neutral"
    other = tmp_path / "other.sqlite"
    result = runner.invoke(
        app,
        [
            "import-corrections",
            str(records_dir),
            str(out / "corrections.jsonl"),
            "--db",
            str(other),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Imported 1 correction" in result.output
    assert [c.after for c in CorrectionStore(other).history()] == ["neutral"]
