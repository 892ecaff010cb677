"""Turn an (overlaid) article record into safe HTML pieces: highlighted text and the timeline.

Everything from the record (text, ids, values) goes through ``markupsafe.escape``; the
functions return ``Markup`` so Jinja2's autoescaping leaves the already-escaped result alone.
Highlighted elements may overlap without nesting (an actor running past the end of an event);
such an element is split into pieces so the HTML stays well formed.
"""

from __future__ import annotations

import bisect
import calendar
import hashlib
import heapq
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup, escape

from pipeline.records import ArticleRecord, ChronologyEntry, Event
from pipeline.review.reattach import Overlay

POLARITY_SYMBOL = {"escalatory": "▲", "de-escalatory": "▼", "neutral": "●"}
# Outer layers first when two elements cover the same characters.
LAYER_ORDER = {"event": 0, "agreement": 1, "actor": 2, "date": 3, "trigger": 4, "noise": 5}


@dataclass
class Mark:
    kind: str
    start: int
    end: int
    element_id: str
    classes: list[str]
    tip: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _attr(value: object) -> Markup:
    return escape(str(value))


# --------------------------------------------------------------------------------------
# Element ids in the page

# Kept as they are: letters, digits and "-", with single "_" between them (so never "__",
# which separates an article's prefix from the element id).
_PLAIN_ID = re.compile(r"[A-Za-z0-9-]+(?:_[A-Za-z0-9-]+)*")
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9-]+")


def id_part(value: str) -> str:
    """``value`` as a piece of an HTML id that is also a plain CSS identifier piece.

    Usual ids (``fx_japan_korea_2031``, ``chr-001``) are kept.  Any other value has its runs of
    other characters replaced by ``-`` and a short hash of the whole value appended, so two
    values that differ only there (``a b`` and ``a/b``) still get different pieces.
    """
    if _PLAIN_ID.fullmatch(value):
        return value
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:8]
    slug = _UNSAFE_RUN.sub("-", value).strip("-")
    return f"{slug}-{digest}" if slug else f"x-{digest}"


def article_anchor(doc_id: str) -> str:
    """The id of an article's container in the report."""
    return f"doc-{id_part(doc_id)}"


@dataclass(frozen=True)
class IdScope:
    """Writes element ids (``entry-chr-001``) and the in-page links to them.

    The single-article review page uses the bare ids; the report holds many articles, whose
    element ids repeat (every article has a ``chr-001``), so there each id is prefixed with
    its article's (``doc-<doc_id>__entry-chr-001``) and every link stays in its article.
    """

    prefix: str = ""

    @classmethod
    def for_article(cls, doc_id: str) -> IdScope:
        return cls(f"{article_anchor(doc_id)}__")

    def __call__(self, kind: str, element_id: str) -> str:
        return f"{self.prefix}{kind}-{id_part(element_id)}"

    def href(self, kind: str, element_id: str) -> str:
        return f"#{self(kind, element_id)}"


def actor_tip(a: Any) -> str:
    lines = [f"actor · {a.type}", f"id: {a.canonical_id or '—'}"]
    if a.canonical_name:
        lines.append(f"name: {a.canonical_name}")
    lines.append(f"country: {a.country or '—'}")
    if a.role:
        lines.append(f"role: {a.role}")
    if a.metonymy:
        lines.append("metonymy")
    return "\n".join(lines)


def date_tip(d: Any) -> str:
    lines = [f"date · value: {d.value or 'unresolved'}"]
    if d.mod:
        lines.append(f"mod: {d.mod}")
    if d.granularity:
        lines.append(f"granularity: {d.granularity}")
    if d.anchor:
        lines.append(f"anchor: {d.anchor}")
    if d.reason:
        lines.append(f"reason: {d.reason}")
    return "\n".join(lines)


