"""The annotate run's frozen heap: loaded objects leave the collector's walks, then return."""

from __future__ import annotations

import gc

from pipeline.nlp import frozen_heap


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector can free it


def test_frozen_heap_freezes_what_is_alive_and_hands_it_back() -> None:
    loaded = [_Node() for _ in range(100)]
    assert gc.get_freeze_count() == 0
    with frozen_heap():
        assert gc.get_freeze_count() >= len(loaded)
        made_inside = _Node()
        del made_inside
        assert gc.collect() >= 1  # what the run makes is still collected
    assert gc.get_freeze_count() == 0


def test_frozen_heap_hands_back_on_error() -> None:
    try:
        with frozen_heap():
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert gc.get_freeze_count() == 0
