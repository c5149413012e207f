"""Question-type cues: what kind of answer a question wants, and which sentences hold that kind.

"How many" wants a quantity, "when" a date or time, "who" a person or organisation, "where" a
place, "who said" / "according to whom" an attribution, and a yes/no question the sentence that
settles it (often a negation). Each cue is a regular expression over the question and one over
a sentence; :data:`CUE_WEIGHTS` (fitted on SQuAD part A by ``embeddings/evaluation/fit_cues.py``,
article folds) says how much a matching sentence gains.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

log = logging.getLogger(__name__)

CUES = ("quantity", "time", "person", "place", "attribution", "negation")

# Fitted by embeddings/evaluation/fit_cues.py on SQuAD part A (see README, "How it answers").
CUE_WEIGHTS = {
    "quantity": 0.1,
    "time": 0.2,
    "person": 0.1,
    "place": 0.15,
    "attribution": 0.0,
    "negation": 0.15,
}

_I = re.IGNORECASE
_QUESTION_CUES = {
    "quantity": re.compile(
        r"\bhow\s+(many|much|long|far|big|large|old|tall|high|often)\b|\bwhat\s+(number|percentage|"
        r"share|proportion|amount|price|cost|size)\b|\b(number|amount|count|total|percentage)\s+of\b",
        _I,
    ),
    "time": re.compile(
        r"\bwhen\b|\bhow\s+long\b|\b(what|which)\s+(time|day|date|year|month|week|hour|century|decade)\b"
        r"|\buntil\s+when\b|\bsince\s+when\b|\bon\s+which\s+day\b",
        _I,
    ),
    "person": re.compile(
        r"\bwho(m|se|'s)?\b|\b(which|what)\s+(person|people|man|woman|company|firm|group|organi[sz]ation|"
        r"official|team|party|agency|outlet|newspaper)\b",
        _I,
    ),
    "place": re.compile(
        r"\bwhere\b|\b(which|what)\s+(city|cities|town|country|countries|place|region|state|area|street|"
        r"district|village|province)\b",
        _I,
    ),
    "attribution": re.compile(
        r"\baccording\s+to\b|\bsources?\b|\b(outlet|newspaper|agency|reporter|media)\b|\bwho\s+"
        r"(said|says|say|told|tells|reported|reports|claimed|claims|stated|announced|warned|accused|"
        r"called|described|confirmed|denied)\b|\bwhat\s+did\s+.+\s+say\b|\bwhere\s+.*\bcome\s+from\b",
        _I,
    ),
    "negation": re.compile(
        r"^\s*(is|are|was|were|did|does|do|has|have|had|will|would|can|could|should|isn't|aren't|"
        r"wasn't|weren't|didn't|doesn't|don't|hasn't|haven't)\b",
        _I,
    ),
}

_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
    r"fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens|half|"
    r"percent|per\s+cent|twice"
)
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_SENTENCE_CUES = {
    "quantity": re.compile(rf"\d[\d,.]*\d|\d|[%£$€¥]|\b({_NUMBER_WORDS})\b", _I),
    "time": re.compile(
        rf"\b(1[0-9]{{3}}|20[0-9]{{2}})s?\b|\b({_MONTHS}|{_DAYS})\b|\b\d{{1,2}}(:\d\d)?\s*(a\.m\.|p\.m\.|am|pm)"
        r"|\b(today|yesterday|tomorrow|tonight|morning|afternoon|evening|night|week|weeks|month|months|"
        r"year|years|century|centuries|decade|decades|ago|since|until|during|hours?|days?|minutes?|"
        r"spring|summer|autumn|winter|dawn|midnight|noon)\b",
        _I,
    ),
    # a capitalised word that does not start the sentence: a name, an organisation, a title
    "person": re.compile(r"(?<=[^.!?\"“‘'(\s]\s)[A-Z][a-z]+|(?<=[,;:]\s)[A-Z][a-z]+"),
    "place": re.compile(r"\b(in|at|from|near|to|across|outside|inside)\s+(the\s+)?[A-Z][a-z]+"),
    "attribution": re.compile(
        r"\b(said|says|say|according\s+to|told|tells|reported|reports|stated|announced|statement|"
        r"spokes(man|woman|person)|claimed|warned|confirmed|denied|wrote|added)\b",
        _I,
    ),
    "negation": re.compile(
        r"\b(not|no|never|none|nobody|nothing|neither|nor|without|cannot)\b|n't\b|n’t\b", _I
    ),
}


TOKEN = re.compile(r"\w+")
NEW_ONLY = frozenset({"quantity", "time", "person", "place"})  # the answer is something new


def question_cues(question: str) -> np.ndarray:
    """(C,) 0/1: which answer kinds (in :data:`CUES` order) the question asks for."""
    return np.array(_asked(question), dtype=np.float32)


@lru_cache(maxsize=4096)
def _asked(question: str) -> tuple[float, ...]:
    return tuple(1.0 if _QUESTION_CUES[c].search(question) else 0.0 for c in CUES)


def sentence_matches(sentence: str) -> tuple[tuple[frozenset[str], ...], ...]:
    """Per cue (:data:`CUES` order), the lower-cased words of each match in ``sentence``."""
    return tuple(
        tuple(frozenset(w.lower() for w in TOKEN.findall(m.group())) for m in _SENTENCE_CUES[cue].finditer(sentence))
        for cue in CUES
    )


_held = lru_cache(maxsize=65536)(sentence_matches)  # sentence_cues is asked of the same sentences again


def sentence_cues(sentences: Sequence[str], question: str = "", kinds: np.ndarray | None = None) -> np.ndarray:
    """(S, C) 0/1: which answer kinds each sentence holds beyond the words of ``question``
    (a number, date or name the question already says is not an answer to it). An index answers
    this from its :class:`.cue_table.CueTable`, built once from the same matches.

    ``kinds`` (C,) limits the work to the kinds where it is non-zero (the other columns stay 0).
    """
    asked = {w.lower() for w in TOKEN.findall(question)}
    out = np.zeros((len(sentences), len(CUES)), dtype=np.float32)
    columns = [c for c in range(len(CUES)) if kinds is None or kinds[c]]
    for row, sentence in enumerate(sentences):
        held = _held(sentence)
        for column in columns:
            cue, matches = CUES[column], held[column]
            new = (not words or not words <= asked for words in matches)
            out[row, column] = 1.0 if (any(new) if cue in NEW_ONLY else matches) else 0.0
    return out


def cue_weights(weights: dict[str, float] | None = None) -> np.ndarray:
    """(C,) the weights in :data:`CUES` order (the fitted ones by default: one read-only array)."""
    if weights is None:
        return _FITTED
    return np.array([weights.get(c, 0.0) for c in CUES], dtype=np.float32)


_FITTED = np.array([CUE_WEIGHTS[c] for c in CUES], dtype=np.float32)
_FITTED.flags.writeable = False


def cue_bonus(asked: np.ndarray, held: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(S,) what each sentence gains: ``held (S, C) @ (asked * weights) (C,)``."""
    return held @ (asked * weights)
