"""``ccpipeline timeline``: each relationship's chronology by month and polarity."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.timeline import relationship_months
from tests.review.fixture_records import main_article


def test_entries_are_counted_by_relationship_month_and_polarity() -> None:
    record = main_article().model_dump()
    other = main_article().model_dump()
    other["doc_id"] = "fx-second-issue"
    other["chronology"][0]["date"] = None  # a lost date is counted, not dropped
    rows = relationship_months([record, other])
    by_month = {r["month"]: r for r in rows}
    assert {r["relationship"] for r in rows} == {"Japan - Korea"}
    assert by_month["2031-02"]["de-escalatory"] == 1 and by_month["2031-02"]["escalatory"] == 2
    assert by_month["2031-02"]["net_escalation"] == 1 and by_month["2031-02"]["articles"] == 2
    assert by_month[""]["de-escalatory"] == 1 and rows[-1]["month"] == ""
    entries = sum(r["escalatory"] + r["de-escalatory"] + r["neutral"] for r in rows)
    assert entries == len(record["chronology"]) + len(other["chronology"])


def test_the_command_writes_a_csv(tmp_path: Path) -> None:
    from tests.review.fixture_records import FIXTURE_DIR

    out = tmp_path / "t.csv"
    result = CliRunner().invoke(app, ["timeline", str(FIXTURE_DIR), "--csv", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0]["relationship"] == "Japan - Korea" and rows[0]["month"] == "2031-02"
    assert CliRunner().invoke(app, ["timeline", str(tmp_path)]).exit_code == 2
