"""The engine seen from the event loop: every call that encodes or reads files runs in a thread."""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from embeddings.answer import Answer
from embeddings.article import Article, kind_for_name, parse_bytes
from embeddings.service import ArticleService, ReloadReport
from embeddings.summary import Summary

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class EngineStatus:
    """What /status shows."""

    title: str
    source: str
    paragraphs: int
    sentences: int
    model: str
    loaded_at: float
    cache_hits: int
    cache_encoded: int
    cache_rebuilt: bool


class AsyncEngine:
    """Runs the synchronous ArticleService off the event loop (answers and reloads apart)."""

    def __init__(self, service: ArticleService, configured_source: str, *, answer_threads: int = 4) -> None:
        self.service = service
        self.configured_source = configured_source
        self._answers = ThreadPoolExecutor(answer_threads, thread_name_prefix="answer")
        self._reloads = ThreadPoolExecutor(1, thread_name_prefix="reload")

    async def _run(self, pool: ThreadPoolExecutor, func, *args, **kwargs):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(pool, lambda: func(*args, **kwargs))

    async def start(self) -> ReloadReport | None:
        """Load the configured article (and the model) if nothing is serving yet."""
        if self.service.loaded:
            return None
        return await self._run(self._reloads, self.service.reload, self.configured_source)

    async def answer(self, question: str, *, follow_up_of: str | None = None) -> Answer:
        """Answer in a worker thread."""
        return await self._run(self._answers, self.service.answer, question, follow_up_of=follow_up_of)

    async def summarize(self, sentences: int, topic: str | None) -> Summary:
        """Summarise in a worker thread."""
        return await self._run(self._answers, self.service.summarize, sentences, topic)

    async def reload_source(self) -> ReloadReport:
        """Re-read the configured source file."""
        return await self._run(self._reloads, self.service.reload, self.configured_source)

    async def reload_bytes(
        self, data: bytes, *, name: str, source: str, content_type: str | None, max_bytes: int
    ) -> ReloadReport:
        """Parse uploaded or fetched bytes and swap them in; errors leave the old article serving."""
        kind = kind_for_name(name, content_type)

        def work() -> ReloadReport:
            article: Article = parse_bytes(
                data, source=source, kind=kind, max_bytes=max_bytes, budget=self.service.parse_budget()
            )
            return self.service.reload_article(article)

        return await self._run(self._reloads, work)

    def status(self) -> EngineStatus:
        """A snapshot of what is serving (cheap; no I/O)."""
        index = self.service.index
        article = index.article
        return EngineStatus(
            title=article.title,
            source=article.source,
            paragraphs=len(article.paragraphs),
            sentences=index.sentence_count,
            model=index.model,
            loaded_at=index.built_at,
            cache_hits=index.cache.hits,
            cache_encoded=index.cache.encoded,
            cache_rebuilt=index.cache.rebuilt,
        )

    @property
    def loaded_at(self) -> float:
        """When the serving index was built (epoch seconds)."""
        return self.service.index.built_at if self.service.loaded else time.time()

    def close(self) -> None:
        """Stop the worker threads (a parse in progress gives up, so exiting does not wait for it)."""
        self.service.stop()
        self._answers.shutdown(wait=False, cancel_futures=True)
        self._reloads.shutdown(wait=False, cancel_futures=True)
