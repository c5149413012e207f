"""Large articles: the paragraph shortlist found from an int8 copy, with the exact shortlist's answers."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from embeddings.answers import Answerer
from embeddings.models import blas_threads_for
from embeddings.ranking import (
    add_cues,
    build_index,
    cue_weights,
    index_nbytes,
    int8_copy,
    retrieval,
    scanned_rows,
    score_query,
    top_k,
)
from embeddings.vectors.approximate import (
    APPROXIMATE_ABOVE,
    Int8Vectors,
    approximate_shortlist,
    exact_rows,
    quantize_rows,
)
from embeddings.vectors.cache import EmbeddingCache
from tests.embeddings.ranking.test_shortlist import squad_and_seed_cases


def _unit_rows(rng: np.random.Generator, count: int, d: int = 384) -> np.ndarray:
    rows = rng.standard_normal((count, d), dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def seed_index(seed_article, onnx_encoder):
    """The seed article indexed with the real model (no int8 copy: it is small)."""
    return build_index(seed_article, onnx_encoder, EmbeddingCache(None))


def test_exact_rows_equal_the_full_product_bit_for_bit():
    """Gathered rows' cosines equal the full matrix-vector product's to the bit, tail rows included, with
    BLAS on one thread as the bot sets it below 200k rows (threads split the rows differently)."""
    rng = np.random.default_rng(3)
    with threadpool_limits(1, user_api="blas"):
        _check_exact_rows(rng)


def _check_exact_rows(rng: np.random.Generator) -> None:
    for count in (5, 17, 1_000, 4_099, 20_003):
        vectors = _unit_rows(rng, count)
        for _ in range(5):
            query = _unit_rows(rng, 1)[0]
            rows = np.sort(rng.choice(count, size=int(rng.integers(1, min(count, 700) + 1)), replace=False))
            rows = np.union1d(rows, [count - 1])  # a row of the product's last, odd-sized block
            assert np.array_equal(exact_rows(vectors, query, rows), (vectors @ query)[rows]), (count, len(rows))


def test_int8_products_are_exact_integers_whatever_the_cpu():
    """The session's integer scores equal the exact product even for the extreme values: ONNX Runtime's
    uint8 x int8 kernel on CPUs without VNNI (AVX2) summed pairs of products in saturating int16
    (off by up to 10^5 here), which broke every bound below."""
    rng = np.random.default_rng(7)
    rows = rng.standard_normal((2_000, 384)).astype(np.float32)
    rows[:, :8] = 40.0  # rows whose largest components (+127) meet the query's largest (+127) pairwise
    int8 = Int8Vectors.of(rows)
    query = np.full((1, 384), 0.05, dtype=np.float32)
    query[0, :8] = 1.0
    _, query_rows = quantize_rows(query.astype(np.float64))
    uint8 = (query_rows.astype(np.int16) + 128).astype(np.uint8)
    _, row_ints = quantize_rows(rows.astype(np.float64))
    exact = query_rows.astype(np.int64) @ row_ints.astype(np.int64).T
    assert np.array_equal(int8.session.run(None, {"query": uint8})[0], exact)


def test_int8_estimates_are_within_their_bounds():
    """Every int8 estimate lies within its bound of the exact cosine (float64), and the bound is small."""
    rng = np.random.default_rng(4)
    vectors = _unit_rows(rng, 3_000)
    queries = _unit_rows(rng, 2)
    estimate, error = Int8Vectors.of(vectors).estimate(queries)
    exact = queries.astype(np.float64) @ vectors.astype(np.float64).T
    assert estimate.shape == error.shape == (2, 3_000)
    assert np.all(np.abs(estimate - exact) <= error)
    assert float(error.max()) < 0.03


def test_approximate_shortlist_is_the_exact_top_with_exact_scores():
    """The int8 shortlist holds the exact top paragraphs by float32 fused score, their cosines bit-exact,
    and every other paragraph's cosine is a lower bound."""
    rng = np.random.default_rng(5)
    vectors = _unit_rows(rng, 20_000)
    int8 = Int8Vectors.of(vectors)
    bm25_p = np.where(rng.random(20_000) < 0.01, 0.05 * rng.random(20_000), 0).astype(np.float32)
    bm25_s_max = np.where(rng.random(20_000) < 0.01, 0.05 * rng.random(20_000), 0).astype(np.float32)
    for trial in range(12):
        query, unmatched = _unit_rows(rng, 2)
        w_unmatched = 0.3 if trial % 2 else 0.0
        dense, dense_u = vectors @ query, vectors @ unmatched
        alone = dense + bm25_p + bm25_s_max
        if w_unmatched:
            alone = alone + w_unmatched * dense_u
        listed = approximate_shortlist(vectors, int8, query, unmatched if w_unmatched else None,
                                       (bm25_p, bm25_s_max), (1.0, 1.0, 1.0, w_unmatched), 256)
        assert listed is not None
        assert listed.paragraphs.tolist() == np.sort(top_k(alone, 256)).tolist()
        assert len(listed.candidates) < 4_000
        assert np.array_equal(listed.dense[listed.candidates], dense[listed.candidates])
        assert np.all(listed.dense <= dense)
        if w_unmatched:
            assert listed.unmatched is not None and np.all(listed.unmatched <= dense_u)


