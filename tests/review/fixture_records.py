"""Small, invented records for the review tool's tests, built through the pydantic models.

The article text below is made up (people, events and the year 2031 are fictional) in the
journal's layout.  ``write_fixture_dir`` writes ``articles.jsonl`` and ``chronology.jsonl``;
``python -m tests.review.fixture_records`` refreshes the copies in ``tests/review/fixtures/``.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline import SCHEMA_VERSION, __version__
from pipeline.records import (
    ActorMention,
    AgreementMention,
    AlignmentLink,
    ArticleMetadata,
    ArticleRecord,
    Author,
    ChronologyEntry,
    DateMention,
    Event,
    Paragraph,
    Period,
    Section,
    Sentence,
    SourceInfo,
    Trigger,
    chronology_records,
    dumps,
)

FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures"
MAIN_DOC = "fx_japan_korea_2031"
HOSTILE_DOC = "fx_hostile_markup"
# A second copy of the main article under an id that is no valid HTML id as it stands: the
# report then holds two articles with the same element ids (chr-001, evt-448-502, ...).
REPRINT_DOC = 'fx japan-korea 2031 "reprint" #2'

MAIN_TEXT = """Articles

Japan - Korea

Jan — Apr 2031
Download Article as PDF

Quiet Channels, Loud Drills

By Ana Example and Ben Sample
Published May 2031 in Comparative Connections · Volume 33, Issue 1

Connect with the Authors

Ana Example
Example University

Talks Resume

On Feb. 3, Foreign Minister Tanaka Hiro met Foreign Minister Park Min-seo in Busan, and the two sides agreed to restore the Fisheries Accord. Seoul welcomed the step. Two weeks later, Tokyo protested a naval drill near the disputed islets.

In late March, South Korea threatened to suspend the Fisheries Accord unless Japan lifted new port inspections.

Chronology of Japan - Korea Relations

Jan — Apr 2031

Feb. 3, 2031: Foreign Minister Tanaka Hiro and Foreign Minister Park Min-seo meet in Busan and agree to restore the Fisheries Accord.

Feb. 17, 2031: Japan protests a South Korean naval drill near the disputed islets.

March 28, 2031: South Korea warns it may suspend the Fisheries Accord.

April 9, 2031: The two governments publish annual trade statistics.
"""

HOSTILE_TEXT = """Articles

Test - Markup

Jan — Feb 2031

Escaping <script>alert("pwned")</script> & "quotes"

Body

