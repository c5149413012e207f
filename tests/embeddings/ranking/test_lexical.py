"""BM25 and query-term coverage."""

from __future__ import annotations

from embeddings.ranking.lexical import LexicalIndex


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


def test_unmatched_text_drops_the_words_the_texts_use():
    """What is left is the part of the question the article must say in other words."""
    index = LexicalIndex(["The evacuees will receive support.", "They carried only clothes."])
    assert index.unmatched_text("What did the evacuees bring with them?") == "What did the bring with them?"


def test_unmatched_text_is_none_when_every_word_is_known():
    """A question made only of the texts' words and stop words has nothing unmatched."""
    index = LexicalIndex(["The evacuees will receive support."])
    assert index.unmatched_text("Who will receive support?") is None


def test_unmatched_share_weighs_unknown_terms_by_idf():
    """Known terms only: share 0; unknown terms only: share 1; a mix lies between."""
    index = LexicalIndex(["azov regiment commander", "steel plant battle"])
    assert index.unmatched_share(index.query_terms("azov commander")) == 0.0
    assert index.unmatched_share(index.query_terms("capital france")) == 1.0
    assert 0 < index.unmatched_share(index.query_terms("azov capital")) < 1


def test_normalised_scores_stay_within_zero_and_one():
    """BM25 divided by the query's IDF mass is at most 1, and reaches about 1 on a full match."""
    index = LexicalIndex(["azov regiment", "steel plant battle", "the azov regiment commander"])
    scores = index.normalised_scores(index.query_terms("azov regiment"))
    assert 0.4 < scores.max() <= 1.0 and scores[1] == 0.0


def test_phrase_scores_mark_texts_holding_neighbouring_query_words_in_order():
    """Only a text holding the question's neighbouring words next to each other, in the question's
    order, gains a phrase score; the same words apart or reversed gain nothing."""
    texts = ["the central bank raised rates", "the bank in the central square", "a bank central to it"]
    index = LexicalIndex(texts, phrases=True)
    scores = index.phrase_scores(index.query_terms("What did the central bank do?"))
    assert scores[0] > 0
    assert scores[1] == 0 and scores[2] == 0


def test_phrase_scores_skip_stop_words_and_stay_within_one_text():
    """Stop words between two words do not break a phrase ("won the cup"), and the last word of
    one text never pairs with the first word of the next."""
    index = LexicalIndex(["they won the cup", "the final was won", "cup holders"], phrases=True)
    scores = index.phrase_scores(index.query_terms("who won cup?"))
    assert scores[0] > 0
    assert scores[1] == 0 and scores[2] == 0


def test_phrase_scores_are_a_share_of_the_query_idf_mass():
    """A text holding the whole two-word question as a phrase scores at most 1 (the pair's mean
    IDF over the question's IDF mass), and an index built without phrases scores zero."""
    texts = ["azov regiment commander", "steel plant battle", "regiment steel"]
    index = LexicalIndex(texts, phrases=True)
    terms = index.query_terms("azov regiment")
    assert 0 < index.phrase_scores(terms)[0] <= 1
    assert LexicalIndex(texts).phrase_scores(terms).tolist() == [0.0, 0.0, 0.0]
