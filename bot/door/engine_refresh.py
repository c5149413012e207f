"""A new version of one library article from freshly fetched bytes, only when its paragraphs changed.

The engine's other side of a scheduled refresh (kept apart from engine_async.py, which is at its
size limit): parse in a worker thread, compare paragraph texts with what serves now, and when they
differ index, store and swap the one article exactly as /reload does, under the scope's lock.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from embeddings.answers import Library, LibraryError, ReloadReport
from embeddings.text import (
    Article,
    ArticleKind,
    ParagraphDiff,
    check_article,
    check_not_shrunk,
    kind_for_name,
    parse_bytes,
)

from ..storage import Scope
from .engine_async import AsyncEngine, without_text
from .engine_types import library_entry, new_version


@dataclass(frozen=True, slots=True)
class ArticleUpdate:
    """What a refresh swapped in: both versions' digests, titles and paragraph texts, and the report."""

    old_version: str
    new_version: str
    title: str
    source: str
    old_paragraphs: tuple[str, ...]
    new_paragraphs: tuple[str, ...]
    report: ReloadReport
    at: float
    diff: ParagraphDiff  # computed with the load, in the load thread


async def parse_page(engine: AsyncEngine, data: bytes, *, name: str, source: str, content_type: str | None,
                     max_bytes: int) -> tuple[Article, ArticleKind]:
    """Parse fetched bytes in the engine's load thread (a page with no article text raises ArticleError)."""
    kind = kind_for_name(name, content_type)
    parse = functools.partial(parse_bytes, data, source=source, kind=kind, max_bytes=max_bytes,
                              budget=engine._service.parse_budget(), content_type=content_type)
    return await engine._run(engine._reloads, parse), kind


def _checked_prepare(engine: AsyncEngine, article: Article, previous: Article) -> ReloadReport:
    """In the load thread (CPU work: never on the event loop): refuse a thin or junk page, or one that lost
    most of ``previous``'s text (ArticleError; a thin or junk page says more than its length), else index
    ``article`` as the new version of ``previous``."""
    check_article(article, engine._service.requirements)
    check_not_shrunk(previous, article)
    return engine._service.prepare(article, previous)


async def refresh_article(engine: AsyncEngine, scope: Scope, article_id: str, article: Article,
                          kind: ArticleKind) -> ArticleUpdate | None:
    """Make ``article`` the new version of library article ``article_id`` of ``scope`` when its paragraphs
    differ from the serving version's (None: the same paragraphs, nothing stored or swapped).

    Raises LibraryError when the article is no longer there, ArticleError when the new text is too
    thin to be an article, a wall or challenge page, or lost most of the serving version's text
    (ArticleShrankError); either way the serving version stays.
    """
    if engine.store is None:
        raise LibraryError("This bot has no data store.")
    async with engine._lock(scope):
        current = await engine._scope_library(scope)
        if current is None:
            raise LibraryError(f"{scope.describe().capitalize()} has no articles of its own any more.")
        entry = current.find(article_id)
        before, after = entry.article.paragraph_texts, article.paragraph_texts
        if before == after:
            return None
        report: ReloadReport = await engine._run(engine._reloads, _checked_prepare, engine, article, entry.article)
        row = engine._stored[scope][article_id]
        stored = await engine.store.update(row, new_version(article, kind, report), None)
        fresh = library_entry(stored, article)
        engine._libraries[scope] = Library(tuple(fresh if e is entry else e for e in current.entries))
        engine._stored[scope][article_id] = without_text(stored)
    assert report.changes is not None  # prepare() always compares
    return ArticleUpdate(entry.article.digest, article.digest, article.title, row.source, before, after, report,
                         stored.loaded_at, report.changes)
