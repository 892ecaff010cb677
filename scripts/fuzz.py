"""The long fuzz campaign: N generated inputs in batches, with 1 and 2 workers.

Each batch holds generated bad and odd inputs (``tests/fuzzing.py``: bad bytes and
encodings, malformed HTML and PDFs, odd structure and dates, mutated corpus articles,
hidden files, broken and looping links, FIFOs) plus unchanged copies of corpus articles.
For every batch it checks: annotate raised nothing, every input is accounted for exactly
once, every record is valid with offsets that point at their text, and the good copies'
records equal a lone run's. Prints a table per worker count.

    .venv/bin/python scripts/fuzz.py [--inputs 10000] [--batch 500] [--workers 1,2] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.annotate import annotate  # noqa: E402
from tests.fuzzing import check_outputs, good_copies, make_batch  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-seconds", type=float, default=120.0)
    args = parser.parse_args()

    from pipeline.nlp import build_pipeline

    nlp = build_pipeline()
    failures = 0
    for workers in [int(w) for w in args.workers.split(",")]:
        totals = {"inputs": 0, "records": 0, "errors": 0, "passed_over": 0, "crashes": 0, "unaccounted": 0,
                  "hangs (E032)": 0, "over memory (E033)": 0, "worker deaths (E030)": 0,
                  "good copies differing": 0, "seconds": 0.0}
        codes: dict[str, int] = {}
        for start in range(0, args.inputs, args.batch):
            seed = args.seed * 1_000_003 + start
            with tempfile.TemporaryDirectory(prefix="ccpipeline-fuzz-") as tmp:
                folder = Path(tmp) / "in"
                expected = make_batch(folder, min(args.batch, args.inputs - start), seed)
                good = good_copies(folder, seed)
                expected.update({str(p): "good" for p in good})
                began = time.perf_counter()
                try:
                    annotate([folder], Path(tmp) / "out", nlp, workers=workers, max_seconds=args.max_seconds)
                except Exception:  # noqa: BLE001 - a crash is what we count
                    totals["crashes"] += 1
                    traceback.print_exc()
                    continue
                totals["seconds"] += time.perf_counter() - began
                try:
                    counts = check_outputs(Path(tmp) / "out", expected)
                except AssertionError as exc:
                    totals["unaccounted"] += 1
                    print(f"batch seed {seed}: {exc}", file=sys.stderr)
                    continue
                for key in ("inputs", "records", "errors", "passed_over"):
                    totals[key] += counts[key]
                for code, n in counts["codes"].items():
                    codes[code] = codes.get(code, 0) + n
                totals["hangs (E032)"] += counts["codes"].get("E032", 0)
                totals["over memory (E033)"] += counts["codes"].get("E033", 0)
                totals["worker deaths (E030)"] += counts["codes"].get("E030", 0)
                annotate(good, Path(tmp) / "lone", nlp, max_seconds=args.max_seconds)
                batch = {json.loads(x)["source"]["path"]: x for x in (Path(tmp) / "out" / "articles.jsonl").read_text().splitlines()}
                for line in (Path(tmp) / "lone" / "articles.jsonl").read_text().splitlines():
                    if batch.get(json.loads(line)["source"]["path"]) != line:
                        totals["good copies differing"] += 1
        failures += (totals["crashes"] + totals["unaccounted"] + totals["good copies differing"]
                     + totals["hangs (E032)"] + totals["over memory (E033)"] + totals["worker deaths (E030)"])
        print(f"workers {workers}: " + ", ".join(f"{k} {round(v, 1) if isinstance(v, float) else v}" for k, v in totals.items()))
        print(f"  error codes: {dict(sorted(codes.items()))}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
