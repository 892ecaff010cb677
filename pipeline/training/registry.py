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
  or GROUP with that type and country; agreements: kind ``agreement``).  A new PERSON takes
  its family name from the corrected surface when that is one end of the name, else from the
  country's naming order (``family_name_of``), and the name's other order as an alias; a
  document-scoped ``local:`` id the reviewer confirmed becomes a registry id;
- no id: nothing to add.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError
from spacy.language import Language

from pipeline.actors.identity import LOCAL_PREFIX
from pipeline.dates.overrides import build_overrides, learnable, surface_key
from pipeline.events.lexicon import CueLexicon
from pipeline.registry.actors import ActorEntry, load_registry
from pipeline.registry.agreements import AgreementEntry, find_agreements
from pipeline.training.corrections import AliasCorrection, DateCase, EventRemoval

ACTORS_PIPE = "dipl_actors"
AGREEMENTS_PIPE = "dipl_agreements"
# Outcomes that change a registry copy (and so are what a stage guard may take back).
LEARNT_OUTCOMES = frozenset({"alias-added", "entry-added", "entry-changed", "not-actor-added"})


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
        if c.removed:
            rows.append(_not_an_actor(out, c, known))
            continue
        cid = c.canonical_id
        if not cid:
            rows.append(_outcome(c, "skipped", "no canonical id"))
            continue
        if cid in out:
            entry = out[cid]
            changed = _entry_fields(entry, c)
            if changed is not None:
                try:
                    out[cid] = ActorEntry.model_validate({**entry.model_dump(), **changed})
                except ValidationError as exc:
                    rows.append(_outcome(c, "skipped", f"invalid entry: {exc.errors()[0]['msg']}"))
                    continue
                rows.append(_outcome(c, "entry-changed", ", ".join(f"{k} {v}" for k, v in changed.items())))
                entry = out[cid]
            if cid in known(c.surface) or c.surface in (entry.name, *entry.aliases):
                if changed is None:
                    rows.append(_outcome(c, "known", "the registry already resolves it"))
                continue
            out[cid] = entry.model_copy(update={"aliases": [*entry.aliases, c.surface]})
            rows.append(_outcome(c, "alias-added"))
            continue
        if not c.canonical_name:
            rows.append(_outcome(c, "skipped", f"unknown id {cid!r} and no canonical name"))
            continue
        if c.actor_type is None:
            rows.append(_outcome(c, "skipped", "a new entry needs its type (PERSON, STATE, ORG or GROUP)"))
            continue
        if cid.startswith(LOCAL_PREFIX):
            # a document-scoped id the reviewer confirmed: the person joins the registry
            cid = cid[len(LOCAL_PREFIX):]
            if cid in out:
                rows.append(_outcome(c, "skipped", f"the registry already holds another {cid!r}"))
                continue
        person: dict[str, Any] = {}
        if c.actor_type == "PERSON":
            family = family_name_of(c.canonical_name, c.country, c.surface)
            if family is None:
                rows.append(_outcome(c, "skipped", "a new PERSON needs a name of two or more words"))
                continue
            person = {"family_name": family}
        aliases = [a for a in (c.surface, *_other_orders(c.canonical_name, person.get("family_name")))
                   if a != c.canonical_name]
        try:
            new = ActorEntry(
                id=cid,
                type=c.actor_type,
                name=c.canonical_name,
                country=c.country,
                aliases=list(dict.fromkeys(aliases)),
                note=f"added from reviewer corrections ({c.source})",
                **person,
            )
        except ValidationError as exc:
            rows.append(_outcome(c, "skipped", f"invalid entry: {exc.errors()[0]['msg']}"))
            continue
        out[cid] = new
        rows.append(_outcome(c, "entry-added"))
    return out, rows


def _entry_fields(entry: ActorEntry, c: AliasCorrection) -> dict[str, Any] | None:
    """The country or type a correction gives a registry entry, where it differs."""
    changed: dict[str, Any] = {}
    if c.country and c.country != entry.country:
        changed["country"] = c.country
    if c.actor_type and c.actor_type != entry.type and entry.type != "NOT_ACTOR":
        changed["type"] = c.actor_type
    return changed or None