The ministry of <b>Nowhere</b> said <img src=x onerror=alert(1)> nothing at all on Jan. 5.
"""


def find(text: str, needle: str, occurrence: int = 0, after: int = 0) -> tuple[int, int]:
    """Offsets of the n-th occurrence of ``needle`` at or after ``after``."""
    start = after - 1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def _actor(text: str, needle: str, after: int = 0, **fields: object) -> ActorMention:
    s, e = find(text, needle, after=after)
    return ActorMention(id=f"act-{s}-{e}", start=s, end=e, text=text[s:e], **fields)


def _date(text: str, needle: str, after: int = 0, **fields: object) -> DateMention:
    s, e = find(text, needle, after=after)
    return DateMention(id=f"date-{s}-{e}", start=s, end=e, text=text[s:e], **fields)


def _agreement(text: str, after: int) -> AgreementMention:
    s, e = find(text, "Fisheries Accord", after=after)
    return AgreementMention(
        id=f"agr-{s}-{e}",
        start=s,
        end=e,
        text=text[s:e],
        canonical_id="agr-fisheries-accord-2031",
        canonical_name="Fisheries Accord",
    )


def _event(text: str, needle: str, trigger: str, after: int = 0, **fields: object) -> Event:
    s, e = find(text, needle, after=after)
    ts, te = find(text, trigger, after=s)
    return Event(
        id=f"evt-{s}-{e}",
        start=s,
        end=e,
        text=text[s:e],
        trigger=Trigger(start=ts, end=te, text=text[ts:te]),
        **fields,
    )


def _sentences(text: str, paragraphs: list[Paragraph]) -> list[Sentence]:
    out: list[Sentence] = []
    for p in paragraphs:
        for m in re.finditer(r"[^\n]+?(?:\.(?=\s|$)|$)", text[p.start : p.end]):
            chunk = m.group(0).strip()
            if chunk:
                s = p.start + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
                out.append(
                    Sentence(
                        id=f"snt-{len(out):04d}",
                        start=s,
                        end=s + len(chunk),
                        section_id=p.section_id,
                    )
                )
    return out


def _mark_units(sentences: list[Sentence], chronology: list[ChronologyEntry], events: list[Event]) -> None:
    """As the events stage does: each narrative sentence and entry takes its first event's
    polarity, and that event is marked main; a unit without an event is neutral."""
    for unit in [*[s for s in sentences if s.section_id == "sec-01"], *chronology]:
        inside = [e for e in events if unit.start <= e.start < unit.end]
        main = inside[0] if inside else None
        if main is not None:
            main.is_main = True
        unit.polarity = main.polarity if main else "neutral"
        unit.confidence = main.confidence if main else 0.5
        unit.main_event_id = main.id if main else None


def main_article() -> ArticleRecord:
    t = MAIN_TEXT
    narrative_start = t.index("Talks Resume")
    chrono_start = t.index("Chronology of")
    sections = [
        Section(id="sec-00", kind="front_matter", start=0, end=narrative_start - 2),
        Section(
            id="sec-01",
            kind="narrative",
            heading="Talks Resume",
            start=narrative_start,
            end=chrono_start - 2,
        ),
        Section(
            id="sec-02",
            kind="chronology",
            heading="Chronology of Japan - Korea Relations",
            start=chrono_start,
            end=len(t) - 1,
        ),
    ]
    par_texts = [
        ("sec-01", "On Feb. 3,", "disputed islets."),
        ("sec-01", "In late March,", "port inspections."),
    ]
    paragraphs = []
    for i, (sec, head, tail) in enumerate(par_texts):
        s = t.index(head)
        e = t.index(tail, s) + len(tail)
        paragraphs.append(Paragraph(id=f"par-{i:03d}", section_id=sec, start=s, end=e))
    entry_specs = [
        ("Feb. 3, 2031", "2031-02-03"),
        ("Feb. 17, 2031", "2031-02-17"),
        ("March 28, 2031", "2031-03-28"),
        ("April 9, 2031", "2031-04-09"),
    ]
    chronology = []
    for i, (date_text, value) in enumerate(entry_specs, start=1):
        s = t.index(date_text + ":", chrono_start)
        e = t.index("\n", s)
        text_start = s + len(date_text) + 2
        chronology.append(
            ChronologyEntry(
                id=f"chr-{i:03d}",
                date_text=date_text,
                date=value,
                text=t[text_start:e],
                text_start=text_start,
                start=s,
                end=e,
            )
        )
        paragraphs.append(
            Paragraph(id=f"par-{len(paragraphs):03d}", section_id="sec-02", start=s, end=e)
        )
    c1, c2, c3, c4 = (c.start for c in chronology)

    tanaka = dict(
        type="PERSON",
        country="JPN",
        canonical_id="jpn-tanaka-hiro",
        canonical_name="Tanaka Hiro",
        role="Foreign Minister",
    )
    park = dict(
        type="PERSON",
        country="KOR",
        canonical_id="kor-park-min-seo",
        canonical_name="Park Min-seo",
        role="Foreign Minister",
    )
    kor = dict(type="STATE", country="KOR", canonical_id="KOR", canonical_name="South Korea")
    jpn = dict(type="STATE", country="JPN", canonical_id="JPN", canonical_name="Japan")
    actors = [
        _actor(t, "Tanaka Hiro", narrative_start, **tanaka),
        _actor(t, "Park Min-seo", narrative_start, **park),
        _actor(t, "Seoul", narrative_start, metonymy=True, **kor),
        _actor(t, "Tokyo", narrative_start, metonymy=True, **jpn),
        _actor(t, "South Korea", t.index("In late March"), **kor),
        _actor(t, "Japan", t.index("In late March"), **jpn),
        _actor(t, "Tanaka Hiro", c1, **tanaka),
        _actor(t, "Park Min-seo", c1, **park),
        _actor(t, "Japan", c2, **jpn),
        _actor(t, "South Korea", c3, **kor),
    ]
    a = {(x.canonical_id, x.start > chrono_start, x.start): x.id for x in actors}

    def aid(canonical: str, in_chrono: bool, nth: int = 0) -> str:
        return [
            v
            for (c, ch, _), v in sorted(a.items(), key=lambda kv: kv[0][2])
            if c == canonical and ch == in_chrono
        ][nth]

    dates = [
        _date(t, "Feb. 3", narrative_start, value="2031-02-03", granularity="day", anchor="period"),
        _date(
            t,
            "Two weeks later",
            narrative_start,
            value="2031-02-17",
            granularity="day",
            anchor="date-previous",
        ),
        _date(
            t,
            "late March",
            narrative_start,
            value="2031-03",
            mod="END",
            granularity="month",
            anchor="period",
        ),
    ]
    agreements = [
        _agreement(t, narrative_start),
        _agreement(t, t.index("In late March")),
        _agreement(t, c1),
        _agreement(t, c3),
    ]
    agr = [g.id for g in agreements]
    events = [
        _event(
            t,
            "Foreign Minister Tanaka Hiro met Foreign Minister Park Min-seo in Busan",
            "met",
            narrative_start,
            source=[aid("jpn-tanaka-hiro", False)],
            target=[aid("kor-park-min-seo", False)],
            date="2031-02-03",
            polarity="de-escalatory",
            confidence=0.9,
            modality="asserted",
            cameo_root="04",
            cues=["met"],
            section_id="sec-01",
            aligned_entries=[
                AlignmentLink(entry_id="chr-001", score=0.92, reasons=["date", "actors", "words"])
            ],
        ),
        _event(
            t,
            "the two sides agreed to restore the Fisheries Accord",
            "agreed",
            narrative_start,
            agreements=[agr[0]],
            date="2031-02-03",
            polarity="de-escalatory",
            confidence=0.8,
            modality="asserted",
            cameo_root="05",
            cues=["agreed"],
            section_id="sec-01",
            aligned_entries=[
                AlignmentLink(entry_id="chr-001", score=0.71, reasons=["date", "words"])
            ],
        ),
        _event(
            t,
            "Seoul welcomed the step",
            "welcomed",
            narrative_start,
            source=[aid("KOR", False)],
            polarity="de-escalatory",
            confidence=0.6,
            modality="asserted",
            cameo_root="05",
            cues=["welcomed"],
            section_id="sec-01",
        ),
        _event(
            t,
            "Tokyo protested a naval drill near the disputed islets",
            "protested",
            narrative_start,
            source=[aid("JPN", False)],
            date="2031-02-17",
            polarity="escalatory",
            confidence=0.85,
            modality="asserted",
            cameo_root="13",
            cues=["protested", "drill"],
            section_id="sec-01",
            aligned_entries=[
                AlignmentLink(entry_id="chr-002", score=0.88, reasons=["date", "actors"])
            ],
        ),
        _event(
            t,
            "South Korea threatened to suspend the Fisheries Accord unless Japan lifted new port inspections",
            "threatened",
            narrative_start,
            source=[aid("KOR", False, 1)],
            target=[aid("JPN", False, 1)],
            agreements=[agr[1]],
            date="2031-03",
            polarity="escalatory",
            confidence=0.75,
            modality="hypothetical",
            cameo_root="13",
            cues=["threatened", "suspend"],
            section_id="sec-01",
            aligned_entries=[
                AlignmentLink(entry_id="chr-003", score=0.64, reasons=["actors", "words"])
            ],
        ),
        _event(
            t,
            "Foreign Minister Tanaka Hiro and Foreign Minister Park Min-seo meet in Busan",
            "meet",
            c1,
            source=[aid("jpn-tanaka-hiro", True)],
            target=[aid("kor-park-min-seo", True)],
            date="2031-02-03",
            polarity="de-escalatory",
            confidence=0.9,
            modality="asserted",
            cameo_root="04",
            cues=["meet"],
            section_id="sec-02",
            chronology_entry_id="chr-001",
        ),
        _event(
            t,
            "Japan protests a South Korean naval drill near the disputed islets",
            "protests",
            c2,
            source=[aid("JPN", True)],
            date="2031-02-17",
            polarity="escalatory",
            confidence=0.85,
            modality="asserted",
            cameo_root="13",
            cues=["protests"],
            section_id="sec-02",
            chronology_entry_id="chr-002",
        ),
        _event(
            t,
            "South Korea warns it may suspend the Fisheries Accord",
            "warns",
            c3,
            source=[aid("KOR", True)],
            agreements=[agr[3]],
            date="2031-03-28",
            polarity="escalatory",
            confidence=0.7,
            modality="hypothetical",
            cameo_root="11",
            cues=["warns"],
            section_id="sec-02",
            chronology_entry_id="chr-003",
        ),
        _event(
            t,
            "The two governments publish annual trade statistics",
            "publish",
            c4,
            date="2031-04-09",
            polarity="neutral",
            confidence=0.6,
            modality="asserted",
            section_id="sec-02",
            chronology_entry_id="chr-004",
        ),
    ]
    sentences = _sentences(t, paragraphs)
    _mark_units(sentences, chronology, events)
    return ArticleRecord(
        schema_version=SCHEMA_VERSION,
        pipeline_version=__version__,
        model="fixture",
        doc_id=MAIN_DOC,
        source=SourceInfo(path="fixtures/invented.txt", sha256="0" * 64, format="txt"),
        text=t,
        metadata=ArticleMetadata(
            journal_section="Articles",
            relationship="Japan - Korea",
            period=Period(start="2031-01", end="2031-04"),
            title="Quiet Channels, Loud Drills",
            authors=[
                Author(name="Ana Example", affiliation="Example University"),
                Author(name="Ben Sample"),
            ],
            journal="Comparative Connections",
            volume=33,
            issue=1,
            published="2031-05",
        ),
        sections=sections,
        paragraphs=paragraphs,
        sentences=sentences,
        chronology=chronology,
        actors=actors,
        dates=dates,
        agreements=agreements,
        events=sorted(events, key=lambda e: (e.start, e.end)),
    )


def hostile_article() -> ArticleRecord:
    """An article whose text and values carry markup, to check that all of it is escaped."""
    t = HOSTILE_TEXT
    body = t.index("The ministry")
    s, e = find(t, "<b>Nowhere</b>")
    ds, de = find(t, "Jan. 5")
    es, ee = find(t, "The ministry of <b>Nowhere</b> said")
    ts, te = find(t, "said", after=es)
    return ArticleRecord(
        schema_version=SCHEMA_VERSION,
        pipeline_version=__version__,
        doc_id=HOSTILE_DOC,
        source=SourceInfo(path="fixtures/hostile.txt", sha256="1" * 64, format="txt"),
        text=t,
        metadata=ArticleMetadata(
            relationship="Test - <i>Markup</i>",
            period=Period(start="2031-01", end="2031-02"),
            title='Escaping <script>alert("pwned")</script>',
        ),
        sections=[
            Section(id="sec-00", kind="front_matter", start=0, end=body - 2),
            Section(id="sec-01", kind="narrative", heading="Body", start=body, end=len(t) - 1),
        ],
        paragraphs=[Paragraph(id="par-000", section_id="sec-01", start=body, end=len(t) - 1)],
        sentences=[Sentence(id="snt-0000", section_id="sec-01", start=body, end=len(t) - 1)],
        actors=[
            ActorMention(
                id=f"act-{s}-{e}",
                start=s,
                end=e,
                text=t[s:e],
                type="ORG",
                canonical_id='"><img src=x onerror=alert(2)>',
                canonical_name="<b>x</b>",
            )
        ],
        dates=[
            DateMention(id=f"date-{ds}-{de}", start=ds, end=de, text=t[ds:de], value="2031-01-05")
        ],
        events=[
            Event(
                id=f"evt-{es}-{ee}",
                start=es,
                end=ee,
                text=t[es:ee],
                trigger=Trigger(start=ts, end=te, text="said"),
                date="2031-01-05",
                polarity="neutral",
                confidence=0.5,
                modality="asserted",
            )
        ],
    )


def reprint_article() -> ArticleRecord:
    """The main article again under ``REPRINT_DOC``, with its title marked."""
    article = main_article().model_copy(update={"doc_id": REPRINT_DOC}, deep=True)
    article.metadata.title = f"{article.metadata.title} (reprint)"
    return article


def write_fixture_dir(directory: Path, articles: list[ArticleRecord] | None = None) -> Path:
    """Write articles.jsonl and chronology.jsonl for the given (default: both) articles."""
    directory.mkdir(parents=True, exist_ok=True)
    records = articles if articles is not None else [main_article(), hostile_article()]
    (directory / "articles.jsonl").write_text(
        "".join(dumps(a) + "\n" for a in records), encoding="utf-8"
    )
    chrono = [c for a in records for c in chronology_records(a)]
    (directory / "chronology.jsonl").write_text(
        "".join(dumps(c) + "\n" for c in chrono), encoding="utf-8"
    )
    return directory


if __name__ == "__main__":
    print(write_fixture_dir(FIXTURE_DIR))
