"""Second-encoder indexes: an article's paragraphs and sentences embedded by another model, built off
the answer path.

An :class:`~embeddings.index.ArticleIndex` holds the fast model's vectors; a :class:`SecondIndex` holds
the same rows (paragraphs, then sentences, in the index's order) embedded by a second encoder
(:class:`~embeddings.second_encoder.E5Encoder` today). :class:`SecondIndexes` keeps them per article
text: :meth:`SecondIndexes.ready` never blocks (at first need it starts the build in a background
thread and answers None until it is done), :meth:`SecondIndexes.build` builds now (evaluations). They
are kept in memory up to ``memory_mb`` (least recently used dropped, rebuilt from the cache when asked).
Vectors go through an :class:`~embeddings.cache.EmbeddingCache` under the second encoder's identity,
so a restart or another article with the same paragraphs reuses them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .article import text_digest
from .cache import EmbeddingCache
from .encoder import Encoder
from .index import ArticleIndex, sentence_texts

log = logging.getLogger(__name__)

DEFAULT_MEMORY_MB = 64  # second indexes kept in memory (least recently used dropped; rebuilt from the cache)
DEFAULT_MAX_ROWS = 5_000  # paragraphs + sentences: larger articles get no second index (e5 embeds ~10 a second)


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
    return index.article.digest or text_digest(index.article.text)


def build_second_index(index: ArticleIndex, encoder: Encoder, cache: EmbeddingCache) -> SecondIndex:
    """Embed ``index``'s paragraphs and sentences with ``encoder``, through ``cache``."""
    paragraphs = [p.text for p in index.article.paragraphs]
    vectors, stats = cache.embed(encoder, paragraphs + sentence_texts(index.article))
    return SecondIndex(article_key(index), encoder.identity, vectors[: len(paragraphs)],
                       vectors[len(paragraphs) :], stats.encoded)


def _bytes(second: SecondIndex) -> int:
    return second.paragraph_vectors.nbytes + second.sentence_vectors.nbytes


class SecondIndexes:
    """Second indexes by article text, built once each (in a background thread on the answer path)."""

    def __init__(
        self, encoder: Encoder, cache: Callable[[], EmbeddingCache], *, memory_mb: int = DEFAULT_MEMORY_MB,
        max_rows: int = DEFAULT_MAX_ROWS,
    ) -> None:
        self.encoder = encoder
        self.cache = cache  # the cache to build through (the service's, which may be swapped)
        self.memory_bytes = memory_mb * 1024 * 1024
        self.max_rows = max_rows  # an article with more paragraphs + sentences is never embedded
        self._ready: OrderedDict[str, SecondIndex] = OrderedDict()
        self._queue: deque[ArticleIndex] = deque()  # articles waiting for the builder, oldest first
        self._pending: set[str] = set()  # their digests, and the one being built
        self._builder: threading.Thread | None = None  # the one background builder, while there is work
        self._lock = threading.Lock()

    def fits(self, index: ArticleIndex) -> bool:
        """True when the article is small enough to get a second index (``max_rows``)."""
        return len(index.paragraph_vectors) + index.sentence_count <= self.max_rows

    def building(self) -> int:
        """Builds queued or in progress."""
        with self._lock:
            return len(self._pending)

    def ready(self, index: ArticleIndex) -> SecondIndex | None:
        """The second index of ``index``'s article if built; else None, the build queued for the one
        background builder (never for an article over ``max_rows``). One thread builds for every
        article: e5 encodes one call at a time, and a thread per article (a bot in many servers
        loading at once) would only wait its turn while holding its article."""
        if not self.fits(index):
            return None
        digest = article_key(index)
        with self._lock:
            found = self._ready.get(digest)
            if found is not None:
                self._ready.move_to_end(digest)
                return found
            if digest not in self._pending:
                self._pending.add(digest)
                self._queue.append(index)
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
        builder (queued now if it was not); None over ``max_rows``, after a failed build, or on time out."""
        deadline = time.monotonic() + timeout
        digest = article_key(index)
        found = self.ready(index)  # queues the build when needed
        while found is None and self.fits(index):
            with self._lock:
                found = self._ready.get(digest)
                builder, pending = self._builder, digest in self._pending
            left = deadline - time.monotonic()
            if found is not None or builder is None or not pending or left <= 0:
                return found
            builder.join(min(left, 0.05))
        return found

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

    def _build_queued(self) -> None:
        """The builder: build queued articles oldest first, then end (the next need starts another)."""
        while True:
            with self._lock:
                if not self._queue:
                    self._builder = None
                    return
                index = self._queue.popleft()
            self._build_quietly(index)

    def _build_quietly(self, index: ArticleIndex) -> None:
        digest = article_key(index)
        try:
            second = self._keep(build_second_index(index, self.encoder, self.cache()))
            log.info("second index of %s: %d rows (%d encoded)", digest[:8],
                     len(second.paragraph_vectors) + len(second.sentence_vectors), second.encoded)
        except Exception:  # a failed build leaves answers as they are; the next need retries
            log.exception("could not build the second index of %s", digest[:8])
        finally:
            with self._lock:
                self._pending.discard(digest)
