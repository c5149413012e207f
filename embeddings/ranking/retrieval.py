"""Pure-numpy scoring: dense cosine, BM25 and sentence-level evidence fused per paragraph."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from ..vectors import approximate_shortlist
from .index import ArticleIndex

Route = Literal["fast", "second_opinion", "cross_lingual"]  # what ranked a question's scores


@dataclass(frozen=True, slots=True)
class Weights:
    """Fusion weights; the shipped defaults are the best measured on SQuAD part A.

    A paragraph scores its cosine plus its best sentence's cosine, plus both BM25 scores
    (each divided by the query's IDF mass, so 0..1), plus the dense score of the question's
    words the article never uses, weighted by their share of the query's IDF mass. A sentence's
    BM25 also gains ``sentence_phrase`` times its phrase score: the question's neighbouring words
    that it holds next to each other (:meth:`LexicalIndex.phrase_scores`).
    """

    paragraph_dense: float = 1.0
    sentence_dense: float = 1.0
    paragraph_bm25: float = 1.0
    sentence_bm25: float = 1.0
    unmatched_dense: float = 1.25  # paraphrase evidence for words BM25 cannot match
    quote_bm25: float = 1.0  # weight of sentence BM25 when choosing the quote
    sentence_phrase: float = 0.6  # adjacent question words adjacent in the sentence (fit_phrases.py)


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
    rare: tuple[str, ...] = ()  # stemmed rare terms of the question (names, places, numbers)
    absent: tuple[str, ...] = ()  # the question's words no text of the article uses, as written
    route: Route = "fast"  # what ranked them: the fast route, revised by the second opinion, or the cross-lingual


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


def weighted(weight: float, values: np.ndarray) -> np.ndarray:
    """``weight * values``; ``values`` itself for a weight of 1 (the same numbers, one array fewer)."""
    return values if weight == 1.0 else weight * values


def segment_max(values: np.ndarray, firsts: np.ndarray) -> np.ndarray:
    """Maximum of each contiguous segment starting at ``firsts``."""
    return np.maximum.reduceat(values, firsts)


# Large articles: sentences are scored only in the paragraphs that rank best without them.
SHORTLIST_ABOVE = 2_000  # paragraphs; up to this many, every sentence is scored
SHORTLIST_SIZE = 256  # paragraphs whose sentences are scored above it
NOT_SCORED = -1.0  # the cosine given to sentences outside the shortlist: the least a cosine can be


def scanned_rows(index: ArticleIndex) -> int:
    """How many vector rows each question's products read in full (what BLAS threads are sized to).

    With an int8 copy (:mod:`.approximate`) the float32 rows read are its candidates and the shortlist's
    sentences, a few thousand: one BLAS thread, the thread count its exact re-scoring is bit-exact for."""
    if index.approximate is not None:
        return 8 * SHORTLIST_SIZE
    paragraphs = len(index.paragraph_vectors)
    return paragraphs if paragraphs > SHORTLIST_ABOVE else paragraphs + len(index.sentence_vectors)


@dataclass(frozen=True, slots=True)
class Shortlist:
    """The paragraphs (k,) whose sentences are scored, those sentences (n,), and where each
    paragraph's run of them starts within ``sentences`` (k,)."""

    paragraphs: np.ndarray
    sentences: np.ndarray
    starts: np.ndarray

    @classmethod
    def of(cls, index: ArticleIndex, paragraphs: np.ndarray) -> Shortlist:
        """The shortlist of ``paragraphs`` (sorted), with every sentence of each."""
        firsts = index.paragraph_first_sentence
        counts = np.diff(np.append(firsts, index.sentence_count))[paragraphs]
        starts = np.cumsum(counts) - counts
        sentences = np.repeat(firsts[paragraphs] - starts, counts) + np.arange(int(counts.sum()))
        return cls(paragraphs, sentences, starts)


def cosines(vectors: np.ndarray, query: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
    """``vectors (N, d) @ query (d,)``, only at ``rows`` when given (NOT_SCORED elsewhere); (N,) float32."""
    if rows is None:
        return vectors @ query
    out = np.full(len(vectors), NOT_SCORED, dtype=np.float32)
    out[rows] = vectors[rows] @ query
    return out


def paragraph_max(values: np.ndarray, firsts: np.ndarray, shortlist: Shortlist | None) -> np.ndarray:
    """Each paragraph's best sentence value (P,); with a shortlist, NOT_SCORED outside it."""
    if shortlist is None:
        return segment_max(values, firsts)
    out = np.full(len(firsts), NOT_SCORED, dtype=values.dtype)
    out[shortlist.paragraphs] = segment_max(values[shortlist.sentences], shortlist.starts)
    return out


def best_bm25_per_paragraph(index: ArticleIndex, bm25_s: np.ndarray) -> np.ndarray:
    """``segment_max`` of non-negative, mostly zero sentence BM25 scores (S,) per paragraph (P,),
    from the non-zero ones only (up to SHORTLIST_ABOVE paragraphs, one ``segment_max``: the same values)."""
    if len(index.paragraph_first_sentence) <= SHORTLIST_ABOVE:
        return segment_max(bm25_s, index.paragraph_first_sentence)
    matched = np.flatnonzero(bm25_s > 0)  # same rows (scores are >= 0); ~15x faster than on floats
    out = np.zeros(len(index.paragraph_first_sentence), dtype=bm25_s.dtype)
    np.maximum.at(out, index.sentence_paragraph[matched], bm25_s[matched])
    return out


def sentence_bm25(index: ArticleIndex, terms: list[str], weights: Weights) -> np.ndarray:
    """(S,) each sentence's normalised BM25 plus ``weights.sentence_phrase`` times its phrase score
    (the question's neighbouring words it holds next to each other, :meth:`LexicalIndex.phrase_scores`)."""
    bm25_s = index.sentence_lexical.normalised_scores(terms)
    if weights.sentence_phrase and len(terms) > 1:
        bm25_s = bm25_s + weights.sentence_phrase * index.sentence_lexical.phrase_scores(terms)
    return bm25_s


def _exact_shortlist(
    index: ArticleIndex,
    query_vector: np.ndarray,
    unmatched: np.ndarray | None,
    bm25_p: np.ndarray,
    bm25_s_max: np.ndarray,
    weights: Weights,
    weight: float,
    shortlist_above: int,
    shortlist_size: int,
) -> tuple[np.ndarray, np.ndarray | None, Shortlist | None, np.ndarray | None]:
    """Every paragraph's cosine (P,) with the query and with ``unmatched`` (or None), from the full
    float32 products, and above ``shortlist_above`` paragraphs the shortlist and its sentences."""
    dense_p = index.paragraph_vectors @ query_vector
    unmatched_p = index.paragraph_vectors @ unmatched if unmatched is not None else None
    if len(dense_p) <= shortlist_above:
        return dense_p, unmatched_p, None, None
    alone = weights.paragraph_dense * dense_p + weights.paragraph_bm25 * bm25_p + weights.sentence_bm25 * bm25_s_max
    if unmatched_p is not None:
        alone = alone + weight * unmatched_p
    shortlist = Shortlist.of(index, np.sort(top_k(alone, shortlist_size)))
    return dense_p, unmatched_p, shortlist, shortlist.sentences


def score_query(
    index: ArticleIndex,
    query_vector: np.ndarray,
    terms: list[str],
    weights: Weights,
    unmatched_vector: np.ndarray | None = None,
    *,
    shortlist_above: int = SHORTLIST_ABOVE,
    shortlist_size: int = SHORTLIST_SIZE,
) -> QueryScores:
    """Score every paragraph and sentence of ``index`` for one embedded query.

    ``unmatched_vector`` embeds the query without the words the article uses
    (:meth:`LexicalIndex.unmatched_text`): paraphrase evidence that BM25 cannot see.
    Above ``shortlist_above`` paragraphs, only the sentences of the ``shortlist_size`` paragraphs that
    rank best on everything but sentence cosines get cosines; the others' sentences count as
    NOT_SCORED, so those paragraphs' scores are lower bounds, below the shortlist's. With an int8 copy
    (``index.approximate``, large articles) the same shortlist is found from it (:mod:`.approximate`):
    paragraph cosines are exact for its candidates (every shortlisted paragraph among them) and lower
    bounds for the others.
    Products are matrix-vector, one per query vector (OpenBLAS runs them about twice as fast as one
    product with a two-column matrix).
    """
    weight = 0.0
    if unmatched_vector is not None and weights.unmatched_dense:
        weight = weights.unmatched_dense * index.paragraph_lexical.unmatched_share(terms)
    firsts = index.paragraph_first_sentence
    bm25_p = index.paragraph_lexical.normalised_scores(terms)
    bm25_s = sentence_bm25(index, terms, weights)
    bm25_s_max = best_bm25_per_paragraph(index, bm25_s)
    unmatched = unmatched_vector if weight and unmatched_vector is not None else None
    approximate = None
    if index.approximate is not None and len(firsts) > shortlist_above:
        approximate = approximate_shortlist(
            index.paragraph_vectors, index.approximate, query_vector, unmatched, (bm25_p, bm25_s_max),
            (weights.paragraph_dense, weights.paragraph_bm25, weights.sentence_bm25, weight), shortlist_size,
        )
    if approximate is not None:  # the same shortlist and scores, from the int8 copy (:mod:`.approximate`)
        dense_p, unmatched_p = approximate.dense, approximate.unmatched
        shortlist = Shortlist.of(index, approximate.paragraphs)
        sentence_rows = shortlist.sentences
    else:
        dense_p, unmatched_p, shortlist, sentence_rows = _exact_shortlist(
            index, query_vector, unmatched, bm25_p, bm25_s_max, weights, weight, shortlist_above, shortlist_size
        )
    dense_s = cosines(index.sentence_vectors, query_vector, sentence_rows)
    dense_s_max = paragraph_max(dense_s, firsts, shortlist)
    fused = (
        weighted(weights.paragraph_dense, dense_p)
        + weighted(weights.sentence_dense, dense_s_max)
        + weighted(weights.paragraph_bm25, bm25_p)
        + weighted(weights.sentence_bm25, bm25_s_max)
    )
    sentence = dense_s + weighted(weights.quote_bm25, bm25_s)
    if unmatched_p is not None and unmatched_vector is not None:
        unmatched_s = cosines(index.sentence_vectors, unmatched_vector, sentence_rows)
        fused = fused + weight * (unmatched_p + paragraph_max(unmatched_s, firsts, shortlist))
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


def add_cues(
    index: ArticleIndex, scores: QueryScores, question: str, weights: np.ndarray, top: int
) -> QueryScores:
    """Scores with question-type evidence added in the ``top`` paragraphs.

    Each sentence of those paragraphs gains ``sentence_cues (S, C) @ (asked * weights) (C,)``
    (:mod:`.cues`, read from the index's cue table), and each paragraph what its best sentence
    score gains (the best quote).
    """
    from .cues import cue_bonus, question_cues

    asked = question_cues(question)
    kinds = asked * weights
    if not kinds.any():  # (no NaN weights: the same test as a zero sum of their magnitudes)
        return scores
    paragraph, sentence = scores.paragraph.copy(), scores.sentence.copy()
    if top >= len(paragraph):  # every paragraph (a short article): every sentence, in place
        firsts = index.paragraph_first_sentence
        before = segment_max(sentence, firsts).astype(np.float64)
        sentence += cue_bonus(asked, index.cues.held(None, question, kinds), weights)
        paragraph += (segment_max(sentence, firsts).astype(np.float64) - before).astype(np.float32)
        return replace(scores, paragraph=paragraph, sentence=sentence)
    listed = Shortlist.of(index, np.sort(top_k(scores.paragraph, top)))  # their sentences, in one run
    held = index.cues.held(listed.sentences, question, kinds)  # only asked cues
    bonus = cue_bonus(asked, held, weights)
    before = segment_max(sentence[listed.sentences], listed.starts).astype(np.float64)
    sentence[listed.sentences] += bonus
    gain = segment_max(sentence[listed.sentences], listed.starts).astype(np.float64) - before
    paragraph[listed.paragraphs] += gain.astype(np.float32)
    return replace(scores, paragraph=paragraph, sentence=sentence)
