"""The ``dipl_actors`` component: people, states, organisations and groups, resolved to the registry.

Reads ``doc.ents`` (PERSON, ORG, GPE; NORP is ignored: adjectives are not actors),
``doc.spans["sections"]`` (front matter and photo credits are skipped), ``doc.spans["chronology"]``
(``entry_date`` dates a mention's role) and ``doc._.metadata`` (period, document date).
Writes ``doc.spans["actors"]`` with ``actor_id`` (``act-<start>-<end>``), ``actor_type``,
``actor_country``, ``actor_canonical_id``, ``actor_canonical_name``, ``actor_role`` and
``actor_metonymy``. The finding is done by the pure functions of ``pipeline.actors``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from pipeline.actors import ActorMention, actor_id, find_actors
from pipeline.errors import PipelineError
from pipeline.extensions import ACTORS, register_extensions, without_gc
from pipeline.registry.actors import ActorRegistry, load_registry

__all__ = ["ActorMention", "ActorTagger", "actor_id", "find_actors", "make_actors", "write_actors"]

REGISTRY_FILE = "actors.jsonl"

def write_actors(doc: Doc, mentions: Iterable[ActorMention]) -> list[Span]:
    """Put the mentions into ``doc.spans["actors"]`` with their plain-valued attributes."""
    spans: list[Span] = []
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        span._.actor_id = actor_id(m.start, m.end)
        span._.actor_type = m.type
        span._.actor_country = m.country
        span._.actor_canonical_id = m.canonical_id
        span._.actor_canonical_name = m.canonical_name
        span._.actor_role = m.role
        span._.actor_metonymy = m.metonymy
        spans.append(span)
    doc.spans[ACTORS] = spans
    return spans

class ActorTagger:
    """Find actor mentions with the registry and the model's entities, then write them."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        extra_registry_paths: Sequence[str],
        use_packaged_registry: bool,
    ) -> None:
        register_extensions()
        self.name = name
        self.extra_registry_paths = list(extra_registry_paths)
        self.use_packaged_registry = use_packaged_registry
        # Checked now (a bad file fails at add_pipe), but a pipeline restored with
        # from_disk replaces it with its saved copy, so a config path need not exist then.
        self._registry: ActorRegistry | None = None
        self._load_error: PipelineError | None = None
        try:
            self._registry = load_registry(
                self.extra_registry_paths, packaged=use_packaged_registry
            )
        except PipelineError as exc:
            if any(not Path(p).exists() for p in self.extra_registry_paths):
                self._load_error = exc  # may be restored from disk; raised on first use
            else:
                raise

    @property
    def registry(self) -> ActorRegistry:
        if self._registry is None:
            if self._load_error is not None:
                raise self._load_error
            self._registry = load_registry(
                self.extra_registry_paths, packaged=self.use_packaged_registry
            )
        return self._registry

    @registry.setter
    def registry(self, value: ActorRegistry) -> None:
        self._registry = value
        self._load_error = None

    @without_gc
    def __call__(self, doc: Doc) -> Doc:
        registry = self.registry
        for span in write_actors(doc, find_actors(doc, registry)):
            entry = registry.entries.get(span._.actor_canonical_id or "")
            if entry is not None and entry.media:
                span._.actor_media = True
        return doc

    def initialize(
        self,
        get_examples: object = None,
        *,
        nlp: Language | None = None,
        extra_registry_paths: Sequence[str] | None = None,
    ) -> None:
        """Rebuild the registry (e.g. from ``[initialize.components.<name>]`` paths)."""
        if extra_registry_paths is not None:
            self.extra_registry_paths = list(extra_registry_paths)
        self.registry = load_registry(
            self.extra_registry_paths, packaged=self.use_packaged_registry
        )

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the registry the component matches with, so a saved pipeline carries it."""
        folder = ensure_path(path)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / REGISTRY_FILE).write_text(
            "\n".join(self.registry.to_lines()) + "\n", encoding="utf-8"
        )

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> ActorTagger:
        """Restore the saved registry (the packaged files are not read again)."""
        file = ensure_path(path) / REGISTRY_FILE
        self.registry = load_registry([file], packaged=False)
        return self

@Language.factory(
    "dipl_actors",
    assigns=["doc.spans"],
    requires=["doc.ents"],
    default_config={"extra_registry_paths": [], "use_packaged_registry": True},
)
def make_actors(
    nlp: Language,
    name: str,
    extra_registry_paths: list[str],
    use_packaged_registry: bool,
) -> ActorTagger:
    """The actor stage; runs after ``ner``."""
    return ActorTagger(nlp, name, extra_registry_paths, use_packaged_registry)
