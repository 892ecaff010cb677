"""dipl_headlines: a second parse for chronology entries whose headline verb the model misread.

Chronology entries are written like headlines: "Trump calls for a third summit with Kim",
"Putin, Modi, and Xi meet in the RIC format", "Fukuoka High Court upholds ruling ...". After a
run of capitalised names the small English model often reads the verb as a noun ("Trump
calls" as a compound, "Xi meet" as a noun), and the whole entry is parsed around it: no
subject, no object, the wrong main event. Put a pronoun where the names stand ("He calls for
a third summit with Kim") and the same model parses the sentence right.

For an entry whose first sentence has no verb at its root (or, after an opening phrase up to
a comma, "During ..., President Ma states ...", whose root verb's subject is not what follows
the comma), this stage finds where the names end, parses the rest of the sentence again
behind a pronoun, and, when that parse makes the first word after the names a finite verb heading the sentence with the pronoun as its subject,
writes it back: the rest takes the new parse (heads, labels, tags, lemmas), the names hang
together as they did and attach to the verb as its subject, and everything before them (the
entry's colon) to the verb. Nothing else in the document changes; an entry whose second
parse does not come out that way keeps its first (see docs/events.md, "Headline entries").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from pipeline import extensions as ext
from pipeline.extensions import without_gc

# The model's components that make a parse (run on the second reading of an entry).
PARSE_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
# Lower-case words that may stand inside a run of names ("Ministry of Foreign Affairs",
# "Putin, Modi, and Xi", "Korea's Foreign Ministry", "an Army orchestra").
NAME_CONNECTORS = frozenset({"and", "of", "the", "for", "on", "in", "a", "an", "de", "da", "van", "von", "al", "'s", "’s", "s"})
# Headlines are in the present tense; a past form after names is more often a participle of a
# headline passive ("Funeral of Lee Hsin-kai ... held in Chiayi").
FINITE_VERB_TAGS = frozenset({"VBZ", "VBP"})
# Lower-case words allowed just before the verb, ending the subject ("an Army orchestra",
# "Japanese defense officials").
MAX_HEAD_NOUNS = 2
# How far into the entry the headline verb may stand (tokens after its start).
MAX_SUBJECT_TOKENS = 24


class HeadlineReparser:
    """Reparses misread headline entries (see the module doc)."""

    def __init__(self, nlp: Language, name: str = "dipl_headlines") -> None:
        self.name = name
        self.nlp = nlp
        self._verbs: frozenset[str] | None = None

    @property
    def verbs(self) -> frozenset[str]:
        """The verbs the model's lemmatizer knows (its lookup index), to tell a verb the second
        parse found from a noun it forced into a verb's place ("They orchestra arrive").
        Empty when the model has no such index; then no second parse can be checked, and none
        is written (``__call__`` leaves every entry as the model parsed it)."""
        if self._verbs is None:
            known: set[str] = set()
            if "lemmatizer" in self.nlp.pipe_names:
                lookups = getattr(self.nlp.get_pipe("lemmatizer"), "lookups", None)
                for table in ("lemma_index", "lemma_exc"):
                    if lookups is not None and lookups.has_table(table) and "verb" in lookups.get_table(table):
                        entries = lookups.get_table(table)["verb"]
                        known.update(entries if table == "lemma_index" else entries.keys())
            self._verbs = frozenset(known)
        return self._verbs

    @without_gc
    def __call__(self, doc: Doc) -> Doc:
        if ext.CHRONOLOGY not in doc.spans or not doc.has_annotation("DEP") or not self.verbs:
            return doc
        repairs = []
        for entry in doc.spans[ext.CHRONOLOGY]:
            found = headline_sentence(doc, entry)
            if found is None:
                continue
            repair = None
            if found[0].root.pos_ not in ("VERB", "AUX"):
                repair = self.reparse(*found)
            after = after_opening_phrase(*found)
            if repair is None and after is not None and not _has_subject_after(found[0].root, after):
                # "During the inauguration of Shuang Ho Hospital, President Ma Ying-jeou states
                # ...": the headline starts after the opening phrase (the model may have made
                # a verb of what was said its root)
                repair = self.reparse(found[0], after, opening=found[1])
            if repair is not None:
                repairs.append(repair)
        if repairs:
            write_repairs(doc, repairs)
        return doc

    def parse(self, words: list[str], spaces: list[bool], vocab: Vocab) -> Doc:
        """The model's parse of ``words`` as one sentence."""
        second = Doc(vocab, words=words, spaces=spaces)
        for k, token in enumerate(second):
            token.is_sent_start = k == 0
        for name in PARSE_COMPONENTS:
            if name in self.nlp.pipe_names:
                second = self.nlp.get_pipe(name)(second)
        return second

    def reparse(self, sentence: Span, start: int, opening: int | None = None) -> Repair | None:
        """The second parse of ``sentence`` whose headline starts at token ``start`` (after an
        opening phrase from token ``opening``, if given)."""
        doc = sentence.doc
        for verb_at in _verb_candidates(sentence, start):
            names = doc[start:verb_at]
            pronoun = "He" if doc[verb_at].text.endswith("s") and not _lists(names) else "They"
            rest = doc[verb_at : sentence.end]
            words = [pronoun, *[t.text for t in rest]]
            spaces = [True, *[bool(t.whitespace_) for t in rest]]
            second = self.parse(words, spaces, doc.vocab)
            verb = second[1]
            if not (
                verb.dep_ == "ROOT"
                and verb.tag_ in FINITE_VERB_TAGS
                and second[0].head.i == 1
                and second[0].dep_ in ("nsubj", "nsubjpass")
                and sum(1 for t in second if t.dep_ == "ROOT") == 1
                and verb.lemma_.lower() in self.verbs
            ):
                continue
            return Repair(sentence, start, verb_at, second, opening)
        return None


