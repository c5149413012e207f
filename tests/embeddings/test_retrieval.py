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


def test_cues_lift_the_paragraph_holding_the_asked_for_kind(seed_service):
    """With a quantity weight, 'how many' lifts the paragraph whose sentence holds a number by
    what that best sentence gains; zero weights change nothing."""
    from embeddings.answer import Answerer, AnswerSettings
    from embeddings.cues import cue_weights
    from embeddings.retrieval import add_cues

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
