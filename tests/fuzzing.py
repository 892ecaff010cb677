"""Generated bad and odd inputs for the batch, and the checks every batch must pass.

Shared by ``tests/test_fuzz.py`` (a few hundred inputs, seeded, quick) and
``scripts/fuzz.py`` (10,000+). Every case is made from a seed, so a failure can be rerun.
The texts are generated or are mutations of the articles written for ``corpus/``.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CORPUS_ARTICLES = sorted((REPO / "corpus" / "articles").glob("*.txt"))

MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
ACTORS = ["Japan", "South Korea", "North Korea", "China", "the United States", "Seoul", "Tokyo",
          "President Moon", "Prime Minister Abe", "ASEAN", "Kim Jong Un"]
ACTS = ["meet in Seoul", "hold talks", "protest the drills", "launch a missile", "sign an accord",
        "criticize the decision", "agree to resume dialogue", "impose sanctions"]


def _article(rng: random.Random) -> str:
    return rng.choice(CORPUS_ARTICLES).read_text(encoding="utf-8")


def _entry(rng: random.Random) -> str:
    month = rng.choice(MONTHS + ["Febtember", "13", ""])
    day = rng.choice([str(rng.randint(1, 31)), "31", "0", "99", "1-3", ""])
    year = rng.choice(["2019", "1999", "2031", "19", ""])
    return f"{month} {day}, {year}: {rng.choice(ACTORS)} and {rng.choice(ACTORS)} {rng.choice(ACTS)}."


def _mutate(rng: random.Random, text: str) -> str:
    lines = text.splitlines()
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(7)
        if not lines:
            break
        k = rng.randrange(len(lines))
        if op == 0:
            del lines[k]
        elif op == 1:
            lines.insert(k, lines[rng.randrange(len(lines))])
        elif op == 2:
            rng.shuffle(lines)
        elif op == 3:
            lines[k] = lines[k].upper()
        elif op == 4:
            lines[k] = "".join(c + rng.choice(["", "\u200b", "\u00ad", "\ufeff", "\u202e"]) for c in lines[k][:200])
        elif op == 5:
            lines.insert(k, _entry(rng))
        else:
            lines[k] = lines[k][: rng.randrange(len(lines[k]) + 1)]
    return "\n".join(lines) + rng.choice(["", "\n", "\r\n", "\n\n\n"])


# name -> (file suffix, content maker); the content is bytes.
def _cases() -> dict[str, Callable[[random.Random], tuple[str, bytes]]]:
    return {
        "empty": lambda r: (".txt", b""),
        "whitespace": lambda r: (".txt", b" \n\t\n" * r.randint(1, 50)),
        "binary": lambda r: (".txt", bytes(r.randrange(256) for _ in range(r.randint(10, 3000)))),
        "nul_late": lambda r: (".txt", _article(r).encode("utf-8") + b"\x00" * r.randint(1, 5)),
        "latin1": lambda r: (".txt", "Caf\u00e9 talks in S\u00e9oul resumed.\n".encode("latin-1") * r.randint(1, 20)),
        "utf16": lambda r: (".txt", _article(r).encode("utf-16")),
        "truncated_utf8": lambda r: (".txt", "Japan\u2019s talks \u2014 ".encode("utf-8")[:-1]),
        "bom": lambda r: (".txt", b"\xef\xbb\xbf" + _article(r).encode("utf-8")),
        "crlf": lambda r: (".txt", _article(r).replace("\n", "\r\n").encode("utf-8")),
        "mutated": lambda r: (".txt", _mutate(r, _article(r)).encode("utf-8")),
        "no_chronology": lambda r: (".txt", _article(r).split("Chronology")[0].encode("utf-8")),
        "chronology_only": lambda r: (".txt", ("\n\n".join(_entry(r) for _ in range(r.randint(1, 60)))).encode("utf-8")),
        "one_long_line": lambda r: (".txt", (" ".join(r.choice(ACTORS) for _ in range(r.randint(100, 2000)))).encode("utf-8")),
        "many_blank_lines": lambda r: (".txt", ("a\n" * r.randint(100, 2000)).encode("utf-8")),
        "html_nested": lambda r: (".html", (b"<html><body>" + b"<div><b>" * r.randint(100, 3000) + b"Talks resumed.</body></html>")),
        "html_broken": lambda r: (".html", ("<html><p>" + _article(r)[:2000].replace("\n", "<p><i>") + "<script>x").encode("utf-8")),
        "html_empty": lambda r: (".html", b"<html><head><script>var a=1;</script></head><body></body></html>"),
        "html_good": lambda r: (".html", ("<html><body>" + "".join(f"<p>{line}</p>" for line in _article(r).splitlines()) + "</body></html>").encode("utf-8")),
        "pdf_broken": lambda r: (".pdf", b"%PDF-1.4\n" + bytes(r.randrange(256) for _ in range(r.randint(10, 500)))),
        "not_pdf": lambda r: (".pdf", _article(r).encode("utf-8")),
        "odd_dates": lambda r: (".txt", (_article(r).split("Chronology")[0] + "Chronology\n\n" + "\n\n".join(_entry(r) for _ in range(10))).encode("utf-8")),
    }


CASE_NAMES = tuple(_cases())


def make_batch(folder: Path, n: int, seed: int) -> dict[str, str]:
    """Write ``n`` generated inputs (and some file-system oddities) into ``folder``; returns
    path -> case name for every path an annotate run must account for."""
    rng = random.Random(seed)
    cases = _cases()
    folder.mkdir(parents=True, exist_ok=True)
    made: dict[str, str] = {}
    for k in range(n):
        name = CASE_NAMES[k % len(CASE_NAMES)] if k < len(CASE_NAMES) else rng.choice(CASE_NAMES)
        suffix, content = cases[name](rng)
        path = folder / f"{k:05d}-{name}{suffix}"
        path.write_bytes(content)
        made[str(path)] = name
    # Oddities of the file system: each must be listed as passed over (or an error), not lost.
    hidden = folder / ".hidden-article.txt"
    hidden.write_text(_article(rng), encoding="utf-8")
    made[str(hidden)] = "hidden"
    broken = folder / "broken-link.txt"
    os.symlink(folder / "does-not-exist.txt", broken)
    made[str(broken)] = "broken_link"
    loop = folder / "loop-link.txt"
    os.symlink(loop, loop)
    made[str(loop)] = "looping_link"
    if hasattr(os, "mkfifo"):
        fifo = folder / "a-fifo.txt"
        os.mkfifo(fifo)
        made[str(fifo)] = "fifo"
    return made


def good_copies(folder: Path, seed: int) -> list[Path]:
    """Unchanged copies of the corpus articles, whose records must equal a lone run's."""
    rng = random.Random(seed)
    paths = []
    for k, source in enumerate(rng.sample(CORPUS_ARTICLES, k=min(2, len(CORPUS_ARTICLES)))):
        target = folder / f"good-{k}-{source.name}"
        shutil.copy(source, target)
        paths.append(target)
    return paths


