"""BM25 (Lucene variant, stemmed, stop-worded in the texts' language) plus query-term coverage,
over any list of texts.

Pure numpy: for English the scores equal bm25s's (``method="lucene"``, float32) to the bit, without
importing bm25s or scipy (tests/embeddings/ranking/test_lexical_bm25s.py compares them on SQuAD). Other
languages use their Snowball stemmer (PyStemmer) and function words (:mod:`.languages`); a language
without a stemmer keeps each word's first ``PREFIX`` letters (Ukrainian: its endings are short).
"""

from __future__ import annotations

import itertools
import logging
import math
import re
from functools import lru_cache

import numpy as np

from ..text import ENGLISH, FUNCTION_WORDS, LANGUAGE_TABLE

log = logging.getLogger(__name__)

# Measured on SQuAD part A: k1 = 0.9 beats bm25s's 1.5 (sentences are short, so a term's
# first occurrence says most); b is the usual 0.75.
K1 = 0.9
B = 0.75
_WORD = re.compile(r"(?u)\b\w\w+\b")  # bm25s's (and scikit-learn's) token pattern

# bm25s's English list (``bm25s.stopwords.STOPWORDS_EN``, the 33 Lucene words).
LUCENE_STOPWORDS = frozenset(
    """
    a an and are as at be but by for if in into is it no not of on or such that the their then there
    these they this to was will with
    """.split()
)

# The Lucene list keeps question words; these are dropped too.
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

STOPWORDS = LUCENE_STOPWORDS | EXTRA_STOPWORDS


@lru_cache(maxsize=1)
def _stopwords() -> list[str]:
    """:data:`STOPWORDS`, sorted (the list ``bm25s.tokenize`` would be given)."""
    return sorted(STOPWORDS)


# PyStemmer's Snowball algorithm for each language of the language table that has one.
SNOWBALL = {code: facts.snowball for code, facts in LANGUAGE_TABLE.items() if facts.snowball}
PREFIX = 6  # letters kept of a word in a language without a stemmer


@lru_cache(maxsize=1)
def stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=16)
def _stemmer_for(language: str):
    import Stemmer

    algorithm = SNOWBALL.get(language)
    return Stemmer.Stemmer(algorithm) if algorithm else None  # a stemmer, or None: cut words short


def stopwords_for(language: str) -> frozenset[str]:
    """The words BM25 leaves out of ``language``'s texts (English: :data:`STOPWORDS`)."""
    return STOPWORDS if language == ENGLISH else FUNCTION_WORDS.get(language, frozenset())


def stem_words(words: list[str], language: str = ENGLISH) -> list[str]:
    """``words`` stemmed in ``language`` (cut to :data:`PREFIX` letters without a stemmer)."""
    chosen = stemmer() if language == ENGLISH else _stemmer_for(language)
    return chosen.stemWords(words) if chosen is not None else [w[:PREFIX] for w in words]


def tokenize(
    texts: list[str], language: str = ENGLISH, extra_stopwords: frozenset[str] = frozenset()
) -> list[list[str]]:
    """Lower-cased, stop-worded, stemmed tokens for each text (for English, as ``bm25s.tokenize`` gives
    them); ``extra_stopwords`` are left out too (a question's own language's)."""
    stopwords = stopwords_for(language) | extra_stopwords if extra_stopwords else stopwords_for(language)
    words = [[w for w in _WORD.findall(text.lower()) if w not in stopwords] for text in texts]
    unique = list(dict.fromkeys(w for doc in words for w in doc))
    stems = dict(zip(unique, stem_words(unique, language), strict=True))
    return [[stems[w] for w in doc] for doc in words]


def lucene_idf(document_frequency: np.ndarray, documents: int) -> np.ndarray:
    """BM25's Lucene IDF ``log(1 + (N - df + 0.5) / (df + 0.5))`` per term, (V,) int -> (V,) float32.

    Computed in float64 with ``math.log`` (once per distinct df), as bm25s does, then rounded.
    """
    values, inverse = np.unique(document_frequency, return_inverse=True)
    idf = [math.log(1 + (documents - int(df) + 0.5) / (int(df) + 0.5)) for df in values]
    return np.asarray(idf, dtype=np.float32)[inverse.reshape(-1)]


