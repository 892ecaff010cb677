"""The pipeline's spaCy components; importing this package registers their factories."""

from pipeline.components import segmenter, tokenizer

__all__ = ["segmenter", "tokenizer"]