def _not_an_actor(out: dict[str, ActorEntry], c: AliasCorrection, known: Any) -> dict[str, Any]:
    """A mention the reviewer removed: the name becomes a NOT_ACTOR entry, so it is never an
    actor again, unless the registry names an actor so (then the removal fixed one sentence,
    "Japan" inside a compound, not the name)."""
    if known(c.surface):
        return _outcome(c, "skipped", "the registry names an actor so: the removal is about its sentence")
    entry_id = "not-actor:" + (re.sub(r"[^a-z0-9]+", "-", c.surface.lower()).strip("-") or "x")
    if entry_id in out:
        return _outcome(c, "known", "already not an actor")
    try:
        out[entry_id] = ActorEntry(id=entry_id, type="NOT_ACTOR", name=c.surface,
                                   note=f"removed by a reviewer ({c.source})")
    except ValidationError as exc:
        return _outcome(c, "skipped", f"invalid entry: {exc.errors()[0]['msg']}")
    return _outcome(c, "not-actor-added")


# Where the family name is written first (as the journal writes these names: "Abe Shinzo",
# "Moon Jae-in", "Xi Jinping", "Nguyen Xuan Phuc", "Hun Sen").
FAMILY_FIRST = frozenset({"CHN", "TWN", "HKG", "MAC", "KOR", "PRK", "JPN", "VNM", "KHM", "SGP"})


def family_name_of(name: str, country: str | None, surface: str | None = None) -> str | None:
    """The family name of a new person: the corrected surface when it is one word at either
    end of the name (a reviewer tying "Wang" to "Wang Yu-chi"), else by the country's naming
    order (family name first in East Asia, last elsewhere); None for a one-word name."""
    words = name.split()
    if len(words) < 2:
        return None
    one = (surface or "").strip()
    if one and " " not in one and one in (words[0], words[-1]):
        return one
    return words[0] if country in FAMILY_FIRST else words[-1]


def _other_orders(name: str, family: str | None) -> list[str]:
    """"Abe Shinzo" is also written "Shinzo Abe": the other order of a two-part name."""
    words = name.split()
    if family is None or len(words) < 2:
        return []
    if words[0] == family:
        return [" ".join([*words[1:], family])]
    if words[-1] == family:
        return [" ".join([family, *words[:-1]])]
    return []


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


def complete_from_records(corrections: Sequence[AliasCorrection],
                          records: Mapping[str, Mapping[str, Any]]) -> list[AliasCorrection]:
    """Fill in what a correction left as it was from the mention in the records reviewed.

    The review stores only the fields a reviewer changed: confirming a person's country
    leaves the identity (``canonical_id``, ``canonical_name``, ``type``) in the record. Each
    missing field is taken from the record's mention with the same id; a correction with no
    record is left as it is (and is skipped later if it names no identity)."""
    out: list[AliasCorrection] = []
    for c in corrections:
        record = records.get(c.article or "") if c.element_id else None
        if record is None or c.removed:
            out.append(c)
            continue
        items = record.get("actors" if c.kind == "actor" else "agreements") or []
        mention = next((m for m in items if m.get("id") == c.element_id), None)
        if mention is None:
            out.append(c)
            continue
        filled = {
            "canonical_id": c.canonical_id or mention.get("canonical_id"),
            "canonical_name": c.canonical_name or mention.get("canonical_name"),
        }
        if c.kind == "actor":
            filled |= {"actor_type": c.actor_type or mention.get("type"), "country": c.country or mention.get("country")}
        out.append(c.model_copy(update=filled))
    return out


def apply_actor_corrections(nlp: Language, corrections: Sequence[AliasCorrection]) -> list[dict[str, Any]]:
    """Write actor corrections into the pipeline's registry copy; returns outcome rows."""
    if not corrections:
        return []
    if ACTORS_PIPE not in nlp.pipe_names:
        return [_outcome(c, "skipped", f"no {ACTORS_PIPE} in the pipeline") for c in corrections]
    pipe: Any = nlp.get_pipe(ACTORS_PIPE)
    registry = pipe.registry
    entries, rows = apply_actor_aliases(
        registry.entries,
        corrections,
        lambda surface: {h.entry_id for h in registry.lookup(surface)},
    )
    if any(r["outcome"] in LEARNT_OUTCOMES for r in rows):
        text = "\n".join(e.model_dump_json(exclude_defaults=True) for e in entries.values())
        pipe.registry = load_registry(packaged=False, lines=[("corrections", text)])
    return rows


