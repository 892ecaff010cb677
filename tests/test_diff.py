"""``ccpipeline diff``: what changed between two output folders, per article."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.diff import diff_outputs
from tests.review.fixture_records import FIXTURE_DIR


def _copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURE_DIR, target)
    return target


def _edit(folder: Path, change) -> None:  # type: ignore[no-untyped-def]
    path = folder / "articles.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    change(records[0])
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_identical_folders_have_no_changes(tmp_path: Path) -> None:
    a, b = _copy(tmp_path, "a"), _copy(tmp_path, "b")
    diff = diff_outputs(a, b)
    assert not diff.only_a and not diff.only_b and all(x.empty for x in diff.articles)
    result = CliRunner().invoke(app, ["diff", str(a), str(b)])
    assert result.exit_code == 0 and "2 article(s) unchanged, 0 changed" in result.output


def test_every_kind_of_change_is_reported(tmp_path: Path) -> None:
    a, b = _copy(tmp_path, "a"), _copy(tmp_path, "b")

    def change(record):  # type: ignore[no-untyped-def]
        record["chronology"][1]["polarity"] = "de-escalatory"
        narrative = next(s for s in record["sentences"] if s.get("polarity"))
        narrative["polarity"] = "neutral" if narrative["polarity"] != "neutral" else "escalatory"
        record["actors"] = record["actors"][1:]
        record["dates"][0]["value"] = "2031-02-04"
        record["events"][0]["polarity"] = "neutral"
        record["events"][0]["aligned_entries"] = []
        record["events"] = record["events"][:-1]

    _edit(b, change)
    article = next(x for x in diff_outputs(a, b).articles if not x.empty)
    assert [c["polarity"] for c in article.entries] == [["escalatory", "de-escalatory"]]
    assert len(article.sentences) == 1
    assert [c["change"] for c in article.actors] == ["removed"] and article.actors[0]["text"] == "Tanaka Hiro"
    assert article.dates[0]["value"] == ["2031-02-03", "2031-02-04"]
    assert article.events_changed[0]["polarity"] == ["de-escalatory", "neutral"]
    assert len(article.events_removed) == 1
    assert article.links_removed == [{"event_id": "evt-275-346", "entry_id": "chr-001"}]
    out = tmp_path / "diff.json"
    result = CliRunner().invoke(app, ["diff", str(a), str(b), "--json", str(out)])
    assert result.exit_code == 1
    assert "entry chr-002: escalatory -> de-escalatory" in result.output
    assert json.loads(out.read_text())["articles"][0]["doc_id"] == article.doc_id


def test_articles_only_on_one_side_and_changed_text(tmp_path: Path) -> None:
    a, b = _copy(tmp_path, "a"), _copy(tmp_path, "b")
    lines = (b / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    (b / "articles.jsonl").write_text(lines[0] + "\n", encoding="utf-8")
    _edit(b, lambda r: r.__setitem__("text", r["text"].replace("Busan", "Pusan")))
    diff = diff_outputs(a, b)
    assert diff.only_a == ["fx_hostile_markup"] and not diff.only_b
    assert diff.articles[0].text_changed


def test_a_folder_without_records_is_e090(tmp_path: Path) -> None:
    a = _copy(tmp_path, "a")
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(app, ["diff", str(a), str(tmp_path / "empty")])
    assert result.exit_code == 2 and "E090" in result.output
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "articles.jsonl").write_text("{not json\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", str(a), str(tmp_path / "bad")])
    assert result.exit_code == 2 and "line 1" in result.output


def test_a_folder_whose_files_do_not_match_its_manifest_is_e091(tmp_path: Path, seed_path: Path) -> None:
    from pipeline.annotate import annotate
    from pipeline.manifest import verify
    from pipeline.nlp import build_pipeline

    out = tmp_path / "out"
    annotate([seed_path], out, build_pipeline())
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["files"]) == {"articles.jsonl", "chronology.jsonl", "errors.jsonl", "issues.jsonl", "passed_over.jsonl"}
    assert manifest["files"]["chronology.jsonl"]["lines"] == 26 and not verify(out)
    # A chronology file from another run: the folder is no longer one run's outputs.
    (out / "chronology.jsonl").write_text("", encoding="utf-8")
    assert verify(out) == ["chronology.jsonl is not the file the last run wrote"]
    result = CliRunner().invoke(app, ["diff", str(out), str(out)])
    assert result.exit_code == 2 and "E091" in result.output
