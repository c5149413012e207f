"""Sentence splitting with exact character spans (pysbd, or token rules for tokenized text).

pysbd's time grows with the square of its input (0.8 s for 20 k characters, 46 s for 200 k), so
long texts reach it in windows of at most ``WINDOW_CHARS`` cut where a simple rule sees a sentence
end; ``fast=True`` (very large articles) uses those rules alone, which are linear.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .budget import ParseBudget

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


WINDOW_CHARS = 2_000
PYSBD_SECONDS = 3.0  # after this long into one parse, the remaining windows are split by rules
_STOP_CHAR = re.compile(r"[.!?…]")
_LETTER = re.compile(r"[^\W\d_]")
# A stop (plus closing quotes or brackets), whitespace, then what can start a sentence.
# Possessive runs starting at a run's first stop keep the scan linear (a run of n dots would
# otherwise be retried from each of its dots: quadratic).
_BOUNDARY = re.compile(r"(?<![.!?…])([.!?…]++[\"'”’)\]]*+)\s+(?=[\"'“‘(\[]?[A-Z0-9])")
# A line break that is not before a list item (pysbd would end a sentence at every line break).
_WRAP_BREAK = re.compile(r"\n(?![ \t]*(?:[-*•]|\d{1,3}[.)])\s)")
_WORD_BEFORE = re.compile(r"[\w.]+$")
# Words whose dot does not end a sentence ("Lt. Col. Denys", "Mr. Smith", "Jan. 5").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st lt col gen gov sen rep capt sgt cmdr adm rev hon vs fig mt ft "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
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


def split_sentences(
    text: str, offset: int = 0, *, fast: bool = False, budget: ParseBudget | None = None
) -> list[Span]:
    """Split ``text`` into sentences; spans are shifted by ``offset`` and exclude edge whitespace.

    ``fast``: rules only, no pysbd (linear; for very large articles). ``budget`` is checked
    between windows.
    """
    if looks_tokenized(text):
        spans = _split_tokenized(text)
    elif fast:
        spans = split_by_rules(text)
    else:
        spans = _split_windows(text, budget)
    return [Span(offset + start, offset + end) for start, end in spans]


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    """False when the stop is an abbreviation's or an initial's dot ("Lt.", "J.", "U.S.")."""
    if not match.group(1).startswith(".") or match.group(1).startswith(".."):
        return True
    word = _WORD_BEFORE.search(text, max(0, match.start() - 40), match.start())
    if word is None:
        return True
    token = word.group().lower()
    return not (token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()) or "." in token)


def split_by_rules(text: str) -> list[Span]:
    """Sentences by rule: a stop, then whitespace and a capital, digit or opening quote (linear time)."""
    spans: list[Span] = []
    start = len(text) - len(text.lstrip())
    for match in _BOUNDARY.finditer(text):
        if match.start() >= start and _ends_sentence(text, match):
            spans.append(Span(start, match.end(1)))
            start = match.end()
    end = len(text.rstrip())
    if end > start:
        spans.append(Span(start, end))
    return spans


def _cut_point(text: str, start: int, limit: int) -> int:
    """Where a window from ``start`` ends, at most ``limit``: after the last rule sentence end before it
    (searched in growing tails, as prose has one within a few hundred characters), else after the
    last space in its second half, else at ``limit``."""
    for tail in (256, 1024, limit - start):
        last = 0
        for match in _BOUNDARY.finditer(text, max(start, limit - tail), limit):
            if match.end() < limit and _ends_sentence(text, match):
                last = match.end()
        if last > start:
            return last
    space = text.rfind(" ", start + (limit - start) // 2, limit)
    return space + 1 if space > start else limit


def windows(text: str, size: int) -> list[Span]:
    """Consecutive pieces of ``text`` of at most ``size`` characters, cut at rule sentence ends when possible."""
    pieces: list[Span] = []
    start = 0
    while len(text) - start > size:
        cut = _cut_point(text, start, start + size)
        pieces.append(Span(start, cut))
        start = cut
    if len(text) > start:
        pieces.append(Span(start, len(text)))
    return pieces


def _split_windows(text: str, budget: ParseBudget | None) -> list[Span]:
    """pysbd over windows of at most WINDOW_CHARS (the whole text when it is short).

    pysbd is skipped where it cannot help or could be slow: a window with no stop before its
    end is one sentence; one that is mostly not letters (punctuation or digit runs, where pysbd
    takes up to 100 µs a character) and every window once the parse has used PYSBD_SECONDS are
    split by rules.
    """
    pieces = [Span(0, len(text))] if len(text) <= WINDOW_CHARS else windows(text, WINDOW_CHARS)
    spans: list[Span] = []
    for piece in pieces:
        if budget is not None:
            budget.check()
        chunk = text[piece.start : piece.end]
        stripped = chunk.strip()
        if not stripped:
            continue
        if not _STOP_CHAR.search(stripped, 0, len(stripped) - 1):
            start = chunk.index(stripped)
            found = [Span(start, start + len(stripped))]
        elif len(_LETTER.findall(chunk)) < len(chunk) // 2 or (budget is not None and budget.elapsed() > PYSBD_SECONDS):
            found = split_by_rules(chunk)
        else:
            found = _split_pysbd(chunk)
        spans += [Span(piece.start + s, piece.start + e) for s, e in found]
    return spans


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
        closing = token in _CLOSERS or (token in _TOGGLES and kind is not None and open_quotes[kind])
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
    """pysbd's sentences; a line break inside a paragraph (hard-wrapped text) is read as a space."""
    text = _WRAP_BREAK.sub(" ", text)  # same length, so spans still index the original
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
