"""Sentence splitting with exact character spans (pysbd)."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import NamedTuple

log = logging.getLogger(__name__)


class Span(NamedTuple):
    """A half-open character range ``text[start:end]``."""

    start: int
    end: int


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str, offset: int = 0) -> list[Span]:
    """Split ``text`` into sentences; spans are shifted by ``offset`` and exclude edge whitespace."""
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
                spans.append(Span(offset + start, offset + start + len(stripped)))
            return spans
        spans.append(Span(offset + found, offset + found + len(piece)))
        cursor = found + len(piece)
    if not spans and text.strip():
        stripped = text.strip()
        start = text.index(stripped)
        spans.append(Span(offset + start, offset + start + len(stripped)))
    return spans
