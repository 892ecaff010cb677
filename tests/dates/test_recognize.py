"""Recognition: token patterns (data) plus filtered DATE entities."""

from __future__ import annotations

import pytest

from pipeline.dates.recognize import (
    build_matcher,
    find_date_mentions,
    load_default_pattern_text,
    read_pattern_lines,
)
from pipeline.errors import PipelineError


@pytest.fixture(scope="module")
def find(base_nlp):
    patterns = read_pattern_lines(load_default_pattern_text().splitlines(), "date_patterns.jsonl")
    matcher = build_matcher(base_nlp.vocab, patterns)

    def run(text: str) -> list[str]:
        return [m.text for m in find_date_mentions(base_nlp(text), matcher, patterns)]

    return run


def test_packaged_patterns_validate_and_expand_names():
    patterns = read_pattern_lines(load_default_pattern_text().splitlines(), "date_patterns.jsonl")
    assert patterns
    def names_left(value):
        if isinstance(value, str):
            return value.startswith("$")
        if isinstance(value, dict):
            return any(names_left(item) for item in value.values())
        return isinstance(value, list) and any(names_left(item) for item in value)

    assert not any(names_left(line.pattern) for line in patterns)


def test_bad_pattern_line_names_file_line_and_field():
    lines = ['{"kind": "pattern", "id": "x", "label": "DATE", "pattern": [{"LOWER": "$NOPE"}]}']
    with pytest.raises(PipelineError, match=r"E040: test.jsonl, line 1, field pattern"):
        read_pattern_lines(lines, "test.jsonl")


def test_unknown_key_in_pattern_line_is_rejected():
    lines = ['{"kind": "pattern", "id": "x", "label": "DATE", "pattern": [{"LOWER": "a"}], "oops": 1}']
    with pytest.raises(PipelineError, match="line 1"):
        read_pattern_lines(lines, "test.jsonl")


def test_finds_partial_and_full_dates(find):
    assert find("They met on Sept. 20 and again on Nov. 4, 2019 in Seoul.") == [
        "Sept. 20", "Nov. 4, 2019"]


def test_part_of_month_and_season_phrases(find):
    found = find("In late November, the early fall's thaw grew; mid-December was calm.")
    assert found == ["late November", "the early fall", "mid-December"]


def test_relative_expressions(find):
    found = find("On Nov. 21, the day before the deadline, he called. Hours before the deadline "
                 "the next day, Seoul acted.")
    assert found == ["Nov. 21", "the day before the deadline", "Hours before the deadline",
                     "the next day"]


def test_range_is_split_into_its_two_ends(find):
    assert find("The talks ran Nov. 22-23, 2019 in Nagoya.") == ["Nov. 22", "23, 2019"]
    assert find("It lasted from September to December.") == ["September", "December"]
    assert find("Trade grew between 2015 and 2018.") == ["2015", "2018"]


def test_may_the_verb_is_not_a_date(find):
    assert find("The coming months may provide incentives.") == []
    assert find("The summit took place in May.") == ["May"]


def test_durations_ages_ordinals_and_percentages_are_not_dates(find):
    text = ("Approval could take 15 days over three years; a 60-year-old official, the second son, "
            "saw exports fall 88.5% on an annual basis.")
    assert find(text) == []


def test_decade_is_found(find):
    assert find("Relations were normalized in the 1990s.") == ["the 1990s"]


def test_volume_number_is_not_a_date(find):
    assert find("Comparative Connections, Volume 21, Issue 3") == []


def test_times_dotted_iso_and_ordinal_word_days_are_recognised(find):
    text = ("Talks opened Nov. 4, 2019, at 10:30 a.m. and resumed at 3 p.m. on Nov. 5. "
            "The accord of 2023.04.27 held. They met July sixth and the sixth of July.")
    assert find(text) == ["Nov. 4, 2019, at 10:30 a.m.", "3 p.m. on Nov. 5", "2023.04.27",
                          "July sixth", "the sixth of July"]


def test_a_time_alone_is_a_mention_but_an_hour_without_am_pm_or_an_ordinal_of_what_follows_is_not(find):
    assert find("The ministers met at 10:30 a.m. and again around 7 PM.") == ["10:30 a.m.", "around 7 PM"]
    assert find("They met at 10 for an hour.") == []
    assert find("In March first-quarter output fell.") == ["March"]


def test_the_date_matcher_gives_what_one_matcher_of_every_pattern_gives(base_nlp, seed_path) -> None:
    """Matching each document with only the patterns whose required words it holds, and only
    in windows around the words each match needs, changes nothing: the same matches, in the
    same order, on the seed and on short texts."""
    from pipeline.dates.recognize import _spacy_matcher

    patterns = read_pattern_lines(load_default_pattern_text().splitlines(), "date_patterns.jsonl")
    ours, everything = build_matcher(base_nlp.vocab, patterns), _spacy_matcher(base_nlp.vocab, patterns)
    texts = [seed_path.read_text(encoding="utf-8"), "Talks resumed in the second quarter of 2019 after a fortnight.",
             "In the 1990s, and again on Monday, Nov. 4, Seoul said so.", "No dates here at all.", ""]
    for text in texts:
        doc = base_nlp(text)
        assert ours(doc) == list(everything(doc))
    # only windows around the words a match needs are matched: on the seed, well under half
    from pipeline.dates.recognize import _WordIndex

    seed = base_nlp(texts[0])
    index = _WordIndex(seed)
    # the index of a Doc (built from its string ids) is the token-by-token index of a Span
    whole = _WordIndex(seed[0 : len(seed)])
    assert index.where == whole.where
    assert [list(index.where[f]) for f in ("lower", "text")] == [list(whole.where[f]) for f in ("lower", "text")]
    windows = ours.windows(index, ours._active(index))
    assert windows and sum(end - start for start, end, _ in windows) < len(seed) / 2
    assert all(a[1] <= b[0] for a, b in zip(windows, windows[1:], strict=False))  # disjoint, in order
    assert all(len(w[2]) < len(ours._active(index)) for w in windows)  # each with fewer patterns
    # a document without a pattern's required words does not run that pattern
    active = ours.active(base_nlp("No dates here at all."))
    assert len(active) < len(patterns) / 2
    quarters = [i for i, p in enumerate(patterns) if p.id.startswith("quarter")]
    assert quarters and not set(quarters) & set(active)
    assert set(quarters) & set(ours.active(base_nlp("Growth slowed in Q3 2019.")))
