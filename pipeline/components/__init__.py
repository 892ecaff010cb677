"""The pipeline's spaCy components; importing this package registers their factories."""

from pipeline.components import dates, segmenter, tokenizer

__all__ = ["dates", "segmenter", "tokenizer"]
