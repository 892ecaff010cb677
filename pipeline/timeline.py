"""How each relationship moved over time, across the articles of an output folder.

One row per relationship (the article header's dyad, e.g. "Japan - Korea") and month: the
number of chronology entries of each polarity dated in that month and the net escalation
(escalatory minus de-escalatory). Entries without a date are counted apart, per
relationship, in a row whose month is empty, so nothing is dropped silently. Articles of
the same relationship (several issues) are added together.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

POLARITY_COLUMNS = ("escalatory", "de-escalatory", "neutral")
CSV_COLUMNS = ("relationship", "month", *POLARITY_COLUMNS, "net_escalation", "articles")


def relationship_of(record: Mapping[str, Any]) -> str:
    metadata = record.get("metadata") or {}
    name = metadata.get("relationship") or ""
    return " ".join(str(name).split()) or "(no relationship in the header)"


def relationship_months(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows sorted by relationship and month (undated entries last)."""
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        dyad = relationship_of(record)
        for entry in record.get("chronology", []):
            month = str(entry.get("date") or "")[:7]
            if month and (len(month) != 7 or month[4] != "-"):
                month = ""  # a year-only or odd value: counted with the undated
            cell = cells.setdefault((dyad, month), {p: 0 for p in POLARITY_COLUMNS} | {"articles": set()})
            polarity = entry.get("polarity")
            if polarity in POLARITY_COLUMNS:
                cell[polarity] += 1
            cell["articles"].add(record.get("doc_id"))
    rows = []
    for (dyad, month), cell in sorted(cells.items(), key=lambda kv: (kv[0][0], kv[0][1] == "", kv[0][1])):
        rows.append({
            "relationship": dyad,
            "month": month,
            **{p: cell[p] for p in POLARITY_COLUMNS},
            "net_escalation": cell["escalatory"] - cell["de-escalatory"],
            "articles": len(cell["articles"]),
        })
    return rows


def to_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row[k] for k in CSV_COLUMNS})
    return buffer.getvalue()
