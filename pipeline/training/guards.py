"""Each stage's own guard: what `train` learnt for a stage is kept only if that stage's gold
does not get worse by more than ``--margin``.

A stage's gold is read for the gold articles (those of the polarity gold passed to `train`):
the seed's file by name, every other article's ``corpus/gold/<article>.<stage>.jsonl``.
Stages and their figures:

- alignment: mean link F1 (``<article>.alignment.jsonl``), guarding the learnt link threshold;
- dates: F1 of date mentions found with the gold value (``<article>.dates.jsonl``), guarding
  learnt date forms;
- actors: F1 of mentions found with the exact span and the gold identity
  (``<article>.actors.jsonl``), guarding the registry overlay;
- agreements: F1 of mentions found (overlapping) with the gold agreement
  (``<article>.agreements.jsonl``), guarding the agreement registry overlay;
- event modality: accuracy of the modality of gold events whose trigger is found (the
  seed's "The Big Thaw" events), guarding learnt modality markers;
- main events: share of gold chronology entries (those with a ``main_trigger``) whose main
  event has that trigger, guarding learnt main-event preferences.

:func:`guarded` applies an update, and when it learnt something, scores the gold with and
without it; a drop beyond the margin restores the stage as it was and marks each learnt row
``reverted`` with the two scores.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language

from pipeline.evaluation.actors import identity_f1, seed_gold_regions
from pipeline.evaluation.actors import read_gold as read_actor_gold
from pipeline.evaluation.agreements import read_gold as read_agreement_gold
from pipeline.evaluation.agreements import score_agreements
from pipeline.evaluation.alignment import predictions_from_doc, score_alignment
from pipeline.evaluation.alignment import read_gold as read_alignment_gold
from pipeline.evaluation.dates import predictions_from_doc as date_predictions
from pipeline.evaluation.dates import read_gold as read_date_gold
from pipeline.evaluation.dates import score_dates
from pipeline.evaluation.events import match_events
from pipeline.events.entries import entry_main_event
from pipeline.events.learnt import LearntEvents
from pipeline.extensions import CHRONOLOGY
from pipeline.records import actor_mentions, agreement_mentions, event_mentions
from pipeline.training.corrections import AliasCorrection, DateCase, EventFieldCorrection
from pipeline.training.events import EVENTS_PIPE, learn_main_preferences, learn_modality
from pipeline.training.gold import GoldSet
from pipeline.training.registry import (
    ACTORS_PIPE,
    AGREEMENTS_PIPE,
    DATES_PIPE,
    LEARNT_OUTCOMES,
    apply_actor_corrections,
    apply_agreement_corrections,
    apply_date_overrides,
)

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
GOLD_DIR = REPO_ROOT / "corpus" / "gold"
SEED = "000_ed224ae42dbf410d"
SEED_FILES = {
    "alignment": GOLD_DIR / "seed_alignment.jsonl",
    "dates": GOLD_DIR / "seed_dates.jsonl",
    "actors": GOLD_DIR / "seed_actors.jsonl",
    "agreements": GOLD_DIR / "seed_agreements.jsonl",
    "events": GOLD_DIR / "seed_big_thaw_events.jsonl",
}

GoldF1 = Callable[[Language], float]


def stage_gold_files(gold: GoldSet | None, stage: str) -> dict[str, Path]:
    """The gold articles that have gold for one stage, and the file of each."""
    if gold is None:
        return {}
    files = {a: SEED_FILES[stage] if a == SEED else GOLD_DIR / f"{a}.{stage}.jsonl" for a in gold.texts}
    return {a: f for a, f in files.items() if f.is_file()}


def alignment_gold_f1(gold: GoldSet | None) -> GoldF1 | None:
    usable = stage_gold_files(gold, "alignment")
    if gold is None or not usable:
        return None

    def f1(nlp: Language) -> float:
        scores = []
        for article, path in usable.items():
            doc = nlp(gold.texts[article])
            sentences = [(s.start_char, s.end_char) for s in doc.sents]
            scores.append(score_alignment(read_alignment_gold(path), predictions_from_doc(doc), sentences).f1)
        return sum(scores) / len(scores)

    return f1


def dates_gold_f1(gold: GoldSet | None) -> GoldF1 | None:
    usable = stage_gold_files(gold, "dates")
    if gold is None or not usable:
        return None

    def f1(nlp: Language) -> float:
        right = predicted = total = 0
        for article, path in usable.items():
            expected = read_date_gold(path)
            found = date_predictions(nlp(gold.texts[article]))
            scores = score_dates(expected, found)
            right += round(scores.value_accuracy * scores.lenient.true_positives)
            predicted += len(found)
            total += len(expected)
        return _f1(right, predicted, total)

    return f1


def actors_gold_f1(gold: GoldSet | None) -> GoldF1 | None:
    usable = stage_gold_files(gold, "actors")
    if gold is None or not usable:
        return None

    def f1(nlp: Language) -> float:
        scores = []
        for article, path in usable.items():
            text = gold.texts[article]
            found = [m.model_dump() for m in actor_mentions(nlp(text))]
            regions = seed_gold_regions(text) if article == SEED else None
            scores.append(identity_f1(found, read_actor_gold(path), regions))
        return sum(scores) / len(scores)

    return f1


def agreements_gold_f1(gold: GoldSet | None) -> GoldF1 | None:
    usable = stage_gold_files(gold, "agreements")
    if gold is None or not usable:
        return None

    def f1(nlp: Language) -> float:
        scores = []
        for article, path in usable.items():
            found = [m.model_dump() for m in agreement_mentions(nlp(gold.texts[article]))]
            scores.append(float(score_agreements(found, read_agreement_gold(path))["f1"]))
        return sum(scores) / len(scores)

    return f1


def modality_gold_accuracy(gold: GoldSet | None) -> GoldF1 | None:
    usable = stage_gold_files(gold, "events")
    if gold is None or not usable:
        return None

    def accuracy(nlp: Language) -> float:
        right = matched = 0
        for article, path in usable.items():
            expected = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            found = [e.model_dump() for e in event_mentions(nlp(gold.texts[article])) if e.trigger is not None]
            pairs = match_events(expected, found)
            matched += len(pairs)
            right += sum(1 for g, p in pairs if expected[g].get("modality") == found[p]["modality"])
        return right / matched if matched else 0.0

    return accuracy


def main_event_gold_accuracy(gold: GoldSet | None) -> GoldF1 | None:
    """Share of the gold entries with a main trigger whose main event has that trigger."""
    if gold is None or not any(g.main_trigger is not None for g in gold.entries):
        return None

    def accuracy(nlp: Language) -> float:
        right = total = 0
        for name, text in gold.texts.items():
            wanted = [g for g in gold.entries if g.article == name and g.main_trigger is not None]
            if not wanted:
                continue
            doc = nlp(text)
            entries = list(doc.spans.get(CHRONOLOGY, []))
            for g in wanted:
                assert g.main_trigger is not None
                total += 1
                entry = next((e for e in entries if e.start_char <= g.start < e.end_char), None)
                main = entry_main_event(doc, entry._.entry_id) if entry is not None else None
                trigger = (main._.event_trigger or {}) if main is not None else {}
                if trigger and trigger["start"] < g.main_trigger.end and g.main_trigger.start < trigger["end"]:
                    right += 1
        return right / total if total else 0.0

    return accuracy


def _f1(right: int, predicted: int, total: int) -> float:
    precision = right / predicted if predicted else 0.0
    recall = right / total if total else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def guarded(
    nlp: Language,
    apply: Callable[[], list[dict[str, Any]]],
    snapshot: Callable[[], Any],
    restore: Callable[[Any], None],
    gold_f1: GoldF1 | None,
    margin: float,
    *,
    stage: str,
    learnt: Collection[str],
) -> list[dict[str, Any]]:
    """Apply one stage's update and keep it only if the stage's gold holds.

    The gold is scored only when the update learnt something (a row whose outcome is in
    ``learnt``): first without the update, then with it."""
    earlier = snapshot()
    rows = apply()
    if gold_f1 is None or not any(r["outcome"] in learnt for r in rows):
        return rows
    updated = snapshot()
    restore(earlier)
    before = gold_f1(nlp)
    restore(updated)
    after = gold_f1(nlp)
    if after < before - margin:
        restore(earlier)
        reason = (f"the {stage} gold F1 would drop from {before:.3f} to {after:.3f}: "
                  "what was learnt for this stage was taken back")
        return [{**r, "outcome": "reverted", "learnt_as": r["outcome"], "reason": reason}
                if r["outcome"] in learnt else r for r in rows]
    return [{**r, "gold_f1": [round(before, 3), round(after, 3)]} if r["outcome"] in learnt else r for r in rows]


def guarded_date_overrides(nlp: Language, cases: Sequence[DateCase], gold_f1: GoldF1 | None,
                           margin: float) -> list[dict[str, Any]]:
    """Learnt date forms, kept only if the date gold holds."""
    if not cases or DATES_PIPE not in nlp.pipe_names:
        return apply_date_overrides(nlp, cases)
    pipe: Any = nlp.get_pipe(DATES_PIPE)
    return guarded(nlp, lambda: apply_date_overrides(nlp, cases), lambda: list(pipe.overrides),
                   pipe.set_overrides, gold_f1, margin, stage="date", learnt={"learnt"})


def guarded_registry_updates(nlp: Language, corrections: Sequence[AliasCorrection], gold: GoldSet | None,
                             margin: float, *, actors_f1: GoldF1 | None = None,
                             agreements_f1: GoldF1 | None = None) -> list[dict[str, Any]]:
    """Actor and agreement corrections into the registry copies, each under its own guard
    (the gold figures default to the gold set's actor and agreement gold)."""
    actor_rows: list[dict[str, Any]] = []
    actors = [c for c in corrections if c.kind == "actor"]
    if actors and ACTORS_PIPE in nlp.pipe_names:
        pipe: Any = nlp.get_pipe(ACTORS_PIPE)
        actor_rows = guarded(
            nlp, lambda: apply_actor_corrections(nlp, actors), lambda: pipe.registry,
            lambda registry: setattr(pipe, "registry", registry),
            actors_f1 or actors_gold_f1(gold), margin, stage="actor", learnt=LEARNT_OUTCOMES)
    else:
        actor_rows = apply_actor_corrections(nlp, actors)
    agreement_rows: list[dict[str, Any]] = []
    agreements = [c for c in corrections if c.kind == "agreement"]
    if agreements and AGREEMENTS_PIPE in nlp.pipe_names:
        agr: Any = nlp.get_pipe(AGREEMENTS_PIPE)
        agreement_rows = guarded(
            nlp, lambda: apply_agreement_corrections(nlp, agreements), lambda: list(agr.entries),
            agr.set_entries, agreements_f1 or agreements_gold_f1(gold), margin, stage="agreement",
            learnt=LEARNT_OUTCOMES)
    else:
        agreement_rows = apply_agreement_corrections(nlp, agreements)
    return actor_rows + agreement_rows


def _learnt_snapshot(pipe: Any) -> LearntEvents:
    return LearntEvents(dict(pipe.learnt.markers), frozenset(pipe.learnt.preferences))


def guarded_event_learning(nlp: Language, modalities: Sequence[EventFieldCorrection],
                           mains: Sequence[EventFieldCorrection], records: Mapping[str, Mapping[str, Any]],
                           margin: float, *, modality_f1: GoldF1 | None, main_f1: GoldF1 | None,
                           ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Modality markers and main-event preferences, each under its own guard."""
    if EVENTS_PIPE not in nlp.pipe_names:
        return learn_modality(nlp, modalities, records), learn_main_preferences(nlp, mains, records)
    pipe: Any = nlp.get_pipe(EVENTS_PIPE)

    def restore(learnt: LearntEvents) -> None:
        pipe.learnt = learnt

    modality_rows = guarded(nlp, lambda: learn_modality(nlp, modalities, records), lambda: _learnt_snapshot(pipe),
                            restore, modality_f1, margin, stage="event modality", learnt={"learnt"})
    main_rows = guarded(nlp, lambda: learn_main_preferences(nlp, mains, records), lambda: _learnt_snapshot(pipe),
                        restore, main_f1, margin, stage="main-event", learnt={"learnt"})
    return modality_rows, main_rows


class _ParseOnce:
    """``nlp`` that parses each text once (the stage figures all read the same articles)."""

    def __init__(self, nlp: Language) -> None:
        self.nlp, self.docs = nlp, {}  # type: ignore[var-annotated]

    def __call__(self, text: str) -> Any:
        if text not in self.docs:
            self.docs[text] = self.nlp(text)
        return self.docs[text]


STAGE_FIGURES: list[tuple[str, Callable[[GoldSet | None], GoldF1 | None]]] = [
    ("actors: identity F1", actors_gold_f1),
    ("agreements: F1", agreements_gold_f1),
    ("dates: value F1", dates_gold_f1),
    ("events: modality accuracy", modality_gold_accuracy),
    ("events: main-event accuracy", main_event_gold_accuracy),
    ("alignment: link F1", alignment_gold_f1),
]


def stage_gold_scores(nlp: Language, gold: GoldSet) -> dict[str, float]:
    """Every stage's guard figure on the gold articles, each article parsed once."""
    parse: Any = _ParseOnce(nlp)
    out: dict[str, float] = {}
    for name, figure in STAGE_FIGURES:
        f1 = figure(gold)
        if f1 is not None:
            out[name] = round(f1(parse), 3)
    return out