def agreement_tip(g: Any) -> str:
    lines = [f"agreement · id: {g.canonical_id or '—'}"]
    if g.canonical_name:
        lines.append(f"name: {g.canonical_name}")
    return "\n".join(lines)


def event_tip(e: Event) -> str:
    lines = [f"event · {e.polarity} ({e.confidence:.2f}) · {e.modality}"]
    if e.source:
        lines.append(f"source: {', '.join(e.source)}")
    if e.target:
        lines.append(f"target: {', '.join(e.target)}")
    if e.date:
        lines.append(f"date: {e.date}")
    if e.cues:
        lines.append(f"cues: {', '.join(e.cues)}")
    return "\n".join(lines)


def collect_marks(overlay: Overlay) -> list[Mark]:
    article = overlay.article
    assert article is not None
    marks: list[Mark] = []

    def flag(kind: str, element_id: str) -> list[str]:
        return ["corrected"] if overlay.is_corrected(kind, element_id) else []

    for e in article.events:
        marks.append(
            Mark(
                "event",
                e.start,
                e.end,
                e.id,
                ["evt", f"pol-{e.polarity}", *flag("event", e.id)],
                event_tip(e),
                {"event": e},
            )
        )
        if e.trigger is not None:
            marks.append(Mark("trigger", e.trigger.start, e.trigger.end, e.id, ["trigger"]))
    for g in article.agreements:
        marks.append(
            Mark(
                "agreement",
                g.start,
                g.end,
                g.id,
                ["ent", "ent-agreement", *flag("agreement", g.id)],
                agreement_tip(g),
            )
        )
    for a in article.actors:
        marks.append(
            Mark(
                "actor",
                a.start,
                a.end,
                a.id,
                ["ent", "ent-actor", f"type-{a.type}", *flag("actor", a.id)],
                actor_tip(a),
            )
        )
    for d in article.dates:
        unresolved = [] if d.value else ["unresolved"]
        marks.append(
            Mark(
                "date",
                d.start,
                d.end,
                d.id,
                ["ent", "ent-date", *unresolved, *flag("date", d.id)],
                date_tip(d),
            )
        )
    for n in article.layout_noise:
        marks.append(Mark("noise", n.start, n.end, "", ["noise"], f"layout noise: {n.kind}"))
    return marks


def _open_tag(mark: Mark, first: bool, ids: IdScope, static: bool) -> Markup:
    classes = " ".join(mark.classes + ([] if first else ["cont"]))
    if mark.kind == "event":
        ident = Markup(' id="{}"').format(ids("event", mark.element_id)) if first else Markup("")
        out = Markup('<span class="{}" data-kind="event" data-id="{}"{}>').format(
            classes, mark.element_id, ident
        )
        if first:
            event: Event = mark.extra["event"]
            # The report has no inspector: there the badge points at its own event.
            target = (
                ids.href("event", mark.element_id)
                if static
                else f"?sel=event:{mark.element_id}#inspector"
            )
            out += Markup(
                '<a class="evt-badge" data-ui="1" href="{}" data-tip="{}" '
                'aria-label="{} event {}">{}</a>'
            ).format(
                target,
                mark.tip,
                event.polarity,
                mark.element_id,
                POLARITY_SYMBOL[event.polarity],
            )
        return out
    if mark.kind in ("actor", "date", "agreement"):
        focus = (
            Markup(' tabindex="0" role="button" id="{}"').format(ids(mark.kind, mark.element_id))
            if first
            else Markup("")
        )
        return Markup('<span class="{}" data-kind="{}" data-id="{}" data-tip="{}"{}>').format(
            classes, mark.kind, mark.element_id, mark.tip, focus
        )
    if mark.kind == "noise":
        return Markup('<span class="{}" title="{}">').format(classes, mark.tip)
    return Markup('<span class="{}">').format(classes)


