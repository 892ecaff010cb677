"""Name rules: one matching key per name, whatever its order, romanisation, accents or titles."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Words that open an office title ("Prime Minister Abe", "Secretary of Defense Mark Esper").
# Longest first, so "Vice Foreign Minister" wins over "Foreign Minister" and "Minister".
TITLE_HEADS: tuple[str, ...] = tuple(
    sorted(
        {
            "President",
            "Vice President",
            "Prime Minister",
            "Deputy Prime Minister",
            "Premier",
            "Vice Premier",
            "Chancellor",
            "Emperor",
            "King",
            "Queen",
            "Supreme Leader",
            "Leader",
            "Chairman",
            "Chairwoman",
            "Chair",
            "General Secretary",
            "Secretary-General",
            "Secretary General",
            "Secretary",
            "Under Secretary",
            "Undersecretary",
            "Assistant Secretary",
            "Deputy Assistant Secretary",
            "Deputy Secretary",
            "Chief Cabinet Secretary",
            "Minister",
            "Vice Minister",
            "First Vice Minister",
            "Second Vice Minister",
            "Deputy Minister",
            "Foreign Minister",
            "Vice Foreign Minister",
            "First Vice Foreign Minister",
            "Second Vice Foreign Minister",
            "Defense Minister",
            "Defence Minister",
            "Trade Minister",
            "Unification Minister",
            "Finance Minister",
            "Special Representative",
            "Special Envoy",
            "Envoy",
            "Ambassador",
            "Director-General",
            "Director General",
            "Deputy Director-General",
            "Director",
            "Spokesperson",
            "Spokesman",
            "Spokeswoman",
            "Senator",
            "Representative",
            "Speaker",
            "Governor",
            "Mayor",
            "Justice",
            "Chief Justice",
            "Admiral",
            "General",
            "Commander",
            "National Security Adviser",
            "National Security Advisor",
        },
        key=len,
        reverse=True,
    )
)

# Words that may follow a title head ("Minister of National Defense", "Special Representative
# for Korean Peninsula Peace and Security Affairs"); a name does not use them.
TITLE_VOCABULARY: frozenset[str] = frozenset(
    [
        "of",
        "for",
        "and",
        "the",
        "on",
        "to",
        "affairs",
        "foreign",
        "defense",
        "defence",
        "national",
        "state",
        "states",
        "security",
        "peace",
        "korean",
        "korea",
        "peninsula",
        "north",
        "south",
        "japan",
        "japanese",
        "economic",
        "growth",
        "energy",
        "environment",
        "trade",
        "industry",
        "east",
        "asian",
        "asia",
        "pacific",
        "oceanian",
        "bureau",
        "ministry",
        "department",
        "unification",
        "finance",
        "justice",
        "interior",
        "home",
        "policy",
        "political",
        "military",
        "cabinet",
        "public",
        "diplomacy",
        "international",
        "relations",
        "cooperation",
        "development",
        "arms",
        "control",
        "nonproliferation",
        "democracy",
        "human",
        "rights",
        "labor",
        "legal",
        "counsel",
        "strategy",
        "planning",
        "planning",
        "operations",
        "intelligence",
        "office",
        "executive",
        "general",
        "assembly",
        "people's",
        "armed",
        "forces",
        "staff",
        "joint",
        "chiefs",
        "chief",
        "deputy",
        "assistant",
        "under",
        "principal",
        "senior",
        "special",
        "negotiations",
        "nuclear",
        "issue",
        "issues",
        "talks",
        "united",
        "nations",
        "administration",
        "treasury",
        "commerce",
        "agriculture",
        "maritime",
        "fisheries",
        "oceans",
        "land",
        "infrastructure",
        "transport",
        "education",
        "health",
        "welfare",
        "gender",
        "equality",
        "culture",
        "sports",
        "tourism",
        "science",
        "technology",
        "ict",
        "information",
        "communications",
        "startups",
        "smes",
        "small",
        "medium",
        "enterprises",
        "employment",
        "government",
        "party",
        "committee",
        "commission",
        "central",
        "standing",
        "council",
        "house",
        "senate",
    ]
)

_HWA = re.compile(r"wha")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_POSSESSIVE = re.compile(r"['\u2019]s$|(?<=s)['\u2019]$")


@lru_cache(maxsize=1 << 15)
def strip_accents(text: str) -> str:
    """Drop diacritics: "Shinzō" -> "Shinzo", "Kōno" -> "Kono"."""
    if text.isascii():
        return text  # no ASCII character decomposes or combines
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def strip_possessive(text: str) -> str:
    """Drop a trailing possessive: "Kang’s" -> "Kang", "Koreas'" -> "Koreas"."""
    return _POSSESSIVE.sub("", text.rstrip())


@lru_cache(maxsize=1 << 16)
def matching_key(text: str) -> str:
    """The key two spellings of one name share.

    Accents, case, a leading "the", a possessive, and every space, hyphen, dot and apostrophe
    are dropped (so "Kim Jong Un", "Kim Jong-un" and "Kim Jongun" meet, as do "U.S." and
    "US", "G-20" and "G20"); the McCune-Reischauer/Revised spelling swap "wha"/"hwa" is folded
    ("Kang Kyung-wha" = "Kang Kyung-hwa").  Word order is handled by ``name_keys``.
    """
    folded = strip_accents(text).translate(_APOSTROPHES).strip()
    folded = strip_possessive(folded).lower()
    folded = _LEADING_THE.sub("", folded)
    folded = _HWA.sub("hwa", folded)
    return _NON_ALNUM.sub("", folded)


def name_words(text: str) -> list[str]:
    """The words of a personal name, hyphenated syllables kept together ("Kyung-wha")."""
    return [w for w in re.split(r"\s+", strip_accents(text).strip()) if w]


def name_keys(text: str, family_name: str | None = None) -> set[str]:
    """Matching keys of a personal name in both orders (family-first and given-first).

    With ``family_name`` the swap is exact ("Abe Shinzo" <-> "Shinzo Abe"); without it the
    first or the last word is taken as the family name, whichever gives the other order.
    """
    words = name_words(text)
    keys = {matching_key(text)}
    if len(words) < 2:
        return keys
    if family_name:
        family = name_words(family_name)
        n = len(family)
        if words[:n] == family:
            keys.add(matching_key(" ".join(words[n:] + family)))
        elif words[-n:] == family:
            keys.add(matching_key(" ".join(family + words[:-n])))
        return keys
    keys.add(matching_key(" ".join(words[1:] + words[:1])))
    keys.add(matching_key(" ".join(words[-1:] + words[:-1])))
    return keys


def same_name(a: str, b: str) -> bool:
    """True when two strings name the same person up to order, romanisation, accents, titles."""
    return bool(name_keys(strip_titles(a)) & name_keys(strip_titles(b)))


def _match_head(words: list[str], at: int) -> int:
    """Number of words of the title head starting at ``at`` (0 if none)."""
    for head in TITLE_HEADS:
        head_words = head.split()
        n = len(head_words)
        if [w.lower() for w in words[at : at + n]] == [h.lower() for h in head_words]:
            return n
    return 0


def split_title(text: str) -> tuple[str | None, str]:
    """Split "Secretary of Defense Mark Esper" into ("Secretary of Defense", "Mark Esper").

    A leading "the", country words ("US", "South Korean", "Japan's") before the head and the
    head's complement ("of National Defense", "for North Korea") go with the title; the rest
    is the name.  Without a title head, returns (None, text).
    """
    words = strip_accents(text).translate(_APOSTROPHES).split()
    i = 0
    if words and words[0].lower() == "the":
        i = 1
    # Country words before the head: up to three capitalised words ending at a head.
    for skip in range(0, 4):
        at = i + skip
        if at >= len(words):
            break
        n = _match_head(words, at)
        if n == 0:
            if not words[at][:1].isupper():
                break
            continue
        end = at + n
        # Complement: "of ..."/"for ..." and further heads made of title vocabulary.
        while end < len(words):
            more = _match_head(words, end)
            if more:
                end += more
                continue
            word = words[end].strip(",").lower()
            if word in TITLE_VOCABULARY or word.endswith("'s") and word[:-2] in TITLE_VOCABULARY:
                end += 1
                continue
            break
        # The complement must not eat the whole name: give back vocabulary words until a
        # name remains.
        if end >= len(words):
            return None, text.strip()
        title = " ".join(words[at:end]).rstrip(",")
        name = " ".join(words[end:])
        return title, name
    return None, text.strip()


def strip_titles(text: str) -> str:
    """The name without its title: "Prime Minister Abe" -> "Abe"."""
    return split_title(text)[1]
