"""Reproducibility of the classifier training."""

from __future__ import annotations

from pipeline.training.textcat import BATCH_SIZE, TextcatItem, blank_textcat, train_textcat

BASE = [
    ("The ministers met and agreed to cooperate.", "de-escalatory"),
    ("The navy fired warning shots at the trawler.", "escalatory"),
    ("The ministry reshuffled its senior staff.", "neutral"),
    ("Both leaders signed a trade accord.", "de-escalatory"),
    ("Seoul protested the new territorial claim.", "escalatory"),
]
FEW = [TextcatItem(text, label) for text, label in BASE]
# Enough distinct sentences to fill several minibatches, so the shuffle decides batch contents.
MANY = [TextcatItem(f"{text} (report {n})", label) for n in range(12) for text, label in BASE]
PROBES = ["The leaders met and signed an accord.", "The navy protested the claim."]


def _scores(items: list[TextcatItem], seed: int) -> list[dict[str, float]]:
    nlp = train_textcat(items, epochs=3, seed=seed)
    return [dict(doc.cats) for doc in nlp.pipe(PROBES)]


def test_same_data_and_seed_give_the_same_scores() -> None:
    assert _scores(MANY, 7) == _scores(MANY, 7)


def test_another_seed_reorders_batches_into_another_model() -> None:
    assert len(MANY) > 3 * BATCH_SIZE
    assert _scores(MANY, 7) != _scores(MANY, 8)


def test_one_batch_is_the_same_model_for_every_seed() -> None:
    # Zero-initialised weights and no dropout: a single batch leaves the seed nothing to change.
    assert len(FEW) <= BATCH_SIZE
    assert _scores(FEW, 7) == _scores(FEW, 8)


def test_untrained_weights_start_at_zero_whatever_the_seed() -> None:
    from spacy.training import Example

    params = []
    for seed in (1, 2):
        nlp = blank_textcat(seed)
        example = Example.from_dict(nlp.make_doc("a b"), {"cats": {"escalatory": 1.0}})
        nlp.initialize(lambda example=example: [example])
        model = nlp.get_pipe("textcat").model
        params.append([float(abs(node.get_param(n)).sum()) for node in model.walk() for n in node.param_names])
    assert params[0] == params[1]
    assert all(total == 0.0 for total in params[0])
