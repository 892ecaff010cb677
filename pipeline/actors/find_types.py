"""The actor stage's output before it goes on the Doc: one plain record per mention."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ActorMention:
    """One actor mention, found by ``find_actors`` and written by ``write_actors``."""

    start: int
    end: int
    text: str
    type: str
    country: str | None = None
    canonical_id: str | None = None
    canonical_name: str | None = None
    role: str | None = None
    metonymy: bool = False
    source: str = "registry"  # registry | model | surname | group (how it was found)


def actor_id(start: int, end: int) -> str:
    """Stable id of an actor mention: its character offsets."""
    return f"act-{start}-{end}"