class Repair:
    """A sentence's second parse: names ``start``–``verb_at`` stood where ``second[0]`` stands."""

    __slots__ = ("sentence", "start", "verb_at", "second", "opening")

    def __init__(self, sentence: Span, start: int, verb_at: int, second: Doc, opening: int | None = None) -> None:
        self.sentence, self.start, self.verb_at, self.second = sentence, start, verb_at, second
        self.opening = opening  # where an opening phrase before the names starts, if any


def headline_sentence(doc: Doc, entry: Span) -> tuple[Span, int] | None:
    """The sentence holding the start of an entry's text (after its date and colon), and the
    token of its first word; None if the entry has no words or the sentence runs on past it
    (more than the line break after it)."""
    at = entry._.entry_text_start
    text = doc.char_span(at, entry.end_char, alignment_mode="expand") if at is not None else entry
    if text is None:
        return None
    start = next((t.i for t in text if not (t.is_punct or t.is_space)), None)
    if start is None:
        return None
    sentence = doc[start].sent
    if any(not doc[i].is_space for i in range(entry.end, sentence.end)):
        # A sentence running on past its entry (the segmenter starts one at every line, so this
        # is rare) would be rewritten in part, with its own root left behind: not touched.
        return None
    # the line break after the entry belongs to its sentence; it keeps its head
    return doc[sentence.start : min(sentence.end, entry.end)], start


def _has_subject_after(root: Token, after: int) -> bool:
    """The model's root is a verb whose subject is what follows the opening phrase: a parse
    of the headline to keep."""
    return root.pos_ in ("VERB", "AUX") and any(
        c.dep_ in ("nsubj", "nsubjpass") and c.left_edge.i == after for c in root.children)


# How far into an entry the comma closing an opening phrase may stand.
MAX_OPENING_TOKENS = 20


def after_opening_phrase(sentence: Span, start: int) -> int | None:
    """Where a headline starts after an opening phrase up to its comma ("During the
    inauguration of ..., President Ma states", "In a phone call, Xi tells ..."): the first
    word after the phrase's first comma, when the entry opens with a preposition, a
    subordinator or a participle and that word is capitalised; else None."""
    doc = sentence.doc
    first = doc[start]
    if not (first.pos_ in ("ADP", "SCONJ") or first.tag_ == "VBG"):
        return None
    for i in range(start + 1, min(sentence.end - 1, start + MAX_OPENING_TOKENS)):
        if doc[i].text == ",":
            after = i + 1
            return after if doc[after].text[:1].isupper() else None
    return None


def _lists(names: Span) -> bool:
    return any(t.lower_ == "and" or t.text == "," for t in names)


