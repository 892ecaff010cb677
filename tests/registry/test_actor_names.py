"""Name variant rules: order, romanisation, accents, titles."""

from __future__ import annotations

import pytest

from pipeline.registry.names import matching_key, name_keys, same_name, split_title, strip_titles


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kim Jong Un", "Kim Jong-un"),
        ("Kim Jong Un", "Kim Jongun"),
        ("Moon Jae-in", "Moon Jae In"),
        ("Kang Kyung-wha", "Kang Kyung-hwa"),
        ("Abe Shinzō", "Abe Shinzo"),
        ("U.S.", "US"),
        ("G-20", "G20"),
        ("the United States", "United States"),
        ("Kang’s", "Kang"),
    ],
)
def test_matching_key_joins_variants(a: str, b: str) -> None:
    assert matching_key(a) == matching_key(b)


def test_matching_key_keeps_different_names_apart() -> None:
    assert matching_key("Kim Jong Un") != matching_key("Kim Jong Il")
    assert matching_key("Moon Jae-in") != matching_key("Moon Jae")


def test_name_keys_cover_both_orders() -> None:
    assert matching_key("Shinzo Abe") in name_keys("Abe Shinzo", "Abe")
    assert matching_key("Jae-in Moon") in name_keys("Moon Jae-in", "Moon")
    assert matching_key("Esper Mark") in name_keys("Mark Esper", "Esper")


def test_same_name_with_order_and_titles() -> None:
    assert same_name("Prime Minister Abe Shinzo", "Shinzō Abe")
    assert same_name("Foreign Minister Kang Kyung-hwa", "Kang Kyung-wha")
    assert not same_name("Abe Shinzo", "Aso Taro")


@pytest.mark.parametrize(
    ("text", "title", "name"),
    [
        ("Prime Minister Abe", "Prime Minister", "Abe"),
        ("Secretary of Defense Mark Esper", "Secretary of Defense", "Mark Esper"),
        ("US Secretary of State Mike Pompeo", "Secretary of State", "Mike Pompeo"),
        (
            "South Korean Minister of National Defense Jeong Kyeong-doo",
            "Minister of National Defense",
            "Jeong Kyeong-doo",
        ),
        ("First Vice Foreign Minister Lee Tae-ho", "First Vice Foreign Minister", "Lee Tae-ho"),
        ("Kang Kyung-wha", None, "Kang Kyung-wha"),
    ],
)
def test_split_title(text: str, title: str | None, name: str) -> None:
    assert split_title(text) == (title, name)
    assert strip_titles(text) == name
