"""The review sub-app's commands, run through typer's test runner."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli.review import app
from pipeline.errors import PipelineError
from pipeline.review import edits, serve
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


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port on 127.0.0.1 held by another listening socket for the test's duration."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
        other.bind(("127.0.0.1", 0))
        other.listen(1)
        yield other.getsockname()[1]


def _no_serving(*args: object) -> None:
    raise AssertionError("the app must not be served")


def test_review_on_a_taken_port_fails_before_printing_the_url(
    records_dir: Path, tmp_path: Path, taken_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve, "serve", _no_serving)
    result = runner.invoke(
        app,
        ["review", str(records_dir), "--port", str(taken_port), "--db", str(tmp_path / "c.sqlite")],
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("E080: ")
    assert f"127.0.0.1:{taken_port}" in lines[0] and "--port" in lines[0]
    assert "http://" not in result.output and "Review app" not in result.output


def test_review_prints_the_url_of_the_port_it_holds(
    records_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[int] = []

    def fake_serve(web: object, sock: socket.socket, host: str) -> None:
        # By the time the URL is out the port is ours: a client can connect to it.
        port = sock.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            served.append(port)
        sock.close()

    monkeypatch.setattr(serve, "serve", fake_serve)
    result = runner.invoke(
        app, ["review", str(records_dir), "--port", "0", "--db", str(tmp_path / "c.sqlite")]
    )
    assert result.exit_code == 0, result.output
    assert len(served) == 1 and served[0] != 0
    assert f"at http://127.0.0.1:{served[0]}/ (Ctrl+C to stop)" in result.stdout


def test_listen_socket_names_a_taken_port(taken_port: int) -> None:
    with pytest.raises(PipelineError) as err:
        serve.listen_socket("127.0.0.1", taken_port)
    assert err.value.code == "E080"
    assert f"--port {taken_port + 1}" in err.value.message


def test_listen_socket_refuses_an_address_not_on_this_machine() -> None:
    # 192.0.2.0/24 is TEST-NET-1: never assigned to a local interface.
    with pytest.raises(PipelineError) as err:
        serve.listen_socket("192.0.2.1", 0)
    assert err.value.code == "E081" and "192.0.2.1:0" in err.value.message


def test_review_refuses_a_port_out_of_range(records_dir: Path) -> None:
    result = runner.invoke(app, ["review", str(records_dir), "--port", "70000"])
    assert result.exit_code != 0 and "http://" not in result.output
