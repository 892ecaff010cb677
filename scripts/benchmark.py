"""Benchmark: the full pipeline against the bare spaCy model on the same texts, in one process.

    .venv/bin/python scripts/benchmark.py [--repeat 3] [FILES...]

Prints words per second for each and their ratio (full / bare): a relative figure that
holds across machines, unlike a timed test.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from pathlib import Path

from pipeline.inputs import discover, read_articles
from pipeline.model import load_base_model
from pipeline.nlp import build_pipeline

REPO = Path(__file__).resolve().parent.parent
DEFAULT_INPUTS = [REPO.parent / "shared" / "seeds", REPO / "corpus" / "articles"]


def _time(nlp, texts: list[str], repeat: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=4):
            pass
        runs.append(time.perf_counter() - start)
    tracemalloc.start()
    for _doc in nlp.pipe(texts, batch_size=4):
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(runs), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("inputs", nargs="*", type=Path, default=DEFAULT_INPUTS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    files, _, _ = discover(args.inputs)
    texts = [a.text for a in read_articles(files) if not hasattr(a, "code")]  # type: ignore[union-attr]
    words = sum(len(t.split()) for t in texts)
    bare = load_base_model(args.model)
    full = build_pipeline(args.model)
    bare(texts[0]), full(texts[0])  # warm up both
    bare_s, bare_peak = _time(bare, texts, args.repeat)
    full_s, full_peak = _time(full, texts, args.repeat)
    print(f"texts: {len(texts)}, words: {words}, repeat: {args.repeat} (median)")
    print(f"bare model  {bare.pipe_names}: {words / bare_s:9.0f} words/s, peak traced memory {bare_peak / 1e6:6.1f} MB")
    print(f"full pipeline {full.pipe_names}: {words / full_s:9.0f} words/s, peak traced memory {full_peak / 1e6:6.1f} MB")
    print(f"ratio full/bare: speed {bare_s / full_s:.2f}x, time {full_s / bare_s:.2f}x, memory {full_peak / max(bare_peak, 1):.2f}x")


if __name__ == "__main__":
    main()
