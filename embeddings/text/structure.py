"""The article's span codec: its paragraph and sentence spans as compact JSON (what the store keeps beside the
text), and the article rebuilt from the text and those spans exactly as it was parsed, with no sentence splitting.
"""

from __future__ import annotations

import json

from .article import Article, Paragraph, text_digest
from .sentences import Span

__all__ = ["article_from_structure", "article_structure"]


def _entry(p: Paragraph) -> list:
    entry: list = [p.start, p.end, [[s.start, s.end] for s in p.sentences]]
    if p.page is not None:
        entry += [p.page, p.page_paragraph]
    return entry


def article_structure(article: Article) -> str:
    """JSON of the article's paragraph and sentence spans: ``[[start, end, [[start, end], ...]], ...]``; a
    paragraph with a page (a PDF's) adds its page and its number there: ``[start, end, [...], page, n]``."""
    return json.dumps([_entry(p) for p in article.paragraphs], separators=(",", ":"))


def article_from_structure(text: str, structure: str, *, source: str, title: str) -> Article:
    """The article rebuilt from ``text`` and its :func:`article_structure` (no sentence splitting); structures
    stored before pages were kept (three items a paragraph) read as paragraphs without a page.

    Raises ValueError (``json.JSONDecodeError`` included) or TypeError when the spans are not JSON of that shape,
    do not fit the text, or hold no paragraph.
    """
    paragraphs = []
    for number, entry in enumerate(json.loads(structure), start=1):
        if len(entry) not in (3, 5):
            raise ValueError(f"paragraph {number} is not [start, end, sentences(, page, n)]")
        start, end, sentences = entry[:3]
        page, on_page = (int(entry[3]), int(entry[4])) if len(entry) == 5 else (None, None)
        spans = tuple(Span(int(s), int(e)) for s, e in sentences)
        if not (0 <= start < end <= len(text)) or any(not (start <= s.start < s.end <= end) for s in spans):
            raise ValueError(f"paragraph {number} does not fit the text")
        if page is not None and (page < 1 or on_page is None or on_page < 1):
            raise ValueError(f"paragraph {number} has no valid page")
        paragraphs.append(Paragraph(number, int(start), int(end), text[start:end], spans, page, on_page))
    if not paragraphs:
        raise ValueError("no paragraphs")
    return Article(text, tuple(paragraphs), title, source, text_digest(text))
