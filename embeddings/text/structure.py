"""The article's span codec: its paragraph and sentence spans as compact JSON (what the store keeps beside the
text), and the article rebuilt from the text and those spans exactly as it was parsed, with no sentence splitting.
"""

from __future__ import annotations

import json

from .article import Article, Paragraph, text_digest
from .sentences import Span

__all__ = ["article_from_structure", "article_structure"]


def article_structure(article: Article) -> str:
    """JSON of the article's paragraph and sentence spans: ``[[start, end, [[start, end], ...]], ...]``."""
    return json.dumps([[p.start, p.end, [[s.start, s.end] for s in p.sentences]] for p in article.paragraphs],
                      separators=(",", ":"))


def article_from_structure(text: str, structure: str, *, source: str, title: str) -> Article:
    """The article rebuilt from ``text`` and its :func:`article_structure` (no sentence splitting).

    Raises ValueError (``json.JSONDecodeError`` included) or TypeError when the spans are not JSON of that shape,
    do not fit the text, or hold no paragraph.
    """
    paragraphs = []
    for number, (start, end, sentences) in enumerate(json.loads(structure), start=1):
        spans = tuple(Span(int(s), int(e)) for s, e in sentences)
        if not (0 <= start < end <= len(text)) or any(not (start <= s.start < s.end <= end) for s in spans):
            raise ValueError(f"paragraph {number} does not fit the text")
        paragraphs.append(Paragraph(number, int(start), int(end), text[start:end], spans))
    if not paragraphs:
        raise ValueError("no paragraphs")
    return Article(text, tuple(paragraphs), title, source, text_digest(text))