def _close_tag(mark: Mark, last: bool, entry_dates: dict[str, str], ids: IdScope) -> Markup:
    out = Markup("</span>")
    if mark.kind == "event" and last:
        event: Event = mark.extra["event"]
        for link in event.aligned_entries:
            label = entry_dates.get(link.entry_id, link.entry_id)
            out += Markup(
                '<a class="align-link" data-ui="1" href="{}" data-entry="{}" title="aligned with chronology '
                'entry {} (score {:.2f})">↔ {}</a>'
            ).format(ids.href("entry", link.entry_id), link.entry_id, link.entry_id, link.score, label)
    return out


def highlight(
    text: str,
    start: int,
    end: int,
    marks: list[Mark],
    entry_dates: dict[str, str],
    ids: IdScope | None = None,
    static: bool = False,
) -> Markup:
    """HTML of ``text[start:end]`` with every mark inside it wrapped, overlaps split.
    ``static``: for the read-only report (no inspector to open)."""
    ids = ids or IdScope()
    heap: list[tuple[int, int, int, int, int, bool]] = []
    for index, m in enumerate(marks):
        s, e = max(m.start, start), min(m.end, end)
        if s < e:
            heap.append((s, -e, LAYER_ORDER[m.kind], index, m.start, s == m.start))
    heapq.heapify(heap)
    out: list[Markup] = []
    stack: list[tuple[int, Mark, bool]] = []  # (piece end, mark, piece is the mark's last)
    pos = start

    def close_top() -> None:
        nonlocal pos
        piece_end, mark, last = stack.pop()
        out.append(escape(text[pos:piece_end]))
        out.append(_close_tag(mark, last, entry_dates, ids))
        pos = piece_end

    while heap:
        s, neg_e, order, index, _orig, first = heapq.heappop(heap)
        e = -neg_e
        while stack and stack[-1][0] <= s:
            close_top()
        mark = marks[index]
        if stack and e > stack[-1][0]:
            # Crosses the end of the enclosing piece: render up to there, continue later.
            heapq.heappush(heap, (stack[-1][0], -e, order, index, _orig, False))
            e = stack[-1][0]
        out.append(escape(text[pos:s]))
        pos = s
        out.append(_open_tag(mark, first, ids, static))
        stack.append((e, mark, e >= min(mark.end, end)))
    while stack:
        close_top()
    out.append(escape(text[pos:end]))
    return Markup("").join(out)


# --------------------------------------------------------------------------------------
# Layout: narrative blocks and chronology entries


@dataclass
class TextBlock:
    start: int
    kind: str  # a section kind, or "text" for text outside any section
    html: Markup
    page: PageLabel | None = None  # PDF input: the page the block starts on


@dataclass(frozen=True)
class PageLabel:
    """A page of a PDF input: its number in the file and the number printed on it."""

    number: int
    printed: str | None

    @property
    def title(self) -> str:
        printed = f", printed page {self.printed}" if self.printed and self.printed != str(self.number) else ""
        return f"page {self.number} of the PDF{printed}"


def page_labels(article: ArticleRecord) -> Callable[[int], PageLabel | None]:
    """Offset -> the page it lies on; always None for inputs without pages (text, HTML)."""
    starts = [p.start for p in article.pages]
    pages = [PageLabel(p.number, p.label) for p in article.pages]

    def at(offset: int) -> PageLabel | None:
        if not pages:
            return None
        return pages[max(bisect.bisect_right(starts, offset) - 1, 0)]

    return at


@dataclass
class ArticleView:
    narrative: list[TextBlock]
    entries: list[dict[str, Any]]


