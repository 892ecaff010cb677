"""Agreement between the annotations of one article read from two formats (a PDF and its
web text): metadata fields, chronology entries and their dates, actor and date mentions
with their values, entry polarities.

A mention is compared by its text as read (layout noise inside it, such as a running header
between two words, taken out; case and spacing folded) and its values; mentions are matched
as multisets, so a repeated name counts as often as it occurs. The header zone is left out
of the mention counts: the web page and the printed PDF have different headers by design
(the web's "Sep — Dec 2019" and "Published January 2020" lines are not printed), and the
metadata comparison covers what the headers say.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.evaluation.realtext import METADATA_FIELDS, _metadata_value

ACTOR_VALUES = ("type", "country", "canonical_id", "role", "metonymy")
DATE_VALUES = ("value", "mod")


def reading_span(record: Mapping[str, Any], start: int, end: int) -> str:
    """``text[start:end]`` with layout noise inside it left out, spacing and case folded."""
    text = record["text"]
    pieces, pos = [], start
    for noise in sorted(record.get("layout_noise") or [], key=lambda n: n["start"]):
        if noise["end"] <= pos or noise["start"] >= end:
            continue
        pieces.append(text[pos : noise["start"]])
        pos = max(pos, noise["end"])
    pieces.append(text[pos:end])
    return " ".join("".join(pieces).split()).casefold()


def _front_matter_end(record: Mapping[str, Any]) -> int:
    return max((s["end"] for s in record.get("sections") or [] if s["kind"] == "front_matter"), default=0)


def mention_keys(
    record: Mapping[str, Any], kind: str, values: Sequence[str], *, skip_header: bool = True
) -> Counter[tuple[Any, ...]]:
    header_end = _front_matter_end(record) if skip_header else 0
    return Counter(
        (reading_span(record, m["start"], m["end"]), *(m.get(v) for v in values))
        for m in record.get(kind) or []
        if m["start"] >= header_end
    )


def compare_formats(
    reference: Mapping[str, Any],
    other: Mapping[str, Any],
    reference_chronology: Sequence[Mapping[str, Any]],
    other_chronology: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """Figures of agreement of ``other`` with ``reference`` (shares are of the reference's counts)."""
    meta_ref, meta_other = reference["metadata"], other["metadata"]
    metadata_wrong = [
        {"field": f, "reference": _metadata_value(meta_ref, f), "other": _metadata_value(meta_other, f)}
        for f in METADATA_FIELDS
        if _metadata_value(meta_ref, f) != _metadata_value(meta_other, f)
    ]
    entries_ref = [(e["date_text"], e["date"], e["date_end"]) for e in reference["chronology"]]
    entries_other = [(e["date_text"], e["date"], e["date_end"]) for e in other["chronology"]]
    out: dict[str, Any] = {
        "metadata": {"right": len(METADATA_FIELDS) - len(metadata_wrong), "total": len(METADATA_FIELDS),
                     "wrong": metadata_wrong},
        "entries": {
            "reference": len(entries_ref),
            "other": len(entries_other),
            "same_dates": sum(a == b for a, b in zip(entries_ref, entries_other, strict=False)),
        },
    }
    for kind, values in (("actors", ACTOR_VALUES), ("dates", DATE_VALUES)):
        ref, oth = mention_keys(reference, kind, values), mention_keys(other, kind, values)
        same = sum((ref & oth).values())
        total = sum(ref.values())
        out[kind] = {
            "reference": total,
            "other": sum(oth.values()),
            "same": same,
            "share": same / total if total else 1.0,
            "only_reference": sorted((ref - oth).elements(), key=str),
            "only_other": sorted((oth - ref).elements(), key=str),
        }
        whole_ref = mention_keys(reference, kind, values, skip_header=False)
        whole_oth = mention_keys(other, kind, values, skip_header=False)
        whole_total = sum(whole_ref.values())
        out[kind]["with_header"] = {
            "reference": whole_total,
            "same": sum((whole_ref & whole_oth).values()),
            "share": sum((whole_ref & whole_oth).values()) / whole_total if whole_total else 1.0,
        }
    pol_ref = [c["polarity"] for c in reference_chronology]
    pol_other = [c["polarity"] for c in other_chronology]
    out["polarity"] = {
        "reference": len(pol_ref),
        "same": sum(a == b for a, b in zip(pol_ref, pol_other, strict=False)) if len(pol_ref) == len(pol_other) else 0,
    }
    return out
