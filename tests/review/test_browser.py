"""End to end in a real browser: Playwright driving Debian's chromium against the live app."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from pipeline.review.app import create_app
from tests.review.fixture_records import MAIN_DOC

CHROMIUM = Path(os.environ.get("CCREVIEW_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOKYO_EVENT = "evt-448-502"

pytestmark = pytest.mark.browser


def _require_chromium() -> None:
    found = CHROMIUM.exists() or shutil.which(str(CHROMIUM))
    if found:
        return
    message = f"chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message + "; browser tests run only where it is")


@pytest.fixture
def live_app(records_dir: Path) -> Iterator[str]:
    _require_chromium()
    app = create_app(records_dir, reviewer="browser-test")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the review app did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def page(live_app: str) -> Iterator[object]:
    from playwright.sync_api import Route, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(accept_downloads=True)
        outside: list[str] = []

        def keep_local(route: Route) -> None:
            url = route.request.url
            if url.startswith((live_app, "data:")):
                route.continue_()
            else:
                outside.append(url)
                route.abort()

        context.route("**/*", keep_local)
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
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