def text_blocks(
    article: ArticleRecord, chrono: tuple[int, int] | None
) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the text shown in the main column: every section but the
    chronology, and any non-blank text that no section covers (never hidden)."""
    text = article.text
    sections = sorted(
        (s for s in article.sections if s.kind != "chronology"), key=lambda s: (s.start, s.end)
    )
    blocks: list[tuple[int, int, str]] = []
    pos = 0
    for section in sections:
        if section.start > pos and text[pos : section.start].strip():
            blocks.append((pos, section.start, "text"))
        start = max(section.start, pos)
        if section.end > start:
            blocks.append((start, section.end, section.kind))
        pos = max(pos, section.end)
    if text[pos:].strip():
        blocks.append((pos, len(text), "text"))
    if chrono is not None:
        # Text outside sections never spills into the chronology column.
        clipped: list[tuple[int, int, str]] = []
        for s, e, kind in blocks:
            for a, b in ((s, min(e, chrono[0])), (max(s, chrono[1]), e)):
                if a < b and text[a:b].strip():
                    clipped.append((a, b, kind))
        blocks = clipped
    return blocks


def chronology_range(article: ArticleRecord) -> tuple[int, int] | None:
    spans = [(s.start, s.end) for s in article.sections if s.kind == "chronology"]
    if not spans and article.chronology:
        spans = [(min(e.start for e in article.chronology), max(e.end for e in article.chronology))]
    if not spans:
        return None
    return min(s for s, _ in spans), max(e for _, e in spans)


def entry_label(entry: ChronologyEntry) -> str:
    return entry.date_text or entry.date or entry.id


def article_view(overlay: Overlay, ids: IdScope | None = None, static: bool = False) -> ArticleView:
    """The highlighted narrative blocks and chronology entries; ``ids`` writes the element ids
    (bare by default), ``static`` is for the read-only report."""
    article = overlay.article
    assert article is not None
    ids = ids or IdScope()
    marks = collect_marks(overlay)
    labels = {e.id: entry_label(e) for e in article.chronology}
    text = article.text
    chrono = chronology_range(article)
    page_at = page_labels(article)
    narrative = [
        TextBlock(
            start, kind, highlight(text, start, end, marks, labels, ids, static), page_at(start)
        )
        for start, end, kind in text_blocks(article, chrono)
    ]

    events_by_id = {e.id: e for e in article.events}
    entries: list[dict[str, Any]] = []
    for entry in article.chronology:
        linked: list[dict[str, Any]] = []
        for event in article.events:
            for link in event.aligned_entries:
                if link.entry_id == entry.id:
                    linked.append(
                        {
                            "event": event,
                            "score": link.score,
                            "reasons": link.reasons,
                            "decision": overlay.decisions.get((event.id, entry.id)),
                            "in_narrative": chrono is None
                            or not (chrono[0] <= event.start < chrono[1]),
                        }
                    )
        linked.sort(key=lambda item: -float(item["score"]))
        own = [e for e in article.events if e.chronology_entry_id == entry.id]
        polarity = own[0].polarity if own else None
        entries.append(
            {
                "entry": entry,
                "page": page_at(entry.start),
                "html": highlight(text, entry.start, entry.end, marks, labels, ids, static),
                "linked": linked,
                "polarity": polarity,
                "rejected": [
                    events_by_id.get(ev) or ev
                    for (ev, en), op in overlay.decisions.items()
                    if en == entry.id and op == "reject"
                ],
            }
        )
    return ArticleView(narrative=narrative, entries=entries)


# --------------------------------------------------------------------------------------
# Counts for the index


def article_counts(article: ArticleRecord) -> dict[str, Any]:
    polarity = Counter(e.polarity for e in article.events)
    esc, de = polarity["escalatory"], polarity["de-escalatory"]
    balance = (esc - de) / (esc + de) if esc + de else 0.0
    return {
        "actors": len(article.actors),
        "dates": len(article.dates),
        "agreements": len(article.agreements),
        "events": len(article.events),
        "entries": len(article.chronology),
        "escalatory": esc,
        "de_escalatory": de,
        "neutral": polarity["neutral"],
        "balance": balance,
    }


# --------------------------------------------------------------------------------------
# Timeline (inline SVG, built here so no chart library is needed)

_SEASON_MONTH = {"SP": 4, "SU": 7, "FA": 10, "AU": 10, "WI": 1}


def timex_day(value: str | None) -> tuple[date, bool] | None:
    """A day to plot a TIMEX3 value at, and whether it is exact; None when it has no day."""
    if not value:
        return None
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
            return date(int(m[1]), int(m[2]), int(m[3])), True
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            return date(int(m[1]), int(m[2]), 15), False
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
            return date.fromisocalendar(int(m[1]), int(m[2]), 4), False
        if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|AU|WI)", value):
            return date(int(m[1]), _SEASON_MONTH[m[2]], 15), False
    except ValueError:
        return None
    return None


def _month(value: str | None, last: bool) -> date | None:
    if not value or not re.fullmatch(r"\d{4}-\d{2}", value):
        return None
    year, month = int(value[:4]), int(value[5:7])
    if not 1 <= month <= 12:
        return None
    return date(year, month, calendar.monthrange(year, month)[1] if last else 1)


def event_day(event: Event, entry_dates: dict[str, str | None]) -> tuple[date, bool] | None:
    found = timex_day(event.date)
    if found is None and event.chronology_entry_id:
        found = timex_day(entry_dates.get(event.chronology_entry_id))
    return found


@dataclass
class _Point:
    day: date
    exact: bool
    polarity: str
    href: str
    label: str
    order: int


def _track_points(article: ArticleRecord, ids: IdScope) -> tuple[list[_Point], list[_Point], dict[str, int]]:
    """Chronology entries (by their date, with the entry's polarity) and the narrative's
    sentence-level events (each narrative sentence's main event, by its date)."""
    counts = {"entries_undated": 0, "narrative_undated": 0, "nested": 0}
    entries: list[_Point] = []
    for entry in article.chronology:
        found = timex_day(entry.date)
        if found is None or entry.polarity is None:
            counts["entries_undated"] += 1
            continue
        entries.append(_Point(found[0], found[1], entry.polarity, ids.href("entry", entry.id),
                              f"{entry.date_text or entry.date} · {entry.polarity} · {entry.text[:140]}", entry.start))
    narrative: list[_Point] = []
    for event in article.events:
        if event.chronology_entry_id is not None:
            continue
        if not event.is_main:
            counts["nested"] += 1
            continue
        found = timex_day(event.date)
        if found is None:
            counts["narrative_undated"] += 1
            continue
        narrative.append(_Point(found[0], found[1], event.polarity, ids.href("event", event.id),
                                f"{found[0].isoformat()}{'' if found[1] else ' (approx.)'} · {event.polarity} · "
                                f"{event.text[:140]}", event.start))
    return entries, narrative, counts


def timeline_svg(
    article: ArticleRecord, width: int = 880, height: int = 300, ids: IdScope | None = None
) -> Markup:
    """Two tracks over the article's period: the chronology's entries above, the narrative's
    sentence-level events below; in each, escalatory squares stack up from the track's axis,
    de-escalatory ones down, neutral ones sit on it, with a count scale on the left and the
    net escalation over 14 days as a dashed line."""
    ids = ids or IdScope()
    entries, narrative, counts = _track_points(article, ids)
    every = entries + narrative
    first = _month(article.metadata.period.start, last=False)
    last = _month(article.metadata.period.end, last=True)
    if first is None or last is None or last < first:
        if not every:
            return Markup('<p class="timeline-empty">No dated entries or events to plot.</p>')
        first, last = min(p.day for p in every), max(p.day for p in every)
    outside = sum(1 for p in every if not first <= p.day <= last)
    left, right = 64, width - 12
    span_days = max((last - first).days, 1)
    size, gap = 6, 1
    track_h = (height - 34) // 2
    tracks = [("chronology", "Chronology", entries, 16), ("narrative", "Narrative", narrative, 16 + track_h + 6)]

    def x(day: date) -> float:
        return left + (right - left) * (day - first).days / span_days

    parts: list[Markup] = [
        Markup(
            '<svg class="timeline" role="img" viewBox="0 0 {} {}" width="{}" height="{}" '
            'xmlns="http://www.w3.org/2000/svg"><title>Chronology entries and narrative events by date: '
            "escalatory above each track's line, de-escalatory below</title>"
        ).format(width, height, width, height)
    ]
    month = date(first.year, first.month, 1)
    while month <= last:
        if month >= first:
            mx = x(month)
            parts.append(Markup('<line class="tick" x1="{:.1f}" y1="12" x2="{:.1f}" y2="{}"/>').format(
                mx, mx, height - 16))
            parts.append(Markup('<text class="tick-label" x="{:.1f}" y="{}">{}</text>').format(
                mx + 3, height - 4, month.strftime("%b %Y")))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    for name, title, points, top in tracks:
        mid = top + track_h // 2
        room = (track_h // 2 - 4) // (size + gap)  # squares that fit on one side
        parts.append(Markup('<g class="track track-{}">').format(name))
        parts.append(Markup('<text class="lane-label" x="4" y="{}">{}</text>').format(top + 10, title))
        parts.append(Markup('<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"/>').format(left, mid, right, mid))
        # count scale: the height of 5, 10, 20 stacked squares above and below the axis
        for n in (5, 10, 20):
            if n > room:
                break
            for sign in (-1, 1):
                y = mid + sign * n * (size + gap)
                parts.append(Markup('<line class="scale" x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}"/>').format(
                    left - 4, y, left, y))
                parts.append(Markup('<text class="scale-label" x="{}" y="{:.1f}">{}</text>').format(
                    left - 6, y + 3, n))
        stacks: Counter[tuple[date, str]] = Counter()
        hidden: Counter[date] = Counter()
        shown = [p for p in points if first <= p.day <= last]
        for point in sorted(shown, key=lambda p: (p.day, p.order)):
            level = stacks[(point.day, point.polarity)]
            stacks[(point.day, point.polarity)] += 1
            if point.polarity != "neutral" and level >= room:
                hidden[point.day] += 1
                continue
            cx = x(point.day) - size / 2
            cy: float
            if point.polarity == "escalatory":
                cy = mid - (level + 1) * (size + gap)
            elif point.polarity == "de-escalatory":
                cy = mid + gap + level * (size + gap)
            else:
                cy = mid - size / 2
            cls = f"pt pol-{point.polarity}" + ("" if point.exact else " approx")
            parts.append(Markup(
                '<a href="{}" class="pt-link"><rect class="{}" x="{:.1f}" y="{:.1f}" width="{}" '
                'height="{}" rx="1.5"><title>{}</title></rect></a>'
            ).format(point.href, cls, cx, cy, size, size, point.label))
        for day, n in sorted(hidden.items()):
            parts.append(Markup('<text class="more" x="{:.1f}" y="{}">+{}</text>').format(x(day) - 3, top + 8, n))
        if shown:
            scale = (size + gap)
            line = []
            day = first
            while day <= last:
                window = [p for p in shown if day - timedelta(days=13) <= p.day <= day]
                net = sum(p.polarity == "escalatory" for p in window) - sum(p.polarity == "de-escalatory" for p in window)
                net = max(-room, min(room, net))
                line.append(f"{x(day):.1f},{mid - net * scale:.1f}")
                day += timedelta(days=2)
            parts.append(Markup('<polyline class="net" points="{}"><title>{}: net escalation, 14-day window</title>'
                                '</polyline>').format(" ".join(line), title))
        parts.append(Markup("</g>"))
    parts.append(Markup("</svg>"))
    plotted_entries = sum(1 for p in entries if first <= p.day <= last)
    plotted_narrative = sum(1 for p in narrative if first <= p.day <= last)
    notes = []
    if outside:
        notes.append(f"{outside} dated outside the period")
    if counts["entries_undated"]:
        notes.append(f"{counts['entries_undated']} entries undated")
    if counts["narrative_undated"]:
        notes.append(f"{counts['narrative_undated']} narrative sentences' events undated")
    if counts["nested"]:
        notes.append(f"{counts['nested']} further events inside narrative sentences not drawn (their sentence's main event is)")
    caption = Markup('<p class="timeline-note">{} entries and {} narrative events plotted{}.</p>').format(
        plotted_entries, plotted_narrative, ("; " + "; ".join(notes)) if notes else "")
    return Markup("").join(parts) + caption


def relationship_svg(rows: list[dict[str, Any]], width: int = 880, row_h: int = 90) -> Markup:
    """One band per relationship over the months of the folder: escalatory entries as bars up,
    de-escalatory down, and the net escalation per month as a line (rows from
    ``pipeline.timeline.relationship_months``; undated rows are left to the table)."""
    dated = [r for r in rows if r["month"]]
    if not dated:
        return Markup('<p class="timeline-empty">No dated chronology entries in this folder.</p>')
    months = sorted({r["month"] for r in dated})
    first = date(int(months[0][:4]), int(months[0][5:7]), 1)
    last = date(int(months[-1][:4]), int(months[-1][5:7]), 1)
    axis: list[str] = []
    month = first
    while month <= last:
        axis.append(month.strftime("%Y-%m"))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    dyads = sorted({r["relationship"] for r in dated})
    peak = max(max(r["escalatory"], r["de-escalatory"]) for r in dated) or 1
    left, right = 150, width - 10
    step = (right - left) / max(len(axis), 1)
    height = 20 + row_h * len(dyads)
    parts = [Markup('<svg class="relationships" role="img" viewBox="0 0 {} {}" width="{}" height="{}" '
                    'xmlns="http://www.w3.org/2000/svg"><title>Chronology entries per month and relationship: '
                    'escalatory up, de-escalatory down, line: net escalation</title>').format(width, height, width, height)]
    label_every = max(1, len(axis) // 12)
    for k, m in enumerate(axis):
        if k % label_every == 0:
            parts.append(Markup('<text class="tick-label" x="{:.1f}" y="{}">{}</text>').format(left + k * step, height - 4, m))
    by_cell = {(r["relationship"], r["month"]): r for r in dated}
    for i, dyad in enumerate(dyads):
        mid = 10 + i * row_h + row_h // 2
        half = row_h // 2 - 8
        parts.append(Markup('<text class="lane-label" x="4" y="{}">{}</text>').format(mid + 3, dyad[:28]))
        parts.append(Markup('<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"/>').format(left, mid, right, mid))
        line = []
        for k, m in enumerate(axis):
            cell = by_cell.get((dyad, m))
            cx = left + k * step
            if cell is None:
                line.append(f"{cx + step / 2:.1f},{mid}")
                continue
            up = half * cell["escalatory"] / peak
            down = half * cell["de-escalatory"] / peak
            tip = (f"{dyad} {m}: {cell['escalatory']} escalatory, {cell['de-escalatory']} de-escalatory, "
                   f"{cell['neutral']} neutral; net {cell['net_escalation']:+d}")
            parts.append(Markup('<rect class="bar pol-escalatory" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}">'
                                '<title>{}</title></rect>').format(cx + 1, mid - up, max(step - 2, 1), up, tip))
            parts.append(Markup('<rect class="bar pol-de-escalatory" x="{:.1f}" y="{}" width="{:.1f}" height="{:.1f}">'
                                '<title>{}</title></rect>').format(cx + 1, mid, max(step - 2, 1), down, tip))
            net = max(-peak, min(peak, cell["net_escalation"]))
            line.append(f"{cx + step / 2:.1f},{mid - half * net / peak:.1f}")
        parts.append(Markup('<polyline class="net" points="{}"><title>{}: net escalation per month</title></polyline>')
                     .format(" ".join(line), dyad))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
