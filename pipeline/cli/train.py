"""``ccpipeline train`` and ``ccpipeline evaluate``; ``annotate`` with the models folder's default."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from pipeline.cli import annotate as annotate_cmd
from pipeline.errors import PipelineError
from pipeline.events.lexicon import POLARITIES
from pipeline.training.models import (
    DEFAULT_MODELS_DIR,
    default_model_path,
    load_pipeline,
    read_default,
    read_training_record,
    resolve_reference,
)
from pipeline.training.train import DATE_CASES_FILE, SHIPPED_DATA, TrainOptions

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_GOLD = REPO_ROOT / "corpus" / "gold" / "seed_chronology_polarity.jsonl"
# Where gold articles are looked for by default (the seed article lives outside the repo).
DEFAULT_REAL_GOLD = REPO_ROOT / "corpus" / "gold" / "real"
DEFAULT_GOLD_ARTICLES = [REPO_ROOT / "corpus" / "articles", REPO_ROOT.parent / "shared" / "seeds"]

ModelsDir = Annotated[
    Path, typer.Option("--models-dir", help="Folder of trained models and default.json.")
]
GoldArticles = Annotated[
    list[Path] | None,
    typer.Option("--gold-articles", help="Folder(s) holding the gold set's article files."),
]


def _fail(exc: PipelineError) -> typer.Exit:
    typer.echo(str(exc), err=True)
    return typer.Exit(2)


def _articles(dirs: list[Path] | None) -> list[Path]:
    return list(dirs) if dirs else [d for d in DEFAULT_GOLD_ARTICLES if d.is_dir()]


def train_command(
    corrections: Annotated[
        list[Path],
        typer.Option("--corrections", help="Review database or JSONL (native, Prodigy, doccano); "
                     "repeat for several."),
    ],
    out: Annotated[Path, typer.Option("--out", help="New model folder, e.g. models/v2.")],
    parent: Annotated[
        str | None,
        typer.Option(help="Parent model (folder or name in --models-dir; 'packaged' for the "
                     "packaged pipeline). Default: the models folder's default, else packaged."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed (split, initialisation, order).")] = 13,
    margin: Annotated[
        float, typer.Option(help="Largest gold macro-F1 drop against the parent still accepted.")
    ] = 0.02,
    gold: Annotated[
        Path | None, typer.Option(help="Gold chronology-polarity file (never trained on).")
    ] = None,
    gold_articles: GoldArticles = None,
    no_gold: Annotated[
        bool, typer.Option("--no-gold", help="Skip the gold set (the model is not made default).")
    ] = False,
    shipped: Annotated[Path, typer.Option(help="The shipped labelled set.")] = SHIPPED_DATA,
    epochs: Annotated[int, typer.Option(min=1)] = 20,
    correction_weight: Annotated[
        int, typer.Option(min=1, help="Copies of each corrected sentence per epoch.")
    ] = 4,
    mode: Annotated[str, typer.Option(help="dipl_events mode: combined | classifier.")] = "combined",
    classifier_weight: Annotated[
        float, typer.Option(help="Classifier's weight in combined mode (see docs/training.md).")
    ] = 0.6,
    models_dir: Annotated[
        Path | None,
        typer.Option("--models-dir", help="Folder holding default.json (default: --out's folder)."),
    ] = None,
    base_model: Annotated[
        str | None, typer.Option(help="English model when the parent is 'packaged'.")
    ] = None,
    default: Annotated[
        bool, typer.Option("--default/--no-default", help="Make it the default if it passes.")
    ] = True,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing --out folder.")] = False,
    holdout_share: Annotated[
        float, typer.Option(help="Share of the corrected articles held out to score the corrections' effect.")
    ] = 0.25,
    records: Annotated[
        list[Path] | None,
        typer.Option("--records", help="Output folder(s) the corrections were made on (their articles.jsonl); "
                     "a review database's folder and a JSONL file's folder are used without it."),
    ] = None,
) -> None:
    """Train the polarity classifier on corrections and write a complete pipeline to --out."""
    gold_path = None if no_gold else (gold or (DEFAULT_GOLD if DEFAULT_GOLD.is_file() else None))
    from pipeline.training.train import train_model

    options = TrainOptions(
        corrections=list(corrections),
        out=out,
        parent=parent,
        seed=seed,
        margin=margin,
        gold=gold_path,
        gold_articles=_articles(gold_articles),
        shipped=shipped,
        epochs=epochs,
        correction_weight=correction_weight,
        mode=mode,
        classifier_weight=classifier_weight,
        models_dir=models_dir,
        base_model=base_model,
        make_default=default,
        overwrite=overwrite,
        holdout_share=holdout_share,
        records=list(records or []),
    )
    try:
        result = train_model(options)
    except PipelineError as exc:
        raise _fail(exc) from exc
    report = result.report
    for message in result.messages:
        typer.echo(f"note: {message}", err=True)
    for row in report["skipped_corrections"]:
        typer.echo(f"skipped: {row['source']}:{row['line'] or '-'}: {row['reason']}", err=True)
    counts = report["examples"]
    typer.echo(
        f"trained on {counts['examples']} examples "
        f"({', '.join(f'{k} {v}' for k, v in counts['total'].items())}); "
        f"{counts['judgements']} judgements, {counts['replaced_shipped']} shipped replaced, "
        f"{counts['stripped_gold']} stripped as gold"
    )
    if report["dev"]:
        typer.echo(f"dev (by article, n={report['dev']['n']}): macro-F1 {report['dev']['macro_f1']}")
    for line in heldout_lines(report.get("heldout_corrections")):
        typer.echo(line)
    if report["gold"]:
        g = report["gold"]
        control = f", control without the corrections {g['control']['macro_f1']}" if g.get("control") else ""
        typer.echo(
            f"gold macro-F1: new {g['model']['macro_f1']}, parent {g['parent']['macro_f1']} "
            f"({report['parent']['model']}){control}"
        )
    added = [r for r in report["registry_updates"] if r["outcome"].endswith("-added")]
    if report["registry_updates"]:
        typer.echo(f"registry: {len(added)} of {len(report['registry_updates'])} alias corrections added")
        for stage in ("actor", "agreement"):
            taken = [r for r in report["registry_updates"] if r["outcome"] == "reverted" and r.get("kind") == stage]
            if taken:
                typer.echo(f"{stage} corrections taken back by the {stage} guard: {len(taken)} ({taken[0]['reason']})")
    if report["date_regressions"]:
        typer.echo(f"date regression cases: {len(report['date_regressions'])} (in training.json)")
    if report.get("date_overrides"):
        learnt = [r for r in report["date_overrides"] if r["outcome"] == "learnt"]
        fixed = sum(1 for r in learnt if r.get("fixed_day"))
        typer.echo(f"date forms learnt by the date stage: {len(learnt)} ({fixed} as a fixed day of the year)")
        reverted = [r for r in report["date_overrides"] if r["outcome"] == "reverted"]
        if reverted:
            typer.echo(f"date forms reverted by the date guard: {len(reverted)} ({reverted[0]['reason']})")
    removed = report.get("removed_events") or []
    if removed:
        gone = [r for r in removed if r["outcome"] == "cue-removed"]
        typer.echo(f"deleted events: {len(gone)} cue(s) taken out of the lexicon"
                   + (f" ({', '.join(r['cue'] for r in gone)})" if gone else "")
                   + f", {len(removed) - len(gone)} trigger form(s) not learnt")
    for key, what, shown in (("modality_markers", "modality corrections", "marker"),
                             ("main_preferences", "main-event corrections", "prefer")):
        rows = report.get(key) or []
        if rows:
            learnt = [r for r in rows if r["outcome"] == "learnt"]
            taken = [r for r in rows if r["outcome"] == "reverted"]
            words = sorted({str(r.get(shown)) if shown == "marker" else f"{r['prefer']} over {r['over']}" for r in learnt})
            typer.echo(f"{what}: {len(learnt)} of {len(rows)} learnt" + (f" ({', '.join(words)})" if words else "")
                       + (f"; {len(taken)} taken back by the guard ({taken[0]['reason']})" if taken else ""))
    links = report.get("alignment")
    if links:
        threshold = links.get("threshold") or {}
        typer.echo(
            f"alignment: {links['used']} of {links['judgements']} link judgements used; threshold "
            f"{threshold.get('before')} -> {threshold.get('learnt')} ({links['outcome']}"
            + (f": {links['reason']}" if links.get("reason") else "") + ")"
        )
    typer.echo(f"wrote {result.out}")
    typer.echo(result.reason, err=not result.made_default)
    if not result.made_default and default:
        raise typer.Exit(3)


def heldout_lines(held: dict[str, Any] | None) -> list[str]:
    """The held-out corrections table: parent, control and the model trained without them."""
    if not held:
        return []
    lines = [f"held-out corrections ({held['n']} from {len(held['articles'])} article(s) left out of a "
             f"model trained on the rest: {', '.join(held['articles'])}):"]
    for name, label in (("parent", "parent"), ("control", "control (no corrections)"),
                        ("model", "trained without these articles")):
        scores = held.get(name)
        if scores:
            lines.append(f"  {label:<32} accuracy {scores['accuracy']:.3f}  macro-F1 {scores['macro_f1']:.3f}")
    return lines


def _table(label: str, scores: dict[str, Any]) -> list[str]:
    lines = [f"{label}: n={scores['n']} accuracy {scores['accuracy']} macro-F1 {scores['macro_f1']}"]
    lines.append(f"  {'label':<15}{'P':>8}{'R':>8}{'F1':>8}{'support':>9}")
    for name in POLARITIES:
        s = scores["per_label"][name]
        lines.append(
            f"  {name:<15}{s['precision']:>8}{s['recall']:>8}{s['f1']:>8}{s['support']:>9}"
        )
    return lines


def evaluate_command(
    model: Annotated[
        str | None,
        typer.Option(help="Model folder, name in --models-dir or 'packaged' (default: the default)."),
    ] = None,
    gold: Annotated[Path, typer.Option(help="Gold chronology-polarity file.")] = DEFAULT_GOLD,
    compare: Annotated[
        str | None, typer.Option(help="Second model for a before/after table.")
    ] = None,
    gold_articles: GoldArticles = None,
    models_dir: ModelsDir = DEFAULT_MODELS_DIR,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write scores here.")] = None,
    real_texts: Annotated[
        Path | None,
        typer.Option(help="Folder of the retrieved real-text development set (<id>.txt): adds the "
                          "per-stage table on it, for the model and --compare."),
    ] = None,
    real_gold: Annotated[Path, typer.Option(help="Gold of the real-text set.")] = DEFAULT_REAL_GOLD,
) -> None:
    """Score a model on the gold set: per-label P/R/F1, macro-F1, confusion, misclassified."""
    # imported here: an annotate run need not load the scoring code
    from pipeline.evaluation.events import format_confusion
    from pipeline.training.gold import load_gold, score_date_cases, score_gold
    from pipeline.training.guards import stage_gold_scores

    try:
        ref = model or read_default(models_dir) or "packaged"
        goldset = load_gold(gold, _articles(gold_articles))
        model_nlp = load_pipeline(ref, models_dir)
        scores = score_gold(model_nlp, goldset)
        compare_nlp = load_pipeline(compare, models_dir) if compare else None
        before = score_gold(compare_nlp, goldset) if compare_nlp is not None else None
        stages = stage_gold_scores(model_nlp, goldset)
        stages_before = stage_gold_scores(compare_nlp, goldset) if compare_nlp is not None else None
        cases = _date_cases(ref, models_dir)
        date_scores = score_date_cases(model_nlp, cases) if cases else None
        date_before = score_date_cases(compare_nlp, cases) if cases and compare_nlp is not None else None
        real: dict[str, Any] = {}
        if real_texts is not None:
            from pipeline.evaluation.realdev import stage_scores

            if compare_nlp is not None:
                real[str(compare)] = stage_scores(compare_nlp, real_gold, real_texts)
            real[str(ref)] = stage_scores(model_nlp, real_gold, real_texts)
    except PipelineError as exc:
        raise _fail(exc) from exc
    texts = {name: text for name, text in goldset.texts.items()}
    entries = {(e.article, e.entry_index): e for e in goldset.entries}
    for line in _table(f"model {ref}", scores):
        typer.echo(line)
    control = _control_scores(ref, models_dir, goldset.sha256)
    if control is not None:
        typer.echo(
            f"control (the same training without the corrections, from training.json): macro-F1 "
            f"{control['macro_f1']:.3f}, accuracy {control['accuracy']:.3f}; this model {scores['macro_f1']:.3f} "
            f"({scores['macro_f1'] - control['macro_f1']:+.3f} from the corrections themselves)"
        )
    typer.echo(format_confusion(scores["confusion"]))
    folder = resolve_reference(ref, models_dir)
    for line in heldout_lines((read_training_record(folder) or {}).get("heldout_corrections")
                              if isinstance(folder, Path) else None):
        typer.echo(line)
    misses = [r for r in scores["rows"] if r["gold"] != r["predicted"]]
    typer.echo(f"misclassified: {len(misses)}")
    for r in misses:
        e = entries[(r["article"], r["entry_index"])]
        snippet = " ".join(texts[r["article"]][e.start : e.end].split())[:90]
        typer.echo(
            f"  entry {r['entry_index']} {r['entry_date']}: gold {r['gold']}, predicted "
            f"{r['predicted']} (trigger {r['trigger']!r}) {snippet}"
        )
    if before is not None:
        typer.echo("")
        typer.echo(f"before ({compare}) -> after ({ref})")
        typer.echo(f"  {'metric':<22}{'before':>8}{'after':>8}{'change':>9}")
        metrics = [("accuracy", before["accuracy"], scores["accuracy"]),
                   ("macro-F1", before["macro_f1"], scores["macro_f1"])]
        metrics += [
            (f"F1 {p}", before["per_label"][p]["f1"], scores["per_label"][p]["f1"])
            for p in POLARITIES
        ]
        for name, b, a in metrics:
            typer.echo(f"  {name:<22}{b:>8}{a:>8}{a - b:>+9.3f}")
        changed = [
            (b, a) for b, a in zip(before["rows"], scores["rows"], strict=True)
            if b["predicted"] != a["predicted"]
        ]
        typer.echo(f"entries whose label changed: {len(changed)}")
        for b, a in changed:
            mark = "fixed" if a["predicted"] == a["gold"] else "broken" if b["predicted"] == b["gold"] else "still wrong"
            typer.echo(
                f"  entry {a['entry_index']} {a['entry_date']}: {b['predicted']} -> "
                f"{a['predicted']} (gold {a['gold']}, {mark})"
            )
    if stages:
        typer.echo("")
        typer.echo(f"per stage, on the gold articles ({', '.join(sorted(goldset.texts))}; each stage's guard figure):")
        if stages_before is not None:
            typer.echo(f"  {'stage':<30}{str(compare)[:12]:>12}{str(ref)[-12:]:>14}{'change':>9}")
            for name, value in stages.items():
                typer.echo(f"  {name:<30}{stages_before[name]:>12.3f}{value:>14.3f}{value - stages_before[name]:>+9.3f}")
        else:
            for name, value in stages.items():
                typer.echo(f"  {name:<30}{value:>8.3f}")
    if date_scores is not None:
        typer.echo("")
        line = f"date regression cases (the reviewers' date corrections): {date_scores['passed']}/{date_scores['cases']} pass"
        if date_before is not None:
            line += f" ({compare}: {date_before['passed']}/{date_before['cases']})"
        typer.echo(line)
        for row in date_scores["rows"]:
            if not row["ok"]:
                typer.echo(f"  fails: {row['text']!r} expected {row['expect']}"
                           + (f" {row['value']}" if row["value"] else "")
                           + (f", found {row['predicted_value']}" if row["found"] else ", not found"))
    if real:
        from pipeline.evaluation.realdev import format_stage_table

        typer.echo("")
        texts = next(iter(real.values()))["texts"]
        typer.echo(f"per stage, on the real-text development set ({texts} texts, {real_gold}):")
        for name, scores in real.items():
            for failure in scores["failed"]:
                typer.echo(f"  {name}: failed, scored as an empty record: {failure}", err=True)
        for line in format_stage_table(real):
            typer.echo(line)
    if json_out:
        json_out.write_text(
            json.dumps({"model": str(ref), "scores": scores, "compare": str(compare) if compare else None,
                        "before": before, "stages": stages, "stages_before": stages_before,
                        "date_cases": date_scores, "date_cases_before": date_before,
                        "real_text": real or None},
                       indent=2) + "\n",
            encoding="utf-8",
        )


def _control_scores(ref: str, models_dir: Path, gold_sha256: str) -> dict[str, Any] | None:
    """The control's gold scores a trained model's record keeps, when scored on this gold."""
    folder = resolve_reference(ref, models_dir)
    if not isinstance(folder, Path):
        return None
    record = read_training_record(folder) or {}
    gold = record.get("gold") or {}
    if gold.get("sha256") != gold_sha256:
        return None
    control = gold.get("control")
    return control if isinstance(control, dict) and "macro_f1" in control else None


def _date_cases(ref: str, models_dir: Path) -> list[dict[str, Any]]:
    """The date regression cases a trained model folder keeps (none for the packaged one)."""
    folder = resolve_reference(ref, models_dir)
    file = Path(folder) / DATE_CASES_FILE if isinstance(folder, Path) else None
    if file is None or not file.is_file():
        return []
    rows = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except ValueError as exc:
                raise PipelineError("E062", f"{file}, line {number}: {exc}") from exc
    return rows


def _annotate_with_default(**kwargs: Any) -> None:
    models_dir: Path = kwargs.pop("models_dir")
    if kwargs.get("model") is None:
        try:
            default = default_model_path(models_dir)
        except PipelineError as exc:
            raise _fail(exc) from exc
        if default is not None:
            typer.echo(f"using the default model {default}", err=True)
            kwargs["model"] = str(default)
    annotate_cmd.annotate_command(**kwargs)


def annotate_with_default() -> Any:
    """``annotate`` with one more option, ``--models-dir``: without ``--model`` the models
    folder's default (``default.json``) is used when it exists.  The signature is the
    annotate command's own plus that option, so new annotate options carry over."""
    base = inspect.signature(annotate_cmd.annotate_command, eval_str=True)
    extra = inspect.Parameter(
        "models_dir",
        inspect.Parameter.KEYWORD_ONLY,
        default=DEFAULT_MODELS_DIR,
        annotation=ModelsDir,
    )
    params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) if p.kind is p.POSITIONAL_OR_KEYWORD
              else p for p in base.parameters.values()]

    def command(**kwargs: Any) -> None:
        _annotate_with_default(**kwargs)

    command.__signature__ = base.replace(parameters=[*params, extra])  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in [*params, extra]}
    command.__doc__ = (annotate_cmd.annotate_command.__doc__ or "") + (
        " Without --model, uses the default recorded in --models-dir/default.json."
    )
    command.__name__ = "annotate"
    return command
