"""A day of review in the browser, scripted: on the real seed article, 20 corrections of each
kind are made through the forms (events, chronology entries, actors, dates, agreements,
alignment links); then the article's text is edited above them, the folder re-annotated, and
every correction must still apply."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.annotate import annotate
from pipeline.records import ArticleRecord
from pipeline.review.app import create_app
from pipeline.review.reattach import apply_corrections
from pipeline.review.store import CorrectionStore
from tests.browser import CHROMIUM, CHROMIUM_ARGS, guarded_page, live_server, require_chromium

pytestmark = pytest.mark.browser

PER_KIND = 20
FLIP = {"escalatory": "neutral", "neutral": "de-escalatory", "de-escalatory": "escalatory"}


def _record(out: Path) -> dict[str, Any]:
    return json.loads((out / "articles.jsonl").read_text(encoding="utf-8").splitlines()[0])


@pytest.fixture
def reviewed_folder(seed_path: Path, tmp_path: Path) -> Iterator[tuple[Path, Path, str]]:
    require_chromium("the scripted review session")
    from pipeline.nlp import build_pipeline

    article = tmp_path / "in" / "thaws.txt"
    article.parent.mkdir()
    article.write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    annotate([article], out, build_pipeline())
    with live_server(create_app(out, reviewer="analyst")) as url:
        yield article, out, url


def _free_words(record: dict[str, Any], taken: set[tuple[int, int]], start: int, end: int) -> Iterator[tuple[int, int]]:
    for match in re.finditer(r"[A-Za-z]{5,}", record["text"][start:end]):
        span = (start + match.start(), start + match.end())
        if span not in taken:
            yield span


def test_twenty_corrections_of_every_kind_survive_an_edit_and_a_rerun(
    reviewed_folder: tuple[Path, Path, str],
) -> None:
    from playwright.sync_api import sync_playwright

    article, out, base = reviewed_folder
    record = _record(out)
    doc = record["doc_id"]
    made: dict[str, int] = {}

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context()
        page, errors, outside = guarded_page(context, lambda url: url.startswith((base, "data:")))

        def open_(sel: str = "") -> None:
            page.goto(f"{base}/article/{doc}" + (f"?sel={sel}" if sel else ""))

        def save(kind: str, button: str, fill: Callable[[], None]) -> None:
            fill()
            with page.expect_navigation():
                page.click(button)
            assert "saved=" in page.url and "error=" not in page.url, (kind, page.url)
            assert "nothing+to+save" not in page.url, (kind, page.url)
            made[kind] = made.get(kind, 0) + 1

        # events: polarity, modality, added from a selection, deleted, made main
        events = record["events"]
        narrative = [e for e in events if e["chronology_entry_id"] is None]
        for event in narrative[:8]:
            open_(f"event:{event['id']}")
            save("event", "#event-form button[value=set]",
                 lambda e=event: page.check(f"#event-form input[name=polarity][value={FLIP[e['polarity']]}]"))
        for event in narrative[8:12]:
            open_(f"event:{event['id']}")
            save("event", "#event-form button[value=set]",
                 lambda: page.select_option("#event-form select[name=modality]", "hypothetical"))
        triggers = {(e["trigger"]["start"], e["trigger"]["end"]) for e in events if e.get("trigger")}
        added = 0
        for entry in record["chronology"]:
            if added == 4:
                break
            for start, end in _free_words(record, triggers, entry["text_start"], entry["end"]):
                open_()

                def add_event(s: int = start, e: int = end) -> None:
                    page.select_option("#add-form select[name=kind]", "event")
                    page.fill("#add-start", str(s))
                    page.fill("#add-end", str(e))
                    page.select_option("#add-form select[name=polarity]", "neutral")

                save("event", "#add-form button[value=add]", add_event)
                added += 1
                break
        crowded = [c for c in record["chronology"]
                   if sum(1 for e in events if e["chronology_entry_id"] == c["id"]) >= 2]
        for entry in crowded[:2]:
            other = next(e for e in events if e["chronology_entry_id"] == entry["id"] and not e["is_main"])
            open_(f"event:{other['id']}")
            save("event", "#event-form button[value=set]", lambda: page.check("#event-form input[name=is_main]"))
        done_events = {e["id"] for e in narrative[:12]}
        for event in [e for e in narrative[12:] if e["id"] not in done_events][: PER_KIND - made["event"]]:
            open_(f"event:{event['id']}")
            save("event", "#remove-event", lambda: None)

        # chronology entries: their first day
        for entry in [c for c in record["chronology"] if c["date"]][:PER_KIND]:
            day = int(entry["date"][8:10])
            new = f"{entry['date'][:8]}{(day % 28) + 1:02d}"
            open_(f"entry:{entry['id']}")
            save("entry", "#entry-form button[value=set]", lambda v=new: page.fill("#entry-form input[name=date]", v))

        # actors: role and country, a few removed
        actors = [a for a in record["actors"] if a["start"] > len(record["text"]) // 10]
        for actor in actors[::5][:15]:
            open_(f"actor:{actor['id']}")
            save("actor", "#span-form button[value=set]",
                 lambda: page.fill("#span-form input[name=role]", "checked in review"))
        for actor in actors[2::7][:5]:
            open_(f"actor:{actor['id']}")
            save("actor", "#span-form button[value=remove]", lambda: None)

        # dates: values set, a few removed
        dates = [d for d in record["dates"] if d["start"] > len(record["text"]) // 10]
        for date in dates[:15]:
            open_(f"date:{date['id']}")
            save("date", "#span-form button[value=set]",
                 lambda: page.fill("#span-form input[name=granularity]", "reviewed"))
        for date in dates[15:20]:
            open_(f"date:{date['id']}")
            save("date", "#span-form button[value=remove]", lambda: None)

        # agreements: the canonical name
        for agreement in record["agreements"][:PER_KIND]:
            open_(f"agreement:{agreement['id']}")
            save("agreement", "#span-form button[value=set]",
                 lambda a=agreement: page.fill("#span-form input[name=canonical_name]", f"{a['text']} (reviewed)"))

        # alignment links: rejected, accepted, and links the pipeline did not propose
        removed = {e["id"] for e in narrative[12:][: PER_KIND]}
        linked = [e for e in narrative if e["aligned_entries"] and e["id"] not in removed]
        for event in linked[:10]:
            open_(f"event:{event['id']}")
            save("link", "#inspector ul.links form button[value=reject]", lambda: None)
        for event in linked[10:15]:
            open_(f"event:{event['id']}")
            save("link", "#inspector ul.links form button[value=accept]", lambda: None)
        for event in [e for e in narrative if not e["aligned_entries"] and e["id"] not in removed][: PER_KIND - made["link"]]:
            open_(f"event:{event['id']}")
            save("link", "#link-form button[value=accept]", lambda: None)

        assert errors == [], errors
        assert outside == [], outside
        browser.close()

    assert all(n == PER_KIND for n in made.values()) and len(made) == 6, made

    # the text is edited above the corrections, and the folder annotated again
    text = article.read_text(encoding="utf-8")
    first_para = text.index("\n\n", len(text) // 20)
    edited = text[:first_para] + " A sentence the editor added." + text[first_para:]
    article.write_text(edited, encoding="utf-8")
    from pipeline.nlp import build_pipeline

    annotate([article], out, build_pipeline())
    store = CorrectionStore(out / "corrections.sqlite")
    corrections = store.active(doc)
    assert len(corrections) >= 6 * PER_KIND
    overlay = apply_corrections(ArticleRecord.model_validate(_record(out)), corrections)
    orphaned = [(a.correction.kind, a.correction.op, a.correction.field, a.reason) for a in overlay.orphans]
    assert orphaned == []
    assert all(a.status == "applied" for a in overlay.attachments)
    # they were found again by their quoted text: the edit moved every one of them
    moved = sum(1 for a in overlay.attachments if "found again" in (a.note or ""))
    assert moved >= 0.9 * len(corrections), (moved, len(corrections))
