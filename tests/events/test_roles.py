"""Coordinated subjects read from their surface (pipeline.events.roles.coordinated_groups)."""

from __future__ import annotations

import spacy

from pipeline.events.roles import ActorIndex, ActorRef, coordinated_groups

BLANK = spacy.blank("en")


def _groups(text: str, mentions: list[tuple[str, str]]) -> list[list[str]]:
    doc = BLANK(text)
    refs = []
    for name, kind in mentions:
        start = doc.text.index(name)
        span = doc.char_span(start, start + len(name))
        assert span is not None, name
        refs.append(ActorRef(name, span.start, span.end, None, kind))
    index = ActorIndex(refs)
    return [[m.actor_id for m in group] for group in coordinated_groups(list(doc), index)]


def test_titles_with_and_inside_them_stay_one_participant() -> None:
    text = ("South Korea's Director-General for Asian and Pacific Affairs Jung-han Kim and "
            "Japan's Director-General of the Asian and Oceanian Affairs Bureau Takizaki Shigeki")
    assert _groups(text, [("South Korea", "STATE"), ("Jung-han Kim", "PERSON"), ("Japan", "STATE"),
                          ("Takizaki Shigeki", "PERSON")]) == [["South Korea", "Jung-han Kim"],
                                                               ["Japan", "Takizaki Shigeki"]]


def test_a_list_with_commas_and_an_and_is_split_at_every_comma() -> None:
    text = "Takizaki, South Korea's envoy Lee Do-hoon, and US envoy Stephen Biegun"
    assert _groups(text, [("Takizaki", "PERSON"), ("South Korea", "STATE"), ("Lee Do-hoon", "PERSON"),
                          ("US", "STATE"), ("Stephen Biegun", "PERSON")]) == [
        ["Takizaki"], ["South Korea", "Lee Do-hoon"], ["US", "Stephen Biegun"]]


def test_commas_without_an_and_set_off_an_apposition() -> None:
    text = "Chen Yunlin, chairman of ARATS, "
    assert _groups(text, [("Chen Yunlin", "PERSON"), ("ARATS", "ORG")]) == [["Chen Yunlin", "ARATS"]]


def test_a_single_mention_is_one_group_and_none_is_no_group() -> None:
    assert _groups("The Foreign Ministry", [("Foreign Ministry", "ORG")]) == [["Foreign Ministry"]]
    assert _groups("Officials", []) == []