def term_weights(
    tf: np.ndarray, doc_length: np.ndarray, average_length: float, idf: np.ndarray, k1: float, b: float
) -> np.ndarray:
    """Each (text, term) pair's BM25 weight ``idf * tf / (tf + k1 * (1 - b + b * len / avg))``.

    All arguments are per pair, shape (N,); float64 arithmetic rounded to float32 at the end,
    the order of operations bm25s uses (so the results are bit-identical).
    """
    norm = k1 * ((1 - b) + b * doc_length.astype(np.float64) / average_length)
    tfc = tf.astype(np.float64) / (norm + tf.astype(np.float64))
    return (idf.astype(np.float64) * tfc).astype(np.float32)


class LexicalIndex:
    """BM25 scores and IDF-weighted term coverage of a query against each text.

    Postings are stored per term (CSC-like): ``_term_start[t]:_term_start[t + 1]`` slices
    ``_posting_text`` (text index) and ``_posting_weight`` (BM25 weight) for term ``t``;
    the same pairs sorted by text give each text's distinct terms.
    """

    def __init__(
        self, texts: list[str], *, k1: float = K1, b: float = B, phrases: bool = False, language: str = ENGLISH
    ) -> None:
        """Index ``texts`` (written in ``language``); with ``phrases``, also which texts hold each pair of
        adjacent terms (:meth:`phrase_scores`)."""
        self.size = len(texts)
        self.language = language
        tokens = tokenize(texts, language)
        self._vocab: dict[str, int] = {}
        ids = [[self._vocab.setdefault(token, len(self._vocab)) for token in doc] for doc in tokens]
        vocab_size = len(self._vocab)
        lengths = np.fromiter((len(doc) for doc in ids), dtype=np.int64, count=self.size)
        flat = np.fromiter((i for doc in ids for i in doc), dtype=np.int64, count=int(lengths.sum()))
        owner = np.repeat(np.arange(self.size, dtype=np.int64), lengths)
        pairs, tf = np.unique(owner * max(vocab_size, 1) + flat, return_counts=True)  # sorted by text, term
        pair_text, pair_term = np.divmod(pairs, max(vocab_size, 1))
        document_frequency = np.bincount(pair_term, minlength=vocab_size)
        # Each text's distinct terms (for coverage): pairs are sorted by text.
        self._text_terms = pair_term
        self._text_start = np.concatenate(([0], np.cumsum(np.bincount(pair_text, minlength=self.size))))
        # Postings per term, texts ascending within a term.
        weights = np.zeros(0, dtype=np.float32)
        if len(pairs):
            idf_bm25 = lucene_idf(document_frequency, self.size)
            weights = term_weights(tf, lengths[pair_text], float(lengths.mean()), idf_bm25[pair_term], k1, b)
        by_term = np.argsort(pair_term, kind="stable")
        self._posting_text = pair_text[by_term]
        self._posting_weight = weights[by_term]
        self._term_start = np.concatenate(([0], np.cumsum(document_frequency)))
        n = max(self.size, 1)
        frequency = document_frequency.astype(np.float32)
        self._idf = np.log1p((n - frequency + 0.5) / (frequency + 0.5))
        self._unknown_idf = float(np.log1p((n + 0.5) / 0.5))
        self._phrase_keys = self._phrase_texts = None
        if phrases:
            self._phrase_keys, self._phrase_texts = adjacent_pairs(flat, owner, vocab_size)

    def query_terms(self, query: str, query_language: str | None = None) -> list[str]:
        """The query's distinct stemmed terms (stemmed as the texts are; a query in another language,
        ``query_language``, loses that language's function words too)."""
        extra = stopwords_for(query_language) if query_language and query_language != self.language else frozenset()
        return list(dict.fromkeys(tokenize([query], self.language, extra)[0]))

    def unmatched_text(self, query: str) -> str | None:
        """The query without its content words that occur in these texts; None if none is left.

        What remains (e.g. "What did the bring with them?") is what the texts must say in other
        words, so it is matched densely.
        """
        content = [m for m in _WORD.finditer(query) if m.group().lower() not in STOPWORDS]
        stems = stemmer().stemWords([m.group().lower() for m in content])  # one call for every word
        pieces, position, unknown = [], 0, 0
        for match, stem in zip(content, stems, strict=True):
            if stem in self._vocab:
                pieces.append(query[position : match.start()])
                position = match.end()
            else:
                unknown += 1
        if not unknown:
            return None
        return " ".join("".join([*pieces, query[position:]]).split())

    def scores(self, terms: list[str]) -> np.ndarray:
        """BM25 score of every text for the query terms, (size,) float32 (zeros when none is known).

        Term weights are added in the order of ``terms``, in float32, as bm25s does.
        """
        out = np.zeros(self.size, dtype=np.float32)
        for term in terms:
            term_id = self._vocab.get(term)
            if term_id is None:
                continue
            start, end = self._term_start[term_id : term_id + 2].tolist()
            out[self._posting_text[start:end]] += self._posting_weight[start:end]
        return out

    def bound(self, terms: list[str]) -> float:
        """An upper bound of any text's BM25 score for the terms (unknown terms count too).

        Lucene scoring gives each term ``idf * tf / (tf + k1 * norm)``, below its IDF.
        """
        return sum(self._idf.item(self._vocab[t]) if t in self._vocab else self._unknown_idf for t in terms)

    def unmatched_share(self, terms: list[str]) -> float:
        """Share of the terms' IDF mass (as in :meth:`bound`) that no text contains."""
        bound = self.bound(terms)
        unknown = self._unknown_idf * sum(1 for t in terms if t not in self._vocab)
        return unknown / bound if bound > 0 else 0.0

    def normalised_scores(self, terms: list[str]) -> np.ndarray:
        """BM25 scores divided by :meth:`bound`, so 1 means every query term matched strongly."""
        bound = self.bound(terms)
        return self.scores(terms) / bound if bound > 0 else np.zeros(self.size, dtype=np.float32)

    def phrase_scores(self, terms: list[str]) -> np.ndarray:
        """Per text (size,) float32: for each pair of the query's neighbouring terms that the text
        holds next to each other in the same order (stop words aside: "central bank", "won the
        cup" -> "won cup"), the pair's mean IDF, divided by :meth:`bound`; zeros without phrases."""
        out = np.zeros(self.size, dtype=np.float32)
        if self._phrase_keys is None or self._phrase_texts is None:
            return out
        ids = [self._vocab.get(term) for term in terms]
        pairs = [(a, b) for a, b in itertools.pairwise(ids) if a is not None and b is not None]
        bound = self.bound(terms) if pairs else 0.0
        if bound <= 0:
            return out
        vocab_size = max(len(self._vocab), 1)
        keys = [a * vocab_size + b for a, b in pairs]
        found = self._phrase_keys.searchsorted([*keys, *(key + 1 for key in keys)]).tolist()  # one lookup
        for (a, b), lo, hi in zip(pairs, found[: len(pairs)], found[len(pairs) :], strict=True):
            if lo < hi:  # the pair is written somewhere (most of a question's pairs are not)
                out[self._phrase_texts[lo:hi]] += (self._idf[a] + self._idf[b]) / (2 * bound)
        return out

    def coverage(self, terms: list[str], rows: np.ndarray | None = None) -> np.ndarray:
        """Share of the query's IDF mass that each text (or each of ``rows``) contains, (len(rows),) float32."""
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
            present = set(self._text_terms[self._text_start[row] : self._text_start[row + 1]].tolist())
            out[slot] = sum(w for i, w in zip(ids, weights, strict=True) if i in present) / total
        return out


def adjacent_pairs(tokens: np.ndarray, owner: np.ndarray, vocab_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (pair, text) postings of neighbouring tokens of one text, sorted by pair key.

    ``tokens`` (N,) term ids of every text in turn, ``owner`` (N,) each token's text. Returns the
    pair keys ``first * vocab_size + second`` (M,) int64, ascending, and each one's text (M,) int32.
    """
    same = owner[1:] == owner[:-1]
    keys = tokens[:-1][same] * max(vocab_size, 1) + tokens[1:][same]
    texts = owner[1:][same]
    if not len(keys):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
    order = np.lexsort((texts, keys))
    keys, texts = keys[order], texts[order]
    keep = np.ones(len(keys), dtype=bool)
    keep[1:] = (keys[1:] != keys[:-1]) | (texts[1:] != texts[:-1])
    return keys[keep].astype(np.int64), texts[keep].astype(np.int32)  # int32 texts: 4 bytes a posting
