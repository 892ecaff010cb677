"""annotate on a Dask cluster writes the records a local run writes (pipeline.cluster)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.annotate import ClusterTarget, annotate
from pipeline.errors import PipelineError
from tests.conftest import CORPUS_DIR

pytestmark = pytest.mark.model
OUTPUTS = ("articles.jsonl", "chronology.jsonl", "errors.jsonl", "passed_over.jsonl", "issues.jsonl")


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    from pipeline.nlp import build_pipeline

    return build_pipeline()


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as local:
        yield local


def _inputs(tmp_path: Path, seed_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted((CORPUS_DIR / "articles").glob("*")):
        shutil.copy(path, folder / path.name)
    shutil.copy(seed_path, folder / seed_path.name)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


def test_a_cluster_run_writes_what_a_local_run_writes(tmp_path: Path, seed_path: Path, nlp, cluster) -> None:  # type: ignore[no-untyped-def]
    inputs = _inputs(tmp_path, seed_path)
    local = annotate([inputs], tmp_path / "local", nlp)
    remote = annotate([inputs], tmp_path / "cluster", nlp, cluster=ClusterTarget(cluster.scheduler_address))
    assert remote.articles == local.articles == 5 and [e.code for e in remote.errors] == [e.code for e in local.errors]
    for name in OUTPUTS:
        assert (tmp_path / "cluster" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    # what travels with each task survives pickling as a real cluster's network does it
    import cloudpickle

    from pipeline.annotate import _builder
    from pipeline.provenance import pipeline_provenance

    build = _builder({}, None, None)
    assert callable(cloudpickle.loads(cloudpickle.dumps(build)))
    assert cloudpickle.loads(cloudpickle.dumps(pipeline_provenance(nlp))) == pipeline_provenance(nlp)


def test_a_worker_with_another_pipeline_refuses_the_article(tmp_path: Path, nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pipeline import cluster as cluster_module
    from pipeline.inputs import ArticleInput

    article = ArticleInput(path=tmp_path / "a.txt", text="Seoul and Tokyo held talks.", sha256="0" * 64, format="txt")
    outcome = cluster_module.run_on_worker(article, None, None, {"pipeline_version": "0.0.0-other"},
                                           lambda a, doc: "built", None, None)
    assert isinstance(outcome, PipelineError) and outcome.code == "E034" and "another pipeline" in outcome.message


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Seoul and Tokyo held talks on Nov. 22, 2019.", encoding="utf-8")
    with pytest.raises(PipelineError) as caught:
        annotate([folder], tmp_path / "out", nlp, cluster=ClusterTarget("tcp://127.0.0.1:1", timeout=1.0))
    assert caught.value.code == "E034" and "cannot reach the Dask scheduler" in caught.value.message
    assert not (tmp_path / "out" / "articles.jsonl").exists()


def test_an_article_that_kills_its_worker_fails_alone_and_the_others_are_written(tmp_path: Path) -> None:
    """Worker processes that die on one article: the scheduler gives it to another worker,
    then reports it lost (E034) once it has killed ``allowed-failures`` + 1 workers; the
    other articles are annotated by the restarted workers and none is lost."""
    import dask
    from distributed import LocalCluster

    from pipeline.cluster import process_on_cluster
    from pipeline.inputs import ArticleInput

    def build(article, doc):  # type: ignore[no-untyped-def]
        if article.path.name == "poison.txt":
            import os

            os._exit(3)  # the worker process dies, as on an out-of-memory kill
        return f"built {article.path.name} ({len(doc)} tokens)"

    articles = [ArticleInput(path=tmp_path / f"{name}.txt", text=text, sha256=f"{k:064d}", format="txt")
                for k, (name, text) in enumerate([("first", "Seoul and Tokyo held talks."),
                                                  ("poison", "This article kills its worker."),
                                                  ("last", "Beijing protested the drill.")])]
    # one task per worker thread at a time (saturation 1.0), as the README starts the
    # scheduler: an article then only ever dies with the worker it runs on
    settings = {"distributed.scheduler.allowed-failures": 1, "distributed.scheduler.worker-saturation": 1.0}
    with dask.config.set(settings), LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
            memory_limit="1.5GiB") as local:
        outcomes = list(process_on_cluster(local.scheduler_address, articles, build, None, None, None, timeout=30))
    assert [a.path.name for a, _ in outcomes] == ["first.txt", "poison.txt", "last.txt"]
    assert outcomes[0][1] == "built first.txt (6 tokens)" and outcomes[2][1] == "built last.txt (5 tokens)"
    lost = outcomes[1][1]
    assert isinstance(lost, PipelineError) and lost.code == "E034" and "could not annotate" in lost.message


def test_the_time_budget_holds_on_a_cluster_worker(tmp_path: Path, cluster) -> None:  # type: ignore[no-untyped-def]
    """A Dask task runs in a worker thread, not a process's main thread: the article over its
    budget still fails alone (E032) and the next one is annotated."""
    import time as clock

    from pipeline.cluster import process_on_cluster
    from pipeline.inputs import ArticleInput

    def build(article, doc):  # type: ignore[no-untyped-def]
        if article.path.name == "slow.txt":
            start = clock.monotonic()
            while clock.monotonic() - start < 20:
                sum(range(500))
        return f"built {article.path.name}"

    articles = [ArticleInput(path=tmp_path / name, text="Seoul and Tokyo held talks.", sha256=f"{k:064d}", format="txt")
                for k, name in enumerate(["slow.txt", "quick.txt"])]
    started = clock.monotonic()
    told: list[str] = []
    outcomes = list(process_on_cluster(cluster.scheduler_address, articles, build, None, None, None, max_seconds=1.0,
                                       on_finished=lambda article, outcome: told.append(article.path.name)))
    assert clock.monotonic() - started < 15
    # the quick article is reported (and journalled by annotate) the moment it is done, before
    # the slow one ahead of it in the input; the outcomes still come in input order
    assert told == ["quick.txt", "slow.txt"]
    assert [a.path.name for a, _ in outcomes] == ["slow.txt", "quick.txt"]
    slow, quick = (outcome for _, outcome in outcomes)
    assert isinstance(slow, PipelineError) and slow.code == "E032", slow
    assert quick == "built quick.txt"
