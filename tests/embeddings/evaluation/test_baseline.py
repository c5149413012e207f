"""The BM25 baseline: bm25s with its own English stop words."""

from __future__ import annotations

from embeddings.evaluation.baseline import Bm25Baseline


def test_baseline_prefers_the_matching_text():
    """The text sharing the query's rare stemmed terms scores highest."""
    baseline = Bm25Baseline(["the cat sat on the mat", "lighthouses guide ships", "bread needs flour"])
    assert baseline.scores("Which lighthouse guided the ship?").argmax() == 1


def test_unknown_query_scores_zero():
    """A query sharing no term with the texts scores every text zero."""
    assert Bm25Baseline(["alpha beta", "gamma delta"]).scores("zeppelin").tolist() == [0.0, 0.0]
