"""``annotate --cluster ADDRESS``: the same pipeline on the workers of a Dask cluster.

Why Dask distributed (not Ray): it is pure Python on PyPI with small dependencies, its
scheduler and workers start from one command each (``dask scheduler``, ``dask worker
ADDRESS``) on any machine with the package, it retries a task on another worker when one
dies, and a cluster can be started in-process for the tests. Ray brings a large native
runtime and its own object store, which an article-at-a-time batch does not need.

How the work moves: the client (the ``annotate`` process) reads every input and sends each
article's text with its task, and writes every output itself, through the same path as a
local run (journal, atomic commit, manifest). Workers need the package installed, nothing
else: no shared folder, no object store. Each worker builds the pipeline once (the model
name and config travel with the task) and checks that its pipeline is the client's (same
provenance hashes); a worker with another version refuses the article (E034) rather than
writing records that say they came from a pipeline they did not come from.

Failures: a task that raises is retried once (``retries=1``); a task whose worker process
dies is rescheduled by the scheduler on another worker until it has killed
``distributed.scheduler.allowed-failures`` + 1 workers (default 3; the README starts the
scheduler with 1), then Dask reports it lost and the article gets E034; the batch goes on
with the restarted workers. The README starts the scheduler with a worker saturation of 1.0,
so that a worker holds only the article it runs and no queued article dies with it. An
article that breaks a stage fails alone as in a local run (E030). The per-article time
budget and memory guard hold on the workers too (a task runs in a worker thread, where
``pipeline.guard`` raises the limit in that thread), so an article over them fails alone
(E032, E033); the worker's own ``--memory-limit`` is the last resort.
"""

from __future__ import annotations

import gc
import multiprocessing
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.inputs import ArticleInput

# per worker process: (model, config) -> pipeline, built once
_PIPELINES: dict[tuple[str | None, str | None], Any] = {}
_LOCK = threading.Lock()


def _worker_pipeline(model: str | None, config: str | None) -> Any:
    key = (model, config)
    with _LOCK:
        if key not in _PIPELINES:
            from pipeline.nlp import build_pipeline

            _PIPELINES[key] = build_pipeline(model, Path(config) if config else None)
            if multiprocessing.parent_process() is not None:
                # a worker process keeps its pipeline for life: out of the collector's walks
                # (see pipeline.nlp.frozen_heap); not an in-process worker of the caller's
                gc.collect()
                gc.freeze()
        return _PIPELINES[key]


def run_on_worker(article: ArticleInput, model: str | None, config: str | None,
                  provenance: dict[str, Any] | None, build: Callable[[ArticleInput, Any], Any],
                  max_seconds: float | None, max_memory: int | None) -> Any:
    """One article on a worker: the worker's pipeline (built once), checked against the
    client's provenance, then the same ``run_article`` as a local run."""
    from pipeline.annotate import run_article
    from pipeline.provenance import pipeline_provenance

    nlp = _worker_pipeline(model, config)
    if provenance is not None:
        mine = pipeline_provenance(nlp)
        if mine != provenance:
            differs = sorted(k for k in set(mine) | set(provenance) if mine.get(k) != provenance.get(k))
            return PipelineError("E034", f"the cluster worker runs another pipeline than this run "
                                         f"({', '.join(differs)} differ): install the same version there")
    return run_article(nlp, article, build, max_seconds, max_memory)


def connect(address: str, timeout: float = 10.0) -> Any:
    """A client of the scheduler at ``address``; E034 when Dask is missing or it cannot be reached."""
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - the dev install has it
        raise PipelineError("E034", "--cluster needs Dask distributed: pip install 'ccpipeline[cluster]'") from exc
    try:
        return Client(address, timeout=f"{timeout}s")
    except (OSError, TimeoutError) as exc:
        raise PipelineError("E034", f"cannot reach the Dask scheduler at {address}: {exc}") from exc


def process_on_cluster(
    address: str, articles: list[ArticleInput], build: Callable[[ArticleInput, Any], Any],
    model: str | None, config: str | None, provenance: dict[str, Any] | None,
    max_seconds: float | None = None, max_memory: int | None = None, timeout: float = 10.0,
    on_finished: Callable[[ArticleInput, Any], None] | None = None,
) -> Iterator[tuple[ArticleInput, Any]]:
    """Outcomes in input order; every article is submitted at once (the scheduler balances
    them over the workers, longest first) and each is retried once when its worker dies.
    ``on_finished`` hears of each outcome as soon as it comes back, in any order."""
    from distributed import as_completed

    client = connect(address, timeout)
    try:
        order = sorted(range(len(articles)), key=lambda i: -len(articles[i].text))
        futures: dict[int, Any] = {}
        for priority, index in enumerate(order):
            futures[index] = client.submit(
                run_on_worker, articles[index], model, config, provenance, build, max_seconds, max_memory,
                key=f"ccpipeline-{index}-{articles[index].sha256[:12]}", retries=1,
                priority=len(order) - priority, pure=False,
            )
        index_of = {future.key: index for index, future in futures.items()}
        pending: dict[int, Any] = {}
        next_out = 0
        for future in as_completed(list(futures.values())):
            index = index_of[future.key]
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker (twice) fails this article alone
                outcome = PipelineError("E034", f"the cluster could not annotate the article "
                                                f"({type(exc).__name__}: {exc}), after one retry")
            if on_finished is not None:
                on_finished(articles[index], outcome)
            pending[index] = outcome
            while next_out in pending:
                yield articles[next_out], pending.pop(next_out)
                next_out += 1
    finally:
        client.close()
