"""Scoring for events: polarity (accuracy, macro-F1, confusion) and event roles against gold.

The functions take plain labels and dicts, so they do not care how predictions were made.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.events.lexicon import POLARITIES


def confusion_matrix(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = POLARITIES
) -> dict[str, dict[str, int]]:
    """``matrix[gold_label][predicted_label]`` counts; a prediction outside ``labels`` (such
    as "none" for a unit given no polarity) gets a column of its own and counts as wrong."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    columns = list(labels) + sorted(set(predicted) - set(labels))
    matrix = {g: {p: 0 for p in columns} for g in labels}
    for g, p in zip(gold, predicted, strict=True):
        matrix[g][p] += 1
    return matrix


def polarity_scores(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = POLARITIES
) -> dict[str, Any]:
    """Accuracy, per-label precision/recall/F1, macro-F1 over the labels present in gold
    or predictions, and the confusion matrix."""
    matrix = confusion_matrix(gold, predicted, labels)
    total = len(gold)
    correct = sum(matrix[label][label] for label in labels)
    per_label: dict[str, dict[str, float]] = {}
    f1s: list[float] = []
    for label in labels:
        tp = matrix[label][label]
        fp = sum(matrix[g][label] for g in labels if g != label)
        fn = sum(n for p, n in matrix[label].items() if p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "support": tp + fn,
        }
        if tp + fn or tp + fp:
            f1s.append(f1)
    return {
        "n": total,
        "accuracy": round(correct / total, 3) if total else 0.0,
        "macro_f1": round(sum(f1s) / len(f1s), 3) if f1s else 0.0,
        "per_label": per_label,
        "confusion": matrix,
    }


def _norm(name: str) -> str:
    return " ".join(name.lower().replace("-", " ").split())


def actor_name_matches(predicted: str, gold: str) -> bool:
    """Same actor: equal canonical names, or (while only surface names are available) every
    word of the predicted name occurs in the gold canonical name ("Kang" ~ "Kang Kyung-wha")."""
    p, g = _norm(predicted), _norm(gold)
    if not p or not g:
        return False
    return p == g or set(p.split()) <= set(g.split())


def _set_match(predicted: Sequence[str], gold: Sequence[str]) -> tuple[int, int, int]:
    """(true positives, predicted count, gold count) with one-to-one matching."""
    remaining = list(gold)
    tp = 0
    for name in predicted:
        for candidate in remaining:
            if actor_name_matches(name, candidate):
                remaining.remove(candidate)
                tp += 1
                break
    return tp, len(predicted), len(gold)


def _mention_words(text: str) -> set[str]:
    """Words of an actor mention as printed, without possessive endings and punctuation."""
    cleaned = text.replace("\u2019s", "").replace("'s", "").replace("\u2019", "").replace(",", " ")
    return {w for w in _norm(cleaned).replace(".", "").split() if w not in ("the",)}


def mention_matches(predicted: str, gold: str) -> bool:
    """One actor mention: the words of one are all in the other ("Japan's Air Self-Defense
    Force" ~ "Air Self-Defense Force", "Kang" ~ "Kang Kyung-wha")."""
    p, g = _mention_words(predicted), _mention_words(gold)
    return bool(p) and bool(g) and (p <= g or g <= p)


def same_mentions(predicted: Sequence[str], gold: Sequence[str]) -> bool:
    """Every gold mention matched by its own predicted mention, and no prediction left over."""
    remaining = list(predicted)
    for name in gold:
        match = next((m for m in remaining if mention_matches(m, name)), None)
        if match is None:
            return False
        remaining.remove(match)
    return not remaining


