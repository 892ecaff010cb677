"""Does every stage grow linearly with the text? The seed article as it is, with its
narrative repeated K times, and with its chronology entries repeated K times; each stage
timed on each (median of the repeats), and the ratio of the K-times text's time to the
original's printed beside K (linear: about K; the issue's bound: 8.5 for K = 8).

Usage: .venv/bin/python scripts/benchmark_scaling.py [--times 8] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))
SEED = REPO.parent / "shared" / "seeds" / "000_ed224ae42dbf410d.txt"


def variants(text: str, times: int) -> dict[str, str]:
    """The seed, its narrative K times, its chronology entries K times."""
    cut = text.index("\nChronology of")
    head, chronology = text[:cut], text[cut:]
    lines = chronology.split("\n\n")
    title, entries = lines[:2], lines[2:]
    body_start = head.index("\n\n", head.index("Download Article as PDF")) if "Download Article as PDF" in head else 0
    front, narrative = head[:body_start], head[body_start:]
    return {
        "original": text,
        f"narrative x{times}": front + narrative * times + chronology,
        f"entries x{times}": head + "\n\n".join(title + entries * times),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--times", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from benchmark import _stage_times  # type: ignore[import-not-found]

    from pipeline.nlp import build_pipeline

    nlp = build_pipeline()
    texts = variants(SEED.read_text(encoding="utf-8"), args.times)
    for text in texts.values():  # warm-up: caches and lazily loaded data before the clock starts
        nlp(text)
    timings = {name: _stage_times(nlp, [text], args.repeat) for name, text in texts.items()}
    words = {name: len(text.split()) for name, text in texts.items()}
    names = list(texts)
    print("words: " + ", ".join(f"{n} {words[n]:,} ({words[n] / words['original']:.1f}x)" for n in names))
    print(f"{'stage':<18}" + "".join(f"{n + ' (s)':>20}" for n in names) + "".join(f"{'ratio ' + n:>24}" for n in names[1:]))
    stages = list(timings["original"])
    for stage in [*stages, "total"]:
        row = {n: (sum(timings[n].values()) if stage == "total" else timings[n][stage]) for n in names}
        base = row["original"] or 1e-9
        print(f"{stage:<18}" + "".join(f"{row[n]:>20.3f}" for n in names)
              + "".join(f"{row[n] / base:>24.2f}" for n in names[1:]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
