"""The pipeline's spaCy components; importing this package registers their factories."""

from pipeline.components import (
    actors,
    agreements,
    align,
    dates,
    events,
    headlines,
    segmenter,
    tokenizer,
)

__all__ = ["actors", "agreements", "align", "dates", "events", "headlines", "segmenter", "tokenizer"]
