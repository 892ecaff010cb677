"""Benchmark: the full pipeline against the bare spaCy model on the same texts, in one process.

    .venv/bin/python scripts/benchmark.py [--repeat 12] [--stages] [FILES...]

Prints words per second for each and their ratio (full / bare): a relative figure that
holds across machines, unlike a timed test. The two are timed in pairs of passes over all the
texts, interleaved text by text (each text through both back to back, the order turning), and
the ratio is the median of the pairs' ratios, with its quartiles: on a shared machine the
speed drifts within seconds, and a pair shares its moments. ``--stages`` also prints each stage's share
(milliseconds per 1,000 words, median of the repeats), running the components one by one.
``--workers N --articles K`` times ``annotate`` over K articles (copies of the inputs) with one
process and with N workers, alternating, and checks that both write the same records.
``--startup N`` times start-up in N pairs of fresh processes, alternating: the bare model's
(import spaCy, load the model) against what ``ccpipeline annotate`` does before its first
article (import the command line, build the pipeline), from the process's start to that point.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

from pipeline.inputs import discover, read_articles
from pipeline.model import load_base_model
from pipeline.nlp import build_pipeline

REPO = Path(__file__).resolve().parent.parent
DEFAULT_INPUTS = [REPO.parent / "shared" / "seeds", REPO / "corpus" / "articles"]


def _forget() -> None:
    """Empty the memo caches kept across documents (name keys, date ranges, actor sets), so a
    pass over texts the previous pass already read gains nothing from having read them: the
    benchmark repeats the same texts, an archive does not. Every ``lru_cache`` of the
    pipeline's modules is found, so a new one cannot be missed; those of size 1 hold what
    was loaded (a registry's state codes), not what was read, and stay."""
    for cached in memo_caches():
        cached.cache_clear()


def memo_caches() -> list[Any]:
    """The pipeline's per-text memo caches: every ``functools.lru_cache`` function with more
    than one place, in every loaded ``pipeline`` module."""
    found: dict[int, Any] = {}
    for name, module in list(sys.modules.items()):
        if name != "pipeline" and not name.startswith("pipeline."):
            continue
        for value in vars(module).values():
            info = getattr(value, "cache_parameters", None)
            if callable(info) and hasattr(value, "cache_clear") and (info().get("maxsize") or 2) > 1:
                found[id(value)] = value
    return list(found.values())


def _peak(nlp, texts: list[str]) -> int:  # type: ignore[no-untyped-def]
    """Peak traced memory of one pass (traced apart from the timed passes, which it slows)."""
    tracemalloc.start()
    for _doc in nlp.pipe(texts, batch_size=4):
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def _alternating(bare, full, texts: list[str], repeat: int) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """Seconds of the bare model and the full pipeline, ``repeat`` passes each over all the
    texts, each pass of one timed with a pass of the other, text by text: every text goes
    through both back to back, the order turning from text to text and from pass to pass
    (bare then full, full then bare, ...). The machine's speed here drifts within seconds;
    interleaving by text puts each slow moment on both alike, where whole passes two seconds
    apart gave pair ratios spread over 1.15-1.50 for the same code."""
    bare_runs: list[float] = []
    full_runs: list[float] = []
    for k in range(repeat):
        _forget()
        spent = {"bare": 0.0, "full": 0.0}
        for i, text in enumerate(texts):
            order = (("bare", bare), ("full", full)) if (i + k) % 2 == 0 else (("full", full), ("bare", bare))
            for name, nlp in order:
                start = time.perf_counter()
                nlp(text)
                spent[name] += time.perf_counter() - start
        bare_runs.append(spent["bare"])
        full_runs.append(spent["full"])
    return bare_runs, full_runs


def paired_ratio(bare_runs: list[float], full_runs: list[float]) -> tuple[float, float, float]:
    """The median of the pairs' time ratios (full / bare), with the lower and upper quartile:
    each pair shares its moment of the machine, so a pair's ratio is steadier than the ratio of
    separate medians when the machine's speed drifts from pass to pass."""
    ratios = sorted(f / b for b, f in zip(bare_runs, full_runs, strict=True))
    if len(ratios) < 4:
        return statistics.median(ratios), ratios[0], ratios[-1]
    q1, _, q3 = statistics.quantiles(ratios, n=4, method="inclusive")
    return statistics.median(ratios), q1, q3


def _stage_times(nlp, texts: list[str], repeat: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Median seconds per stage over ``repeat`` passes (the tokenizer counts as a stage)."""
    runs: dict[str, list[float]] = {}
    for _ in range(repeat):
        totals: dict[str, float] = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}}
        _forget()
        for text in texts:
            start = time.perf_counter()
            doc = nlp.make_doc(text)
            totals["tokenizer"] += time.perf_counter() - start
            for name, proc in nlp.pipeline:
                start = time.perf_counter()
                doc = proc(doc)
                totals[name] += time.perf_counter() - start
        for name, seconds in totals.items():
            runs.setdefault(name, []).append(seconds)
    return {name: statistics.median(values) for name, values in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("inputs", nargs="*", type=Path, default=DEFAULT_INPUTS)
    parser.add_argument("--repeat", type=int, default=12, help="paired passes (3 for --stages and --workers is plenty)")
    parser.add_argument("--model", default=None)
    parser.add_argument("--stages", action="store_true", help="also time each stage")
    parser.add_argument("--workers", type=int, default=0, help="also compare annotate with this many workers")
    parser.add_argument("--articles", type=int, default=20, help="articles for --workers")
    parser.add_argument("--startup", type=int, default=0, help="also time start-up in this many pairs of fresh processes")
    args = parser.parse_args()
    if args.startup:
        _startup(args)
        return
    if args.workers:
        _workers(args)
        return
    files, _, _ = discover(args.inputs)
    texts = [a.text for a in read_articles(files) if not hasattr(a, "code")]  # type: ignore[union-attr]
    words = sum(len(t.split()) for t in texts)
    bare = load_base_model(args.model)
    full = build_pipeline(args.model)
    bare(texts[0]), full(texts[0])  # warm up both
    gc.collect()
    gc.freeze()  # as annotate does once its pipeline is built (pipeline.nlp.frozen_heap); both alike
    bare_runs, full_runs = _alternating(bare, full, texts, args.repeat)
    bare_s, full_s = statistics.median(bare_runs), statistics.median(full_runs)
    ratio, low, high = paired_ratio(bare_runs, full_runs)
    bare_peak, full_peak = _peak(bare, texts), _peak(full, texts)
    print(f"texts: {len(texts)}, words: {words}, repeat: {args.repeat} (paired passes, order turning)")
    print(f"bare model  {bare.pipe_names}: {words / bare_s:9.0f} words/s, peak traced memory {bare_peak / 1e6:6.1f} MB")
    print(f"full pipeline {full.pipe_names}: {words / full_s:9.0f} words/s, peak traced memory {full_peak / 1e6:6.1f} MB")
    print(f"ratio full/bare: time {ratio:.2f}x (median of {args.repeat} pairs; quartiles {low:.2f}-{high:.2f}x), "
          f"speed {1 / ratio:.2f}x, memory {full_peak / max(bare_peak, 1):.2f}x")
    if args.stages:
        for name, seconds in _stage_times(full, texts, args.repeat).items():
            print(f"  {name:18s} {1000 * seconds / words * 1000:8.1f} ms per 1,000 words")


# What each fresh process does: the bare model's start-up, and annotate's before its first article.
_BARE_START = "import spacy; from pipeline.model import resolve_model_name; spacy.load(resolve_model_name({model!r}))"
# As pipeline.cli.main and the annotate command do it: the app loaded, then the pipeline built
# and the heap frozen.
_FULL_START = (
    "import gc; from pipeline.cli import load_app; load_app(); gc.freeze(); "
    "from pipeline.nlp import build_pipeline, frozen_heap; nlp = build_pipeline({model!r}); "
    "frozen_heap(collect=False).__enter__()"
)


def startup_seconds(code: str, env: dict[str, str]) -> float:
    """Seconds from starting a fresh interpreter to the end of ``code`` in it: the interpreter's
    own start included, its exit not (that comes after the last article, not before the first)."""
    import subprocess

    started = time.time()
    child = f"{code}; import os, sys, time; sys.stdout.write(repr(time.time())); sys.stdout.flush(); os._exit(0)"
    done = subprocess.run([sys.executable, "-c", child], check=True, env=env, cwd=REPO,
                          capture_output=True, text=True)
    return float(done.stdout.strip().splitlines()[-1]) - started


def _startup(args: argparse.Namespace) -> None:
    import os

    # As installed for a user: byte-code caches written and read (a machine that sets
    # PYTHONDONTWRITEBYTECODE would compile every module of the pipeline at each start).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    bare_code, full_code = _BARE_START.format(model=args.model), _FULL_START.format(model=args.model)
    startup_seconds(bare_code, env), startup_seconds(full_code, env)  # warm: caches written, files read
    bare_runs: list[float] = []
    full_runs: list[float] = []
    for k in range(args.startup):
        pair = [(bare_runs, bare_code), (full_runs, full_code)]
        for runs, code in pair if k % 2 == 0 else pair[::-1]:
            runs.append(startup_seconds(code, env))
    ratio, low, high = paired_ratio(bare_runs, full_runs)
    print(f"start-up, {args.startup} pairs of fresh processes (order turning):")
    print(f"  bare model (import spaCy, load the model): median {statistics.median(bare_runs):.2f} s "
          f"(min {min(bare_runs):.2f})")
    print(f"  annotate before its first article (import the CLI, build the pipeline): median "
          f"{statistics.median(full_runs):.2f} s (min {min(full_runs):.2f})")
    print(f"  ratio {ratio:.2f}x (quartiles {low:.2f}-{high:.2f}x)")


def _workers(args: argparse.Namespace) -> None:
    """annotate() over ``--articles`` copies with 1 process and with ``--workers``, alternating."""
    import shutil
    import tempfile

    from pipeline.annotate import annotate

    files, _, _ = discover(args.inputs)
    nlp = build_pipeline(args.model)
    gc.collect()
    gc.freeze()  # as the annotate command does (pipeline.nlp.frozen_heap)
    with tempfile.TemporaryDirectory(prefix="ccpipeline-bench-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for k in range(args.articles):
            source = files[k % len(files)]
            shutil.copy(source, folder / f"a{k:04d}{source.suffix}")
        words = sum(len(a.text.split()) for a in read_articles(sorted(folder.iterdir())) if not hasattr(a, "code"))  # type: ignore[union-attr]
        times: dict[int, list[float]] = {1: [], args.workers: []}
        outputs: dict[int, bytes] = {}
        for _ in range(args.repeat):
            for workers in (1, args.workers):
                out = Path(tmp) / f"out{workers}"
                started = time.perf_counter()
                annotate([folder], out, nlp, workers=workers, replace=True)
                times[workers].append(time.perf_counter() - started)
                outputs[workers] = (out / "articles.jsonl").read_bytes()
        one, many = statistics.median(times[1]), statistics.median(times[args.workers])
        print(f"articles: {args.articles}, words: {words}, repeat: {args.repeat} (median, alternating)")
        print(f"1 process:   {one:7.2f} s, {words / one:8.0f} words/s")
        print(f"{args.workers} workers:   {many:7.2f} s, {words / many:8.0f} words/s")
        print(f"speed-up {one / many:.2f}x; records identical: {outputs[1] == outputs[args.workers]}")


if __name__ == "__main__":
    main()
