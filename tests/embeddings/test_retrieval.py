"""Pure-numpy retrieval helpers."""

from __future__ import annotations

import numpy as np

from embeddings.retrieval import max_normalise, segment_max, top_k


def test_top_k_matches_a_full_sort():
    """argpartition top-k returns the same indices as a full descending sort."""
    rng = np.random.default_rng(7)
    scores = rng.normal(size=1000).astype(np.float32)
    assert top_k(scores, 10).tolist() == np.argsort(-scores)[:10].tolist()


def test_top_k_with_k_beyond_length():
    """k larger than the array returns everything, best first."""
    assert top_k(np.array([0.1, 0.9, 0.5]), 10).tolist() == [1, 2, 0]


def test_segment_max_per_paragraph():
    """segment_max takes the maximum of each paragraph's sentences."""
    values = np.array([0.1, 0.5, 0.2, 0.9, 0.3])
    assert segment_max(values, np.array([0, 2, 4])).tolist() == [0.5, 0.9, 0.3]


def test_max_normalise_keeps_zeros():
    """All-zero scores stay zero instead of dividing by zero."""
    assert max_normalise(np.zeros(3)).tolist() == [0, 0, 0]
    assert max_normalise(np.array([1.0, 4.0])).tolist() == [0.25, 1.0]
