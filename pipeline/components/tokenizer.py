"""A tokenizer that first takes layout noise out of the reading flow (see pipeline.reading)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import registry

from pipeline import extensions  # noqa: F401  (registers the Doc attributes)
from pipeline.extensions import set_reading_text
from pipeline.reading import build_reading_text

# Ranks and titles written abbreviated before a name ("Lt. Gen. Sanjeev Kumar Sharma",
# "Col. Kim", "Amb. Harris") that spaCy's English rules leave out: without a rule the period
# is a token of its own and the parser ends the sentence there, cutting the name from its
# verb. ("Gen.", "Adm.", "Gov.", "Sen.", "Rep.", "Dr." are in spaCy's rules already.)
TITLE_ABBREVIATIONS = ("Lt.", "Col.", "Maj.", "Capt.", "Cmdr.", "Cdr.", "Brig.", "Sgt.", "Cpl.", "Pvt.",
                       "Amb.", "Pres.", "Asst.", "Sec.")


def add_title_abbreviations(tokenizer: Tokenizer) -> None:
    for abbreviation in TITLE_ABBREVIATIONS:
        tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])


class ArticleTokenizer:
    """Wraps spaCy's tokenizer: ``doc.text`` is the reading text, the original rides along.

    ``doc._.source_text`` holds the text as read and ``doc._.offset_runs`` the map from
    reading offsets back to it; both stay ``None`` when the text needed no cleaning.
    """

    def __init__(self, inner: Tokenizer) -> None:
        self.inner = inner
        add_title_abbreviations(inner)

    @property
    def vocab(self) -> Any:
        return self.inner.vocab

    def __call__(self, text: str) -> Doc:
        reading = build_reading_text(text)
        doc = self.inner(reading.text)
        set_reading_text(doc, reading.text)  # the stages read it without rebuilding it
        if reading.changed or reading.text != text:  # a repaired character counts too
            doc._.source_text = text
            doc._.offset_runs = reading.offset_map().to_dict()
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        for text in texts:
            yield self(text)

    def to_disk(self, path: str | Path, **kwargs: Any) -> None:
        self.inner.to_disk(path, **kwargs)

    def from_disk(self, path: str | Path, **kwargs: Any) -> ArticleTokenizer:
        self.inner.from_disk(path, **kwargs)
        add_title_abbreviations(self.inner)  # a pipeline saved before the rules were added
        return self

    def to_bytes(self, **kwargs: Any) -> bytes:
        return self.inner.to_bytes(**kwargs)

    def from_bytes(self, data: bytes, **kwargs: Any) -> ArticleTokenizer:
        self.inner.from_bytes(data, **kwargs)
        add_title_abbreviations(self.inner)
        return self


@registry.tokenizers("dipl.article_tokenizer.v1")
def create_article_tokenizer() -> Callable[[Language], ArticleTokenizer]:
    """Config entry for saved pipelines: spaCy's default tokenizer inside the wrapper."""
    make_default = registry.tokenizers.get("spacy.Tokenizer.v1")()

    def create(nlp: Language) -> ArticleTokenizer:
        return ArticleTokenizer(make_default(nlp))

    return create
