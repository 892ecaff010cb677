"""Reproducibility of the classifier training."""

from __future__ import annotations

from pipeline.training.textcat import TextcatItem, train_textcat

ITEMS = [
    TextcatItem("The ministers met and agreed to cooperate.", "de-escalatory"),
    TextcatItem("The navy fired warning shots at the trawler.", "escalatory", weight=2),
    TextcatItem("The ministry reshuffled its senior staff.", "neutral"),
    TextcatItem("Both leaders signed a trade accord.", "de-escalatory"),
    TextcatItem("Seoul protested the new territorial claim.", "escalatory"),
]
PROBES = ["The leaders met and signed an accord.", "The navy protested the claim."]


def _scores(seed: int) -> list[dict[str, float]]:
    nlp = train_textcat(ITEMS, epochs=4, seed=seed)
    return [dict(doc.cats) for doc in nlp.pipe(PROBES)]


def test_same_data_and_seed_give_the_same_scores() -> None:
    assert _scores(7) == _scores(7)


def test_another_seed_is_another_model() -> None:
    assert _scores(7) != _scores(8)
