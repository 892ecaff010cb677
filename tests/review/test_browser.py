"""End to end in a real browser: Playwright driving Debian's chromium against the live app."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.review.app import create_app
from pipeline.review.render import IdScope
from pipeline.review.report import write_report
from tests.browser import CHROMIUM, CHROMIUM_ARGS, guarded_page, live_server, require_chromium
from tests.review.fixture_records import (
    MAIN_DOC,
    REPRINT_DOC,
    hostile_article,
    main_article,
    reprint_article,
    write_fixture_dir,
)

TOKYO_EVENT = "evt-448-502"

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(records_dir: Path) -> Iterator[str]:
    require_chromium("browser tests")
    app = create_app(records_dir, reviewer="browser-test")
    with live_server(app) as url:
        yield url


@pytest.fixture
def page(live_app: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(accept_downloads=True)
        pg, errors, outside = guarded_page(context, lambda url: url.startswith((live_app, "data:")))
        yield pg
        assert errors == [], f"JavaScript errors: {errors}"
        assert outside == [], f"the page tried to reach outside: {outside}"
        browser.close()


def test_review_polarity_in_the_browser(page, live_app: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page.goto(f"{live_app}/article/{MAIN_DOC}")
    # Highlights by type, with the values on keyboard focus.
    expect(page.locator('[data-kind="actor"]')).to_have_count(10)
    expect(page.locator('[data-kind="date"]')).to_have_count(3)
    expect(page.locator('[data-kind="agreement"]')).to_have_count(4)
    actor = page.locator("#actor-act-292-303")
    actor.focus()
    tip = actor.evaluate("el => getComputedStyle(el, '::after').content")
    assert "jpn-tanaka-hiro" in tip and "JPN" in tip
    event = page.locator(f'.evt[data-id="{TOKYO_EVENT}"]').first
    expect(event).to_have_class("evt pol-escalatory")

    # Open the event from its badge, change its polarity, save.
    page.locator(f"#event-{TOKYO_EVENT} .evt-badge").click()
    expect(page.locator("#event-form")).to_be_visible()
    page.locator('#event-form input[name="polarity"][value="de-escalatory"]').check()
    page.locator('#event-form button[value="set"]').click()
    expect(page.locator(f'.evt[data-id="{TOKYO_EVENT}"]').first).to_have_class(
        "evt pol-de-escalatory corrected selected"
    )

    # Reload: the correction is kept.
    page.goto(f"{live_app}/article/{MAIN_DOC}")
    expect(page.locator(f'.evt[data-id="{TOKYO_EVENT}"]').first).to_have_class(
        "evt pol-de-escalatory corrected"
    )
    expect(page.locator(".history li").first).to_contain_text("set event.polarity")

    # Export it.
    page.goto(f"{live_app}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="prodigy-textcat.jsonl").click()
    saved = tmp_path / "textcat.jsonl"
    info.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert '"label": "de-escalatory", "answer": "accept"' in text


def test_select_text_to_add_a_span(page, live_app: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{live_app}/article/{MAIN_DOC}")
    # Select "naval drill" in the narrative; the add form receives its offsets.
    page.evaluate(
        """() => {
            const block = document.querySelector('.block-narrative');
            const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const n = walker.currentNode; const i = n.nodeValue.indexOf('naval drill');
                if (i >= 0) { const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 11);
                    const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); break; }
            }
            document.dispatchEvent(new MouseEvent('mouseup'));
        }"""
    )
    expect(page.locator("#add-preview")).to_contain_text("naval drill")
    page.locator('#add-form select[name="kind"]').select_option("agreement")
    page.locator('#add-form button[value="add"]').click()
    added = page.locator('.ent-agreement[data-id^="agr-"]', has_text="naval drill")
    expect(added).to_have_count(1)


@pytest.fixture
def report_page(tmp_path: Path) -> Iterator[tuple[object, Path]]:
    """The static report of three articles (the main one twice) open in chromium."""
    from playwright.sync_api import sync_playwright

    require_chromium("browser tests")
    records = write_fixture_dir(
        tmp_path / "records", [main_article(), reprint_article(), hostile_article()]
    )
    report = write_report(records, tmp_path / "report.html")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        pg, errors, outside = guarded_page(
            context, lambda url: url == report.as_uri() or url.startswith("data:"), console_errors=True
        )
        pg.goto(report.as_uri())
        yield pg, report
        assert errors == [], f"JavaScript or CSP errors: {errors}"
        assert outside == [], f"the report tried to reach outside: {outside}"
        browser.close()


def test_report_entry_link_of_the_second_article_targets_its_own_entry(report_page) -> None:
    from playwright.sync_api import expect

    page, _report = report_page
    second = page.locator(f"article.doc[data-doc={json.dumps(REPRINT_DOC)}]")
    expect(second).to_have_count(1)
    link = second.locator(".align-link").first
    expected = IdScope.for_article(REPRINT_DOC)("entry", "chr-001")
    assert link.get_attribute("href") == f"#{expected}"
    link.click()
    page.wait_for_function(f"location.hash === {json.dumps('#' + expected)}")
    where = page.evaluate(
        """() => {
            const target = document.querySelector(':target');
            const box = target.getBoundingClientRect();
            return {
                id: target.id,
                doc: target.closest('article.doc').getAttribute('data-doc'),
                top: box.top,
                bottom: box.bottom,
                height: window.innerHeight,
                sameIdCount: document.querySelectorAll('[id="' + target.id + '"]').length,
            };
        }"""
    )
    assert where["id"] == expected and where["doc"] == REPRINT_DOC
    assert where["sameIdCount"] == 1
    # Scrolled to it: the entry is in the viewport (it was far below the first article).
    assert where["bottom"] > 0 and where["top"] < where["height"]
    first_entry = page.locator(f"#{IdScope.for_article(MAIN_DOC)('entry', 'chr-001')}")
    first_box = first_entry.bounding_box()
    assert first_box is not None and first_box["y"] + first_box["height"] < 0

    # And back: the entry's link to its narrative event stays in the second article too.
    back = page.locator(f"#{expected} .back-link").first
    back.click()
    target_doc = page.evaluate("() => document.querySelector(':target').closest('article.doc').dataset.doc")
    assert target_doc == REPRINT_DOC


def test_a_stale_tab_is_told_in_the_inspector_and_a_typed_name_becomes_the_target(page, live_app: str) -> None:
    from playwright.sync_api import expect

    url = f"{live_app}/article/{MAIN_DOC}?sel=event:{TOKYO_EVENT}#inspector"
    other = page.context.new_page()
    page.goto(url)
    other.goto(url)  # a second tab on the same event
    page.check("input[name=polarity][value=neutral]")
    page.click("#event-form button[name=action][value=set]")
    other.check("input[name=polarity][value=de-escalatory]")
    other.click("#event-form button[name=action][value=set]")
    warning = other.locator("#inspector p.error")
    expect(warning).to_contain_text("changed in another tab")
    expect(warning).to_contain_text("It now reads: polarity neutral")
    expect(warning).to_be_in_viewport()
    other.close()
    # the target typed as a name is stored as that actor's mention and shown by its
    # canonical name ("Seoul" stands for South Korea here)
    page.goto(url)
    page.fill("#event-form input[name=target]", "Seoul")
    page.click("#event-form button[name=action][value=set]")
    expect(page.locator("#event-form input[name=target]")).to_have_value(re.compile(r"^South Korea \[act-\d+-\d+\]$"))


def test_the_queue_and_the_keyboard_path(page, live_app: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{live_app}/queue")
    rows = page.locator("table.queue tbody tr")
    expect(rows.first).to_be_visible()
    confidences = [float(x) for x in page.locator("table.queue tbody tr td:first-child").all_inner_texts()]
    assert confidences == sorted(confidences)  # least confident first
    # a filtered queue: the words of one event of the main article
    page.goto(f"{live_app}/queue?q=naval+drill")
    expect(page.locator("table.queue tbody")).not_to_contain_text("Nothing matches")
    for text in page.locator("table.queue tbody tr td:nth-child(3)").all_inner_texts():
        assert "naval drill" in text.lower()
    with page.expect_navigation():
        page.locator(f"table.queue a[href*='{TOKYO_EVENT}']").click()
    assert f"sel=event%3A{TOKYO_EVENT}" in page.url
    first = page.url
    # 3 sets the open event to neutral and saves it; the saved state is shown
    with page.expect_navigation():
        page.keyboard.press("3")
    expect(page.locator("#inspector .saved, #inspector .notice")).to_be_visible()
    expect(page.locator('#event-form input[name="polarity"][value="neutral"]')).to_be_checked()
    # j moves to the next event, k back
    with page.expect_navigation():
        page.keyboard.press("j")
    assert page.url != first
    with page.expect_navigation():
        page.keyboard.press("k")
    assert page.url.split("&")[0].split("#")[0] == first.split("#")[0]
    # u undoes the last correction
    with page.expect_navigation():
        page.keyboard.press("u")
    expect(page.locator("ol.history li.undone")).to_have_count(1)
    # the shortcuts are listed on the page
    expect(page.locator("details.shortcuts")).to_contain_text("escalatory")
    # and the queue filters: a corrected item is left out by default, shown with "already"
    page.goto(f"{live_app}/queue?corrected=yes")
    expect(page.locator("table.queue tbody")).to_contain_text("Nothing matches")


def test_timeline_filters_and_the_relationship_view_in_the_browser(page, live_app: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{live_app}/article/{MAIN_DOC}")
    figure = page.locator(".timeline-box")
    chronology = page.locator(".track-chronology")
    expect(chronology).to_be_visible()
    page.locator('.tl-filter[data-hide="hide-chronology"]').uncheck()
    expect(chronology).to_be_hidden()
    expect(page.locator(".track-narrative")).to_be_visible()
    page.locator('.tl-filter[data-hide="hide-escalatory"]').uncheck()
    expect(figure).to_have_class(re.compile(r"hide-chronology.*hide-escalatory"))
    assert all(not box.is_visible() for box in page.locator(".track-narrative .pt.pol-escalatory").all())
    page.locator('.tl-filter[data-hide="hide-chronology"]').check()
    expect(chronology).to_be_visible()
    page.click("text=relationships")
    expect(page.locator("svg.relationships")).to_be_visible()
    expect(page.locator("table.index tbody tr").first).to_contain_text("Japan")
    with page.expect_download() as download:
        page.click("#relationships-csv")
    assert Path(download.value.path()).read_text(encoding="utf-8").startswith("relationship,month,")
