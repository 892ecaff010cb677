"""Alias corrections into the registries a saved pipeline carries.

``dipl_actors`` and ``dipl_agreements`` write their registries with the pipeline
(``to_disk``) and read only that copy back (``from_disk``), so changing the component's
registry in memory before ``nlp.to_disk`` changes the model's copy and nothing else: the
packaged ``pipeline/data`` files are never edited.

Rules:
- the canonical id exists: the surface becomes an alias of that entry (an agreement surface
  written in capitals only, up to 6 letters, is an acronym, matched with case), unless the
  registry already resolves the surface to that id;
- the id is new and the correction gives a canonical name: a new entry (actors: STATE, ORG
  or GROUP with that type and country; agreements: kind ``agreement``).  A new PERSON is not
  created: the registry needs the family name, which a correction does not say;
- no id: nothing to add.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from spacy.language import Language

from pipeline.dates.overrides import build_overrides, learnable, surface_key
from pipeline.registry.actors import ActorEntry, load_registry
from pipeline.registry.agreements import AgreementEntry, find_agreements
from pipeline.training.corrections import AliasCorrection, DateCase

ACTORS_PIPE = "dipl_actors"
AGREEMENTS_PIPE = "dipl_agreements"


def _outcome(c: AliasCorrection, outcome: str, reason: str = "") -> dict[str, Any]:
    return {
        "kind": c.kind,
        "surface": c.surface,
        "canonical_id": c.canonical_id,
        "outcome": outcome,
        "reason": reason,
        "source": c.source,
        "line": c.line,
    }


def _is_acronym(surface: str) -> bool:
    letters = [ch for ch in surface if ch.isalpha()]
    return bool(letters) and len(letters) <= 6 and all(ch.isupper() for ch in letters)


def apply_actor_aliases(
    entries: dict[str, ActorEntry], corrections: Sequence[AliasCorrection], known: Any
) -> tuple[dict[str, ActorEntry], list[dict[str, Any]]]:
    """Pure: the entries with the corrections applied, and one outcome row per correction.
    ``known(surface)`` returns the entry ids the current registry resolves a surface to."""
    out = dict(entries)
    rows: list[dict[str, Any]] = []
    for c in corrections:
        cid = c.canonical_id
        if not cid:
            rows.append(_outcome(c, "skipped", "no canonical id"))
            continue
        if cid in out:
            entry = out[cid]
            if cid in known(c.surface) or c.surface in (entry.name, *entry.aliases):
                rows.append(_outcome(c, "known", "the registry already resolves it"))
                continue
            out[cid] = entry.model_copy(update={"aliases": [*entry.aliases, c.surface]})
            rows.append(_outcome(c, "alias-added"))
            continue
        if not c.canonical_name:
            rows.append(_outcome(c, "skipped", f"unknown id {cid!r} and no canonical name"))
            continue
        if c.actor_type == "PERSON" or c.actor_type is None:
            rows.append(
                _outcome(c, "skipped", f"a new {c.actor_type or 'untyped'} entry needs more "
                         "than a correction gives (family name / type)")
            )
            continue
        try:
            new = ActorEntry(
                id=cid,
                type=c.actor_type,
                name=c.canonical_name,
                country=c.country,
                aliases=[c.surface] if c.surface != c.canonical_name else [],
                note=f"added from reviewer corrections ({c.source})",
            )
        except ValidationError as exc:
            rows.append(_outcome(c, "skipped", f"invalid entry: {exc.errors()[0]['msg']}"))
            continue
        out[cid] = new
        rows.append(_outcome(c, "entry-added"))
    return out, rows


def apply_agreement_aliases(
    entries: Sequence[AgreementEntry], corrections: Sequence[AliasCorrection]
) -> tuple[list[AgreementEntry], list[dict[str, Any]]]:
    """Pure: the agreement entries with the corrections applied, and outcome rows."""
    by_id = {e.canonical_id: e for e in entries}
    rows: list[dict[str, Any]] = []
    for c in corrections:
        cid = c.canonical_id
        if not cid:
            rows.append(_outcome(c, "skipped", "no canonical id"))
            continue
        if cid in by_id:
            hits = find_agreements(c.surface, list(by_id.values()), recognise_unlisted=False)
            whole = [h for h in hits if h.start == 0 and h.end == len(c.surface)]
            if any(h.canonical_id == cid for h in whole):
                rows.append(_outcome(c, "known", "the registry already resolves it"))
                continue
            entry = by_id[cid]
            field = "acronyms" if _is_acronym(c.surface) else "names"
            by_id[cid] = entry.model_copy(
                update={field: [*getattr(entry, field), c.surface]}
            )
            rows.append(_outcome(c, "alias-added", f"as {field[:-1]}"))
            continue
        if not c.canonical_name:
            rows.append(_outcome(c, "skipped", f"unknown id {cid!r} and no canonical name"))
            continue
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", cid):
            rows.append(_outcome(c, "skipped", f"{cid!r} is not an agreement id"))
            continue
        forms = {"acronyms": [c.surface]} if _is_acronym(c.surface) else {"names": [c.surface]}
        by_id[cid] = AgreementEntry(
            canonical_id=cid, canonical_name=c.canonical_name, kind="agreement", **forms
        )
        rows.append(_outcome(c, "entry-added"))
    return list(by_id.values()), rows


def apply_to_pipeline(nlp: Language, corrections: Sequence[AliasCorrection]) -> list[dict[str, Any]]:
    """Write alias corrections into the pipeline's registry copies; returns outcome rows."""
    rows: list[dict[str, Any]] = []
    actors = [c for c in corrections if c.kind == "actor"]
    agreements = [c for c in corrections if c.kind == "agreement"]
    if actors:
        if ACTORS_PIPE not in nlp.pipe_names:
            rows += [_outcome(c, "skipped", f"no {ACTORS_PIPE} in the pipeline") for c in actors]
        else:
            pipe: Any = nlp.get_pipe(ACTORS_PIPE)
            registry = pipe.registry
            entries, actor_rows = apply_actor_aliases(
                registry.entries,
                actors,
                lambda surface: {h.entry_id for h in registry.lookup(surface)},
            )
            rows += actor_rows
            if any(r["outcome"].endswith("-added") for r in actor_rows):
                text = "\n".join(e.model_dump_json(exclude_defaults=True) for e in entries.values())
                pipe.registry = load_registry(packaged=False, lines=[("corrections", text)])
    if agreements:
        if AGREEMENTS_PIPE not in nlp.pipe_names:
            rows += [
                _outcome(c, "skipped", f"no {AGREEMENTS_PIPE} in the pipeline") for c in agreements
            ]
        else:
            agr: Any = nlp.get_pipe(AGREEMENTS_PIPE)
            new_entries, agr_rows = apply_agreement_aliases(agr.entries, agreements)
            rows += agr_rows
            agr.set_entries(new_entries)
    return rows


DATES_PIPE = "dipl_dates"


def apply_date_overrides(nlp: Language, cases: Sequence[DateCase]) -> list[dict[str, Any]]:
    """Write date corrections into the pipeline's date stage as learnt forms
    (``pipeline.dates.overrides``), on top of the ones the parent model learnt; returns one row
    per form."""
    if not cases:
        return []
    if DATES_PIPE not in nlp.pipe_names:
        return [{"surface": c.text, "outcome": "skipped", "reason": f"no {DATES_PIPE} in the pipeline"} for c in cases]
    pipe: Any = nlp.get_pipe(DATES_PIPE)
    taught, not_taught = learnable(cases)
    overrides = build_overrides(taught, earlier=pipe.overrides)
    pipe.set_overrides(overrides)
    keys = {surface_key(c.text) for c in taught}
    rows: list[dict[str, Any]] = [
        {"surface": o.surface, "expect": o.expect, "values": o.values, "fixed_day": o.fixed_day is not None,
         "outcome": "learnt"}
        for o in overrides if o.key in keys
    ]
    rows += [{"surface": c.text, "expect": c.expect, "values": [c.value] if c.value else [], "outcome": "not-learnt",
              "reason": reason} for c, reason in not_taught]
    return rows
