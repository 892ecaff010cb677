"""``ccpipeline train``: corrections + shipped set -> a complete, versioned pipeline folder.

Steps (each result goes to ``<out>/training.json`` and ``meta.json["ccpipeline"]``):

1. read the corrections (any format of :mod:`pipeline.training.corrections`);
2. resolve the parent (``--parent``, else the models folder's default, else the packaged
   pipeline); a saved parent's own corrections (``<parent>/training/corrections.jsonl``) are
   read first, so a child keeps them unless a newer correction says otherwise;
3. merge with the shipped set (:func:`pipeline.training.data.merge`), strip every example
   matching a gold entry, split by article, train on the train side and score the dev side,
   then train the final classifier on everything with the same seed;
4. build the pipeline on the parent (or the English model), replace ``dipl_events`` by one
   in ``combined`` (default) or ``classifier`` mode carrying the new classifier, write alias
   corrections into the registry copies, and save it;
5. score the new pipeline and the parent on the gold set; make the new model the default
   only when its macro-F1 is not lower than the parent's by more than ``margin``.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy
from confection import Config
from spacy.language import Language

from pipeline import __version__
from pipeline.evaluation.events import polarity_scores
from pipeline.model import resolve_model_name
from pipeline.nlp import build_pipeline
from pipeline.training import textcat
from pipeline.training.alignment import learn_alignment
from pipeline.training.card import CARD_FILE, append_history, history_line, model_card
from pipeline.training.corrections import (
    CorrectionSet,
    PolarityJudgement,
    read_all,
    sha256_file,
)
from pipeline.training.data import (
    LabelledExample,
    label_counts,
    merge,
    read_shipped,
    resolve_judgements,
    split_by_article,
    strip_gold,
)
from pipeline.training.errors import training_error
from pipeline.training.events import read_records
from pipeline.training.gold import GoldSet, load_gold, score_gold, score_texts
from pipeline.training.guards import (
    actors_gold_f1,
    agreements_gold_f1,
    alignment_gold_f1,
    dates_gold_f1,
    guarded_date_overrides,
    guarded_event_learning,
    guarded_registry_updates,
    main_event_gold_accuracy,
    modality_gold_accuracy,
)
from pipeline.training.models import (
    EVENTS_PIPE,
    PACKAGED,
    TRAINING_FILE,
    load_pipeline,
    model_kind,
    read_default,
    read_training_record,
    resolve_reference,
    with_classifier,
    write_default,
)
from pipeline.training.registry import apply_removed_events, complete_from_records
from pipeline.training.sentences import SENTENCES_DIR, read_sentences, split

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
SHIPPED_DATA = REPO_ROOT / "corpus" / "training" / "polarity_examples.jsonl"


CORRECTIONS_FILE = "training/corrections.jsonl"
DATE_CASES_FILE = "training/date_regressions.jsonl"
CLASSIFIER_IN_PIPELINE = "dipl_events/polarity_classifier"
MODES = ("combined", "classifier")


@dataclass
class TrainOptions:
    corrections: list[Path]
    out: Path
    parent: str | None = None
    seed: int = textcat.DEFAULT_SEED
    margin: float = 0.02
    gold: Path | None = None
    gold_articles: list[Path] = field(default_factory=list)
    shipped: Path = SHIPPED_DATA
    sentences: Path | None = SENTENCES_DIR  # the written sentence set (train split); None: leave out
    epochs: int = textcat.DEFAULT_EPOCHS
    dev_share: float = 0.2
    holdout_share: float = 0.25  # of the corrected articles, held out to score the corrections' effect
    correction_weight: int = 4
    mode: str = "combined"
    classifier_weight: float = 0.6
    models_dir: Path | None = None  # default: the folder holding ``out``
    base_model: str | None = None
    make_default: bool = True
    overwrite: bool = False
    records: list[Path] = field(default_factory=list)  # output folders the corrections were made on


@dataclass
class TrainResult:
    report: dict[str, Any]
    made_default: bool
    reason: str
    out: Path
    messages: list[str] = field(default_factory=list)


@dataclass
class Parent:
    label: str  # what the report calls it
    ref: Path | str  # PACKAGED, a folder, or a package name
    kind: str
    record: dict[str, Any] | None
    judgements: list[PolarityJudgement]


def resolve_parent(options: TrainOptions, models_dir: Path) -> Parent:
    ref: Path | str
    if options.parent:
        ref = resolve_reference(options.parent, models_dir)
    else:
        default = read_default(models_dir)
        ref = resolve_reference(default, models_dir) if default else PACKAGED
    kind = model_kind(ref)
    record = read_training_record(ref) if isinstance(ref, Path) else None
    judgements: list[PolarityJudgement] = []
    if isinstance(ref, Path) and (ref / CORRECTIONS_FILE).is_file():
        for line in (ref / CORRECTIONS_FILE).read_text(encoding="utf-8").splitlines():
            if line.strip():
                judgements.append(PolarityJudgement.model_validate_json(line))
    label = str(ref) if ref != PACKAGED else f"{PACKAGED} ({resolve_model_name(options.base_model)})"
    return Parent(label, ref, kind.kind, record, judgements)


def _check(options: TrainOptions) -> None:
    if options.mode not in MODES:
        raise training_error("E064", f"mode {options.mode!r}: use one of {MODES}")
    if not 0 <= options.classifier_weight <= 1:
        raise training_error("E064", "classifier weight must be within 0..1")
    if options.correction_weight < 1 or options.epochs < 1:
        raise training_error("E064", "correction weight and epochs must be at least 1")
    if options.margin < 0:
        raise training_error("E064", "the margin cannot be negative")
    out = Path(options.out)
    if out.exists() and any(out.iterdir()) and not options.overwrite:
        raise training_error("E062", f"{out} exists and is not empty (use --overwrite)")
    for folder in options.records:
        if not (Path(folder) / "articles.jsonl").is_file():
            raise training_error("E060", f"--records {folder}: no articles.jsonl there (give the output folder reviewed)")


def _items(examples: list[LabelledExample]) -> list[textcat.TextcatItem]:
    return [textcat.TextcatItem(e.text, e.label, e.weight) for e in examples]


def _file_entry(path: Path) -> dict[str, str]:
    return {"path": str(path), "sha256": sha256_file(Path(path))}


def _gold_summary(scores: dict[str, Any] | None) -> dict[str, Any] | None:
    if scores is None:
        return None
    return {k: scores[k] for k in ("n", "accuracy", "macro_f1", "per_label", "confusion", "rows")}


def parent_gold_scores(parent: Parent, gold: GoldSet, models_dir: Path) -> tuple[dict[str, Any], bool]:
    """The parent's gold scores: from its training record when it was scored on the same
    gold file (same sha256), else by running it.  Returns (scores, from_cache)."""
    record = parent.record or {}
    cached = (record.get("gold") or {}).get("model")
    if cached and (record.get("gold") or {}).get("sha256") == gold.sha256:
        return cached, True
    return score_gold(load_pipeline(parent.ref, models_dir), gold), False


def sentence_set_examples(folder: Path | None) -> list[LabelledExample]:
    """The written sentence set's training split (its test split is never trained on)."""
    if folder is None:
        return []
    train_rows, _ = split(read_sentences(folder), folder)
    return [
        LabelledExample(text=r.text, label=r.label, article=f"sentence-set:{r.dyad}:{r.style}", family=r.hard_case)
        for r in train_rows
    ]


