"""Second-encoder indexes: an article's paragraphs and sentences embedded by another model, built off
the answer path.

An :class:`~embeddings.ranking.index.ArticleIndex` holds the fast model's vectors; a :class:`SecondIndex` holds
the same rows (paragraphs, then sentences, in the index's order) embedded by a second encoder
(:class:`~embeddings.models.second_encoder.E5Encoder` today). :class:`SecondIndexes` keeps them per article
text: :meth:`SecondIndexes.ready` never blocks (at first need it queues the build for the one background
builder and answers None until it is done; :meth:`SecondIndexes.when_built` is a future to wait on),
:meth:`SecondIndexes.build` builds now (evaluations, the command line). The builder takes queued builds
round-robin between their owners (the servers that asked, :func:`builds_requested_by`), so one server's
queue never holds another's back, and its own e5 calls use fewer threads than the machine has cores
(``build_threads``), so answering keeps a core. They
are kept in memory up to ``memory_mb`` (least recently used dropped, rebuilt from the cache when asked).
Vectors go through an :class:`~embeddings.vectors.cache.EmbeddingCache` under the second encoder's identity,
so a restart or another article with the same paragraphs reuses them.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future, InvalidStateError
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass

import numpy as np

from ..models import Encoder
from ..text import Article, text_digest
from ..vectors import EmbeddingCache
from .index import ArticleIndex, sentence_texts

log = logging.getLogger(__name__)

DEFAULT_MEMORY_MB = 64  # second indexes kept in memory (least recently used dropped; rebuilt from the cache)
DEFAULT_MAX_ROWS = 5_000  # paragraphs + sentences: larger articles get no second index (e5 embeds ~10 a second)

# Who asks for the builds queued in this context (a server): the builder serves owners round-robin.
build_owner: ContextVar[Hashable | None] = ContextVar("build_owner", default=None)


@contextmanager
def builds_requested_by(owner: Hashable | None) -> Iterator[None]:
    """Within this block (in this thread or task), second-index builds are queued as ``owner``'s."""
    token = build_owner.set(owner)
    try:
        yield
    finally:
        build_owner.reset(token)


def default_build_threads() -> int:
    """Threads of the builder's e5 calls: one fewer than the cores (at least one), so answers keep a core."""
    return max(1, (os.cpu_count() or 1) - 1)


@dataclass(frozen=True, slots=True)
class SecondIndex:
    """One article's rows embedded by the second encoder: (P, d) paragraphs and (S, d) sentences."""

    digest: str
    model: str
    paragraph_vectors: np.ndarray
    sentence_vectors: np.ndarray
    encoded: int  # rows the build encoded (the others came from the cache)


def article_key(index: ArticleIndex) -> str:
    """What second indexes are kept by: the article's text digest (computed when the article has none)."""
    return digest_of(index.article)


def digest_of(article: Article) -> str:
    """An article's key among second indexes (see :func:`article_key`)."""
    return article.digest or text_digest(article.text)


def build_second_index(index: ArticleIndex, encoder: Encoder, cache: EmbeddingCache) -> SecondIndex:
    """Embed ``index``'s paragraphs and sentences with ``encoder``, through ``cache``."""
    paragraphs = [p.text for p in index.article.paragraphs]
    vectors, stats = cache.embed(encoder, paragraphs + sentence_texts(index.article))
    return SecondIndex(article_key(index), encoder.identity, vectors[: len(paragraphs)],
                       vectors[len(paragraphs) :], stats.encoded)


def _bytes(second: SecondIndex) -> int:
    return second.paragraph_vectors.nbytes + second.sentence_vectors.nbytes


