"""What a member's question says, for matching words: chat shorthand and typos mended against the
article's own words, words about the article itself ("mentioned", "anything about") dropped, and
the rare terms (names, places, numbers) that must not be refused when the article has them.

Only the words matched lexically are rewritten; the question is embedded as typed.
"""

from __future__ import annotations

import logging
import re
import string
import sys
from functools import lru_cache

from ..models import bundled_model_path
from .lexical import STOPWORDS, LexicalIndex, stemmer

log = logging.getLogger(__name__)

_WORD = re.compile(r"(?u)\b\w\w+\b")  # the lexical index's token pattern

# Chat shorthand members type; the full word is what an article says.
SHORTHAND = {
    "ppl": "people", "ppls": "people", "ur": "your",
    "wat": "what", "wot": "what", "wut": "what", "whats": "what", "whos": "who", "wheres": "where",
    "whens": "when", "hows": "how", "abt": "about", "bc": "because", "cuz": "because",
    "govt": "government", "gov": "government", "nxt": "next", "b4": "before", "pls": "please",
    "plz": "please", "thx": "thanks", "dept": "department",
    "intl": "international", "natl": "national", "approx": "approximately", "yr": "year",
    "yrs": "years", "mil": "million", "bn": "billion", "tho": "though",
    "thru": "through", "pic": "picture", "info": "information",
}

MAX_MENDED = 8  # typo repairs tried per question (each tries ~50 edits a letter)

# Words about the article rather than about its content ("Is X mentioned?", "anything about Y?").
ABOUT_THE_ARTICLE = frozenset(
    """
    mention mentioned mentions mentioning article articles story piece text anything something
    info information detail details talk talks talking discuss discussed discusses refer refers
    referred reference named
    """.split()
)
_HOW_MANY = re.compile(r"\bhow\s+(many|much|long|often)\b", re.I)  # the cue, not a word to match
_TALK_ABOUT = re.compile(r"\b(talk|talks|talking|speak|speaks|say|says|said|write|writes|wrote)\s+about\b", re.I)


@lru_cache(maxsize=1)
def dictionary() -> frozenset[str]:
    """Whole words of the bundled model's WordPiece vocabulary: common enough to be real words."""
    try:
        with open(bundled_model_path() / "vocab.txt", encoding="utf-8") as handle:
            return frozenset(w for w in (line.strip() for line in handle) if w.isalpha() and w.islower())
    except (OSError, ImportError) as error:  # no bundled model: treat every word as known
        log.warning("no vocabulary for typo repair: %s", error)
        return frozenset()


def _edits(word: str) -> list[str]:
    """Every string one deletion, transposition, substitution or insertion away (Norvig)."""
    letters = string.ascii_lowercase
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in letters if c != b[0]]
    inserts = [a + c + b for a, b in splits for c in letters]
    return deletes + transposes + replaces + inserts


def _knows(lexical: LexicalIndex, stem: str) -> bool:
    return lexical.unmatched_share([stem]) == 0.0


def mend(word: str, lexical: LexicalIndex) -> str | None:
    """The word a typo stands for: one edit away and either a stop word or a stem the texts use
    (the most frequent such). None when the word needs no mending or nothing fits."""
    lower = word.lower()
    if len(lower) < 4 or not lower.isalpha() or lower in dictionary():
        return None
    english, stopwords = stemmer(), STOPWORDS
    if lower in stopwords or _knows(lexical, english.stemWord(lower)):
        return None
    candidates = sorted(set(_edits(lower)))
    stops = [c for c in candidates if c in stopwords]
    if stops:
        return stops[0]
    known = [(lexical.bound([stem]), c) for c, stem in zip(candidates, english.stemWords(candidates), strict=True)
             if _knows(lexical, stem)]
    return min(known)[1] if known else None


def rewrite(question: str, lexical: LexicalIndex) -> str:
    """The question as the texts would word it: shorthand expanded, typos mended, words about the
    article itself dropped."""
    lowered = question.lower()  # each pattern needs its literal word (a quick test skips most questions)
    if "about" in lowered:
        question = _TALK_ABOUT.sub("about", question)
    if "how" in lowered:
        question = _HOW_MANY.sub("how", question)
    out, position, mended = [], 0, 0
    for match in _WORD.finditer(question):
        word = match.group()
        lower = word.lower()
        replacement = SHORTHAND.get(lower)
        if replacement is None and lower in ABOUT_THE_ARTICLE:
            replacement = ""
        if replacement is None and mended < MAX_MENDED:
            replacement = mend(word, lexical)
            mended += replacement is not None or lower not in dictionary()
        if replacement is not None:
            out.append(question[position : match.start()])
            out.append(replacement)
            position = match.end()
    out.append(question[position:])
    return " ".join("".join(out).split())


# Words that name nothing: an answer does not point out that the article never uses them.
UNREMARKABLE = frozenset(
    """
    like happen happened happens happening get gets got make makes made think know mean means thing
    things way really even still yet ever go goes going went one us
    """.split()
)


def absent_words(unmatched: str | None) -> tuple[str, ...]:
    """The content words of ``unmatched`` (what :func:`match_question` leaves of a question: the words
    its article never uses, with the stop words around them), distinct and as written, those that
    name nothing aside: what an answer can tell the member the article never uses ("weather")."""
    if not unmatched:
        return ()
    words: dict[str, str] = {}  # lower-cased -> as first written
    for word in _WORD.findall(unmatched):
        if word.lower() not in STOPWORDS and word.lower() not in UNREMARKABLE:
            words.setdefault(word.lower(), word)
    return tuple(words.values())


def match_question(question: str, lexical: LexicalIndex, rewriting: bool = True) -> tuple[str, str | None]:
    """The question as matched against ``lexical``'s words (:func:`rewrite` when ``rewriting``) and what
    is left of that which the texts never use (:meth:`.LexicalIndex.unmatched_text`, matched densely)."""
    matched = rewrite(question, lexical) if rewriting else question
    return matched, lexical.unmatched_text(matched)


_NAMED = re.compile(r"(?<![.!?:\"“]\s)(?<![.!?:\"“])\b[A-Z]\w+|\b\w*\d\w*\b")


def find_named_stems(text: str) -> frozenset[str]:
    """Stems of the words ``text`` writes as names (capitalised, not opening a sentence or a
    quotation) or that hold a digit (an index keeps each paragraph's)."""
    english = stemmer()
    stems = english.stemWords([m.group().lower() for m in _NAMED.finditer(text) if m.start() > 0])
    return frozenset(sys.intern(stem) for stem in stems)  # one copy of a name however many articles use it


named_stems = lru_cache(maxsize=4096)(find_named_stems)  # a large article's, asked of the same paragraphs again


def rare_terms(question: str) -> list[str]:
    """Stemmed terms of the question that name something: capitalised past the first word,
    holding a digit, or not a common word at all (e.g. "berdiansk", "2016", "Reuters")."""
    common = dictionary()
    rare = []
    for number, word in enumerate(_WORD.findall(question)):
        lower = word.lower()
        if len(lower) < 2 or lower in STOPWORDS or lower in ABOUT_THE_ARTICLE:
            continue
        capitalised = number > 0 and word[0].isupper()
        # letters only hold no digit (str.isalpha and str.isdigit never hold for the same character)
        if capitalised or (common and lower not in common) or (
            not word.isalpha() and any(ch.isdigit() for ch in word)
        ):
            rare.append(lower)
    return list(dict.fromkeys(stemmer().stemWords(rare))) if rare else []