def _parent_pipeline(options: TrainOptions, parent: Parent) -> Language:
    if parent.kind == "pipeline":
        return build_pipeline(str(parent.ref))
    return build_pipeline(options.base_model)


def build_model(
    options: TrainOptions, parent: Parent, classifier_dir: Path
) -> Language:
    """The full pipeline on the parent (or the English model) with the new classifier."""
    nlp = _parent_pipeline(options, parent)
    if EVENTS_PIPE not in nlp.pipe_names:
        raise training_error("E062", f"the pipeline built on {parent.label} has no {EVENTS_PIPE}")
    with_classifier(nlp, classifier_dir, options.mode, options.classifier_weight)
    # spacy.load must rebuild the article tokenizer (import pipeline.components first).
    nlp.config["nlp"]["tokenizer"] = {"@tokenizers": "dipl.article_tokenizer.v1"}
    return nlp


def heldout_articles(judgements: Sequence[PolarityJudgement], share: float, seed: int) -> set[str]:
    """The corrected articles held out of the held-out model: a fixed share of them (at least
    one, never all), chosen by a seeded shuffle; none when fewer than two articles were
    corrected. Whole articles, never sentences of one article on both sides."""
    if not 0 < share < 1:
        raise training_error("E064", f"held-out share {share} must be between 0 and 1")
    articles = sorted({j.article for j in judgements if j.article and j.answer == "accept"})
    if len(articles) < 2:
        return set()
    random.Random(seed).shuffle(articles)
    return set(articles[: min(len(articles) - 1, max(1, round(len(articles) * share)))])