def check_outputs(out: Path, expected: dict[str, str]) -> dict[str, Any]:
    """Every input accounted for exactly once; every record valid, with offsets that point
    at their text. Returns counts; raises AssertionError with the first problem."""
    from pipeline.records import ArticleRecord

    articles = [json.loads(x) for x in (out / "articles.jsonl").read_text(encoding="utf-8").splitlines() if x]
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines() if x]
    passed = [json.loads(x) for x in (out / "passed_over.jsonl").read_text(encoding="utf-8").splitlines() if x]
    seen: dict[str, int] = {}
    for record in articles:
        seen[record["source"]["path"]] = seen.get(record["source"]["path"], 0) + 1
        ArticleRecord.model_validate(record)
        text = record["text"]
        for group in ("actors", "dates", "agreements"):
            for mention in record[group]:
                assert text[mention["start"]:mention["end"]] == mention["text"], (record["doc_id"], group, mention)
        for event in record["events"]:
            assert 0 <= event["start"] < event["end"] <= len(text), (record["doc_id"], event["id"])
        for entry in record["chronology"]:
            assert entry["polarity"] is not None, (record["doc_id"], entry["id"])
    for row in errors + passed:
        seen[row["path"]] = seen.get(row["path"], 0) + 1
    doubles = {p: n for p, n in seen.items() if n > 1 and not p.endswith(".pdf")}
    assert not doubles, f"accounted for more than once: {doubles}"
    missing = sorted(set(expected) - set(seen))
    assert not missing, f"inputs not accounted for: {missing[:5]}"
    codes: dict[str, int] = {}
    for row in errors:
        codes[row["code"]] = codes.get(row["code"], 0) + 1
    return {"inputs": len(expected), "records": len(articles), "errors": len(errors),
            "passed_over": len(passed), "codes": codes}
