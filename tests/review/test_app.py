"""The web app over HTTP: pages, corrections, undo, CSRF, escaping, orphans, exports, report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pipeline.records import dumps
from pipeline.review.app import create_app
from pipeline.review.report import render_report, write_report
from tests.review import fixture_records
from tests.review.fixture_records import HOSTILE_DOC, MAIN_DOC

TOKYO_EVENT = "evt-448-502"


@pytest.fixture
def client(records_dir: Path) -> TestClient:
    return TestClient(create_app(records_dir, reviewer="tester"))


def _token(client: TestClient, path: str = f"/article/{MAIN_DOC}") -> str:
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get(path).text)
    assert match
    return match.group(1)


def _set_polarity(client: TestClient, polarity: str, token: str | None = None) -> object:
    data = {"kind": "event", "element_id": TOKYO_EVENT, "action": "set", "polarity": polarity}
    if token is not None:
        data["csrf_token"] = token
    return client.post(f"/article/{MAIN_DOC}/correct", data=data, follow_redirects=False)


def _polarity_shown(client: TestClient) -> str:
    page = client.get(f"/article/{MAIN_DOC}").text
    match = re.search(
        rf'class="evt pol-([a-z-]+)[^"]*" data-kind="event" data-id="{TOKYO_EVENT}"', page
    )
    assert match
    return match.group(1)


def test_index_lists_articles_with_counts(client: TestClient) -> None:
    page = client.get("/").text
    assert "Quiet Channels, Loud Drills" in page
    assert "Japan - Korea" in page and "2031-01 – 2031-04" in page
    assert 'aria-label="4 escalatory, 4 de-escalatory"' in page


def test_article_page_highlights_by_type(client: TestClient) -> None:
    response = client.get(f"/article/{MAIN_DOC}")
    assert response.status_code == 200
    page = response.text
    assert page.count('data-kind="actor"') == 10
    assert page.count('data-kind="date"') == 3
    assert page.count('data-kind="agreement"') == 4
    assert (
        "id: jpn-tanaka-hiro" in page
        and "country: JPN" in page
        and "role: Foreign Minister" in page
    )
    assert (
        'href="#entry-chr-001"' in page and 'href="#event-evt-275-346"' in page
    )  # linked both ways
    assert '<svg class="timeline"' in page


def test_correction_is_stored_shown_and_undone(client: TestClient, records_dir: Path) -> None:
    token = _token(client)
    response = _set_polarity(client, "neutral", token)
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert _polarity_shown(client) == "neutral"
    history = client.get(f"/article/{MAIN_DOC}").text
    assert "set event.polarity" in history and "tester" in history
    client.post(f"/article/{MAIN_DOC}/undo", data={"csrf_token": token}, follow_redirects=False)
    assert _polarity_shown(client) == "escalatory"
    assert (records_dir / "corrections.sqlite").exists()


def test_invalid_correction_is_reported_not_stored(client: TestClient) -> None:
    response = _set_polarity(client, "furious", _token(client))
    assert "error=" in response.headers["location"]  # type: ignore[attr-defined]
    assert client.app.state.store.count() == 0  # type: ignore[attr-defined]


def test_post_without_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/")
    assert _set_polarity(client, "neutral").status_code == 403  # type: ignore[attr-defined]
    assert _set_polarity(client, "neutral", "0" * 64).status_code == 403  # type: ignore[attr-defined]
    assert client.app.state.store.count() == 0  # type: ignore[attr-defined]


def test_csrf_token_of_another_session_is_refused(records_dir: Path) -> None:
    app = create_app(records_dir, reviewer="tester")
    alice, mallory = TestClient(app), TestClient(app)
    stolen = _token(mallory)
    _token(alice)
    assert _set_polarity(alice, "neutral", stolen).status_code == 403  # type: ignore[attr-defined]
    assert _set_polarity(mallory, "neutral", stolen).status_code == 303  # type: ignore[attr-defined]


def test_article_text_is_escaped(client: TestClient) -> None:
    page = client.get(f"/article/{HOSTILE_DOC}").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>Nowhere</b>" not in page and "&lt;b&gt;Nowhere&lt;/b&gt;" in page
    assert '"><img' not in page  # an attribute value cannot break out
    index = client.get("/").text
    assert "<script>alert" not in index and "<i>Markup</i>" not in index


def test_responses_forbid_outside_resources(client: TestClient) -> None:
    response = client.get(f"/article/{MAIN_DOC}")
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert not re.search(r'(src|href)="(https?:)?//', response.text)
    assert client.get("/static/review.js").status_code == 200
    assert client.get("/static/review.css").status_code == 200


def test_a_correction_is_found_again_after_the_text_before_it_is_edited(
    client: TestClient, records_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _set_polarity(client, "neutral", _token(client))
    # a sentence added before the corrected event moves it by 14 characters
    text = fixture_records.MAIN_TEXT.replace(
        "Seoul welcomed the step.", "Seoul welcomed the step. Then silence."
    )
    monkeypatch.setattr(fixture_records, "MAIN_TEXT", text)
    rerun = [fixture_records.main_article(), fixture_records.hostile_article()]
    (records_dir / "articles.jsonl").write_text(
        "".join(dumps(a) + "\n" for a in rerun), encoding="utf-8"
    )
    for page in (client.get("/").text, client.get(f"/article/{MAIN_DOC}").text):
        assert "Corrections that no longer fit" not in page
    moved = "evt-462-516"
    page = client.get(f"/article/{MAIN_DOC}").text
    assert re.search(rf'class="evt pol-neutral[^"]*" data-kind="event" data-id="{moved}"', page)
    rows = [json.loads(line) for line in client.get("/export/corrections.jsonl").text.splitlines()]
    assert [r["status"] for r in rows] == ["applied"]


def test_orphans_are_listed_after_a_rerun(
    client: TestClient, records_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _set_polarity(client, "neutral", _token(client))
    # the rerun no longer finds the corrected event at all: the correction fits nowhere
    main = fixture_records.main_article()
    main.events = [e for e in main.events if e.id != TOKYO_EVENT]
    rerun = [main, fixture_records.hostile_article()]
    (records_dir / "articles.jsonl").write_text(
        "".join(dumps(a) + "\n" for a in rerun), encoding="utf-8"
    )
    for page in (client.get("/").text, client.get(f"/article/{MAIN_DOC}").text):
        assert "Corrections that no longer fit (1)" in page
        assert TOKYO_EVENT in page and "no longer in the records" in page
    rows = [json.loads(line) for line in client.get("/export/corrections.jsonl").text.splitlines()]
    assert [r["status"] for r in rows] == ["orphaned"]


def test_export_and_import_over_http(client: TestClient, tmp_path: Path) -> None:
    token = _token(client)
    _set_polarity(client, "de-escalatory", token)
    tasks = client.get("/export/prodigy-textcat.jsonl")
    assert tasks.headers["content-disposition"].startswith("attachment")
    assert json.loads(tasks.text.splitlines()[0])["label"] == "de-escalatory"
    native = client.get("/export/corrections.jsonl").text
    fresh = TestClient(create_app(client.app.state.records.records_dir, tmp_path / "b.sqlite"))  # type: ignore[attr-defined]
    response = fresh.post(
        "/import",
        data={"csrf_token": _token(fresh, "/")},
        files={"file": ("c.jsonl", native.encode(), "application/json")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert _polarity_shown(fresh) == "de-escalatory"


def test_unknown_host_is_refused(records_dir: Path) -> None:
    guarded = TestClient(
        create_app(records_dir, allowed_hosts=["127.0.0.1"]), base_url="http://evil.example"
    )
    assert guarded.get("/").status_code == 400


def test_report_is_one_self_contained_escaped_file(
    client: TestClient, records_dir: Path, tmp_path: Path
) -> None:
    _set_polarity(client, "neutral", _token(client))
    out = write_report(records_dir, tmp_path / "out" / "report.html")
    html = out.read_text(encoding="utf-8")
    assert "<style>" in html and "<script>" in html and '<svg class="timeline"' in html
    assert not re.search(r'(src|href)="(https?:)?//', html) and 'rel="stylesheet"' not in html
    assert "&lt;script&gt;alert" in html and "<script>alert" not in html
    assert (
        'data-id="evt-448-502"' in html
        and f'class="evt pol-neutral corrected" data-kind="event" data-id="{TOKYO_EVENT}"' in html
    )
    assert "csrf_token" not in html  # read-only
    assert render_report(records_dir).count('class="report-article"') == 2


def _as_pdf_input(tmp_path: Path) -> Path:
    """The main fixture article as if read from a two-page PDF printed as pages 41-42: the
    narrative on the first page, the chronology on the second."""
    from pipeline.records import PageSpan

    article = fixture_records.main_article()
    chronology = next(s for s in article.sections if s.kind == "chronology")
    article.source.format = "pdf"
    article.source.first_page, article.source.last_page = 1, 2
    article.pages = [
        PageSpan(number=1, start=0, end=chronology.start, label="41"),
        PageSpan(number=2, start=chronology.start, end=len(article.text), label="42"),
    ]
    for section in article.sections:
        section.page = 2 if section.start >= chronology.start else 1
    for entry in article.chronology:
        entry.page = 2
    return fixture_records.write_fixture_dir(tmp_path / "pdf-records", [article])


def test_pdf_input_shows_the_page_beside_each_section_and_entry(tmp_path: Path) -> None:
    client = TestClient(create_app(_as_pdf_input(tmp_path), reviewer="tester"))
    page = client.get(f"/article/{MAIN_DOC}").text
    narrative, chronology = page.split('aria-label="chronology"', 1)
    blocks = re.findall(r'class="page-no" title="([^"]+)">p\. (\d+)</span>', narrative)
    # the front matter and the narrative section, both on the first page
    assert blocks == [("page 1 of the PDF, printed page 41", "1")] * 2
    entries = re.findall(r'class="page-no" title="([^"]+)">p\. (\d+)</span>', chronology)
    assert entries == [("page 2 of the PDF, printed page 42", "2")] * 4


def test_text_input_shows_no_page_numbers(client: TestClient) -> None:
    assert 'class="page-no"' not in client.get(f"/article/{MAIN_DOC}").text


def test_odd_undo_ids_are_refused_not_a_server_error(client: TestClient) -> None:
    token = _token(client)
    for raw in ["²", "9" * 30, "-1", "1e3"]:
        response = client.post(
            f"/article/{MAIN_DOC}/undo", data={"csrf_token": token, "correction_id": raw}, follow_redirects=False
        )
        assert response.status_code == 303
        assert "error=" in response.headers["location"]


def test_a_save_from_a_stale_tab_is_refused_and_shows_both_values(client: TestClient) -> None:
    page = client.get(f"/article/{MAIN_DOC}?sel=event:{TOKYO_EVENT}").text
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    event_form = re.search(r'<form[^>]*id="event-form".*?</form>', page, re.S).group(0)  # type: ignore[union-attr]
    seen = re.search(r'name="seen" value="([0-9a-f]+)"', event_form).group(1)  # type: ignore[union-attr]
    form = {"kind": "event", "element_id": TOKYO_EVENT, "action": "set", "csrf_token": token, "seen": seen}
    # tab A saves first
    first = client.post(f"/article/{MAIN_DOC}/correct", data={**form, "polarity": "neutral"}, follow_redirects=False)
    assert first.status_code == 303 and "error" not in first.headers["location"]
    # tab B, opened before A saved, saves another polarity: refused, both values shown
    second = client.post(f"/article/{MAIN_DOC}/correct", data={**form, "polarity": "de-escalatory"})
    assert "was changed in another tab or by another reviewer" in second.text
    assert "It now reads: polarity neutral;" in second.text and "You asked for: polarity de-escalatory." in second.text
    assert _polarity_shown(client) == "neutral"
    # a save from the refreshed page goes through
    fresh = client.get(f"/article/{MAIN_DOC}?sel=event:{TOKYO_EVENT}").text
    fresh_form = re.search(r'<form[^>]*id="event-form".*?</form>', fresh, re.S).group(0)  # type: ignore[union-attr]
    seen = re.search(r'name="seen" value="([0-9a-f]+)"', fresh_form).group(1)  # type: ignore[union-attr]
    client.post(f"/article/{MAIN_DOC}/correct", data={**form, "seen": seen, "polarity": "de-escalatory"})
    assert _polarity_shown(client) == "de-escalatory"


def test_a_link_decision_from_the_chronology_side_of_a_stale_tab_is_refused(client: TestClient) -> None:
    page = client.get(f"/article/{MAIN_DOC}").text
    forms = re.findall(r'<form method="post" action="[^"]+/correct" class="inline">(.*?)</form>', page, re.S)
    link_form = next(f for f in forms if 'name="entry_id"' in f and 'name="seen"' in f)
    fields = dict(re.findall(r'name="(csrf_token|kind|element_id|entry_id|seen)" value="([^"]*)"', link_form))
    assert fields["seen"]  # the chronology's link buttons carry the event's digest too
    # another tab changes that event's polarity after this page was opened
    other = client.post(f"/article/{MAIN_DOC}/correct", follow_redirects=False, data={
        "kind": "event", "element_id": fields["element_id"], "action": "set", "polarity": "neutral",
        "csrf_token": fields["csrf_token"]})
    assert other.status_code == 303 and "error" not in other.headers["location"]
    stale = client.post(f"/article/{MAIN_DOC}/correct", data={**fields, "action": "reject"})
    assert "was changed in another tab or by another reviewer" in stale.text
    # nothing was stored for the stale reject: only the polarity change is in the history
    rows = [json.loads(line) for line in client.get("/export/corrections.jsonl").text.splitlines()]
    assert [r["kind"] for r in rows] == ["event"]


def _token(client: TestClient, sel: str = "") -> str:
    page = client.get(f"/article/{MAIN_DOC}" + (f"?sel={sel}" if sel else "")).text
    return re.search(r'name="csrf_token" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]


def test_an_event_is_added_from_a_selection_then_relabelled_and_deleted(client: TestClient) -> None:
    article = fixture_records.main_article()
    sentence = next(s for s in article.sentences if article.text[s.start:s.end] == "Seoul welcomed the step.")
    word = "step"
    start = article.text.index(word, sentence.start)
    token = _token(client)
    added = client.post(f"/article/{MAIN_DOC}/correct", follow_redirects=False, data={
        "csrf_token": token, "kind": "event", "action": "add", "start": str(start), "end": str(start + len(word)),
        "polarity": "escalatory", "modality": "negated", "source": "", "target": ""})
    assert added.status_code == 303 and "error" not in added.headers["location"], added.headers["location"]
    new_id = f"evt-{sentence.start}-{sentence.end}-r{start}"
    assert f"sel=event%3A{new_id}" in added.headers["location"]
    page = client.get(f"/article/{MAIN_DOC}?sel=event:{new_id}").text
    assert 'id="event-form"' in page and "<option selected>negated</option>" in page
    assert re.search(rf'class="evt pol-escalatory[^"]*" data-kind="event" data-id="{new_id}"', page)
    # the sentence keeps its main event until the reviewer makes the added one main
    assert "make this the main event of its sentence" in page
    relabel = client.post(f"/article/{MAIN_DOC}/correct", follow_redirects=False, data={
        "csrf_token": token, "kind": "event", "element_id": new_id, "action": "set",
        "polarity": "escalatory", "modality": "asserted", "is_main": "on"})
    assert "saved=2+change%28s%29+saved" in relabel.headers["location"]
    page = client.get(f"/article/{MAIN_DOC}?sel=event:{new_id}").text
    assert "<option selected>asserted</option>" in page and "The main event of its sentence" in page
    gone = client.post(f"/article/{MAIN_DOC}/correct", follow_redirects=False, data={
        "csrf_token": token, "kind": "event", "element_id": new_id, "action": "remove"})
    assert "error" not in gone.headers["location"]
    assert f'data-id="{new_id}"' not in client.get(f"/article/{MAIN_DOC}").text
    # without a polarity the addition is refused with the reason shown
    refused = client.post(f"/article/{MAIN_DOC}/correct", data={
        "csrf_token": token, "kind": "event", "action": "add", "start": str(start), "end": str(start + len(word)),
        "source": "Seoul", "modality": "reported"})
    assert "Not saved: choose the polarity of the added event" in refused.text
    # what was typed is still in the form, ready to be completed
    add_form = re.search(r'<form[^>]*id="add-form".*?</form>', refused.text, re.S).group(0)  # type: ignore[union-attr]
    assert f'id="add-start" value="{start}"' in add_form and f'id="add-end" value="{start + len(word)}"' in add_form
    assert '<option selected>event</option>' in add_form and '<option selected>reported</option>' in add_form
    assert 'list="actor-names-add" value="Seoul"' in add_form
    # a page opened afresh has empty forms again
    assert 'value="Seoul"' not in client.get(f"/article/{MAIN_DOC}").text


def test_an_entry_date_and_its_links_are_corrected_from_the_entry_inspector(client: TestClient) -> None:
    article = fixture_records.main_article()
    entry = next(c for c in article.chronology if any(lk.entry_id == c.id for e in article.events for lk in e.aligned_entries))
    page = client.get(f"/article/{MAIN_DOC}").text
    assert f'href="?sel=entry%3A{entry.id}#inspector"' in page
    page = client.get(f"/article/{MAIN_DOC}?sel=entry:{entry.id}").text
    assert 'id="entry-form"' in page and f'value="{entry.date}"' in page and 'id="entry-bulk"' in page
    token = _token(client)
    bad = client.post(f"/article/{MAIN_DOC}/correct", data={
        "csrf_token": token, "kind": "entry", "element_id": entry.id, "action": "set", "date": "March 3rd"})
    assert "Not saved: an entry&#39;s date is a day, YYYY-MM-DD" in bad.text
    ok = client.post(f"/article/{MAIN_DOC}/correct", follow_redirects=False, data={
        "csrf_token": token, "kind": "entry", "element_id": entry.id, "action": "set", "date": "2031-02-04"})
    assert "saved=1+change" in ok.headers["location"]
    assert 'value="2031-02-04"' in client.get(f"/article/{MAIN_DOC}?sel=entry:{entry.id}").text
    rejected = client.post(f"/article/{MAIN_DOC}/correct", follow_redirects=False, data={
        "csrf_token": token, "kind": "entry", "element_id": entry.id, "action": "reject_all"})
    assert "saved=" in rejected.headers["location"] and "nothing" not in rejected.headers["location"]
    page = client.get(f"/article/{MAIN_DOC}?sel=entry:{entry.id}").text
    assert 'id="entry-bulk"' not in page  # no links left to decide
    # from a narrative event, a link to an entry the pipeline did not propose is added
    event = next(e for e in article.events if e.chronology_entry_id is None)
    page = client.get(f"/article/{MAIN_DOC}?sel=event:{event.id}").text
    assert 'id="link-form"' in page
    linked = client.post(f"/article/{MAIN_DOC}/correct", follow_redirects=False, data={
        "csrf_token": token, "kind": "event", "element_id": event.id, "action": "accept", "entry_id": entry.id})
    assert "error" not in linked.headers["location"]
    page = client.get(f"/article/{MAIN_DOC}?sel=event:{event.id}").text
    assert "reviewer-added" in page


def test_the_timeline_has_a_chronology_track_and_a_narrative_track(client: TestClient) -> None:
    article = fixture_records.main_article()
    page = client.get(f"/article/{MAIN_DOC}").text
    svg = re.search(r'<svg class="timeline".*?</svg>', page, re.S).group(0)  # type: ignore[union-attr]
    chronology = re.search(r'<g class="track track-chronology">.*?</g>', svg, re.S).group(0)  # type: ignore[union-attr]
    narrative = re.search(r'<g class="track track-narrative">.*?</g>', svg, re.S).group(0)  # type: ignore[union-attr]
    dated_entries = [c for c in article.chronology if c.date and c.polarity]
    assert len(re.findall(r'href="#entry-', chronology)) == len(dated_entries) > 0
    assert "href=\"#evt-" not in chronology and "href=\"#entry-" not in narrative
    # the narrative track draws each narrative sentence's main event only
    mains = [e for e in article.events if e.chronology_entry_id is None and e.is_main and e.date]
    assert len(re.findall(r'href="#(?:event-)?evt-', narrative)) == len(mains)
    for key in ("chronology", "narrative", "escalatory", "de-escalatory", "neutral", "net"):
        assert f'data-hide="hide-{key}"' in page


def test_the_relationship_view_and_its_csv_agree_with_the_corrections(client: TestClient) -> None:
    page = client.get("/relationships").text
    assert '<svg class="relationships"' in page and 'href="/relationships.csv"' in page
    csv_text = client.get("/relationships.csv")
    assert csv_text.headers["content-type"].startswith("text/csv")
    lines = csv_text.text.splitlines()
    assert lines[0] == "relationship,month,escalatory,de-escalatory,neutral,net_escalation,articles"
    article = fixture_records.main_article()
    entry = next(c for c in article.chronology if c.date and c.main_event_id and c.polarity != "escalatory")
    month = entry.date[:7]  # type: ignore[index]

    def cell() -> list[str]:
        rows = [r.split(",") for r in client.get("/relationships.csv").text.splitlines()[1:]]
        return next(r for r in rows if r[1] == month and r[0] == article.metadata.relationship)

    before = cell()
    token = _token(client)
    client.post(f"/article/{MAIN_DOC}/correct", data={
        "csrf_token": token, "kind": "event", "element_id": entry.main_event_id, "action": "set", "polarity": "escalatory"})
    after = cell()
    assert int(after[2]) == int(before[2]) + 1 and int(after[5]) > int(before[5])


def test_an_actor_change_is_saved_for_all_its_mentions_or_merged_into_another(client: TestClient) -> None:
    article = fixture_records.main_article()
    counts: dict[str, list[str]] = {}
    for actor in article.actors:
        if actor.canonical_id:
            counts.setdefault(actor.canonical_id, []).append(actor.id)
    identity, mentions = max(counts.items(), key=lambda kv: len(kv[1]))
    assert len(mentions) >= 2
    first = next(a for a in article.actors if a.id == mentions[0])
    token = _token(client)
    page = client.get(f"/article/{MAIN_DOC}?sel=actor:{first.id}").text
    assert f"all {len(mentions)} mention(s) of this actor" in page and 'id="merge-form"' in page
    saved = client.post(f"/article/{MAIN_DOC}/correct", follow_redirects=False, data={
        "csrf_token": token, "kind": "actor", "element_id": first.id, "action": "set", "scope": "identity",
        "type": first.type, "country": first.country or "", "canonical_id": identity,
        "canonical_name": "Renamed Actor", "role": first.role or "", **({"metonymy": "on"} if first.metonymy else {})})
    assert f"saved={len(mentions)}+change" in saved.headers["location"]
    for mention in mentions:
        assert 'value="Renamed Actor"' in client.get(f"/article/{MAIN_DOC}?sel=actor:{mention}").text
    other = next(a for a in article.actors if a.canonical_id and a.canonical_id != identity)
    merged = client.post(f"/article/{MAIN_DOC}/correct", follow_redirects=False, data={
        "csrf_token": token, "kind": "actor", "element_id": other.id, "action": "merge", "merge_into": first.id})
    assert "error" not in merged.headers["location"], merged.headers["location"]
    assert f'value="{identity}"' in client.get(f"/article/{MAIN_DOC}?sel=actor:{other.id}").text


def test_the_changes_page_shows_what_a_rerun_changed(records_dir: Path, tmp_path: Path) -> None:
    earlier = tmp_path / "earlier"
    fixture_records.write_fixture_dir(earlier)
    # the later run: one entry's polarity and one actor's country differ
    main = fixture_records.main_article()
    entry = next(c for c in main.chronology if c.polarity != "neutral")
    entry.polarity = "neutral"
    main.actors[0].country = "NZL"
    fixture_records.write_fixture_dir(records_dir, [main, fixture_records.hostile_article()])
    client = TestClient(create_app(records_dir, reviewer="tester", compare_dir=earlier))
    page = client.get("/changes").text
    assert f"entry <a href=\"/article/{MAIN_DOC}?sel=entry%3A{entry.id}#inspector\">{entry.id}</a>" in page
    assert "→ <span class=\"pol-text-neutral\">neutral</span>" in page
    assert "actor changed" in page and "NZL" in page and "1 article(s) changed, 1 unchanged" in page
    # without --compare the page says how to get it
    plain = TestClient(create_app(records_dir, reviewer="tester")).get("/changes").text
    assert "--compare EARLIER_OUTPUT_FOLDER" in plain


def test_an_identity_wide_save_on_an_unknown_actor_is_refused_not_a_server_error(client: TestClient) -> None:
    token = _token(client)
    response = client.post(f"/article/{MAIN_DOC}/correct", follow_redirects=False, data={
        "csrf_token": token, "kind": "actor", "element_id": "act-0-0", "action": "set", "scope": "identity",
        "type": "STATE", "country": "JPN"})
    assert response.status_code == 303 and "error=no+actor+act-0-0" in response.headers["location"]
