"""Sentence splitting with exact character spans (pysbd, or token rules for tokenized text)."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import NamedTuple

log = logging.getLogger(__name__)

# Tokenized text (Penn Treebank style, as in the CNN/DailyMail corpus: "it does n't , he said .") detaches
# every comma and sentence-final stop from its word; ordinary prose glues commas and semicolons to words.
_DETACHED = re.compile(r"(?<!\S)[,.](?!\S)")
_GLUED = re.compile(r"[^\s.,;:?!][,;](?!\S)")
_TOKEN = re.compile(r"\S+")
_STOP = re.compile(r"\.|[.?!]*[?!][.?!]*")  # a lone stop, or ?/! runs; an ellipsis ("...") is not a stop
_CLOSERS = {"''": "double", "’": "single"}  # always closing
_OPENERS = {"``": "double", "‘": "single"}  # always opening
_TOGGLES = {'"': "double", "'": "single"}  # closing when a quote of that kind is open
# Titles whose dot the tokenizer sometimes detaches ("indiana gov . mike pence"); they precede a name.
_TITLES = frozenset(
    "mr mrs dr prof gov sen rep gen lt col maj capt cmdr adm sgt cpl pvt det insp supt rev hon".split()
)


class Span(NamedTuple):
    """A half-open character range ``text[start:end]``."""

    start: int
    end: int


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def looks_tokenized(text: str) -> bool:
    """True for PTB-style tokenized text: commas and stops stand alone and none is glued to a word."""
    return len(_DETACHED.findall(text)) >= 2 and not _GLUED.search(text)


def split_sentences(text: str, offset: int = 0) -> list[Span]:
    """Split ``text`` into sentences; spans are shifted by ``offset`` and exclude edge whitespace."""
    spans = _split_tokenized(text) if looks_tokenized(text) else _split_pysbd(text)
    return [Span(offset + start, offset + end) for start, end in spans]


def _split_tokenized(text: str) -> list[Span]:
    """Sentences of tokenized text end at a standalone ``.``, ``?`` or ``!`` token plus any closing quotes.

    Abbreviations keep their dots attached (``u.s.``, ``dr.``), so they never end a sentence, nor does a
    detached title dot (``gov . mike pence``). A quote after a stop closes that sentence if it can only
    close (``''``, ``’``) or if it is ``'`` or ``"`` and a quote of that kind is open.
    """
    open_quotes = {"single": False, "double": False}
    spans: list[Span] = []
    start, end = -1, 0
    ended = False
    previous = ""
    for match in _TOKEN.finditer(text):
        token = match.group()
        start = match.start() if start < 0 else start
        kind = _CLOSERS.get(token) or _TOGGLES.get(token) or _OPENERS.get(token)
        closing = token in _CLOSERS or (token in _TOGGLES and open_quotes[kind])
        if ended and not closing:  # the sentence is complete; this token starts the next one
            spans.append(Span(start, end))
            start, ended = match.start(), False
        if kind:
            open_quotes[kind] = not closing
        ended = ended or (bool(_STOP.fullmatch(token)) and not (token == "." and previous.lower() in _TITLES))
        previous, end = token, match.end()
    if start >= 0:
        spans.append(Span(start, end))
    return spans


def _split_pysbd(text: str) -> list[Span]:
    spans: list[Span] = []
    cursor = 0
    for segment in _segmenter().segment(text):
        piece = segment.strip()
        if not piece:
            continue
        found = text.find(piece, cursor)
        if found < 0:  # pysbd altered the text; fall back to the rest of the block
            log.debug("pysbd segment not found verbatim; keeping the remainder whole")
            rest = text[cursor:]
            stripped = rest.strip()
            if stripped:
                start = cursor + rest.index(stripped)
                spans.append(Span(start, start + len(stripped)))
            return spans
        spans.append(Span(found, found + len(piece)))
        cursor = found + len(piece)
    if not spans and text.strip():
        stripped = text.strip()
        start = text.index(stripped)
        spans.append(Span(start, start + len(stripped)))
    return spans
