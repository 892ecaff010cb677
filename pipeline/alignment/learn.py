"""The link threshold learnt from reviewers' accepted and rejected links.

A reviewer who accepts a link the aligner proposed, accepts one it did not propose (adds it)
or rejects one, says where the line between a link and no link lies for pairs like these.
``tune_threshold`` moves the scorer's threshold to the value that agrees with the most
judgements, and only when that is strictly more than the current threshold agrees with: a
few judgements that the current threshold already satisfies teach nothing, and a tie is
settled by staying closest to the current value. The threshold stays within
[``LOWEST``, ``HIGHEST``] so that a handful of judgements cannot turn linking off or link
everything. The weights of the signals are left as they are: with the tens of judgements a
review session gives, one number is what the data can fix (docs/alignment.md).

Pure: plain numbers in, plain numbers out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

LOWEST = 0.2
HIGHEST = 0.9


@dataclass(frozen=True)
class JudgedPair:
    """One reviewed (event, entry) pair: its total score, its evidence without the date, and
    the reviewer's answer."""

    score: float
    evidence: float
    answer: Literal["accept", "reject"]


def agreement(pairs: Sequence[JudgedPair], threshold: float, min_evidence: float) -> int:
    """How many judgements a threshold satisfies (an accepted pair must be linked, a rejected
    one must not; the evidence floor applies as in the aligner)."""
    agreed = 0
    for pair in pairs:
        linked = pair.score >= threshold and pair.evidence >= min_evidence
        agreed += linked if pair.answer == "accept" else not linked
    return agreed


def tune_threshold(pairs: Sequence[JudgedPair], current: float, min_evidence: float) -> float:
    """The threshold that agrees with the most judgements (see the module doc)."""
    if not pairs:
        return current
    scores = sorted({round(p.score, 6) for p in pairs})
    candidates = {current}
    for low, high in zip(scores, scores[1:], strict=False):
        candidates.add((low + high) / 2)
    candidates.update({scores[0] - 0.01, scores[-1] + 0.01})
    bounded = sorted({min(HIGHEST, max(LOWEST, round(c, 4))) for c in candidates})
    best = current
    best_agreed = agreement(pairs, current, min_evidence)
    for threshold in bounded:
        agreed = agreement(pairs, threshold, min_evidence)
        if agreed > best_agreed or (agreed == best_agreed and best != current and abs(threshold - current) < abs(best - current)):
            best, best_agreed = threshold, agreed
    return best
