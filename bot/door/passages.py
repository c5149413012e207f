"""The paragraphs an answer cited, found again in the articles serving now (by text digest)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from embeddings.answers import Library
from embeddings.text import Article

from ..storage import CitedParagraph


@dataclass(frozen=True, slots=True)
class CitedPassages:
    """Per article serving now, the numbers the cited paragraphs have there now, and how many cited paragraphs
    changed or went (found nowhere)."""

    articles: tuple[tuple[Article, list[int]], ...]
    missing: int


def cited_passages(library: Library, cited: Sequence[CitedParagraph]) -> CitedPassages:
    """Each cited paragraph found by digest in ``library``: in the article that answered when it is still
    there, else in any article serving now."""
    found: dict[str, list[int]] = {}
    articles: dict[str, Article] = {}
    missing = 0
    for paragraph in cited:
        candidates = [e for e in library.entries if e.ref.id == paragraph.article_id] or list(library.entries)
        hit = next(((e, p.number) for e in candidates for p in e.article.paragraphs if p.digest == paragraph.digest),
                   None)
        if hit is None:
            missing += 1
            continue
        entry, number = hit
        articles[entry.ref.id] = entry.article
        found.setdefault(entry.ref.id, []).append(number)
    return CitedPassages(tuple((articles[key], numbers) for key, numbers in found.items()), missing)
