"""The archive benchmark: N articles built from corpus/ and the seed, annotated locally (one
process, then --workers W) and on a Dask cluster of W worker processes started by this
script, beside the bare English model on the same texts.

Prints, per mode: articles/s, words/s, the ratio of its time to the bare model's (the bare
model runs on one core, so the ratio of a W-worker mode is per W cores), and memory: the
peak resident set of this process and its reaped worker processes, or for the cluster each
worker's resident set after the run. Every mode's records are compared
with the one-process run's: a mode that writes other records is reported.

Usage: .venv/bin/python scripts/benchmark_archive.py --articles 15 300 [--workers 2] [--no-cluster]
"""

from __future__ import annotations

import argparse
import gc
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SEED = REPO.parent / "shared" / "seeds" / "000_ed224ae42dbf410d.txt"
OUTPUTS = ("articles.jsonl", "chronology.jsonl", "errors.jsonl")


def build_inputs(folder: Path, n: int) -> list[Path]:
    """N article files, cycling through the corpus articles and the seed (each copy its own name)."""
    sources = sorted((REPO / "corpus" / "articles").glob("*")) + [SEED]
    folder.mkdir(parents=True)
    paths = []
    for k in range(n):
        source = sources[k % len(sources)]
        target = folder / f"{k:04d}-{source.name}"
        shutil.copy(source, target)
        paths.append(target)
    return paths


def _rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _worker_rss_mb() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss) / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, nargs="+", default=[15, 300])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-cluster", action="store_true")
    args = parser.parse_args()

    from pipeline.annotate import ClusterTarget, annotate
    from pipeline.inputs import read_article
    from pipeline.model import load_base_model
    from pipeline.nlp import build_pipeline

    nlp = build_pipeline()
    bare = load_base_model()
    gc.collect()
    gc.freeze()  # as annotate does once its pipeline is built (pipeline.nlp.frozen_heap)
    cluster = None
    if not args.no_cluster:
        from distributed import LocalCluster

        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None)
        # warm the workers: each builds its pipeline once, before the clock starts
        from distributed import Client

        with Client(cluster.scheduler_address) as client:
            from pipeline.cluster import _worker_pipeline

            client.run(_worker_pipeline, None, None)
    try:
        for n in args.articles:
            with tempfile.TemporaryDirectory(prefix="ccpipeline-archive-") as tmp:
                paths = build_inputs(Path(tmp) / "in", n)
                texts = [read_article(p).text for p in paths]  # type: ignore[union-attr]
                words = sum(len(t.split()) for t in texts)
                started = time.perf_counter()
                for _ in bare.pipe(texts, batch_size=4):
                    pass
                bare_s = time.perf_counter() - started
                print(f"N={n}: {words:,} words; bare model {bare_s:.1f} s ({words / bare_s:,.0f} words/s)")
                modes: list[tuple[str, dict]] = [("1 process", {}), (f"--workers {args.workers}", {"workers": args.workers})]
                if cluster is not None:
                    modes.append((f"cluster, {args.workers} workers", {"cluster": ClusterTarget(cluster.scheduler_address)}))
                reference = None
                for name, options in modes:
                    out = Path(tmp) / name.replace(" ", "_").replace(",", "")
                    started = time.perf_counter()
                    summary = annotate([Path(tmp) / "in"], out, nlp, **options)
                    seconds = time.perf_counter() - started
                    records = [(out / f).read_bytes() for f in OUTPUTS]
                    reference = reference or records
                    same = "identical records" if records == reference else "RECORDS DIFFER from the 1-process run"
                    memory = f"peak RSS {_rss_mb():6.0f} MB"
                    if "cluster" in options:
                        from distributed import Client

                        with Client(cluster.scheduler_address) as client:  # type: ignore[union-attr]
                            sizes = client.run(_worker_rss_mb)
                        memory = "worker RSS " + "/".join(f"{v:.0f}" for v in sizes.values()) + " MB"
                    print(f"  {name:<22} {seconds:7.1f} s  {summary.articles / seconds:6.2f} articles/s  "
                          f"{words / seconds:8,.0f} words/s  ratio to bare {seconds / bare_s:5.2f}x  "
                          f"{memory}  {same}")
    finally:
        if cluster is not None:
            cluster.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
