"""Pure-numpy retrieval helpers."""

from __future__ import annotations

import numpy as np

from embeddings.ranking.retrieval import max_normalise, segment_max, top_k


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


def test_cues_lift_the_paragraph_holding_the_asked_for_kind(seed_service):
    """With a quantity weight, 'how many' lifts the paragraph whose sentence holds a number by
    what that best sentence gains; zero weights change nothing."""
    from embeddings.answers import Answerer, AnswerSettings
    from embeddings.ranking.cues import cue_weights
    from embeddings.ranking.retrieval import add_cues

    index = seed_service.index
    question = "How many people were evacuated?"
    plain = Answerer(seed_service.answerer.encoder, AnswerSettings(cue_weights={}))
    scores = plain.score(index, question)
    same = add_cues(index, scores, question, cue_weights({}), 10)
    assert same is scores
    lifted = add_cues(index, scores, question, cue_weights({"quantity": 1.0}), 10)
    gain = lifted.paragraph - scores.paragraph
    assert gain[4] > 0  # paragraph 5: "More than 300 people were evacuated"
    assert np.all(gain >= 0)


PHRASE_ARTICLE = (
    "Rates, Trains and Rain\n\n"
    "Officials at the central station said the bank near the main square would close early on Friday. "
    "Trains ran late all day because of the storm.\n\n"
    "The central bank kept its main rate at 4 percent, the governor told reporters after the meeting. "
    "Markets barely moved on the news.\n\n"
    "Heavy rain flooded several roads in the north of the city, and the fire service pumped water from "
    "basements.\n"
)


def test_question_words_adjacent_in_a_sentence_lift_its_paragraph(encoder):
    """With the real model, the paragraph whose sentence holds the question's words as phrases
    ("central bank", "main rate") ranks first and gains from the phrase weight; the paragraph
    holding the same words apart gains nothing."""
    from dataclasses import replace

    from embeddings.answers import Answerer, AnswerSettings
    from embeddings.ranking.index import build_index
    from embeddings.text import parse_text
    from embeddings.vectors import EmbeddingCache

    index = build_index(parse_text(PHRASE_ARTICLE), encoder, EmbeddingCache(None))
    question = "What did the central bank do with its main rate?"
    numbers = [p.number for p in index.article.paragraphs]
    apart, phrase = numbers.index(2), numbers.index(3)
    settings = AnswerSettings()
    without = replace(settings, weights=replace(settings.weights, sentence_phrase=0.0))
    scores = Answerer(encoder, settings).score(index, question)
    plain = Answerer(encoder, without).score(index, question)
    gain = scores.paragraph - plain.paragraph
    assert gain[phrase] > 0
    assert gain[apart] == 0
    assert int(np.argmax(scores.paragraph)) == phrase


def test_weighted_is_the_product_and_skips_a_weight_of_one():
    """``weighted`` gives ``weight * values`` to the bit, and the array itself for a weight of 1."""
    from embeddings.ranking.retrieval import weighted

    values = np.random.default_rng(3).normal(size=50).astype(np.float32)
    assert weighted(1.0, values) is values
    for weight in (0.0, 0.6, 1.25):
        np.testing.assert_array_equal(weighted(weight, values), weight * values)
        assert weighted(weight, values).dtype == np.float32


def test_best_bm25_per_paragraph_of_a_short_article_equals_the_sparse_maximum(seed_service):
    """On a short article (one segment maximum) each paragraph's best sentence BM25 equals the maximum
    over its non-zero sentence scores, 0 where none matches, for questions matching a few sentences."""
    from embeddings.ranking.retrieval import Weights, best_bm25_per_paragraph, sentence_bm25

    index = seed_service.index
    for question in ("How many people were evacuated?", "Who commands the Azov Regiment?", "capital of France"):
        bm25_s = sentence_bm25(index, index.sentence_lexical.query_terms(question), Weights())
        matched = np.flatnonzero(bm25_s > 0)
        expected = np.zeros(len(index.paragraph_first_sentence), dtype=bm25_s.dtype)
        np.maximum.at(expected, index.sentence_paragraph[matched], bm25_s[matched])
        np.testing.assert_array_equal(best_bm25_per_paragraph(index, bm25_s), expected, err_msg=question)
