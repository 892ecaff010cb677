"""The whole-process benchmark's statistic (scripts/benchmark.py)."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "scripts"))
from benchmark import paired_ratio, startup_seconds  # type: ignore[import-not-found]  # noqa: E402


def test_the_ratio_is_the_median_of_the_pairs_not_of_separate_medians():
    # The machine slows for the last two pairs; each pair's ratio is 1.2 all the same.
    bare = [1.0, 1.0, 2.0, 2.0]
    full = [1.2, 1.2, 2.4, 2.4]
    ratio, low, high = paired_ratio(bare, full)
    assert ratio == pytest.approx(1.2) and low == pytest.approx(1.2) and high == pytest.approx(1.2)


def test_quartiles_bound_the_median():
    bare = [1.0] * 8
    full = [1.1, 1.3, 1.2, 1.25, 1.15, 1.4, 1.05, 1.22]
    ratio, low, high = paired_ratio(bare, full)
    assert low < ratio < high
    assert ratio == pytest.approx(1.21)


def test_few_pairs_give_their_range():
    assert paired_ratio([1.0, 1.0], [1.1, 1.3]) == pytest.approx((1.2, 1.1, 1.3))


def test_passes_interleave_text_by_text_with_the_order_turning():
    from benchmark import _alternating  # type: ignore[import-not-found]

    calls: list[tuple[str, str]] = []

    def model(name: str):  # type: ignore[no-untyped-def]
        return lambda text: calls.append((name, text))

    bare_runs, full_runs = _alternating(model("bare"), model("full"), ["a", "b", "c"], 2)
    assert len(bare_runs) == len(full_runs) == 2
    assert calls == [
        ("bare", "a"), ("full", "a"), ("full", "b"), ("bare", "b"), ("bare", "c"), ("full", "c"),
        ("full", "a"), ("bare", "a"), ("bare", "b"), ("full", "b"), ("full", "c"), ("bare", "c"),
    ]


def test_start_up_is_timed_to_the_end_of_the_code_not_the_exit():
    import os

    env = dict(os.environ)
    quick = startup_seconds("pass", env)
    slow = startup_seconds("import time; time.sleep(0.3)", env)
    assert 0 < quick < slow and slow - quick >= 0.25
    # an exit handler that takes long is not counted (the child leaves with os._exit)
    held = startup_seconds("import atexit, time; atexit.register(time.sleep, 2)", env)
    assert held < 1.5


def test_the_command_line_still_exports_its_app():
    import typer

    from pipeline.cli import app

    assert isinstance(app, typer.Typer)
