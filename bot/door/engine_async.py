"""The engine seen from the event loop, and the bot's only door into it.

Every call that encodes, parses or reads files runs in a worker thread. Knowledge is scoped: a
question asked in a channel with its own library is answered from it, else from its guild's library,
else from the default article; libraries are read from the store on a scope's first use (nothing at
startup), and every load is indexed and stored before it is swapped in, so a failed load changes nothing.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from embeddings.answers import (
    Answer,
    ArticleRef,
    ArticleService,
    Library,
    LibraryError,
    QuestionGroup,
    ReloadReport,
    Summary,
    group_questions,
)
from embeddings.ranking import builds_requested_by
from embeddings.text import Article, ArticleKind, kind_for_name, parse_bytes

from ..storage import LibraryStore, Origin, Scope, StorageError, StoredArticle
from .engine_types import (
    ArticleInfo,
    EngineStatus,
    LoadMode,
    LoadResult,
    Place,
    ServedAnswer,
    article_from_store,
    combined_report,
    library_entry,
    new_version,
)

__all__ = ["ArticleInfo", "AsyncEngine", "EngineStatus", "LoadMode", "LoadResult", "Place", "ServedAnswer"]

log = logging.getLogger(__name__)

Fetch = Callable[[str], Awaitable[tuple[bytes, str, str | None]]]  # url -> (data, name, content type)


def _as_owner(owner: int | None, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)``, any e5 index build it queues being ``owner``'s (a guild: builds are
    taken round-robin between guilds)."""
    with builds_requested_by(owner):
        return func(*args, **kwargs)


def without_text(row: StoredArticle) -> StoredArticle:
    """A stored row's provenance without its text (the library holds the text once)."""
    return dataclasses.replace(row, text="", structure=None)