def test_a_tie_at_the_shortlist_edge_falls_back_to_exact_scoring():
    """When the shortlist's last place is tied, the int8 path declines (the exact path decides ties)."""
    rng = np.random.default_rng(6)
    vectors = _unit_rows(rng, 300)
    vectors[1] = vectors[0]  # a repeated paragraph
    query = vectors[0]
    zeros = np.zeros(300, dtype=np.float32)
    listed = approximate_shortlist(vectors, Int8Vectors.of(vectors), query, None, (zeros, zeros), (1, 1, 1, 0), 1)
    assert listed is None


def test_only_large_articles_keep_an_int8_copy(seed_index):
    """Below the threshold no int8 copy is built; above it one is, and the index's memory counts it."""
    assert seed_index.approximate is None and int8_copy(seed_index.paragraph_vectors) is None
    copy = int8_copy(seed_index.paragraph_vectors, above=0)
    assert copy is not None and copy.nbytes >= len(seed_index.paragraph_vectors) * 384
    with_copy = replace(seed_index, approximate=copy)
    assert index_nbytes(with_copy) == index_nbytes(seed_index) + copy.nbytes


def test_an_int8_copy_keeps_blas_on_one_thread(seed_index):
    """With an int8 copy a question reads a few thousand float32 rows, so BLAS is sized to one thread
    (the thread count the exact re-scoring is bit-exact for), whatever the article's size."""
    huge = replace(seed_index, approximate=int8_copy(seed_index.paragraph_vectors, above=0))
    assert blas_threads_for(scanned_rows(huge)) == 1


def _answer(answerer: Answerer, index, question: str, vector, unmatched, **shortlist):
    """The answer as :meth:`Answerer.answer` builds it, with the given shortlist settings."""
    lexical = index.sentence_lexical
    unmatched = unmatched if lexical.unmatched_text(question) else None
    terms = lexical.query_terms(question)
    scores = score_query(index, vector, terms, answerer.settings.weights, unmatched, **shortlist)
    scores = add_cues(index, scores, question, cue_weights(None), answerer.settings.cue_paragraphs)
    return scores, answerer.answer_from_scores(index, question, scores).to_json()


def test_int8_shortlisted_answers_equal_exact_ones_on_squad_and_seed(seed_index, onnx_encoder, monkeypatch):
    """With the int8 copy forced on (threshold 0) and a short shortlist (10 paragraphs of SQuAD's, 3 of
    the seed's 9), every answer and every shortlisted score equals the exact shortlist's, on two SQuAD
    part A articles and the seed article, the int8 shortlist found for every question."""
    answerer = Answerer(onnx_encoder)
    cases = squad_and_seed_cases(seed_index, onnx_encoder)
    taken = []  # the int8 shortlists found (None: it fell back to the full product)

    def counted(*args, **kwargs):
        taken.append(approximate_shortlist(*args, **kwargs))
        return taken[-1]

    monkeypatch.setattr(retrieval, "approximate_shortlist", counted)
    with threadpool_limits(1, user_api="blas"):  # as the bot runs products of these sizes
        _check_answers(answerer, cases)
    assert len(taken) == len(cases) and all(listed is not None for listed in taken)  # never fell back


def _check_answers(answerer: Answerer, cases: list) -> None:
    forced = {}
    for index, question, vector, unmatched in cases:
        if id(index) not in forced:
            forced[id(index)] = replace(index, approximate=int8_copy(index.paragraph_vectors, above=0))
        size = min(10, len(index.paragraph_vectors) // 3)  # 10 of SQuAD's 45-48 paragraphs, 3 of the seed's 9
        exact, expected = _answer(answerer, index, question, vector, unmatched, shortlist_above=0, shortlist_size=size)
        approximate, answer = _answer(answerer, forced[id(index)], question, vector, unmatched,
                                      shortlist_above=0, shortlist_size=size)
        assert answer == expected, question
        listed = exact.sentence_dense_max > -1
        assert np.array_equal(approximate.paragraph[listed], exact.paragraph[listed]), question
        assert np.array_equal(approximate.sentence, exact.sentence), question


def test_a_large_article_keeps_an_int8_copy_and_answers_as_without_it(onnx_encoder, monkeypatch):
    """An article of APPROXIMATE_ABOVE paragraphs is indexed with an int8 copy; every answer to the
    benchmark's questions (real question vectors, random paragraph vectors) equals the full product's."""
    from benchmarks.common import QUESTIONS
    from benchmarks.scale import RandomEncoder, synthetic_article

    index = build_index(synthetic_article(APPROXIMATE_ABOVE), RandomEncoder(), EmbeddingCache(None))
    assert index.approximate is not None
    exact = replace(index, approximate=None)
    answerer = Answerer(onnx_encoder)
    taken = []

    def counted(*args, **kwargs):
        taken.append(approximate_shortlist(*args, **kwargs))
        return taken[-1]

    monkeypatch.setattr(retrieval, "approximate_shortlist", counted)
    with threadpool_limits(1, user_api="blas"):  # as the bot sizes BLAS for both
        for question in QUESTIONS:
            assert answerer.answer(index, question).to_json() == answerer.answer(exact, question).to_json()
    assert len(taken) == len(QUESTIONS) and all(listed is not None for listed in taken)
