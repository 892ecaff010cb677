"""The ``dipl_agreements`` component: marks named agreements and resolves them to the registry.

Reads ``doc.text``.  Writes ``doc.spans["agreements"]`` with ``agreement_id``
(``agr-<start>-<end>``), ``agreement_canonical_id`` and ``agreement_canonical_name``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from pipeline.extensions import AGREEMENTS, reading_text, register_extensions, without_gc
from pipeline.registry.actors import load_registry
from pipeline.registry.agreements import (
    AgreementEntry,
    AgreementMention,
    compile_forms,
    find_agreements,
    load_agreement_registry,
    read_agreement_file,
    registry_to_jsonl,
)
from pipeline.registry.names import matching_key

REGISTRY_FILE = "agreements.jsonl"


def document_year(metadata: Any) -> int | None:
    """The year the text is about: its period's last year, else its document date's."""
    if not isinstance(metadata, dict):
        return None
    period = metadata.get("period") or {}
    document = metadata.get("document_date") or {}
    value = period.get("end") or (document.get("value") if isinstance(document, dict) else None)
    return int(value[:4]) if isinstance(value, str) and value[:4].isdigit() else None


@lru_cache(maxsize=1)
def _state_codes() -> dict[str, str]:
    """Name, acronym and adjective keys of every state in the actor registry -> ISO code."""
    registry = load_registry([])
    codes: dict[str, str] = {}
    for key, hits in registry.index.items():
        countries = {registry.entries[h.entry_id].country for h in hits
                     if registry.entries[h.entry_id].type == "STATE" and h.kind in {"name", "adjective", "metonym"}}
        if len(countries) == 1:
            codes[key] = countries.pop() or ""
    return codes


def _state_code(name: str) -> str | None:
    return _state_codes().get(matching_key(name)) or None


def agreement_id(start: int, end: int) -> str:
    """Stable id of an agreement mention: its character offsets."""
    return f"agr-{start}-{end}"


def write_agreements(doc: Doc, mentions: Iterable[AgreementMention]) -> list[Span]:
    """Put the mentions into ``doc.spans["agreements"]`` with their attributes."""
    spans: list[Span] = []
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            continue
        span._.agreement_id = agreement_id(span.start_char, span.end_char)
        span._.agreement_canonical_id = mention.canonical_id
        span._.agreement_canonical_name = mention.canonical_name
        spans.append(span)
    doc.spans[AGREEMENTS] = spans
    return spans


class AgreementTagger:
    """Find agreement mentions with the registry, then write them to the doc."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        registry_paths: Sequence[str],
        include_packaged: bool,
        recognise_unlisted: bool,
    ) -> None:
        register_extensions()
        self.name = name
        self.recognise_unlisted = recognise_unlisted
        self.registry_paths = list(registry_paths)
        self.include_packaged = include_packaged
        # Loaded on first use, so a pipeline restored with from_disk never reads the
        # original registry paths again.
        self._entries: list[AgreementEntry] | None = None
        self._forms: list[Any] = []

    @property
    def entries(self) -> list[AgreementEntry]:
        if self._entries is None:
            self.set_entries(load_agreement_registry(self.registry_paths, self.include_packaged))
        assert self._entries is not None
        return self._entries

    def set_entries(self, entries: Sequence[AgreementEntry]) -> None:
        self._entries = list(entries)
        self._forms = compile_forms(self._entries)

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        registry_paths: Sequence[str] | None = None,
    ) -> None:
        """Reload the registry, e.g. from ``[initialize.components.<name>]`` paths."""
        if registry_paths is not None:
            self.registry_paths = list(registry_paths)
        self.set_entries(load_agreement_registry(self.registry_paths, self.include_packaged))

    @without_gc
    def __call__(self, doc: Doc) -> Doc:
        entries = self.entries
        mentions = find_agreements(
            reading_text(doc),
            entries,
            recognise_unlisted=self.recognise_unlisted,
            forms=self._forms,
            state_of=_state_code,
            document_year=document_year(doc._.metadata),
        )
        write_agreements(doc, mentions)
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the registry in use, so a saved pipeline carries its own agreements."""
        directory = ensure_path(path)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / REGISTRY_FILE).write_text(registry_to_jsonl(self.entries), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> AgreementTagger:
        self.set_entries(read_agreement_file(ensure_path(path) / REGISTRY_FILE))
        return self


@Language.factory(
    "dipl_agreements",
    assigns=["doc.spans"],
    default_config={"registry_paths": [], "include_packaged": True, "recognise_unlisted": True},
)
def make_agreements(
    nlp: Language,
    name: str,
    registry_paths: list[str],
    include_packaged: bool,
    recognise_unlisted: bool,
) -> AgreementTagger:
    """``registry_paths``: user JSONL files that extend or override the packaged registry."""
    return AgreementTagger(nlp, name, registry_paths, include_packaged, recognise_unlisted)
