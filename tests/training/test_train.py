"""The round trip: corrections flip a family of sentences, the guard, meta, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

import pipeline.components  # noqa: F401  (registers factories and the tokenizer)
from pipeline.cli import app
from pipeline.errors import PipelineError
from pipeline.nlp import build_pipeline
from pipeline.training.corrections import PolarityJudgement, sha256_file
from pipeline.training.models import read_default
from pipeline.training.train import SHIPPED_DATA, TrainResult, heldout_articles
from tests.conftest import REPO_ROOT
from tests.training.conftest import (
    CORRECTED_FAMILY,
    FAST_EPOCHS,
    GOLD,
    MISSILE,
    UNSEEN_FAMILY,
    family_tasks,
    write_jsonl,
)


def unit_polarity(nlp: spacy.language.Language, text: str) -> str:
    """The polarity the pipeline gives a one-sentence text (its only unit)."""
    units = nlp(text)._.polarity_units
    found = [u["polarity"] for u in [*units["entries"].values(), *units["sentences"].values()]]
    assert len(found) == 1, f"{text!r} gave {len(found)} units"
    return str(found[0])


@pytest.fixture(scope="module")
def reloaded(trained: TrainResult) -> spacy.language.Language:
    return spacy.load(trained.out)


def test_unseen_family_sentences_take_the_corrected_label(
    trained: TrainResult, reloaded: spacy.language.Language
) -> None:
    parent = build_pipeline()
    # Before: the packaged model calls none of them de-escalatory.
    assert "de-escalatory" not in {unit_polarity(parent, t) for t in UNSEEN_FAMILY}
    # After: the saved, reloaded model follows the corrections on sentences it never saw...
    assert [unit_polarity(reloaded, t) for t in UNSEEN_FAMILY] == ["de-escalatory"] * 3
    # ... and still reads a missile launch as escalatory.
    assert unit_polarity(reloaded, MISSILE) == "escalatory"


def test_new_model_no_worse_on_gold_and_made_default(trained: TrainResult) -> None:
    gold = trained.report["gold"]
    assert gold["model"]["n"] == 26
    # The control, trained the same way without the corrections, is reported beside it.
    assert gold["control"]["n"] == 26 and "macro_f1" in gold["control"]
    assert gold["model"]["macro_f1"] >= gold["parent"]["macro_f1"]
    assert trained.made_default
    assert read_default(trained.out.parent) == trained.out.name


def test_corrections_are_scored_on_articles_held_out_of_a_model(trained: TrainResult) -> None:
    held = trained.report["heldout_corrections"]
    corrected = {doc_id for _, doc_id in CORRECTED_FAMILY}
    # whole articles are held out (one of the four), and their texts are what is scored
    assert len(held["articles"]) == 1 and set(held["articles"]) < corrected
    assert held["n"] == sum(1 for _, doc_id in CORRECTED_FAMILY if doc_id in held["articles"])
    # the family was learnt from the other articles: the held-out model gets what the parent
    # and the control (no corrections) do not
    assert held["model"]["accuracy"] == 1.0
    assert held["parent"]["accuracy"] < 1.0 and held["control"]["accuracy"] < 1.0
    assert held["model"]["n"] == held["parent"]["n"] == held["control"]["n"] == held["n"]


@pytest.mark.parametrize(("articles", "held"), [(["a"], 0), (["a", "b"], 1), (list("abcdefgh"), 2)])
def test_held_out_articles_are_whole_and_never_all(articles: list[str], held: int) -> None:
    judgements = [PolarityJudgement(text=f"{a} sentence {k}", label="neutral", answer="accept", article=a, source="t")
                  for a in articles for k in range(3)]
    chosen = heldout_articles(judgements, 0.25, 13)
    assert len(chosen) == held and chosen <= set(articles)
    assert heldout_articles(judgements, 0.25, 13) == chosen  # seeded: the same every time
    with pytest.raises(PipelineError):
        heldout_articles(judgements, 1.0, 13)


def test_saved_pipeline_is_complete(trained: TrainResult, reloaded: spacy.language.Language) -> None:
    from pipeline.components.tokenizer import ArticleTokenizer

    assert isinstance(reloaded.tokenizer, ArticleTokenizer)
    for stage in ("dipl_segmenter", "dipl_actors", "dipl_dates", "dipl_agreements",
                  "dipl_events", "dipl_align"):
        assert stage in reloaded.pipe_names
    events = reloaded.get_pipe("dipl_events")
    assert events.mode == "combined"  # type: ignore[attr-defined]
    assert events.classifier is not None  # type: ignore[attr-defined]
    assert (trained.out / "dipl_events" / "polarity_classifier" / "config.cfg").is_file()


def test_alias_corrections_land_in_the_model_registries(
    trained: TrainResult, reloaded: spacy.language.Language
) -> None:
    outcomes = {(r["kind"], r["surface"]): r["outcome"] for r in trained.report["registry_updates"]}
    assert outcomes[("actor", "Korean foreign affairs office")] == "alias-added"
    assert outcomes[("agreement", "intel pact")] == "alias-added"
    saved = (trained.out / "dipl_actors" / "actors.jsonl").read_text(encoding="utf-8")
    assert "Korean foreign affairs office" in saved
    doc = reloaded("The Korean foreign affairs office said the intel pact would lapse.")
    assert "kor-mofa" in {s._.actor_canonical_id for s in doc.spans["actors"]}
    assert "gsomia-jpn-kor" in {s._.agreement_canonical_id for s in doc.spans["agreements"]}
    # a new person: in the registry under a registry id, found by full name and surname
    assert outcomes[("actor", "Ryu Hae-won")] == "entry-added"
    fresh = "Japan - Korea\n\nVice Minister Ryu Hae-won met officials in Tokyo. Ryu said the talks went well.\n"
    after = reloaded(fresh)
    ids = {s.text: (s._.actor_canonical_id, s._.actor_country) for s in after.spans["actors"]}
    assert ids["Ryu Hae-won"] == ids["Ryu"] == ("ryu-hae-won", "KOR")
    before = build_pipeline()(fresh)
    assert {s.text: s._.actor_canonical_id for s in before.spans["actors"]}.get("Ryu Hae-won") == "local:ryu-hae-won"
    # the packaged registry files are untouched
    packaged = REPO_ROOT / "pipeline" / "data" / "actors" / "government_bodies.jsonl"
    assert "Korean foreign affairs office" not in packaged.read_text(encoding="utf-8")


def test_a_corrected_date_form_the_stage_could_not_read_is_learnt(
    trained: TrainResult, reloaded: spacy.language.Language
) -> None:
    rows = {r["surface"]: r for r in trained.report["date_overrides"]}
    assert rows["Gwangbokjeol"]["outcome"] == "learnt" and rows["Gwangbokjeol"]["values"] == ["2019-08-15"]
    # the date guard scored the gold articles' date gold before and after: no drop
    before, after = rows["Gwangbokjeol"]["gold_f1"]
    assert 0.5 < before <= after + 0.02
    # "Nov. 23" is read by the stage itself: the correction fixed its context, not its form
    assert rows["Nov. 23"]["outcome"] == "not-learnt"
    fresh = "Japan - Korea\n\nOn Gwangbokjeol the envoys met in Seoul. The next talks were on Sept. 2, 2019.\n"
    doc = reloaded(fresh)
    dates = {s.text: (s._.date_value, s._.date_reason) for s in doc.spans["dates"]}
    assert dates["Gwangbokjeol"] == ("2019-08-15", None)
    other_year = reloaded(fresh.replace("2019", "2021"))
    dates = {s.text: (s._.date_value, s._.date_reason) for s in other_year.spans["dates"]}
    # corrected in 2019 only: a movable day is not guessed for 2021
    assert dates["Gwangbokjeol"] == (None, "corrected_for_another_year")
    packaged = build_pipeline()(fresh)
    assert "Gwangbokjeol" not in [s.text for s in packaged.spans["dates"]]


def test_meta_and_training_record(trained: TrainResult) -> None:
    record = json.loads((trained.out / "training.json").read_text(encoding="utf-8"))
    meta = json.loads((trained.out / "meta.json").read_text(encoding="utf-8"))["ccpipeline"]
    assert record["parent"]["kind"] == "packaged"
    assert meta["parent"]["model"].startswith("packaged")
    assert record["seed"] == meta["seed"] == 13
    assert record["pipeline_version"] == meta["pipeline_version"]
    assert record["data"]["shipped"]["sha256"] == sha256_file(SHIPPED_DATA)
    files = {Path(f["path"]).name: f for f in record["data"]["corrections"]}
    assert files["prodigy-textcat.jsonl"]["formats"] == {"prodigy-textcat": 16}
    assert record["data"]["gold"]["sha256"] == sha256_file(GOLD)
    counts = record["examples"]
    assert counts["by_origin"]["correction"]["de-escalatory"] == 8
    assert sum(counts["total"].values()) == counts["examples"] == counts["train"] + counts["dev"]
    assert record["dev"]["n"] == counts["dev"] > 0
    assert meta["gold_macro_f1"] == record["gold"]["model"]["macro_f1"]
    assert meta["label_counts"] == counts["total"]
    # the corrected date is a regression case in the report and next to the model
    assert record["date_regressions"][0]["text"] == "Nov. 23"
    assert record["date_regressions"][0]["value"] == "2019-11-23"
    assert (trained.out / "training" / "date_regressions.jsonl").is_file()
    # no seed-article text in the report rows
    assert all(set(row) >= {"gold", "predicted"} for row in record["gold"]["model"]["rows"])


def test_guard_refuses_a_model_trained_on_flipped_labels(
    trained: TrainResult, tmp_path: Path, seed_path: Path
) -> None:
    flip = {"escalatory": "de-escalatory", "de-escalatory": "escalatory", "neutral": "neutral"}
    rows = [json.loads(x) for x in SHIPPED_DATA.read_text(encoding="utf-8").splitlines() if x]
    corrupted = write_jsonl(
        tmp_path / "corrupted.jsonl", [{**r, "label": flip[r["label"]]} for r in rows]
    )
    corrections = write_jsonl(tmp_path / "tasks.jsonl", family_tasks())
    before = (trained.out.parent / "default.json").read_text(encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["train", "--corrections", str(corrections), "--out", str(trained.out.parent / "bad"),
         "--parent", str(trained.out), "--shipped", str(corrupted), "--gold", str(GOLD),
         "--gold-articles", str(seed_path.parent), "--epochs", str(FAST_EPOCHS)],
    )
    assert result.exit_code == 3, result.output
    assert "not made the default" in result.output
    assert "worse than the parent" in result.output
    assert (trained.out.parent / "bad" / "config.cfg").is_file()  # written, just not default
    assert (trained.out.parent / "default.json").read_text(encoding="utf-8") == before
    record = json.loads((trained.out.parent / "bad" / "training.json").read_text())
    assert record["gold"]["parent_from_cache"] is True
    assert record["parent"]["inherited_corrections"] == 16
    assert record["guard"]["made_default"] is False


def test_annotate_uses_the_default_model(trained: TrainResult, tmp_path: Path) -> None:
    article = tmp_path / "note.txt"
    article.write_text(UNSEEN_FAMILY[0] + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["annotate", str(article), "--out", str(tmp_path / "out"),
         "--models-dir", str(trained.out.parent), "--no-progress"],
    )
    assert result.exit_code == 0, result.output
    assert f"using the default model {trained.out}" in result.output
    record = json.loads((tmp_path / "out" / "articles.jsonl").read_text().splitlines()[0])
    held = [e for e in record["events"] if e["trigger"]["text"] == "held"]
    assert held[0]["polarity"] == "de-escalatory" and held[0]["is_main"]
    assert [s["polarity"] for s in record["sentences"]] == ["de-escalatory"]


def test_evaluate_prints_scores_and_a_before_after_table(
    trained: TrainResult, seed_path: Path, tmp_path: Path
) -> None:
    from tests.evaluation.test_realdev import _folder

    real_gold, real_texts = _folder(tmp_path)
    result = CliRunner().invoke(
        app,
        ["evaluate", "--model", str(trained.out), "--gold", str(GOLD),
         "--gold-articles", str(seed_path.parent), "--compare", "packaged",
         "--real-texts", str(real_texts), "--real-gold", str(real_gold)],
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "macro-F1" in out and "gold \\ pred" in out
    for label in ("escalatory", "de-escalatory", "neutral"):
        assert label in out
    assert "misclassified:" in out
    assert "before (packaged) -> after" in out
    assert "entries whose label changed:" in out
    record = json.loads((trained.out / "training.json").read_text(encoding="utf-8"))
    control = record["gold"]["control"]["macro_f1"]
    assert f"control (the same training without the corrections, from training.json): macro-F1 {control:.3f}" in out
    # the reviewers' date cases run again: the learnt form passes only with the trained model
    assert "date regression cases (the reviewers' date corrections): 2/2 pass (packaged: 1/2)" in out
    # the held-out corrections and the per-stage table on the real-text set
    assert "held-out corrections (" in out and "trained without these articles" in out
    assert "per stage, on the real-text development set (1 texts" in out
    assert "actors: actor mentions found" in out and "events: entry polarity accuracy" in out


def test_corrections_that_are_all_skipped_train_nothing(tmp_path: Path) -> None:
    from pipeline.errors import PipelineError
    from pipeline.training.train import TrainOptions, train_model

    ignored = write_jsonl(
        tmp_path / "ignored.jsonl",
        [{"text": "Seoul and Tokyo met.", "label": "neutral", "answer": "ignore", "meta": {"doc_id": "d"}},
         {"text": "Seoul and Tokyo met.", "spans": [], "answer": "reject", "meta": {"doc_id": "d"}}],
    )
    with pytest.raises(PipelineError) as err:
        train_model(TrainOptions(corrections=[ignored], out=tmp_path / "model"))
    assert err.value.code == "E063"
    assert "all 2 were skipped" in err.value.message
    assert not (tmp_path / "model").exists()


@pytest.mark.parametrize(
    ("name", "country", "surface", "family"),
    [("Ryu Hae-won", "KOR", "Ryu Hae-won", "Ryu"), ("Abe Shinzo", "JPN", None, "Abe"),
     ("Penny Wong", "AUS", None, "Wong"), ("Wang Yu-chi", None, "Wang", "Wang"),  # the surface says
     ("Sukarno", "IDN", None, None)],
)
def test_the_family_name_of_a_new_person(name: str, country: str | None, surface: str | None, family: str | None) -> None:
    from pipeline.training.registry import family_name_of

    assert family_name_of(name, country, surface) == family


def test_a_model_card_and_a_history_line_are_written(trained: TrainResult) -> None:
    from pipeline.training.card import CARD_FILE, HISTORY_FILE

    card = (trained.out / CARD_FILE).read_text(encoding="utf-8")
    record = json.loads((trained.out / "training.json").read_text(encoding="utf-8"))
    assert card.startswith(f"# Model `{trained.out.name}`")
    assert f"| this model | {record['gold']['model']['macro_f1']:.3f} |" in card
    assert f"| parent | {record['gold']['parent']['macro_f1']:.3f} |" in card
    assert "control (no corrections)" in card
    for source in record["data"]["corrections"]:
        assert source["sha256"][:12] in card
    assert "date forms learnt: 1 ('Gwangbokjeol')" in card
    history = [json.loads(x) for x in (trained.out.parent / HISTORY_FILE).read_text(encoding="utf-8").splitlines()]
    line = next(h for h in history if h["model"] == trained.out.name)
    assert line["made_default"] is trained.made_default
    assert line["gold_macro_f1"] == record["gold"]["model"]["macro_f1"]
