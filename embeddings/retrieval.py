"""Pure-numpy scoring: dense cosine, BM25 and sentence-level evidence fused per paragraph."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .index import ArticleIndex


@dataclass(frozen=True, slots=True)
class Weights:
    """Fusion weights; the shipped defaults are the best measured on SQuAD part A.

    A paragraph scores its cosine plus its best sentence's cosine, plus both BM25 scores
    (each divided by the query's IDF mass, so 0..1), plus the dense score of the question's
    words the article never uses, weighted by their share of the query's IDF mass.
    """

    paragraph_dense: float = 1.0
    sentence_dense: float = 1.0
    paragraph_bm25: float = 1.0
    sentence_bm25: float = 1.0
    unmatched_dense: float = 1.25  # paraphrase evidence for words BM25 cannot match
    quote_bm25: float = 1.0  # weight of sentence BM25 when choosing the quote


@dataclass(frozen=True, slots=True)
class QueryScores:
    """Every signal for one query; arrays are per paragraph (P,) or per sentence (S,)."""

    paragraph: np.ndarray  # fused paragraph score used for ranking
    paragraph_dense: np.ndarray
    sentence_dense_max: np.ndarray
    paragraph_bm25: np.ndarray
    sentence: np.ndarray  # per-sentence score used to pick quotes
    sentence_dense: np.ndarray
    terms: tuple[str, ...]


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest scores, best first (argpartition, then a small sort)."""
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    candidates = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    return candidates[np.argsort(-scores[candidates], kind="stable")]


def max_normalise(scores: np.ndarray) -> np.ndarray:
    """Scale non-negative scores so the largest is 1 (all zeros stay zeros)."""
    peak = float(scores.max()) if len(scores) else 0.0
    return scores / peak if peak > 0 else scores


def segment_max(values: np.ndarray, firsts: np.ndarray) -> np.ndarray:
    """Maximum of each contiguous segment starting at ``firsts``."""
    return np.maximum.reduceat(values, firsts)


def score_query(
    index: ArticleIndex,
    query_vector: np.ndarray,
    terms: list[str],
    weights: Weights,
    unmatched_vector: np.ndarray | None = None,
) -> QueryScores:
    """Score every paragraph and sentence of ``index`` for one embedded query.

    ``unmatched_vector`` embeds the query without the words the article uses
    (:meth:`LexicalIndex.unmatched_text`): paraphrase evidence that BM25 cannot see.
    """
    weight = 0.0
    if unmatched_vector is not None and weights.unmatched_dense:
        weight = weights.unmatched_dense * index.paragraph_lexical.unmatched_share(terms)
    # One pass over each matrix for both query vectors: at scale the products are memory-bound.
    if weight and unmatched_vector is not None:
        queries = np.stack([query_vector, unmatched_vector], axis=1)
    else:
        queries = query_vector[:, None]
    dense_p_all = index.paragraph_vectors @ queries
    dense_s_all = index.sentence_vectors @ queries
    dense_p, dense_s = dense_p_all[:, 0], dense_s_all[:, 0]
    bm25_p = index.paragraph_lexical.normalised_scores(terms)
    bm25_s = index.sentence_lexical.normalised_scores(terms)
    firsts = index.paragraph_first_sentence
    dense_s_max = segment_max(dense_s, firsts)
    fused = (
        weights.paragraph_dense * dense_p
        + weights.sentence_dense * dense_s_max
        + weights.paragraph_bm25 * bm25_p
        + weights.sentence_bm25 * segment_max(bm25_s, firsts)
    )
    sentence = dense_s + weights.quote_bm25 * bm25_s
    if weight:
        unmatched_s = dense_s_all[:, 1]
        fused = fused + weight * (dense_p_all[:, 1] + segment_max(unmatched_s, firsts))
        sentence = sentence + weight * unmatched_s
    return QueryScores(
        paragraph=fused,
        paragraph_dense=dense_p,
        sentence_dense_max=dense_s_max,
        paragraph_bm25=bm25_p,
        sentence=sentence,
        sentence_dense=dense_s,
        terms=tuple(terms),
    )