def apply_agreement_corrections(nlp: Language, corrections: Sequence[AliasCorrection]) -> list[dict[str, Any]]:
    """Write agreement corrections into the pipeline's agreement registry copy."""
    if not corrections:
        return []
    if AGREEMENTS_PIPE not in nlp.pipe_names:
        return [_outcome(c, "skipped", f"no {AGREEMENTS_PIPE} in the pipeline") for c in corrections]
    agr: Any = nlp.get_pipe(AGREEMENTS_PIPE)
    new_entries, rows = apply_agreement_aliases(agr.entries, corrections)
    if any(r["outcome"] in LEARNT_OUTCOMES for r in rows):
        agr.set_entries(new_entries)
    return rows


def apply_to_pipeline(nlp: Language, corrections: Sequence[AliasCorrection]) -> list[dict[str, Any]]:
    """Write alias corrections into the pipeline's registry copies (no guard); returns outcome rows."""
    return (apply_actor_corrections(nlp, [c for c in corrections if c.kind == "actor"])
            + apply_agreement_corrections(nlp, [c for c in corrections if c.kind == "agreement"]))


DATES_PIPE = "dipl_dates"
EVENTS_PIPE = "dipl_events"


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


# A cue is taken out of the model's lexicon only when reviewers deleted events it triggered in
# at least this many different articles (one article's deletion may be about that sentence).
NON_TRIGGER_MIN_ARTICLES = 2


def _trigger_lemmas(nlp: Language, removal: EventRemoval) -> str | None:
    """The lemmas of the deleted trigger, read in its clause (or alone when the clause does
    not hold it), space-separated as cues are written."""
    text = removal.text if removal.trigger in removal.text else removal.trigger
    start = text.index(removal.trigger)
    doc = nlp.make_doc(text)
    for name in ("tok2vec", "tagger", "attribute_ruler", "lemmatizer"):
        if name in nlp.pipe_names:
            doc = nlp.get_pipe(name)(doc)
    span = doc.char_span(start, start + len(removal.trigger), alignment_mode="expand")
    if span is None:
        return None
    return " ".join(t.lemma_.lower() for t in span if not t.is_punct) or None


def apply_removed_events(nlp: Language, removals: Sequence[EventRemoval]) -> list[dict[str, Any]]:
    """Deleted events teach the events stage which cues are no events: a cue whose events
    were deleted in ``NON_TRIGGER_MIN_ARTICLES`` articles or more leaves the model's cue
    lexicon (its words are then read like any other: the parse may still find an event
    there, as for any verb with actors). One row per deleted trigger form."""
    if not removals:
        return []
    if EVENTS_PIPE not in nlp.pipe_names:
        return [{"trigger": r.trigger, "outcome": "skipped", "reason": f"no {EVENTS_PIPE} in the pipeline"}
                for r in removals]
    pipe: Any = nlp.get_pipe(EVENTS_PIPE)
    lexicon = pipe.lexicon
    by_lemma: dict[str, set[str]] = {}
    surfaces: dict[str, set[str]] = {}
    rows: list[dict[str, Any]] = []
    for removal in removals:
        lemmas = _trigger_lemmas(nlp, removal)
        if lemmas is None:
            rows.append({"trigger": removal.trigger, "outcome": "not-learnt", "reason": "the trigger was not found in its clause"})
            continue
        by_lemma.setdefault(lemmas, set()).add(removal.article or removal.source)
        surfaces.setdefault(lemmas, set()).add(removal.trigger)
    dropped: set[str] = set()
    for lemmas, articles in sorted(by_lemma.items()):
        cues = [c for c in lexicon.cues if c.cue == lemmas]
        row = {"trigger": ", ".join(sorted(surfaces[lemmas])), "cue": lemmas, "articles": len(articles)}
        if not cues:
            rows.append({**row, "outcome": "not-learnt", "reason": "no cue of the lexicon has these words "
                         "(an event found from the parse, which is not a lexicon entry)"})
        elif len(articles) < NON_TRIGGER_MIN_ARTICLES:
            rows.append({**row, "outcome": "not-learnt",
                         "reason": f"deleted in {len(articles)} article; a cue leaves the lexicon after "
                                   f"{NON_TRIGGER_MIN_ARTICLES}"})
        else:
            dropped.add(lemmas)
            rows.append({**row, "outcome": "cue-removed", "families": sorted({c.family for c in cues})})
    if dropped:
        pipe._lexicon = CueLexicon([c for c in lexicon.cues if c.cue not in dropped])
    return rows
