"""The review web app: browse the pipeline's records, correct them, export the corrections.

FastAPI with server-rendered Jinja2 pages (autoescaped) and plain HTML forms; a little plain
JavaScript only adds conveniences (selecting text to add a span, clicking a highlight).  Every
POST carries a CSRF token tied to a per-browser session cookie.  Static files are served by
the app itself, and the Content-Security-Policy forbids loading anything from elsewhere.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile
from starlette.middleware.trustedhost import TrustedHostMiddleware

from pipeline import __version__
from pipeline.diff import CHANGE_LISTS, diff_outputs, read_records
from pipeline.errors import PipelineError
from pipeline.records import ArticleRecord
from pipeline.review import edits, export
from pipeline.review.loader import ARTICLES_FILE, load_articles
from pipeline.review.reattach import SPAN_KINDS, Overlay, apply_corrections, overlay_all
from pipeline.review.render import (
    IdScope,
    article_counts,
    article_view,
    relationship_svg,
    timeline_svg,
)
from pipeline.review.store import DEFAULT_DB_NAME, CorrectionStore
from pipeline.timeline import relationship_months, to_csv

PACKAGE_DIR = Path(__file__).resolve().parent
SESSION_COOKIE = "ccreview_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
ACTOR_TYPES = ("PERSON", "STATE", "ORG", "GROUP")
DATE_MODS = ("", "START", "MID", "END", "APPROX", "BEFORE", "AFTER")
POLARITIES = ("escalatory", "de-escalatory", "neutral")
MODALITIES = ("asserted", "negated", "hypothetical", "reported")


def default_reviewer() -> str:
    try:
        return os.environ.get("CCREVIEW_REVIEWER") or getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(PACKAGE_DIR / "templates"))
    templates.env.autoescape = True  # .html templates are autoescaped already; be explicit
    # every edit form carries the digest of the element it shows (stale-tab check)
    templates.env.filters["version"] = element_version
    return templates


class RecordsCache:
    """Article records, re-read when articles.jsonl changes (a rerun of annotate)."""

    def __init__(self, records_dir: Path) -> None:
        self.path = Path(records_dir) / ARTICLES_FILE
        self.records_dir = Path(records_dir)
        self._stamp: tuple[float, int] | None = None
        self._articles: dict[str, ArticleRecord] = {}
        self.get()

    def get(self) -> dict[str, ArticleRecord]:
        stat = self.path.stat() if self.path.exists() else None
        stamp = (stat.st_mtime, stat.st_size) if stat else None
        if stamp != self._stamp or stamp is None:
            self._articles = load_articles(self.records_dir)
            self._stamp = stamp
        return self._articles


def _form_value(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _optional(value: str) -> str | None:
    return value or None


def _span_fields(kind: str, form: Any) -> dict[str, Any]:
    """The editable fields of a span kind, as submitted (empty text means null)."""
    if kind == "actor":
        return {
            "type": _form_value(form, "type") or "ORG",
            "country": _optional(_form_value(form, "country").upper()),
            "canonical_id": _optional(_form_value(form, "canonical_id")),
            "canonical_name": _optional(_form_value(form, "canonical_name")),
            "role": _optional(_form_value(form, "role")),
            "metonymy": form.get("metonymy") in ("on", "true", "1"),
        }
    if kind == "date":
        return {
            "value": _optional(_form_value(form, "value")),
            "mod": _optional(_form_value(form, "mod")),
            "granularity": _optional(_form_value(form, "granularity")),
        }
    return {
        "canonical_id": _optional(_form_value(form, "canonical_id")),
        "canonical_name": _optional(_form_value(form, "canonical_name")),
    }


# Form fields that are the reviewer's input (kept and shown again when a save is refused).
TYPED_FIELDS = ("kind", "start", "end", "type", "country", "canonical_id", "canonical_name", "role", "value",
                "mod", "granularity", "polarity", "modality", "source", "target", "date", "date_end",
                "merge_into", "comment", "scope")


def _typed(form: Any) -> dict[str, str]:
    return {name: str(form.get(name))[:2000] for name in TYPED_FIELDS if isinstance(form.get(name), str)}


def _read_typed(raw: str) -> dict[str, str]:
    """The typed values a refused save carried back; anything malformed is ignored."""
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if k in TYPED_FIELDS and isinstance(v, str)}


def _int(form: Any, name: str) -> int:
    try:
        return int(_form_value(form, name))
    except ValueError as exc:
        raise edits.EditError(f"{name} must be a whole number") from exc


def create_app(
    records_dir: Path,
    db_path: Path | None = None,
    reviewer: str | None = None,
    allowed_hosts: list[str] | None = None,
    compare_dir: Path | None = None,
) -> FastAPI:
    """The review app over ``records_dir``; corrections go to ``db_path``; the Changes page
    compares ``records_dir`` with an earlier output folder ``compare_dir``."""
    if compare_dir is not None:
        read_records(compare_dir)  # E090/E091 now, not on the first visit of the page
    records = RecordsCache(records_dir)
    store = CorrectionStore(db_path or Path(records_dir) / DEFAULT_DB_NAME)
    reviewer_name = reviewer or default_reviewer()
    secret = secrets.token_bytes(32)
    templates = make_templates()

    app = FastAPI(title="ccpipeline review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store
    app.state.records = records
    app.state.reviewer = reviewer_name
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.mount("/static", StaticFiles(directory=str(PACKAGE_DIR / "static")), name="static")

    def csrf_token_for(session: str) -> str:
        return hmac.new(secret, session.encode(), hashlib.sha256).hexdigest()

    @app.middleware("http")
    async def session_and_headers(request: Request, call_next: Any) -> Response:
        session = request.cookies.get(SESSION_COOKIE)
        fresh = None
        if not session or len(session) != 43:
            fresh = session = secrets.token_urlsafe(32)
        request.state.session = session
        request.state.csrf = csrf_token_for(session)
        response: Response = await call_next(request)
        if fresh:
            response.set_cookie(SESSION_COOKIE, fresh, httponly=True, samesite="strict", path="/")
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    async def checked_form(request: Request) -> Any:
        """The POSTed form, once its CSRF token matched this session's."""
        form = await request.form()
        sent = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
        cookie = request.cookies.get(SESSION_COOKIE)
        if (
            not cookie
            or not isinstance(sent, str)
            or not hmac.compare_digest(sent, csrf_token_for(cookie))
        ):
            raise HTTPException(status_code=403, detail="missing or wrong CSRF token")
        return form

    def overlay_for(doc_id: str) -> Overlay:
        article = records.get().get(doc_id)
        corrections = store.history(doc_id)
        if article is None and not corrections:
            raise HTTPException(status_code=404, detail=f"no article {doc_id}")
        return apply_corrections(article, corrections, doc_id=doc_id)

    def base_context(request: Request) -> dict[str, Any]:
        return {
            "csrf": request.state.csrf,
            "reviewer": reviewer_name,
            "version": __version__,
            "static": False,
        }

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request) -> Response:
        overlays = overlay_all(records.get(), store.history())
        rows = []
        orphans = []
        for doc_id, overlay in overlays.items():
            orphans.extend(overlay.orphans)
            if overlay.article is None:
                continue
            rows.append(
                {
                    "doc_id": doc_id,
                    "article": overlay.article,
                    "counts": article_counts(overlay.article),
                    "corrections": sum(1 for a in overlay.attachments if a.status == "applied"),
                    "orphans": len(overlay.orphans),
                }
            )
        context = {
            **base_context(request),
            "rows": rows,
            "orphans": orphans,
            "notice": request.query_params.get("notice"),
        }
        return templates.TemplateResponse(request, "index.html", context)

    def relationship_rows() -> list[dict[str, Any]]:
        overlays = overlay_all(records.get(), store.history())
        return relationship_months(o.article.model_dump(mode="json") for o in overlays.values() if o.article is not None)

    @app.get("/changes", response_class=HTMLResponse)
    def changes_page(request: Request) -> Response:
        diff = None
        problem = ""
        if compare_dir is not None:
            try:
                diff = diff_outputs(Path(compare_dir), Path(records_dir))
            except PipelineError as exc:
                problem = str(exc)
        context = {**base_context(request), "diff": diff, "compare_dir": compare_dir, "problem": problem,
                   "change_lists": CHANGE_LISTS}
        return templates.TemplateResponse(request, "changes.html", context)

    @app.get("/relationships", response_class=HTMLResponse)
    def relationships_page(request: Request) -> Response:
        rows = relationship_rows()
        context = {**base_context(request), "rows": rows, "picture": relationship_svg(rows)}
        return templates.TemplateResponse(request, "relationships.html", context)

    @app.get("/relationships.csv")
    def relationships_csv() -> Response:
        return PlainTextResponse(to_csv(relationship_rows()), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="relationships.csv"'})

    @app.get("/queue", response_class=HTMLResponse)
    def queue_page(
        request: Request, q: str = "", polarity: str = "", actor: str = "", corrected: str = "no",
        below: str = "", limit: int = 200,
    ) -> Response:
        overlays = overlay_all(records.get(), store.history())
        try:
            ceiling = float(below) if below else None
        except ValueError:
            ceiling = None
        items = review_queue(overlays, query=q, polarity=polarity, actor=actor, corrected=corrected,
                             below=ceiling)
        context = {
            **base_context(request),
            "items": items[: max(1, min(limit, 2000))],
            "total": len(items),
            "filters": {"q": q, "polarity": polarity, "actor": actor, "corrected": corrected, "below": below},
            "polarities": POLARITIES,
        }
        return templates.TemplateResponse(request, "queue.html", context)

    @app.get("/article/{doc_id}", response_class=HTMLResponse)
    def article_page(request: Request, doc_id: str, sel: str = "", error: str = "", saved: str = "",
                     typed: str = "") -> Response:
        overlay = overlay_for(doc_id)
        if overlay.article is None:
            context = {**base_context(request), "overlay": overlay}
            return templates.TemplateResponse(request, "gone.html", context, status_code=404)
        context = {
            **base_context(request),
            **selection_context(overlay, sel),
            "overlay": overlay,
            "article": overlay.article,
            "ids": IdScope(),  # one article per page: bare element ids
            "view": article_view(overlay),
            "timeline": timeline_svg(overlay.article),
            "counts": article_counts(overlay.article),
            "history": list(reversed(store.history(doc_id))),
            "attachments": {a.correction.id: a for a in overlay.attachments},
            "error": error,
            "saved": saved,
            "typed": _read_typed(typed) if error else {},
            "queue_next": next_in_queue(overlay, sel),
            "actor_types": ACTOR_TYPES,
            "date_mods": DATE_MODS,
            "polarities": POLARITIES,
            "span_kinds": [*SPAN_KINDS, "event"],
            "modalities": MODALITIES,
        }
        return templates.TemplateResponse(request, "article.html", context)

    def redirect(doc_id: str, sel: str = "", error: str = "", saved: str = "",
                 typed: dict[str, str] | None = None) -> RedirectResponse:
        query = {k: v for k, v in (("sel", sel), ("error", error), ("saved", saved)) if v}
        if typed:
            query["typed"] = json.dumps(typed, ensure_ascii=False)
        url = f"/article/{quote(doc_id, safe='')}" + (f"?{urlencode(query)}" if query else "")
        return RedirectResponse(url + "#inspector", status_code=303)

    @app.post("/article/{doc_id}/correct")
    async def correct(request: Request, doc_id: str) -> Response:
        form = await checked_form(request)
        overlay = overlay_for(doc_id)
        action = _form_value(form, "action")
        kind = _form_value(form, "kind")
        element_id = _form_value(form, "element_id")
        sel = f"{kind}:{element_id}" if kind and element_id else ""
        if action in ("set", "remove", "accept", "reject", "accept_all", "reject_all", "merge"):
            conflict = _changed_since(overlay, kind, element_id, _form_value(form, "seen"), form)
            if conflict:
                return redirect(doc_id, sel, conflict)
        try:
            made = make_corrections(overlay, action, kind, element_id, form)
        except edits.EditError as exc:
            # the refusal is shown in the form it came from, with what the reviewer typed
            return redirect(doc_id, sel, str(exc), typed=_typed(form))
        for correction in made:
            store.add(correction)
        if action == "add" and made:
            sel = f"{kind}:{made[0].element_id}"
        if action == "remove":
            sel = ""
        what = f"{len(made)} change(s) saved" if made else "nothing to save: the values were already these"
        return redirect(doc_id, sel, saved=what)

    def make_corrections(
        overlay: Overlay, action: str, kind: str, element_id: str, form: Any
    ) -> list:
        if action == "set" and kind == "event":
            values: dict[str, Any] = {}
            if "polarity" in form:
                values["polarity"] = _form_value(form, "polarity")
            if _form_value(form, "modality"):
                values["modality"] = _form_value(form, "modality")
            if form.get("is_main") in ("on", "true", "1"):
                values["is_main"] = True
            for name in ("source", "target"):
                if name in form:
                    values[name] = edits.parse_ids(_form_value(form, name))
            return edits.set_fields(overlay, kind, element_id, values, reviewer_name)
        if action == "set" and kind == "entry":
            return edits.set_fields(overlay, kind, element_id,
                                    {"date": _form_value(form, "date") or None,
                                     "date_end": _form_value(form, "date_end") or None}, reviewer_name)
        if action in ("accept_all", "reject_all") and kind == "entry":
            return edits.judge_entry_links(overlay, element_id, action.removesuffix("_all"), reviewer_name)
        if action == "merge" and kind == "actor":
            return edits.merge_identity(overlay, element_id, _form_value(form, "merge_into"), reviewer_name)
        if action == "set" and kind in SPAN_KINDS:
            values = _span_fields(kind, form)
            if kind == "actor" and _form_value(form, "scope") == "identity":
                # what the reviewer changed on this mention, on every mention of the same actor
                # (each mention keeps its own span and whatever else was not changed)
                mentions = edits.identity_mentions(overlay, element_id)  # EditError for an unknown id
                shown = next(a for a in mentions if a.id == element_id).model_dump()
                values = {k: v for k, v in values.items() if shown.get(k) != v}
                made = []
                for mention in mentions:
                    made += edits.set_fields(overlay, kind, mention.id, values, reviewer_name)
                return made
            if "start" in form and "end" in form:
                values["span"] = {"start": _int(form, "start"), "end": _int(form, "end")}
            return edits.set_fields(overlay, kind, element_id, values, reviewer_name)
        if action == "add" and kind == "event":
            return [
                edits.add_event(
                    overlay,
                    _int(form, "start"),
                    _int(form, "end"),
                    {
                        "polarity": _form_value(form, "polarity"),
                        "modality": _form_value(form, "modality") or "asserted",
                        "source": edits.parse_ids(_form_value(form, "source")),
                        "target": edits.parse_ids(_form_value(form, "target")),
                    },
                    reviewer_name,
                )
            ]
        if action == "add":
            return [
                edits.add_span(
                    overlay,
                    kind,
                    _int(form, "start"),
                    _int(form, "end"),
                    _span_fields(kind, form),
                    reviewer_name,
                )
            ]
        if action == "remove":
            return [edits.remove_span(overlay, kind, element_id, reviewer_name)]
        if action in ("accept", "reject"):
            return [
                edits.judge_alignment(
                    overlay, element_id, _form_value(form, "entry_id"), action, reviewer_name
                )
            ]
        if action == "comment":
            return [
                edits.comment(
                    overlay, element_id or "doc", _form_value(form, "comment"), reviewer_name
                )
            ]
        raise edits.EditError(f"unknown action {action!r}")

    @app.post("/article/{doc_id}/undo")
    async def undo(request: Request, doc_id: str) -> Response:
        form = await checked_form(request)
        raw = _form_value(form, "correction_id")
        if raw:
            # isdigit() accepts "²"; SQLite integers stop at 2**63 - 1: both are "no such correction".
            valid = raw.isascii() and raw.isdigit() and len(raw) <= 18
            target = store.get(int(raw)) if valid else None
            if target is None or target.doc_id != doc_id:
                return redirect(doc_id, error=f"no correction {raw} on this article")
            done = store.undo(target.id or 0, reviewer_name)
        else:
            done = store.undo_last(doc_id, reviewer_name)
        if done is None:
            return redirect(doc_id, error="nothing to undo")
        return redirect(doc_id, _form_value(form, "sel"))

    @app.get("/export/{name}")
    def export_file(name: str) -> Response:
        producers = {
            "corrections.jsonl": lambda: export.corrections_jsonl(store, records.get()),
            "articles.jsonl": lambda: export.corrected_articles_jsonl(store, records.get()),
            "chronology.jsonl": lambda: export.corrected_chronology_jsonl(store, records.get()),
            "prodigy-textcat.jsonl": lambda: export.prodigy_textcat_jsonl(store, records.get()),
            "prodigy-spans.jsonl": lambda: export.prodigy_spans_jsonl(store, records.get()),
            "doccano.jsonl": lambda: export.doccano_jsonl(store, records.get()),
        }
        if name not in producers:
            raise HTTPException(status_code=404, detail=f"no export {name}")
        body = producers[name]()
        return PlainTextResponse(
            body,
            media_type="application/jsonl; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @app.post("/import")
    async def import_file(request: Request) -> Response:
        form = await checked_form(request)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise HTTPException(status_code=400, detail="no file uploaded")
        text = (await upload.read()).decode("utf-8", errors="replace")
        try:
            result = export.import_jsonl(text, store, records.get(), reviewer_name)
        except export.ImportFormatError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from exc
        notice = f"imported {result.added} correction(s), skipped {result.skipped}"
        return RedirectResponse(f"/?{urlencode({'notice': notice})}", status_code=303)

    return app


def selection_context(overlay: Overlay, sel: str) -> dict[str, Any]:
    """What the inspector shows: the selected element, if ``sel`` ('kind:id') names one."""
    kind, _, element_id = sel.partition(":")
    article = overlay.article
    assert article is not None
    lists: dict[str, list[Any]] = {
        "actor": article.actors,
        "date": article.dates,
        "agreement": article.agreements,
        "event": article.events,
        "entry": article.chronology,
    }
    element = None
    if kind in lists:
        element = next((e for e in lists[kind] if e.id == element_id), None)
    entries = {e.id: e for e in article.chronology}
    actors = {a.id: a for a in article.actors}
    by_canonical = {a.canonical_id: a for a in reversed(article.actors) if a.canonical_id}

    def labels(refs: list[str]) -> str:
        shown = []
        for ref in refs:
            actor = actors.get(ref) or by_canonical.get(ref)
            shown.append(edits.actor_label(actor) if actor is not None else ref)
        return ", ".join(shown)

    # one choice per actor (its first mention), by name: not one per mention
    first: dict[str, Any] = {}
    for a in article.actors:
        first.setdefault(a.canonical_id or a.text, a)
    return {
        "sel_kind": kind if element is not None else "",
        "sel": element,
        "sel_version": element_version(element) if element is not None else "",
        "sel_source": labels(element.source) if kind == "event" and element is not None else "",
        "sel_target": labels(element.target) if kind == "event" and element is not None else "",
        "entries_by_id": entries,
        "sel_unlinked": ([e for e in article.chronology
                          if e.id not in {lk.entry_id for lk in element.aligned_entries}]
                         if kind == "event" and element is not None and element.chronology_entry_id is None else []),
        "sel_identity_count": (len(edits.identity_mentions(overlay, element.id))
                               if kind == "actor" and element is not None else 0),
        "sel_entry_events": ([e for e in article.events if any(lk.entry_id == element.id for lk in e.aligned_entries)]
                             if kind == "entry" and element is not None else []),
        "actors_by_id": actors,
        "actor_choices": sorted((edits.actor_label(a) for a in first.values()), key=str.lower),
    }


def element_version(element: Any) -> str:
    """A short digest of an element as the page shows it: a save whose form carried another
    digest was made on a page opened before someone else changed the element."""
    data = element.model_dump_json() if hasattr(element, "model_dump_json") else json.dumps(element, sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def _changed_since(overlay: Overlay, kind: str, element_id: str, seen: str, form: Any) -> str | None:
    """Why a save must be refused: the element changed after the page showing it was opened
    (another tab, another reviewer). Says what it is now and what this save would have set."""
    if not seen or overlay.article is None:
        return None
    lists: dict[str, list[Any]] = {"actor": overlay.article.actors, "date": overlay.article.dates,
                                   "agreement": overlay.article.agreements, "event": overlay.article.events,
                                   "entry": overlay.article.chronology}
    element = next((e for e in lists.get(kind, []) if e.id == element_id), None)
    if element is None or element_version(element) == seen:
        return None
    fields = ("polarity", "modality", "is_main", "source", "target", "type", "country", "canonical_id", "canonical_name", "role",
              "value", "mod", "date", "date_end")

    def shown(value: Any) -> str:
        return ", ".join(map(str, value)) or "none" if isinstance(value, list) else str(value)

    data = element.model_dump(mode="json")
    names = {a.id: edits.actor_label(a) for a in overlay.article.actors}
    for side in ("source", "target"):
        if isinstance(data.get(side), list):
            data[side] = [names.get(ref, ref) for ref in data[side]]
    now = "; ".join(f"{k} {shown(data[k])}" for k in fields if k in data and data[k] not in (None, ""))
    asked = [f"{k} {form.get(k)}" for k in fields if form.get(k)]
    if form.get("action") in ("accept", "reject", "remove"):
        asked.append(f"{form.get('action')} {form.get('entry_id') or ''}".strip())
    return (f"this {kind} was changed in another tab or by another reviewer after you opened it. "
            f"It now reads: {now or 'no values'}. You asked for: {'; '.join(asked) or 'no change'}. "
            "Look at it again and save once more if your change still holds.")


def review_queue(
    overlays: dict[str, Overlay], query: str = "", polarity: str = "", actor: str = "",
    corrected: str = "no", below: float | None = None,
) -> list[dict[str, Any]]:
    """The events of every article in the folder that need a look, least confident first:
    filtered by text (``query``, in the event's words), polarity, an actor (name or id among
    its source and target), corrected or not (``corrected``: ``no``, ``yes`` or ``any``) and a
    confidence ceiling (``below``)."""
    needle = " ".join(query.lower().split())
    who = " ".join(actor.lower().split())
    items: list[dict[str, Any]] = []
    for doc_id, overlay in overlays.items():
        article = overlay.article
        if article is None:
            continue
        actors = {a.id: a for a in article.actors}
        for event in article.events:
            is_corrected = overlay.is_corrected("event", event.id)
            if corrected == "no" and is_corrected or corrected == "yes" and not is_corrected:
                continue
            if polarity and event.polarity != polarity:
                continue
            if below is not None and event.confidence >= below:
                continue
            if needle and needle not in " ".join(event.text.lower().split()):
                continue
            names = [actors[r] for r in (*event.source, *event.target) if r in actors]
            if who and not any(who in {a.id, (a.canonical_id or "").lower(), a.text.lower(),
                                       (a.canonical_name or "").lower()} for a in names):
                continue
            items.append({
                "doc_id": doc_id, "title": article.metadata.title or doc_id, "event": event,
                "corrected": is_corrected,
                "who": ", ".join(dict.fromkeys((a.canonical_name or a.text) for a in names)),
            })
    items.sort(key=lambda item: (item["event"].confidence, item["doc_id"], item["event"].start))
    return items


def next_in_queue(overlay: Overlay, sel: str) -> str:
    """The next uncorrected event of this article in reading order after the selection (for
    the "next" shortcut); empty when none is left."""
    if overlay.article is None:
        return ""
    _, _, current = sel.partition(":")
    events = overlay.article.events
    start = next((e.start for e in events if e.id == current), -1)
    later = [e for e in events if e.start > start and not overlay.is_corrected("event", e.id)]
    return f"event:{later[0].id}" if later else ""
