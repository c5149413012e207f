"""Paragraph blocks of a text: blank-line, one-a-line or hard-wrapped paragraphs, none over-long.

Every function returns spans into the text it is given, so quotes stay verbatim.
"""

from __future__ import annotations

import itertools
import re

from .sentences import Span, windows

# A block longer than this is cut at sentence ends into paragraphs of at most PIECE_CHARS: one
# paragraph of megabytes cannot be quoted or ranked usefully, and costs the sentence splitter time.
MAX_PARAGRAPH_CHARS = 20_000
PIECE_CHARS = 2_000
# Lines that are page furniture, not article content ("Also Read: ..." teasers and the like).
BOILERPLATE = re.compile(
    r"""^\s*(?:
        (?:also|read|see|watch)\s+(?:read|more|also|this)\b.*      # Also Read:, Read more, See also
      | (?:related|recommended|trending|more\s+from)\s*(?:stories|articles|reading|news)?\s*:.*
      | (?:advertisement|sponsored(?:\s+content)?|ad)\s*$
      | (?:click\s+here|subscribe|sign\s+up|follow\s+us|share\s+this|download\s+the\s+app)\b.*
      | (?:photo|image|video|getty\s+images)\s*(?:credit)?\s*:.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)\]]\s*$")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_ITEM = re.compile(r"\s*(?:[-*•]|\d{1,3}[.)])\s")  # a list item
_ITEM_FIRST = frozenset(" \t-*•0123456789")


def is_boilerplate(line: str) -> bool:
    """True when a line is page furniture rather than article content."""
    return bool(BOILERPLATE.match(line))


def line_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text[start:end]``, without its newline."""
    end = len(text) if end is None else end
    spans, pos = [], start
    for line in text[start:end].split("\n"):
        stop = pos + len(line)
        spans.append((pos, stop))
        pos = stop + 1
    return spans


def _raw_blocks(text: str, *, line_paragraphs: bool) -> list[Span]:
    """Spans of paragraph blocks; boilerplate and blank lines separate blocks."""
    blocks: list[Span] = []
    current: tuple[int, int] | None = None
    for start, end in line_spans(text):
        line = text[start:end]
        if not line or line.isspace() or (line.lstrip()[:1].isalpha() and is_boilerplate(line)):
            if current:
                blocks.append(Span(*current))
            current = None
            continue
        if current is None or line_paragraphs:
            if current:
                blocks.append(Span(*current))
            current = (start, end)
        else:
            current = (current[0], end)
    if current:
        blocks.append(Span(*current))
    return blocks


def looks_line_per_paragraph(text: str) -> bool:
    """True for text with no blank lines whose lines end like sentences (one paragraph a line)."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 2 or _BLANK_LINE.search(text):
        return False
    ended = sum(1 for line in lines if _SENTENCE_END.search(line))
    return ended >= 0.8 * len(lines)


def unwrap(text: str, block: Span) -> list[Span]:
    """Paragraphs of a hard-wrapped block: one ends at a short line that ends a sentence, or
    before an indented line or a list item (the conventions of wrapped plain text)."""
    lines = line_spans(text, block.start, block.end)
    if len(lines) < 3:
        return [block]
    widths = sorted(end - start for start, end in lines)
    short = 0.8 * widths[(3 * len(widths)) // 4]
    pieces: list[Span] = []
    start = lines[0][0]
    for (line_start, line_end), (next_start, next_end) in itertools.pairwise(lines):
        ends = line_end - line_start < short and bool(_SENTENCE_END.search(text, line_start, line_end))
        first = text[next_start : next_start + 1]
        indented = first in (" ", "\t") and text[line_start : line_start + 1] not in (" ", "\t")
        item = first in _ITEM_FIRST and bool(_ITEM.match(text, next_start, next_end))
        if ends or indented or item:
            pieces.append(Span(start, line_end))
            start = next_start
    pieces.append(Span(start, block.end))
    return pieces


def paragraph_blocks(text: str) -> list[Span]:
    """Spans of the paragraphs of ``text`` (untrimmed; headings included), none over MAX_PARAGRAPH_CHARS."""
    line_paragraphs = looks_line_per_paragraph(text)
    wrapped = not line_paragraphs and not _BLANK_LINE.search(text)
    blocks: list[Span] = []
    for block in _raw_blocks(text, line_paragraphs=line_paragraphs):
        long = block.end - block.start > MAX_PARAGRAPH_CHARS
        for piece in unwrap(text, block) if wrapped or long else [block]:
            if piece.end - piece.start <= MAX_PARAGRAPH_CHARS:
                blocks.append(piece)
                continue
            blocks += [Span(piece.start + s, piece.start + e)
                       for s, e in windows(text[piece.start : piece.end], PIECE_CHARS)]
    return blocks
