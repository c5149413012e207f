"""A bounded, shared pool of article indexes keyed by content digest and model (least recently used out)."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..defaults import DEFAULT_MEMORY_MB
from ..models import Encoder
from ..text import Article
from ..vectors import EmbeddingCache
from .index import ArticleIndex, build_index

log = logging.getLogger(__name__)

UNUSED_VECTORS_AGE_S = 24 * 3600
LEXICAL_BYTES_PER_CHAR = 8  # per lexical index and character of text: 1,000 indexes measured at ~180 MB resident


def index_nbytes(index: ArticleIndex) -> int:
    """Estimated resident bytes of one index: its arrays exactly, its lexical indexes by text size, its
    cues and names as they estimate themselves, and a large article's int8 copy."""
    arrays = (index.paragraph_vectors, index.sentence_vectors, index.sentence_paragraph,
              index.paragraph_first_sentence)
    lexical = LEXICAL_BYTES_PER_CHAR * 2 * len(index.article.text)
    approximate = index.approximate.nbytes if index.approximate is not None else 0
    return sum(a.nbytes for a in arrays) + lexical + index.cues.nbytes + approximate


@dataclass(frozen=True, slots=True)
class PoolStats:
    """What the pool holds and how often it had to build."""

    indexes: int
    bytes: int
    limit: int
    hits: int
    builds: int
    evictions: int


class IndexPool:
    """Indexes shared by every library holding the same text, at most ``memory_mb`` of them.

    An evicted index is rebuilt on its next use without encoding: from its vectors saved beside the
    embedding cache (``CACHE_DIR/indexes``, one small file per text and model), else through the
    embedding cache. The index just used is never evicted, so one article larger than the limit
    still serves.
    """

    def __init__(self, encoder: Encoder, cache: EmbeddingCache, *, memory_mb: int = DEFAULT_MEMORY_MB) -> None:
        self.encoder = encoder
        self.cache = cache
        self.limit = memory_mb * 1024 * 1024
        self._indexes: OrderedDict[tuple[str, str], tuple[ArticleIndex, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._building: dict[tuple[str, str], threading.Lock] = {}
        self.hits = self.builds = self.evictions = 0

    def key(self, article: Article) -> tuple[str, str]:
        """The pool key of an article: its text digest and the model's identity."""
        return article.digest, self.encoder.identity

    def get(self, article: Article) -> ArticleIndex:
        """The index of ``article``: from the pool, or built (through the embedding cache) and kept."""
        key = self.key(article)
        with self._lock:
            found = self._touch(key)
            if found is not None:
                return found
            building = self._building.setdefault(key, threading.Lock())
        with building:  # one build per text, however many questions wait for it
            with self._lock:
                found = self._touch(key)
                if found is not None:
                    return found
            index = self._rebuild(article) or build_index(article, self.encoder, self.cache)
            self._save_vectors(index)
            self.put(index)
        with self._lock:
            self._building.pop(key, None)
        return index

    def put(self, index: ArticleIndex) -> None:
        """Keep ``index`` as the most recently used, evicting the least recently used past the limit."""
        key = self.key(index.article)
        size = index_nbytes(index)
        with self._lock:
            self.builds += 1
            old = self._indexes.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._indexes[key] = (index, size)
            self._bytes += size
            self._evict()

    def resize(self, memory_mb: float) -> None:
        """Change the memory limit, evicting at once down to it."""
        with self._lock:
            self.limit = int(memory_mb * 1024 * 1024)
            self._evict()

    def _evict(self) -> None:
        """Drop least recently used indexes past the limit, never the most recent one (lock held)."""
        while self._bytes > self.limit and len(self._indexes) > 1:
            evicted_key, (_, evicted_size) = self._indexes.popitem(last=False)
            self._bytes -= evicted_size
            self.evictions += 1
            log.debug("evicted index %s (%d bytes)", evicted_key[0][:12], evicted_size)

    def vectors_path(self, article: Article) -> Path | None:
        """Where an index's vectors are kept beside the embedding cache (None: memory-only cache)."""
        directory = self.cache.directory
        if directory is None:
            return None
        model = hashlib.sha256(self.encoder.identity.encode()).hexdigest()[:12]
        return directory / "indexes" / f"{article.digest[:40]}-{model}.npy"

    def _rebuild(self, article: Article) -> ArticleIndex | None:
        """The index rebuilt from its saved vectors (one small file, nothing encoded), if they fit."""
        path = self.vectors_path(article)
        if path is None or not path.exists():
            return None
        try:
            vectors = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as error:
            log.warning("cannot read index vectors %s (%s); embedding through the cache", path, error)
            return None
        rows = len(article.paragraphs) + sum(len(p.sentences) for p in article.paragraphs)
        if vectors.ndim != 2 or len(vectors) != rows or vectors.dtype != np.float32:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # last used now: kept by remove_unused_vectors for another day
        return build_index(article, self.encoder, self.cache, vectors=vectors)

    def _save_vectors(self, index: ArticleIndex) -> None:
        path = self.vectors_path(index.article)
        if path is None or path.exists():
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                np.save(out, np.concatenate([index.paragraph_vectors, index.sentence_vectors]))
            os.replace(temp, path)
        except OSError as error:
            log.debug("cannot save index vectors %s: %s", path, error)

    def remove_unused_vectors(self, digests: Iterable[str], *, older_than_s: float = UNUSED_VECTORS_AGE_S) -> int:
        """Delete saved index vectors of texts other than ``digests`` and those in the pool, last used
        more than ``older_than_s`` ago; returns how many files went."""
        if self.cache.directory is None:
            return 0
        with self._lock:
            held = {digest for digest, _ in self._indexes}
        return remove_unused_vectors(self.cache.directory / "indexes", {*digests, *held}, older_than_s=older_than_s)

    def holds(self, article: Article) -> bool:
        """True when the article's index is in memory now."""
        with self._lock:
            return self.key(article) in self._indexes

    def _touch(self, key: tuple[str, str]) -> ArticleIndex | None:
        entry = self._indexes.get(key)
        if entry is None:
            return None
        self._indexes.move_to_end(key)
        self.hits += 1
        return entry[0]

    def stats(self) -> PoolStats:
        """A snapshot of the pool."""
        with self._lock:
            return PoolStats(len(self._indexes), self._bytes, self.limit, self.hits, self.builds, self.evictions)


def remove_unused_vectors(folder: Path, keep: set[str], *, older_than_s: float = UNUSED_VECTORS_AGE_S,
                          now: float | None = None) -> int:
    """Delete index vectors files (``<digest[:40]>-<model>.npy``) in ``folder`` whose text digest is not in
    ``keep`` and that were last written or read more than ``older_than_s`` ago; returns how many went."""
    kept = {digest[:40] for digest in keep}
    cutoff = (time.time() if now is None else now) - older_than_s
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not entry.name.endswith(".npy") or entry.name.split("-", 1)[0] in kept:
            continue
        try:
            if entry.stat().st_mtime >= cutoff:
                continue
            os.unlink(entry.path)
            removed += 1
        except OSError as error:  # vanished meanwhile, or not ours to delete
            log.debug("cannot remove index vectors %s: %s", entry.path, error)
    if removed:
        log.info("removed %d unused index vectors files from %s", removed, folder)
    return removed
