"""The BM25 baseline as issued: bm25s, Snowball-stemmed, bm25s's own English stop words."""

from __future__ import annotations

import logging
from functools import lru_cache

import numpy as np

from ..ranking import stemmer

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _bm25s():
    """bm25s, imported on first use (it imports scipy): only evaluation needs it."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on import
    return bm25s


class Bm25Baseline:
    """Plain BM25 over a list of texts, independent of the engine's tokenisation."""

    def __init__(self, texts: list[str]) -> None:
        self.size = len(texts)
        tokens = self._tokenize(texts)
        self._bm25 = _bm25s().BM25()
        self._bm25.index(tokens, show_progress=False)
        self._vocab = set(self._bm25.vocab_dict)

    @staticmethod
    def _tokenize(texts: list[str]) -> list[list[str]]:
        tokens = _bm25s().tokenize(
            texts, stopwords="en", stemmer=stemmer(), return_ids=False, show_progress=False
        )
        return tokens  # type: ignore[return-value]  # return_ids=False: lists of strings

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every text for ``query`` (zeros when no query term is indexed)."""
        terms = [t for t in self._tokenize([query])[0] if t in self._vocab]
        if not terms:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(terms), dtype=np.float32)
