"""BM25 (bm25s, stemmed, English stopwords) plus query-term coverage, over any list of texts."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import numpy as np

log = logging.getLogger(__name__)

# Measured on SQuAD part A: k1 = 0.9 beats bm25s's 1.5 (sentences are short, so a term's
# first occurrence says most); b is the usual 0.75.
K1 = 0.9
B = 0.75
_WORD = re.compile(r"(?u)\b\w\w+\b")  # bm25s's token pattern

# bm25s's English list (33 Lucene words) keeps question words; these are dropped too.
EXTRA_STOPWORDS = frozenset(
    """
    what which who whom whose when where why how did does do doing done has have had having was were
    am been being i me my we our you your he him his she her they them their its it's from about
    also can could would should shall will may might must than so very just any all both each few
    more most other some such only own same too s t don now then there here out up down over under
    again further once during before after above below between into through off until while whether
    according said says say tell told
    """.split()
)


@lru_cache(maxsize=1)
def _stopwords() -> list[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return sorted(set(STOPWORDS_EN) | EXTRA_STOPWORDS)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _bm25s():
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on import
    return bm25s


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stop-worded, stemmed tokens for each text."""
    return _bm25s().tokenize(  # type: ignore[return-value]  # return_ids=False: lists of strings
        texts, stopwords=_stopwords(), stemmer=_stemmer(), return_ids=False, show_progress=False
    )


class LexicalIndex:
    """BM25 scores and IDF-weighted term coverage of a query against each text."""

    def __init__(self, texts: list[str], *, k1: float = K1, b: float = B) -> None:
        self.size = len(texts)
        tokens = tokenize(texts)
        self._bm25 = _bm25s().BM25(k1=k1, b=b)
        if any(tokens):
            self._bm25.index(tokens, show_progress=False)
            self._vocab: dict[str, int] = dict(self._bm25.vocab_dict)
        else:  # nothing indexable (e.g. only one-letter words): every score is zero
            self._vocab = {}
        document_frequency = np.zeros(len(self._vocab) + 1, dtype=np.float32)
        self._doc_terms: list[frozenset[int]] = []
        for doc in tokens:
            ids = frozenset(self._vocab[token] for token in doc if token in self._vocab)
            self._doc_terms.append(ids)
            for term in ids:
                document_frequency[term] += 1
        n = max(self.size, 1)
        self._idf = np.log1p((n - document_frequency + 0.5) / (document_frequency + 0.5))
        self._unknown_idf = float(np.log1p((n + 0.5) / 0.5))

    def query_terms(self, query: str) -> list[str]:
        """The query's distinct stemmed terms."""
        return list(dict.fromkeys(tokenize([query])[0]))

    def unmatched_text(self, query: str) -> str | None:
        """The query without its content words that occur in these texts; None if none is left.

        What remains (e.g. "What did the bring with them?") is what the texts must say in other
        words, so it is matched densely.
        """
        stopwords, stemmer = set(_stopwords()), _stemmer()
        pieces, position, unknown = [], 0, 0
        for match in _WORD.finditer(query):
            word = match.group().lower()
            if word in stopwords:
                continue
            if stemmer.stemWord(word) in self._vocab:
                pieces.append(query[position : match.start()])
                position = match.end()
            else:
                unknown += 1
        if not unknown:
            return None
        return " ".join("".join([*pieces, query[position:]]).split())

    def scores(self, terms: list[str]) -> np.ndarray:
        """BM25 score of every text for the query terms (zeros when none is known)."""
        known = [term for term in terms if term in self._vocab]
        if not known or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def bound(self, terms: list[str]) -> float:
        """An upper bound of any text's BM25 score for the terms (unknown terms count too).

        bm25s's Lucene scoring gives each term ``idf * tf / (tf + k1 * norm)``, below its IDF.
        """
        return sum(
            float(self._idf[self._vocab[t]]) if t in self._vocab else self._unknown_idf for t in terms
        )

    def unmatched_share(self, terms: list[str]) -> float:
        """Share of the terms' IDF mass (as in :meth:`bound`) that no text contains."""
        bound = self.bound(terms)
        unknown = self._unknown_idf * sum(1 for t in terms if t not in self._vocab)
        return unknown / bound if bound > 0 else 0.0

    def normalised_scores(self, terms: list[str]) -> np.ndarray:
        """BM25 scores divided by :meth:`bound`, so 1 means every query term matched strongly."""
        bound = self.bound(terms)
        return self.scores(terms) / bound if bound > 0 else np.zeros(self.size, dtype=np.float32)

    def coverage(self, terms: list[str], rows: np.ndarray | None = None) -> np.ndarray:
        """Share of the query's IDF mass that each text (or each of ``rows``) contains."""
        rows = np.arange(self.size) if rows is None else rows
        if not terms:
            return np.zeros(len(rows), dtype=np.float32)
        ids = [self._vocab.get(term, -1) for term in terms]
        weights = np.array(
            [self._idf[i] if i >= 0 else self._unknown_idf for i in ids], dtype=np.float32
        )
        total = float(weights.sum()) or 1.0
        out = np.empty(len(rows), dtype=np.float32)
        for slot, row in enumerate(rows):
            present = self._doc_terms[int(row)]
            out[slot] = sum(w for i, w in zip(ids, weights, strict=True) if i in present) / total
        return out
