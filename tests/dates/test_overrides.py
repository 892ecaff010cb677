"""Date forms learnt from corrections (pipeline.dates.overrides) and the date stage using them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.dates.normalize import DateContext, NormalizedDate
from pipeline.dates.overrides import (
    OVERRIDES_FILE,
    DateOverride,
    adjust_mentions,
    apply_override,
    build_overrides,
    learnable,
    read_overrides,
    write_overrides,
)
from pipeline.errors import PipelineError


@dataclass(frozen=True)
class Case:
    text: str
    expect: str
    value: str | None = None
    article: str | None = None


@dataclass(frozen=True)
class Mention:
    start_char: int
    end_char: int
    text: str


NONE = NormalizedDate(None, None, None, None, reason="unrecognised_form")
IN_2020 = DateContext(period_start="2020-05", period_end="2020-08")
IN_2019 = DateContext(period_start="2019-05", period_end="2019-08")


def test_only_forms_the_stage_cannot_read_and_repeated_removals_are_learnt() -> None:
    cases = [Case("Chuseok", "date", "2019-09-13"), Case("Nov. 23", "date", "2019-11-23"),
             Case("the Lantern Days", "no-date"), Case("the Lantern Days", "no-date"), Case("May", "no-date")]
    taught, not_taught = learnable(cases)
    assert [c.text for c in taught] == ["Chuseok", "the Lantern Days", "the Lantern Days"]
    reasons = {c.text: why for c, why in not_taught}
    assert "reads this form itself" in reasons["Nov. 23"]  # a context fix, not a form
    assert "fewer than 2 times" in reasons["May"]  # one odd sentence does not ban "May"


def test_a_form_corrected_in_one_year_gets_its_value_in_that_year_only() -> None:
    (override,) = build_overrides([Case("Chuseok", "date", "2019-09-13", "a")])
    assert apply_override(override, NONE, IN_2019).value == "2019-09-13"
    elsewhere = apply_override(override, NONE, IN_2020)
    assert (elsewhere.value, elsewhere.reason, elsewhere.underspecified) == (None, "corrected_for_another_year", "XXXX-09-13")


def test_the_same_day_in_two_years_is_a_fixed_day_of_the_year() -> None:
    (override,) = build_overrides([Case("Liberation Day", "date", "2018-08-15", "a"),
                                   Case("liberation  day", "date", "2019-08-15", "b")])
    assert override.fixed_day == (8, 15) and override.articles == ["a", "b"]
    result = apply_override(override, NONE, IN_2020)
    assert (result.value, result.granularity, result.anchor) == ("2020-08-15", "day", "article_period")
    # with nothing to take a year from, no guess
    assert apply_override(override, NONE, DateContext()).reason == "no_year_anchor"


def test_a_later_removal_undoes_a_learnt_form_and_the_parent_forms_are_kept() -> None:
    parent = build_overrides([Case("Chuseok", "date", "2019-09-13")])
    later = build_overrides([Case("Unity Week", "date", "2020-03"), Case("Chuseok", "no-date")], earlier=parent)
    assert [(o.surface, o.expect, o.values) for o in later] == [("Chuseok", "no-date", []), ("Unity Week", "date", ["2020-03"])]


def test_mentions_of_learnt_forms_are_added_and_banned_forms_taken_out() -> None:
    overrides = build_overrides([Case("Chuseok holiday", "date", "2019-09-13"), Case("the Lantern Days", "no-date")])
    text = "Before the chuseok  holiday, in the Lantern Days, talks resumed on Sept. 1."
    found = [Mention(7, 14, "chuseok"), Mention(27, 43, "the Lantern Days"), Mention(64, 71, "Sept. 1")]
    adjusted = adjust_mentions(text, found, overrides, lambda s, e, t: Mention(s, e, t))
    assert [m.text for m in adjusted] == ["chuseok  holiday", "Sept. 1"]


def test_overrides_round_trip_and_a_bad_line_is_e040(tmp_path: Path) -> None:
    overrides = build_overrides([Case("Chuseok", "date", "2019-09-13", "a")])
    assert read_overrides(write_overrides(overrides), OVERRIDES_FILE) == overrides
    with pytest.raises(PipelineError) as err:
        read_overrides('{"surface": "x", "expect": "maybe"}\n', "date_overrides.jsonl")
    assert err.value.code == "E040" and "line 1" in err.value.message


def test_the_date_stage_saved_with_learnt_forms_applies_them_to_a_new_article(tmp_path: Path) -> None:
    import spacy

    from pipeline.nlp import build_pipeline

    nlp = build_pipeline()
    text = "Japan - Korea\n\nOn Liberation Day the two sides met. They met again on Sept. 3, 2021.\n"
    before = nlp(text)
    assert "Liberation Day" not in [s.text for s in before.spans["dates"]]
    pipe = nlp.get_pipe("dipl_dates")
    pipe.set_overrides([DateOverride(surface="Liberation Day", expect="date", values=["2018-08-15", "2019-08-15"])])
    nlp.to_disk(tmp_path / "model")
    assert (tmp_path / "model" / "dipl_dates" / OVERRIDES_FILE).is_file()
    reloaded = spacy.load(tmp_path / "model")
    after = reloaded(text)
    dates = {s.text: s._.date_value for s in after.spans["dates"]}
    assert dates["Liberation Day"] == "2021-08-15"  # its year from the full date in the paragraph