def _scores_summary(scores: dict[str, Any]) -> dict[str, Any]:
    return {k: scores[k] for k in ("n", "accuracy", "macro_f1", "confusion")}


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )


def _point_config_at_saved_classifier(out: Path) -> None:
    """The saved config names the classifier inside the model, not the temporary folder
    it was trained in (``from_disk`` loads the saved copy either way)."""
    config_file = out / "config.cfg"
    config = Config().from_disk(config_file, interpolate=False)
    config["components"][EVENTS_PIPE]["classifier_path"] = CLASSIFIER_IN_PIPELINE
    config.to_disk(config_file, interpolate=False)


def train_model(options: TrainOptions) -> TrainResult:
    started = time.perf_counter()
    _check(options)
    out = Path(options.out)
    models_dir = Path(options.models_dir) if options.models_dir else out.parent
    messages: list[str] = []

    corrections: CorrectionSet = read_all(options.corrections)
    corrections.record_folders += [Path(f) for f in options.records if Path(f) not in corrections.record_folders]
    if not (corrections.judgements or corrections.aliases or corrections.dates or corrections.links
            or corrections.removed_events or corrections.modalities or corrections.mains):
        # A model "trained on corrections" that holds none would be the shipped data
        # retrained, and its changes would be credited to the reviewers.
        reasons = sorted({s.reason for s in corrections.skipped})
        raise training_error(
            "E063",
            f"no usable correction in {', '.join(str(c) for c in options.corrections)}"
            + (f": all {len(corrections.skipped)} were skipped ({'; '.join(reasons[:3])})" if corrections.skipped else ""),
        )
    parent = resolve_parent(options, models_dir)
    judgements = [*parent.judgements, *corrections.judgements]
    shipped = read_shipped(options.shipped) + sentence_set_examples(options.sentences)
    merged = merge(
        shipped,
        judgements,
        correction_weight=options.correction_weight,
        inherited=len(parent.judgements),
    )

    gold: GoldSet | None = None
    stripped: list[LabelledExample] = []
    examples = merged.examples
    if options.gold is not None:
        gold = load_gold(options.gold, options.gold_articles)
        examples, stripped = strip_gold(examples, gold.entry_texts())
        if stripped:
            messages.append(
                f"left out {len(stripped)} training example(s) matching gold entries "
                f"({', '.join(sorted({e.origin for e in stripped}))}): the gold set is never "
                "trained on"
            )
    if not examples:
        raise training_error("E063", "no labelled examples left after merging and gold stripping")

    # The classifier reads each sentence's tokens and feature words (main predicate, its
    # arguments, the lexicon's reading), built by the parent's own stages.
    featurizer = _parent_pipeline(options, parent)
    words = {id(e): item.words for e, item in zip(examples, textcat.with_words(featurizer, _items(examples)), strict=True)}

    def featured(rows: list[LabelledExample]) -> list[textcat.TextcatItem]:
        return [textcat.TextcatItem(e.text, e.label, e.weight, words[id(e)]) for e in rows]

    held = heldout_articles(corrections.judgements, options.holdout_share, options.seed)
    held_rows: list[tuple[str, str]] = []
    if held:
        state, _, _ = resolve_judgements([j for j in corrections.judgements if j.article in held])
        held_rows = [(judgement.text, label) for judgement, label in state.values() if label is not None]
    train_rows, dev_rows = split_by_article(examples, options.dev_share, options.seed)
    dev_scores: dict[str, Any] | None = None
    if train_rows and dev_rows:
        dev_model = textcat.train_words_classifier(featurizer, featured(train_rows), epochs=options.epochs, seed=options.seed)
        dev_pred = [
            max(s, key=lambda k: s[k])
            for s in textcat.predict_words(dev_model, [list(words[id(e)] or ()) for e in dev_rows])
        ]
        dev_scores = polarity_scores([e.label for e in dev_rows], dev_pred)
        dev_scores["train_examples"] = len(train_rows)
        dev_scores["dev_articles"] = len({e.article for e in dev_rows})
    final = textcat.train_words_classifier(featurizer, featured(examples), epochs=options.epochs, seed=options.seed)
    final.meta.update(
        {"name": f"{out.name}_polarity", "version": __version__,
         "description": "Event polarity textcat trained by ccpipeline train"}
    )
    train_seconds = round(time.perf_counter() - started, 1)

    with tempfile.TemporaryDirectory(prefix="ccpipeline-train-") as tmp:
        classifier_dir = Path(tmp) / "textcat"
        final.to_disk(classifier_dir)
        nlp = build_model(options, parent, classifier_dir)
        needed = {c.article for c in [*corrections.modalities, *corrections.mains] if c.article}
        needed |= {c.article for c in corrections.aliases if c.article and c.element_id}
        records = read_records(corrections.record_folders, needed) if needed else {}
        aliases = complete_from_records(corrections.aliases, records)
        registry_rows = guarded_registry_updates(nlp, aliases, gold, options.margin,
                                                 actors_f1=actors_gold_f1(gold),
                                                 agreements_f1=agreements_gold_f1(gold))
        date_rows = guarded_date_overrides(nlp, corrections.dates, dates_gold_f1(gold), options.margin)
        event_rows = apply_removed_events(nlp, corrections.removed_events)
        modality_rows, main_rows = guarded_event_learning(
            nlp, corrections.modalities, corrections.mains, records, options.margin,
            modality_f1=modality_gold_accuracy(gold), main_f1=main_event_gold_accuracy(gold),
        )
        alignment_report = learn_alignment(
            nlp, corrections.links, corrections.record_folders,
            gold_f1=alignment_gold_f1(gold), margin=options.margin,
        )
        gold_new = score_gold(nlp, gold) if gold is not None else None
        # The control: the same training without the corrections (same data, seed, epochs),
        # so the corrections' own effect is told apart from retraining's.
        gold_control: dict[str, Any] | None = None
        control_nlp: Language | None = None
        control_rows = [e for e in examples if e.origin == "shipped"]
        if control_rows and len(control_rows) < len(examples) and (gold is not None or held_rows):
            control = textcat.train_words_classifier(featurizer, featured(control_rows), epochs=options.epochs, seed=options.seed)
            control_dir = Path(tmp) / "control"
            control.to_disk(control_dir)
            control_nlp = build_model(options, parent, control_dir)
            gold_control = score_gold(control_nlp, gold) if gold is not None else None
        # The held-out corrections: scored on a model trained without their articles (nor
        # any example with the same text), beside the parent and the control.
        heldout_report: dict[str, Any] | None = None
        if held_rows:
            keep, _ = strip_gold([e for e in examples if not (e.origin == "correction" and e.article in held)],
                                 [text for text, _ in held_rows])
            held_model = textcat.train_words_classifier(featurizer, featured(keep), epochs=options.epochs, seed=options.seed)
            held_dir = Path(tmp) / "heldout"
            held_model.to_disk(held_dir)
            heldout_report = {
                "articles": sorted(held),
                "n": len(held_rows),
                "trained_on": len(keep),
                "parent": _scores_summary(score_texts(featurizer, held_rows)),
                "control": _scores_summary(score_texts(control_nlp, held_rows)) if control_nlp is not None else None,
                "model": _scores_summary(score_texts(build_model(options, parent, held_dir), held_rows)),
            }
        gold_parent, cached = (
            parent_gold_scores(parent, gold, models_dir) if gold is not None else (None, False)
        )
        made_default, reason = decide_default(options, gold_new, gold_parent)
        report: dict[str, Any] = {
            "name": out.name,
            "pipeline_version": __version__,
            "spacy_version": spacy.__version__,
            "base_model": nlp.meta.get("ccpipeline_base_model"),
            "parent": {"model": parent.label, "kind": parent.kind,
                       "inherited_corrections": len(parent.judgements)},
            "seed": options.seed,
            "epochs": options.epochs,
            "architecture": textcat.TEXTCAT_MODEL["@architectures"],
            "events_mode": options.mode,
            "classifier_weight": options.classifier_weight,
            "correction_weight": options.correction_weight,
            "data": {
                "shipped": _file_entry(options.shipped),
                "sentences": None if options.sentences is None else {
                    "path": str(options.sentences),
                    "sha256": {p.name: sha256_file(p) for p in sorted(Path(options.sentences).glob("*")) if p.is_file()},
                },
                "corrections": [
                    {"path": f.path, "sha256": f.sha256, "formats": f.formats}
                    for f in corrections.files
                ],
                "gold": _file_entry(options.gold) if options.gold else None,
            },
            "examples": {
                **label_counts(examples),
                "train": len(train_rows),
                "dev": len(dev_rows),
                "judgements": len(judgements),
                "replaced_shipped": merged.replaced,
                "relabelled_shipped": merged.relabelled,
                "dropped_rejected": merged.dropped_rejected,
                "rejected_only_texts": merged.rejected_only,
                "conflicting_accepts": merged.conflicts,
                "stripped_gold": len(stripped),
            },
            "dev": dev_scores,
            "heldout_corrections": heldout_report,
            "gold": None if gold is None else {
                "path": str(gold.path),
                "sha256": gold.sha256,
                "model": _gold_summary(gold_new),
                "control": _gold_summary(gold_control),
                "parent": _gold_summary(gold_parent),
                "parent_from_cache": cached,
            },
            "guard": {"margin": options.margin, "made_default": made_default, "reason": reason},
            "registry_updates": registry_rows,
            "date_regressions": [d.model_dump() for d in corrections.dates],
            "date_overrides": date_rows,
            "removed_events": event_rows,
            "modality_markers": modality_rows,
            "main_preferences": main_rows,
            "alignment": alignment_report,
            "skipped_corrections": [s.model_dump() for s in corrections.skipped],
            "train_seconds": train_seconds,
        }
        nlp.meta["name"] = out.name
        nlp.meta["version"] = __version__
        nlp.meta["description"] = "ccpipeline annotation pipeline trained on reviewer corrections"
        nlp.meta["ccpipeline"] = {
            k: report[k]
            for k in ("pipeline_version", "parent", "seed", "events_mode", "classifier_weight")
        } | {
            "data": report["data"],
            "label_counts": report["examples"]["total"],
            "dev_macro_f1": dev_scores["macro_f1"] if dev_scores else None,
            "gold_macro_f1": gold_new["macro_f1"] if gold_new else None,
            "parent_gold_macro_f1": gold_parent["macro_f1"] if gold_parent else None,
            "training_record": TRAINING_FILE,
        }
        if out.exists() and options.overwrite:
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        nlp.to_disk(out)
    _point_config_at_saved_classifier(out)
    _write_jsonl(
        out / CORRECTIONS_FILE,
        [j.model_dump() for j in judgements],
    )
    _write_jsonl(out / DATE_CASES_FILE, report["date_regressions"])
    report["seconds"] = round(time.perf_counter() - started, 1)
    (out / TRAINING_FILE).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (out / CARD_FILE).write_text(model_card(report), encoding="utf-8")
    append_history(models_dir, history_line(report, out))
    if made_default:
        write_default(
            models_dir,
            out.name,
            macro_f1=gold_new["macro_f1"] if gold_new else None,
            parent=parent.label,
        )
    return TrainResult(report, made_default, reason, out, messages)


def decide_default(
    options: TrainOptions,
    gold_new: dict[str, Any] | None,
    gold_parent: dict[str, Any] | None,
) -> tuple[bool, str]:
    """Whether the new model may become the default, and why (not)."""
    if not options.make_default:
        return False, "--no-default: the default was left as it was"
    if gold_new is None or gold_parent is None:
        return False, "no gold set to compare with the parent: not made the default"
    new, old = float(gold_new["macro_f1"]), float(gold_parent["macro_f1"])
    if new < old - options.margin:
        return False, (
            f"gold macro-F1 {new:.3f} is worse than the parent's {old:.3f} by "
            f"{old - new:.3f}, more than the margin {options.margin:.3f}: not made the default"
        )
    return True, (
        f"gold macro-F1 {new:.3f} vs parent {old:.3f} (margin {options.margin:.3f}): "
        "made the default"
    )