def role_agreement(rows: Sequence[tuple[Sequence[str], Sequence[str], Sequence[str], Sequence[str]]]) -> dict[str, Any]:
    """Share of main events whose source, target, and both, are right.

    ``rows``: (predicted source, predicted target, gold source, gold target) mention texts."""
    n = len(rows)
    source = sum(same_mentions(ps, gs) for ps, _, gs, _ in rows)
    target = sum(same_mentions(pt, gt) for _, pt, _, gt in rows)
    both = [same_mentions(ps, gs) and same_mentions(pt, gt) for ps, pt, gs, gt in rows]
    joint = [
        ok or (_joint(ps, pt) or _joint(gs, gt)) and same_mentions([*ps, *pt], [*gs, *gt])
        for ok, (ps, pt, gs, gt) in zip(both, rows, strict=True)
    ]
    return {
        "n": n,
        "source_right": round(source / n, 3) if n else 0.0,
        "target_right": round(target / n, 3) if n else 0.0,
        "both_right": round(sum(both) / n, 3) if n else 0.0,
        "both_right_joint": round(sum(joint) / n, 3) if n else 0.0,
    }


def _joint(source: Sequence[str], target: Sequence[str]) -> bool:
    """Read as a joint act: several sources and no target ("Vietnam and the U.S. conduct a
    dialogue"). Which participant of a joint act is "source" is a convention, so
    ``both_right_joint`` also counts a main event whose participants are right as one set
    when either side reads the act as joint."""
    return len(source) >= 2 and not target


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def match_events(
    gold: Sequence[dict[str, Any]], predicted: Sequence[dict[str, Any]]
) -> list[tuple[int, int]]:
    """Pair gold and predicted events whose trigger offsets overlap (greedy, text order).

    Each event dict has ``trigger`` = {"start", "end"}.
    """
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    for gi, g in enumerate(gold):
        gs, ge = g["trigger"]["start"], g["trigger"]["end"]
        for pi, p in enumerate(predicted):
            if pi in used:
                continue
            ps, pe = p["trigger"]["start"], p["trigger"]["end"]
            if ps < ge and gs < pe:
                pairs.append((gi, pi))
                used.add(pi)
                break
    return pairs


def event_role_scores(
    gold: Sequence[dict[str, Any]], predicted: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """Trigger P/R/F1, and on matched triggers: source/target actor P/R/F1, polarity and
    modality accuracy.  Events carry ``source``/``target`` as lists of canonical names."""
    pairs = match_events(gold, predicted)
    out: dict[str, Any] = {
        "gold_events": len(gold),
        "predicted_events": len(predicted),
        "matched": len(pairs),
        "trigger": _prf(len(pairs), len(predicted), len(gold)),
    }
    for role in ("source", "target"):
        tp = n_pred = n_gold = 0
        for gi, pi in pairs:
            a, b, c = _set_match(predicted[pi].get(role, []), gold[gi].get(role, []))
            tp, n_pred, n_gold = tp + a, n_pred + b, n_gold + c
        out[role] = _prf(tp, n_pred, n_gold)
    for attr in ("polarity", "modality"):
        hits = sum(1 for gi, pi in pairs if gold[gi].get(attr) == predicted[pi].get(attr))
        out[f"{attr}_accuracy_on_matched"] = round(hits / len(pairs), 3) if pairs else 0.0
    out["unmatched_gold"] = [
        gold[gi]["trigger"] for gi in range(len(gold)) if gi not in {g for g, _ in pairs}
    ]
    out["unmatched_predicted"] = [
        predicted[pi]["trigger"] for pi in range(len(predicted)) if pi not in {p for _, p in pairs}
    ]
    return out


def format_confusion(matrix: dict[str, dict[str, int]]) -> str:
    """A plain-text confusion matrix (rows gold, columns predicted)."""
    labels = list(matrix)
    columns = list(next(iter(matrix.values()))) if matrix else []
    width = max(len(label) for label in columns) + 2
    lines = ["gold \\ pred".ljust(width) + "".join(label.rjust(width) for label in columns)]
    for g in labels:
        lines.append(g.ljust(width) + "".join(str(matrix[g][p]).rjust(width) for p in columns))
    return "\n".join(lines)