class AsyncEngine:
    """Runs the synchronous ArticleService off the event loop (answers and loads apart), per scope."""

    def __init__(
        self, service: ArticleService, configured_source: str, *, store: LibraryStore | None = None,
        answer_threads: int = 4, max_articles: int | None = None,
    ) -> None:
        self._service = service
        self.configured_source = configured_source
        self.store = store
        self.max_articles = max_articles or service.max_articles
        self._libraries: dict[Scope, Library | None] = {}  # None: the scope stores nothing
        self._stored: dict[Scope, dict[str, StoredArticle]] = {}
        self._locks: dict[Scope | None, asyncio.Lock] = {}
        self._answers = ThreadPoolExecutor(answer_threads, thread_name_prefix="answer")
        self._reloads = ThreadPoolExecutor(1, thread_name_prefix="reload")

    async def _run(self, pool: ThreadPoolExecutor, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(pool, lambda: func(*args, **kwargs))

    def _lock(self, scope: Scope | None) -> asyncio.Lock:
        return self._locks.setdefault(scope, asyncio.Lock())

    # -- resolving a place to its library ------------------------------------------------------------
    async def start(self) -> ReloadReport | None:
        """Load the default article (and the model) if nothing is serving yet; no guild's library."""
        if self._service.loaded:
            return None
        report = await self._run(self._reloads, self._service.reload, self.configured_source)
        await self._record_default(report, None)
        return report

    async def _record_default(self, report: ReloadReport, loaded_by: int | None) -> None:
        if self.store is None:
            return
        article = self._service.library.latest.article
        try:
            await self.store.record_default(new_version(article, kind_for_name(article.source), report), loaded_by)
        except StorageError as error:
            log.error("could not record the default article's version: %s", error)

    async def _scope_library(self, scope: Scope) -> Library | None:
        if scope in self._libraries:
            return self._libraries[scope]
        if self.store is None:
            return None
        try:
            stored = await self.store.articles(scope)
        except StorageError as error:  # answer from the next scope now; ask the store again next time
            log.error("cannot read the library of %s: %s", scope, error)
            return None
        library = None
        if stored:
            articles = await self._run(self._answers, lambda: [article_from_store(s) for s in stored])
            library = Library(tuple(library_entry(s, a) for s, a in zip(stored, articles, strict=True)))
        self._libraries[scope] = library
        if stored:
            self._stored[scope] = {str(s.id): without_text(s) for s in stored}
        return library

    async def serving(self, place: Place | None = None) -> tuple[Scope | None, Library]:
        """The scope whose library answers at ``place`` (None: the default article) and that library."""
        for scope in (place or Place()).scopes():
            library = await self._scope_library(scope)
            if library is not None:
                return scope, library
        if not self._service.loaded:
            await self.start()
        return None, self._service.library

    # -- questions -----------------------------------------------------------------------------------
    async def answer(self, question: str, *, place: Place | None = None, follow_up_of: str | None = None) -> Answer:
        """Answer from the library serving ``place``, in a worker thread (see :meth:`served_answer`)."""
        return (await self.served_answer(question, place=place, follow_up_of=follow_up_of)).answer

    async def served_answer(self, question: str, *, place: Place | None = None,
                            follow_up_of: str | None = None) -> ServedAnswer:
        """:meth:`answer`, with the scope whose library answered (what corrections of it follow). The worker
        thread never waits for an index build: a question the cross-lingual route would answer better once
        its article's e5 index is built gets the fast route's answer marked ``index_pending`` (the build
        queued as the guild's; await :meth:`index_built`, then ask again)."""
        scope, library = await self.serving(place)
        owner = place.guild_id if place is not None else None
        answer = await self._run(self._answers, _as_owner, owner, self._service.answer_in, library, question,
                                 follow_up_of=follow_up_of)
        return ServedAnswer(answer, scope)

    async def index_built(self, place: Place | None = None, *, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds, holding no thread, for the e5 index builds queued or running for
        the library serving ``place``; True when none is left (built, or failed: ask again to know)."""
        _, library = await self.serving(place)
        builds = self._service.index_builds(library)  # dictionary look-ups: fine on the loop
        if not builds:
            return True
        _, waiting = await asyncio.wait([asyncio.wrap_future(build) for build in builds], timeout=timeout)
        return not waiting

    async def summarize(
        self, sentences: int, topic: str | None, *, place: Place | None = None, article_id: str | None = None
    ) -> Summary:
        """Summarise one article serving ``place`` (default: the most recently loaded)."""
        _, library = await self.serving(place)
        return await self._run(self._answers, self._service.summarize_in, library, sentences, topic, article_id)

    async def articles(self, place: Place | None = None) -> list[ArticleInfo]:
        """Every article serving ``place``, oldest first."""
        scope, library = await self.serving(place)
        stored = self._stored.get(scope, {}) if scope else {}
        infos = []
        for entry in library.entries:
            row = stored.get(entry.ref.id)
            infos.append(ArticleInfo(entry.ref, len(entry.article.paragraphs), row.loaded_by if row else None,
                                     row.origin if row else "file", scope))
        return infos

    async def group_questions(self, questions: list[str]) -> list[QuestionGroup]:
        """Similar questions grouped (embedded in a worker thread)."""
        if not questions:
            return []
        vectors: np.ndarray = await self._run(self._answers, self._service.encoder.encode, questions)
        return group_questions(questions, vectors)

    # -- loads ---------------------------------------------------------------------------------------
    async def load_bytes(
        self, data: bytes, *, name: str, source: str, content_type: str | None, max_bytes: int,
        scope: Scope | None = None, mode: LoadMode = "replace", origin: Origin = "upload",
        loaded_by: int | None = None,
    ) -> LoadResult:
        """Parse, index and store an article for ``scope`` (None: the default article), then swap it in.

        ``replace`` makes it the scope's whole library, ``add`` adds it. Any error (bad bytes, no text,
        too many articles, the store unavailable) leaves the scope serving what it served.
        """
        kind = kind_for_name(name, content_type)
        budget = self._service.parse_budget()
        article: Article = await self._run(
            self._reloads, lambda: parse_bytes(data, source=source, kind=kind, max_bytes=max_bytes, budget=budget,
                                              content_type=content_type)
        )
        return await self.load_article(article, kind=kind, scope=scope, mode=mode, origin=origin, loaded_by=loaded_by)

    async def load_article(
        self, article: Article, *, kind: ArticleKind = "text", scope: Scope | None = None, mode: LoadMode = "replace",
        origin: Origin = "upload", loaded_by: int | None = None,
    ) -> LoadResult:
        """Index and store an already parsed article (see :meth:`load_bytes`)."""
        if scope is None:
            work = self._service.reload_article if mode == "replace" else self._service.add_article
            async with self._lock(None):
                report = await self._run(self._reloads, work, article)
                await self._record_default(report, loaded_by)
            return LoadResult(report, None, len(self._service.library.entries))
        if self.store is None:
            raise LibraryError("This bot has no data store, so it cannot keep a server's articles.")
        async with self._lock(scope):
            current = await self._scope_library(scope)
            if mode == "add" and current is not None:
                current.check_room(article.digest, self.max_articles)  # before any work
            previous = (current or (await self.serving(Place(scope.guild_id)))[1]).latest.article
            report: ReloadReport = await self._run(
                self._reloads, _as_owner, scope.guild_id, self._service.prepare, article,
                previous if mode == "replace" else None,
            )
            version = new_version(article, kind, report)
            replacing = mode == "replace" or current is None
            write = self.store.replace if replacing else self.store.add
            stored = await write(scope, version, origin, loaded_by)
            entry = library_entry(stored, article)
            library = Library((entry,)) if current is None or replacing else current.adding(entry, self.max_articles)
            self._libraries[scope] = library  # the swap, once stored
            rows = {} if replacing else dict(self._stored.get(scope, {}))
            self._stored[scope] = {k: v for k, v in rows.items() if k in {e.ref.id for e in library.entries}}
            self._stored[scope][entry.ref.id] = without_text(stored)
        log.info("%s %s for %s: %s", mode, article.source, scope, report.describe())
        return LoadResult(report, scope, len(library.entries), entry.ref.id)

    async def remove(self, scope: Scope, article_id: str) -> tuple[ArticleRef, int]:
        """Take an article out of a scope's library; returns it and how many articles remain there
        (0: the scope falls back to its guild's library or the default article)."""
        if self.store is None:
            raise LibraryError("This bot has no data store.")
        async with self._lock(scope):
            current = await self._scope_library(scope)
            if current is None:
                raise LibraryError(f"{scope.describe().capitalize()} has no articles of its own to remove.")
            entry = current.find(article_id)
            remaining = tuple(e for e in current.entries if e is not entry)
            if not await self.store.remove(scope, int(article_id)):
                raise LibraryError(f"No article {article_id!r} here: see /article list.")
            self._libraries[scope] = Library(remaining) if remaining else None
            self._stored.get(scope, {}).pop(article_id, None)
        return entry.ref, len(remaining)

    async def reload_sources(self, scope: Scope | None, *, fetch: Fetch, max_bytes: int,
                             loaded_by: int | None = None) -> LoadResult:
        """Reload a scope's articles from their sources: URLs fetched again, uploads re-parsed from what
        was stored; with no library of its own, the configured default article is re-read."""
        current = await self._scope_library(scope) if scope is not None else None
        if scope is None or current is None or self.store is None:
            async with self._lock(None):
                report = await self._run(self._reloads, self._service.reload, self.configured_source)
                await self._record_default(report, loaded_by)
            return LoadResult(report, None, len(self._service.library.entries))
        async with self._lock(scope):
            # the text as stored is the text serving now (kept once, in the library); parsed again
            stored = [dataclasses.replace(self._stored[scope][e.ref.id], text=e.article.text) for e in current.entries]
            fresh: list[tuple[StoredArticle, Article, ArticleKind]] = []
            for row in stored:  # parse everything first: one failure changes nothing
                kind = row.kind
                if row.origin == "url":
                    data, name, content_type = await fetch(row.source)
                    kind = kind_for_name(name, content_type)
                    parse = functools.partial(parse_bytes, data, source=row.source, kind=kind, max_bytes=max_bytes,
                                              budget=self._service.parse_budget(), content_type=content_type)
                    article = await self._run(self._reloads, parse)
                else:
                    article = await self._run(self._reloads, article_from_store, row)
                fresh.append((row, article, kind))
            by_id = {e.ref.id: e for e in current.entries}
            reports, changes = [], []
            for row, article, kind in fresh:  # index everything, then store every version in one transaction
                report = await self._run(self._reloads, self._service.prepare, article, by_id[str(row.id)].article)
                changes.append((row, new_version(article, kind, report)))
                reports.append(report)
            updated = await self.store.update_all(changes, loaded_by)
            entries = [library_entry(row, article) for row, (_, article, _) in zip(updated, fresh, strict=True)]
            for row in updated:
                self._stored[scope][str(row.id)] = without_text(row)
            self._libraries[scope] = Library(tuple(entries))
        return LoadResult(combined_report(reports), scope, len(entries), reports=tuple(reports))

    async def in_load_thread(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``func`` (CPU work that belongs to a load, e.g. comparing versions) in the load thread."""
        return await self._run(self._reloads, func, *args, **kwargs)

    # -- status --------------------------------------------------------------------------------------
    async def status(self, place: Place | None = None) -> EngineStatus:
        """What serves ``place``: its most recently loaded article, the library size, cache and pool."""
        _, library = await self.serving(place)
        entry = library.latest
        index = await self._run(self._answers, self._service.pool.get, entry.article)
        return EngineStatus(
            title=entry.ref.title, source=entry.ref.source, paragraphs=len(entry.article.paragraphs),
            sentences=index.sentence_count, model=index.model, loaded_at=entry.ref.loaded_at,
            articles=len(library.entries), cache_hits=index.cache.hits, cache_encoded=index.cache.encoded,
            cache_rebuilt=index.cache.rebuilt, pool=self._service.pool.stats(),
        )

    async def remove_unused_vectors(self) -> int:
        """Delete day-old saved index vectors no stored library uses (without a store: nothing)."""
        if self.store is None:
            return 0
        serving = {entry.article.digest for entry in self._service.library.entries} if self._service.loaded else set()
        return await self._run(self._answers, self._service.pool.remove_unused_vectors,
                               serving | await self.store.digests_in_use())

    def forget_user(self, user_id: int) -> None:
        """After /forget-me: the articles a user loaded no longer name them (as in the store)."""
        for rows in self._stored.values():
            for key, row in list(rows.items()):
                if row.loaded_by == user_id:
                    rows[key] = dataclasses.replace(row, loaded_by=None)

    def forget_guild(self, guild_id: int) -> None:
        """Drop a guild's libraries from memory (its stored data is purged separately)."""
        for scope in [s for s in self._libraries if s.guild_id == guild_id]:
            self._libraries.pop(scope, None)
            self._stored.pop(scope, None)

    def close(self) -> None:
        """Stop a load in progress, then the worker threads."""
        self._service.stop()
        self._answers.shutdown(wait=False, cancel_futures=True)
        self._reloads.shutdown(wait=False, cancel_futures=True)
