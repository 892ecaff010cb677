"""Loading without the cyclic garbage collector walking what is being loaded.

Start-up creates about a million objects that live as long as the process (modules, the
model's vocabulary and weights, registries, lexicons). Each of the collector's passes walks
every tracked object allocated since the last, and the full passes walk all of them, so
during loading it spends its time re-reading the objects it can never free. This module has
no imports of the pipeline's own, so the command line can pause the collector before
importing anything heavy.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the collector for the block (nested use is fine); it resumes as it was. Reference
    counting still frees everything that holds no cycle; cycles made meanwhile wait for the
    next collection."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