def _verb_candidates(sentence: Span, start: int) -> list[int]:
    """Where the headline verb may stand: lower-case words after a first capitalised one,
    within reach of the entry's start. A word the first parse already took for a verb with a
    subject of its own is tried first, when at most ``MAX_HEAD_NOUNS`` lower-case words stand
    before it ("Air forces of the US ... and Australia undertake"); then, in text order, words
    that only names stand before."""
    doc = sentence.doc
    if start >= sentence.end or not doc[start].text[:1].isupper():
        return []
    found: list[int] = []
    for i in range(start + 1, min(sentence.end, start + MAX_SUBJECT_TOKENS)):
        text = doc[i].text
        # the second half of a hyphenated word is part of it ("Hsin-kai", "Jae-in", "Sino-led")
        joined = doc[i - 1].text in ("-", "‐", "–") and not doc[i - 1].whitespace_
        if text.isalpha() and text.islower() and text not in NAME_CONNECTORS and not joined:
            found.append(i)
    with_subject = [
        i for i in found
        if doc[i].pos_ == "VERB" and any(c.dep_ == "nsubj" for c in doc[i].children)
        and sum(1 for k in found if k < i) <= MAX_HEAD_NOUNS
    ]
    names_only = [i for i in found if i not in with_subject and _only_names_before(doc, start, i, found)]
    return with_subject + names_only


def _only_names_before(doc: Doc, start: int, verb_at: int, lower: list[int]) -> bool:
    """Whether the words before ``verb_at`` read as a run of names: no lower-case word but
    connectors, except up to ``MAX_HEAD_NOUNS`` right before it, the subject's own nouns
    ("Funeral of Lee Hsin-kai, uncle of ..." is not such a run)."""
    before = [i for i in lower if start <= i < verb_at]
    if len(before) > MAX_HEAD_NOUNS:
        return False
    return all(i == verb_at - len(before) + k for k, i in enumerate(before))


def write_repairs(doc: Doc, repairs: Sequence[Repair]) -> None:
    """Write every repaired sentence's parse into ``doc`` in one ``from_array``."""
    attrs = [HEAD, DEP, TAG, POS, LEMMA, MORPH]
    array = doc.to_array(attrs)  # uint64: string ids, and heads as offsets (negative ones wrapped)
    positions = numpy.arange(len(doc), dtype="int64")
    heads = array[:, 0].astype("int64") + positions  # absolute heads
    for repair in repairs:
        _apply(doc, repair, array, heads)
    array[:, 0] = (heads - positions).astype("uint64")
    doc.from_array(attrs, array)  # type: ignore[arg-type]


def _apply(doc: Doc, repair: Repair, array: numpy.ndarray, heads: numpy.ndarray) -> None:
    sentence, start, verb_at, second = repair.sentence, repair.start, repair.verb_at, repair.second
    names = range(start, verb_at)
    subject = _names_head(doc, names)
    strings = doc.vocab.strings
    for k, token in enumerate(second):
        if k == 0:
            continue
        i = verb_at + k - 1
        head = token.head.i
        heads[i] = subject if head == 0 else verb_at + head - 1
        array[i, 1] = strings.add(token.dep_)
        array[i, 2] = strings.add(token.tag_)
        array[i, 3] = token.pos
        array[i, 4] = strings.add(token.lemma_)
        array[i, 5] = strings.add(str(token.morph))
    heads[verb_at] = verb_at  # the sentence's root
    for i in names:
        if i == subject:
            heads[i] = verb_at
            array[i, 1] = strings.add(second[0].dep_)
        elif not start <= heads[i] < verb_at:
            heads[i] = subject
            if array[i, 1] == strings["ROOT"]:
                array[i, 1] = strings.add("dep")
    opening = repair.opening if repair.opening is not None else start
    for i in range(sentence.start, opening):
        heads[i] = verb_at
        if array[i, 1] == strings["ROOT"]:
            array[i, 1] = strings.add("punct" if doc[i].is_punct else "dep")
    for i in range(opening, start):
        # the opening phrase keeps its own structure and hangs from the verb by its head
        if not opening <= heads[i] < start or heads[i] == i:
            heads[i] = verb_at
            array[i, 1] = strings.add("punct" if doc[i].is_punct else "prep" if doc[i].pos_ == "ADP" else "advcl"
                                      if doc[i].pos_ in ("VERB", "AUX") else "dep")


def _names_head(doc: Doc, names: range) -> int:
    """The token that stands for the run of names: the first whose head lies outside it
    (a coordinated list keeps its first conjunct as the head), else the last."""
    for i in names:
        if not names.start <= doc[i].head.i < names.stop or doc[i].head.i == i:
            return i
    return names.stop - 1


@Language.factory("dipl_headlines")
def make_headline_reparser(nlp: Language, name: str) -> HeadlineReparser:
    return HeadlineReparser(nlp, name)
