"""R@k, MRR, gold rank and AUROC against hand-computed values."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from embeddings.evaluation.metrics import auroc, gold_rank, mean_reciprocal_rank, recall_at


def test_gold_rank_counts_better_scores():
    """The gold item's rank is one plus the number of items scoring higher."""
    assert gold_rank(np.array([0.1, 0.9, 0.5]), 2) == 2
    assert gold_rank(np.array([0.1, 0.9, 0.5]), 1) == 1


def test_gold_rank_breaks_ties_by_position():
    """Tied scores rank in reading order, like a stable sort (all-zero BM25 is no free win)."""
    assert gold_rank(np.zeros(4), 0) == 1
    assert gold_rank(np.zeros(4), 3) == 4


def test_recall_and_mrr():
    """R@1, R@3 and MRR of ranks 1, 2, 4."""
    ranks = np.array([1, 2, 4])
    assert recall_at(ranks, 1) == pytest.approx(1 / 3)
    assert recall_at(ranks, 3) == pytest.approx(2 / 3)
    assert mean_reciprocal_rank(ranks) == pytest.approx((1 + 0.5 + 0.25) / 3)


def test_auroc_extremes_and_ties():
    """Perfect separation is 1, reversed is 0, identical scores are 0.5."""
    assert auroc(np.array([2.0, 3.0]), np.array([0.0, 1.0])) == 1.0
    assert auroc(np.array([0.0, 1.0]), np.array([2.0, 3.0])) == 0.0
    assert auroc(np.ones(3), np.ones(5)) == 0.5


def test_auroc_matches_pairwise_count():
    """AUROC equals the share of (positive, negative) pairs ordered correctly, ties half."""
    rng = np.random.default_rng(3)
    positive = rng.integers(0, 5, 40).astype(float)
    negative = rng.integers(0, 4, 30).astype(float)
    pairs = [1.0 if p > n else 0.5 if p == n else 0.0 for p, n in itertools.product(positive, negative)]
    assert auroc(positive, negative) == pytest.approx(np.mean(pairs))


def test_empty_inputs_are_nan():
    """No data gives NaN rather than a misleading number."""
    assert np.isnan(recall_at(np.array([]), 1))
    assert np.isnan(auroc(np.array([]), np.array([1.0])))
