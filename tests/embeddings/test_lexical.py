"""BM25 and query-term coverage."""

from __future__ import annotations

from embeddings.lexical import LexicalIndex


def test_bm25_prefers_the_matching_text():
    """The text sharing the query's rare terms scores highest."""
    index = LexicalIndex(["the cat sat on the mat", "dogs run in the park", "evacuees carried clothes"])
    scores = index.scores(index.query_terms("what did the evacuees carry?"))
    assert scores.argmax() == 2


def test_unknown_terms_score_zero():
    """A query with no known term scores every text zero."""
    index = LexicalIndex(["alpha beta", "gamma delta"])
    assert index.scores(index.query_terms("zeppelin")).tolist() == [0.0, 0.0]


def test_stopword_only_query_has_no_terms():
    """Stop words are not query terms."""
    assert LexicalIndex(["x y"]).query_terms("what is the") == []


def test_coverage_counts_idf_mass():
    """Coverage is 1 when a text holds every query term and 0 when it holds none."""
    index = LexicalIndex(["azov regiment commander", "steel plant battle"])
    coverage = index.coverage(index.query_terms("Azov regiment commander"))
    assert coverage[0] == 1.0 and coverage[1] == 0.0
