"""Fitting fusion weights: features replay the answerer's ranking, and the fit finds a planted signal."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings.answers import Answerer
from embeddings.evaluation.fit_fusion import SIGNALS, collect, evaluate, fit, window_max
from embeddings.evaluation.metrics import gold_rank
from embeddings.evaluation.squad import gold_ranks
from embeddings.ranking import segment_max


@pytest.fixture(scope="module")
def data(prepared, encoder):
    return collect(prepared, Answerer(encoder))


def test_equal_weights_replay_the_answerer_ranking(prepared, data, encoder):
    """The signals summed with equal weights rank every gold paragraph where the answerer does."""
    answerer = Answerer(encoder)
    expected = gold_ranks(prepared, answerer)
    for (_, gold, matrix), rank in zip(data, expected, strict=True):
        replayed = matrix[:, : len(SIGNALS)].sum(axis=1)
        assert gold_rank(replayed, gold) == rank


def test_window_cosine_is_at_least_the_best_sentence_cosine(prepared):
    """A paragraph's best two-sentence window never scores below its best single sentence."""
    index = prepared[0].index
    query = prepared[0].question_vectors[0]
    best_sentence = segment_max(index.sentence_vectors @ query, index.paragraph_first_sentence)
    assert np.all(window_max(index, query) >= best_sentence - 1e-6)


def test_fit_finds_a_planted_signal():
    """When one feature alone marks the gold paragraph, the fitted weights rank every gold first."""
    rng = np.random.default_rng(0)
    data = []
    for question in range(40):
        matrix = np.zeros((6, 2))
        matrix[:, 0] = rng.normal(size=6)
        gold = question % 6
        matrix[gold, 1] = 1.0
        data.append((0, gold, matrix))
    rows = np.arange(len(data))
    weights = fit(data, [0, 1], rows, rounds=200)
    assert evaluate(data, weights, [0, 1], rows)[0] == 1.0
    assert evaluate(data, np.array([1.0, 0.0]), [0, 1], rows)[0] < 1.0