class SecondIndexes:
    """Second indexes by article text, built once each by one background builder (see the module docstring)."""

    def __init__(
        self, encoder: Encoder, cache: Callable[[], EmbeddingCache], *, memory_mb: int = DEFAULT_MEMORY_MB,
        max_rows: int = DEFAULT_MAX_ROWS, on_builder_start: Callable[[], None] | None = None,
    ) -> None:
        self.encoder = encoder
        self.cache = cache  # the cache to build through (the service's, which may be swapped)
        self.memory_bytes = memory_mb * 1024 * 1024
        self.max_rows = max_rows  # an article with more paragraphs + sentences is never embedded
        self.on_builder_start = on_builder_start  # run in the builder thread first (e.g. limit its e5 threads)
        self._ready: OrderedDict[str, SecondIndex] = OrderedDict()
        # queued articles per owner, oldest first; owners in turn order (the next served first)
        self._queues: OrderedDict[Hashable | None, deque[ArticleIndex]] = OrderedDict()
        self._pending: dict[str, Future[SecondIndex | None]] = {}  # digest -> its build, queued or in progress
        self._builder: threading.Thread | None = None  # the one background builder, while there is work
        self._lock = threading.Lock()

    def fits(self, index: ArticleIndex) -> bool:
        """True when the article is small enough to get a second index (``max_rows``)."""
        return len(index.paragraph_vectors) + index.sentence_count <= self.max_rows

    def building(self) -> int:
        """Builds queued or in progress."""
        with self._lock:
            return len(self._pending)

    def held(self, index: ArticleIndex) -> bool:
        """True when ``index``'s article's second index is built and kept (nothing queued, nothing waited)."""
        with self._lock:
            return article_key(index) in self._ready

    def when_built(self, article: Article) -> Future[SecondIndex | None] | None:
        """The build of ``article``'s second index while it is queued or in progress (its result: the index,
        or None when the build failed), else None. For waiting without holding a thread (asyncio.wrap_future)."""
        with self._lock:
            return self._pending.get(digest_of(article))

    def ready(self, index: ArticleIndex) -> SecondIndex | None:
        """The second index of ``index``'s article if built; else None, the build queued (once, however
        often asked) for the one background builder as the current :data:`build_owner`'s (never for an
        article over ``max_rows``). One thread builds for every article: e5 encodes one call at a time,
        and a thread per article (a bot in many servers loading at once) would only wait its turn while
        holding its article; owners take turns, so a server asking for many builds delays only itself."""
        if not self.fits(index):
            return None
        digest = article_key(index)
        with self._lock:
            found = self._ready.get(digest)
            if found is not None:
                self._ready.move_to_end(digest)
                return found
            if digest not in self._pending:
                self._pending[digest] = Future()
                self._queues.setdefault(build_owner.get(), deque()).append(index)
                if self._builder is None:
                    self._builder = threading.Thread(target=self._build_queued, daemon=True, name="second-index")
                    self._builder.start()
        return None

    def build(self, index: ArticleIndex) -> SecondIndex | None:
        """The second index of ``index``'s article, built now unless already held; None over ``max_rows``."""
        if not self.fits(index):
            return None
        with self._lock:
            found = self._ready.get(article_key(index))
        return found if found is not None else self._keep(build_second_index(index, self.encoder, self.cache()))

    def wait_for(self, index: ArticleIndex, timeout: float) -> SecondIndex | None:
        """The second index of ``index``'s article, waiting up to ``timeout`` seconds for the background
        builder (queued now if it was not); None over ``max_rows``, after a failed build, or on time out.
        Blocks the calling thread: the command line only (the bot waits on :meth:`when_built`)."""
        found = self.ready(index)  # queues the build when needed
        if found is not None or not self.fits(index):
            return found
        build = self.when_built(index.article)
        if build is not None:
            try:
                return build.result(timeout)
            except TimeoutError:
                return None
        with self._lock:
            return self._ready.get(article_key(index))

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the builds queued or in progress (tests, shutdown), at most ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                builder = self._builder
            if builder is None:
                return
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return
            builder.join(left)

    def _keep(self, second: SecondIndex) -> SecondIndex:
        with self._lock:
            self._ready[second.digest] = second
            self._ready.move_to_end(second.digest)
            while len(self._ready) > 1 and sum(map(_bytes, self._ready.values())) > self.memory_bytes:
                self._ready.popitem(last=False)
        return second

    def _next(self) -> ArticleIndex | None:
        """The next build: the head of the first owner's queue, that owner then going last. Under the lock."""
        while self._queues:
            owner, queue = next(iter(self._queues.items()))
            self._queues.move_to_end(owner)
            if queue:
                index = queue.popleft()
                if not queue:
                    del self._queues[owner]
                return index
            del self._queues[owner]
        return None

    def _build_queued(self) -> None:
        """The builder: build queued articles, owners in turn, then end (the next need starts another)."""
        if self.on_builder_start is not None:
            try:
                self.on_builder_start()
            except Exception:  # e.g. the e5 engine missing: the build itself reports it
                log.exception("second-index builder setup failed")
        while True:
            with self._lock:
                index = self._next()
                if index is None:
                    self._builder = None
                    return
            self._build_quietly(index)

    def _build_quietly(self, index: ArticleIndex) -> None:
        digest = article_key(index)
        second = None
        try:
            second = self._keep(build_second_index(index, self.encoder, self.cache()))
            log.info("second index of %s: %d rows (%d encoded)", digest[:8],
                     len(second.paragraph_vectors) + len(second.sentence_vectors), second.encoded)
        except Exception:  # a failed build leaves answers as they are; the next need retries
            log.exception("could not build the second index of %s", digest[:8])
        finally:
            with self._lock:
                build = self._pending.pop(digest, None)
            if build is not None:
                with suppress(InvalidStateError):  # a waiter cancelled it: nobody else waits on this one
                    build.set_result(second)
