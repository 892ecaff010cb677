"""Element ids and in-page links of the static report (several articles on one page) and of
the single-article review page (issue 15, point 1)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from pipeline.review.app import create_app
from pipeline.review.render import IdScope, article_anchor, id_part
from pipeline.review.report import render_report, write_report
from tests.review.fixture_records import (
    HOSTILE_DOC,
    MAIN_DOC,
    REPRINT_DOC,
    hostile_article,
    main_article,
    reprint_article,
    write_fixture_dir,
)

CSS_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


@pytest.fixture
def three_articles(tmp_path: Path) -> Path:
    """The main article twice (same element ids, the second under an awkward doc_id) and the
    hostile one."""
    return write_fixture_dir(
        tmp_path / "records", [main_article(), reprint_article(), hostile_article()]
    )


def _article_of(node: Node | None) -> str | None:
    """The doc_id of the article container holding ``node``; None outside every article."""
    while node is not None:
        if node.tag == "article" and "doc" in (node.attributes.get("class") or "").split():
            return node.attributes.get("data-doc")
        node = node.parent
    return None


def _ids(tree: HTMLParser) -> Counter[str]:
    return Counter(str(n.attributes["id"]) for n in tree.css("[id]"))


def _in_page_links(tree: HTMLParser) -> list[tuple[Node, str]]:
    links = []
    for node in tree.css("[href]"):
        href = str(node.attributes.get("href") or "")
        if href.startswith("#"):
            links.append((node, href[1:]))
    return links


def test_report_ids_are_unique_across_articles(three_articles: Path) -> None:
    html = render_report(three_articles)
    tree = HTMLParser(html)
    ids = _ids(tree)
    assert [i for i, n in ids.items() if n > 1] == []
    # Every attribute written id="..." was seen by the parser (none hidden in odd markup).
    assert sum(ids.values()) == len(re.findall(r'\sid="', html))
    assert all(CSS_IDENT.fullmatch(i) for i in ids), [i for i in ids if not CSS_IDENT.fullmatch(i)]
    # The entry that used to appear once per article now appears once per article, prefixed.
    entries = [i for i in ids if i.endswith("__entry-chr-001")]
    assert sorted(entries) == sorted(
        f"{article_anchor(doc)}__entry-chr-001" for doc in (MAIN_DOC, REPRINT_DOC)
    )


def test_report_in_page_links_stay_in_their_article(three_articles: Path) -> None:
    tree = HTMLParser(render_report(three_articles))
    by_id = {str(n.attributes["id"]): n for n in tree.css("[id]")}
    links = _in_page_links(tree)
    linked_from: Counter[str | None] = Counter()
    for node, target in links:
        assert target in by_id, f"{node.html} points at nothing"
        source = _article_of(node)
        linked_from[source] += 1
        if source is not None:
            assert _article_of(by_id[target]) == source, f"{node.html} leaves article {source}"
    # Entry links, back links and timeline points in every article with a chronology;
    # the index links each article's section.
    assert linked_from[MAIN_DOC] > 10 and linked_from[MAIN_DOC] == linked_from[REPRINT_DOC]
    assert linked_from[HOSTILE_DOC] >= 1
    index = [t for n, t in links if _article_of(n) is None and t != "top"]
    assert sorted(index) == sorted(article_anchor(d) for d in (MAIN_DOC, REPRINT_DOC, HOSTILE_DOC))
    for anchor in index:
        section = by_id[anchor]
        assert section.tag == "section"
        assert section.css_first("article.doc") is not None


def test_report_badges_do_not_point_at_the_missing_inspector(three_articles: Path) -> None:
    tree = HTMLParser(render_report(three_articles))
    badges = tree.css(".evt-badge")
    assert len(badges) == 9 + 9 + 1
    for badge in badges:
        href = str(badge.attributes.get("href"))
        assert href.startswith("#") and "inspector" not in href
        assert badge.parent is not None and href == f"#{badge.parent.attributes['id']}"


def test_report_writes_the_fixed_ids_to_disk(three_articles: Path, tmp_path: Path) -> None:
    out = write_report(three_articles, tmp_path / "report.html")
    ids = _ids(HTMLParser(out.read_text(encoding="utf-8")))
    assert max(ids.values()) == 1


def test_single_article_page_keeps_bare_ids_and_working_links(three_articles: Path) -> None:
    client = TestClient(create_app(three_articles, reviewer="tester"))
    for doc in (MAIN_DOC, REPRINT_DOC):
        page = client.get(f"/article/{quote(doc, safe='')}", params={"sel": "event:evt-448-502"})
        assert page.status_code == 200
        tree = HTMLParser(page.text)
        ids = _ids(tree)
        assert [i for i, n in ids.items() if n > 1] == []
        assert {"entry-chr-001", "event-evt-448-502", "actor-act-292-303", "inspector"} <= set(ids)
        links = _in_page_links(tree)
        assert len(links) > 10
        assert [t for _, t in links if t not in ids] == []
        # The inspector's aligned-entry link (outside the article body) names the bare id too.
        inspector = tree.css_first("#inspector")
        assert inspector is not None
        assert inspector.css_first('a[href="#entry-chr-002"]') is not None
        # The badge still opens the inspector.
        assert tree.css_first('.evt-badge[href="?sel=event:evt-448-502#inspector"]') is not None


def test_id_part_keeps_usual_ids_and_separates_awkward_ones() -> None:
    for plain in ("chr-001", "evt-448-502", MAIN_DOC, "A1"):
        assert id_part(plain) == plain
    awkward = ["a b", "a/b", "a-b-", "a_b_", "a__b", "", "日本", REPRINT_DOC, 'x"><script>']
    pieces = [id_part(v) for v in awkward]
    assert len(set(pieces)) == len(pieces)
    assert "a_b" not in pieces  # an awkward value never takes a plain one's piece
    for piece in pieces:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", piece) and "__" not in piece
    assert id_part("a b") == id_part("a b")  # stable across runs


def test_id_scope_prefixes_with_the_article() -> None:
    assert IdScope()("entry", "chr-001") == "entry-chr-001"
    scoped = IdScope.for_article(MAIN_DOC)
    assert scoped("entry", "chr-001") == f"doc-{MAIN_DOC}__entry-chr-001"
    assert scoped.href("event", "evt-1-2") == f"#doc-{MAIN_DOC}__event-evt-1-2"
    assert IdScope.for_article("a")("entry", "x") != IdScope.for_article("a b")("entry", "x")
