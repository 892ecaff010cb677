"""Word lists the actor stage reads: what makes a group, a place use, a non-actor, a title."""

from __future__ import annotations

from pipeline.registry.names import TITLE_HEADS, TITLE_VOCABULARY

MODEL_LABELS = ("PERSON", "ORG", "GPE")


CONNECTORS = frozenset({"of", "for", "and", "the", "on", ",", "-", "&"})


POSSESSIVES = frozenset({"'s", "\u2019s", "'", "\u2019"})


# Plural nouns that make "<Korean|US> ___" a GROUP actor.
GROUP_NOUNS = frozenset(
    [
        "officials",
        "counterparts",
        "consumers",
        "companies",
        "firms",
        "businesses",
        "negotiators",
        "lawmakers",
        "diplomats",
        "citizens",
        "voters",
        "protesters",
        "activists",
        "physicians",
        "workers",
        "laborers",
        "troops",
        "forces",
        "delegation",
        "delegates",
        "leaders",
        "ministers",
        "authorities",
        "conservatives",
        "progressives",
        "legislators",
        "prosecutors",
        "courts",
        "media",
        "lobby",
        "group",
        "groups",
        # added 2026-12-03: collectives the real-text gold names as actors
        "banks",
        "residents",
        "soldiers",
        "sailors",
        "navies",
        "armies",
        "militaries",
        "organizations",
        "organisations",
        "airlines",
        "fishermen",
        "students",
        "scientists",
        "experts",
        "journalists",
        "lawyers",
        "spies",
        "agents",
        "hackers",
        "refugees",
        "defectors",
        "tourists",
        "nationals",
        "envoys",
        "officers",
        "commanders",
        "veterans",
        "agencies",
        "ministries",
        "manufacturers",
        "exporters",
        "investors",
    ]
)


# A model ORG ending with one of these is an event or a treaty, not an actor.
NON_ACTOR_HEADS = frozenset(
    [
        "festival",
        "summit",
        "meeting",
        "meetings",
        "conference",
        "talks",
        "dialogue",
        "games",
        "olympics",
        "expo",
        "agreement",
        "agreements",
        "treaty",
        "accord",
        "accords",
        "pact",
        "declaration",
        "act",
        "fta",
        "initiative",
        "strategy",
        "program",
        "programme",
        "plan",
    ]
)


# Words before a capital that make it a place, not a government ("visits Seoul").
PLACE_WORDS = frozenset(
    [
        "in",
        "at",
        "into",
        "near",
        "visit",
        "visits",
        "visited",
        "visiting",
        "arrive",
        "arrives",
        "arrived",
        "arriving",
        "trip",
        "travel",
        "travels",
        "traveled",
        "travelled",
        "flew",
        "fly",
        "held",
        "hosted",
    ]
)


HEAD_WORDS = frozenset(w for head in TITLE_HEADS for w in head.replace("-", " ").split())
# The same words lower-cased: a title written in running text ("North Korea's ambassador").
TITLE_NOUNS = frozenset(w.lower() for w in HEAD_WORDS)


# Title words trimmed off the front of a model entity; state words stay, as they may open
# an organisation's name ("Korean Air", "Japan-Korea Cultural Foundation").
STRIPPABLE = TITLE_VOCABULARY - {"korea", "korean", "japan", "japanese", "north", "south"}
