"""The reading text: layout noise out of the flow, offsets still pointing into the original."""

from __future__ import annotations

from pipeline.reading import OffsetMap, build_reading_text

WRAPPED = (
    "Officials from both capitals met several times over the autumn and agreed to keep\n"
    "talking, although President Moon Jae-\nin said the nego-\ntiations would be hard.\n"
    "\n"
    "JAPAN-KOREA RELATIONS | JANUARY 2020 103\n"
    "\n"
    "the talks continued into the winter without a breakthrough on the main issues.\n"
)


def test_page_header_leaves_the_reading_flow_and_joins_the_paragraph() -> None:
    r = build_reading_text(WRAPPED)
    assert "RELATIONS |" not in r.text
    assert "the main issues." in r.text
    assert "hard. the talks continued" in r.text
    kinds = [k for _, _, k in r.removed]
    assert "page_header" in kinds
    start, end, _ = next(x for x in r.removed if x[2] == "page_header")
    assert "JAPAN-KOREA RELATIONS | JANUARY 2020 103" in WRAPPED[start:end]


def test_hyphen_break_keeps_name_hyphen_and_joins_common_words() -> None:
    r = build_reading_text(WRAPPED)
    assert "Moon Jae-in said" in r.text
    assert "negotiations" in r.text


def test_name_split_by_space_after_hyphen_is_joined() -> None:
    r = build_reading_text("Yesterday President Moon Jae- in met the press, with pre- and post-war notes.\n")
    assert "Moon Jae-in met" in r.text
    assert "pre- and post-war" in r.text


def test_offsets_map_back_to_the_original_span() -> None:
    r = build_reading_text(WRAPPED)
    omap = OffsetMap.from_runs(r.offset_map().to_dict())
    i = r.text.index("Moon Jae-in")
    start, end = omap.span(i, i + len("Moon Jae-in"))
    assert WRAPPED[start:end] == "Moon Jae-\nin"
    j = r.text.index("the talks continued")
    s2, e2 = omap.span(j, j + len("the talks continued"))
    assert WRAPPED[s2:e2] == "the talks continued"


def test_spaced_letters_are_closed_up() -> None:
    r = build_reading_text("Intro line.\n\nC H R O N O L O G Y  O F  J A P A N - K O R E A\n")
    assert "CHRONOLOGY OF JAPAN-KOREA" in r.text


def test_clean_text_is_unchanged() -> None:
    text = "A short paragraph that ends properly.\n\nAnother one.\n"
    r = build_reading_text(text)
    assert r.text == text and not r.changed


def test_lone_page_number_is_removed() -> None:
    r = build_reading_text("First paragraph ends here.\n\n104\n\nSecond paragraph starts here.\n")
    assert "104" not in r.text


def test_running_header_flattened_into_a_text_line_is_noise() -> None:
    from pipeline.reading import build_reading_text

    text = "Ministers met.\nUS- JAPAN RELATIONS | M AY 202 1 21 Prime Minister Suga faced rising numbers.\n"
    reading = build_reading_text(text)
    assert "RELATIONS" not in reading.text
    assert "Prime Minister Suga faced rising numbers." in reading.text
    assert [kind for _, _, kind in reading.removed] == ["page_header"]


def test_odd_apostrophe_is_read_as_one_and_the_text_is_kept() -> None:
    from pipeline.reading import build_reading_text

    text = "The DPRK‟s ministry spoke."
    reading = build_reading_text(text)
    assert reading.text == "The DPRK’s ministry spoke."
    assert reading.offset_map().original(len("The DPRK")) == len("The DPRK")
