"""Write one self-contained HTML report (inline CSS, JS and SVG) of a records folder.

The report shows the same article view and timeline as the review app, read-only, with the
corrections from the store laid over the records when a store exists.  A Content-Security-
Policy with hashes of the inlined style and script stops anything else from running or loading.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from pathlib import Path

from pipeline import __version__
from pipeline.atomic import write_text_atomic
from pipeline.review.app import PACKAGE_DIR, make_templates
from pipeline.review.loader import load_articles
from pipeline.review.reattach import overlay_all
from pipeline.review.render import (
    IdScope,
    article_anchor,
    article_counts,
    article_view,
    timeline_svg,
)
from pipeline.review.store import DEFAULT_DB_NAME, CorrectionStore


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def render_report(records_dir: Path, db_path: Path | None = None) -> str:
    """The report's HTML."""
    articles = load_articles(records_dir)
    db = db_path or Path(records_dir) / DEFAULT_DB_NAME
    corrections = CorrectionStore(db).history() if db.exists() else []
    overlays = overlay_all(articles, corrections)
    items = []
    orphans = []
    for overlay in overlays.values():
        orphans.extend(overlay.orphans)
        if overlay.article is None:
            continue
        # Many articles on one page: their element ids are prefixed with the article's.
        ids = IdScope.for_article(overlay.article.doc_id)
        items.append(
            {
                "article": overlay.article,
                "overlay": overlay,
                "anchor": article_anchor(overlay.article.doc_id),
                "ids": ids,
                "view": article_view(overlay, ids, static=True),
                "timeline": timeline_svg(overlay.article, ids=ids),
                "counts": article_counts(overlay.article),
            }
        )
    css = (PACKAGE_DIR / "static" / "review.css").read_text(encoding="utf-8")
    js = (PACKAGE_DIR / "static" / "review.js").read_text(encoding="utf-8")
    if "</" in css or "</" in js:
        raise ValueError("the inlined stylesheet or script must not contain '</'")
    csp = (
        f"default-src 'none'; style-src 'sha256-{_sha256(css)}'; "
        f"script-src 'sha256-{_sha256(js)}'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    template = make_templates().env.get_template("report.html")
    return template.render(
        static=True,
        csp=csp,
        inline_css=css,
        inline_js=js,
        version=__version__,
        items=items,
        orphans=orphans,
        corrections=sum(1 for c in corrections if c.undone_at is None),
        generated=datetime.now(UTC).isoformat(timespec="seconds"),
        records_dir=str(records_dir),
    )


def write_report(records_dir: Path, out: Path, db_path: Path | None = None) -> Path:
    """Write the report atomically (temporary file, then rename)."""
    html = render_report(records_dir, db_path)
    out = Path(out)
    return write_text_atomic(out, html)
