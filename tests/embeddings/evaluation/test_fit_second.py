"""Fitting the second opinion's weights: the numpy replay agrees with the answerer."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings.answers import Answerer
from embeddings.evaluation.fit_second import collect, outcomes
from embeddings.evaluation.metrics import gold_rank
from embeddings.ranking import CascadeSettings, make_second_opinion
from embeddings.vectors import EmbeddingCache


def test_the_replay_with_the_shipped_weights_is_what_the_answerer_does(prepared, encoder):
    """Replaying the shipped rank weight, confidence weight and centre in numpy gives the gold ranks and
    confidences that the answerer with the second opinion settles on, own article and the next one."""
    cache, settings = EmbeddingCache(None), CascadeSettings()
    rows = collect(prepared, Answerer(encoder), settings, cache)
    second = make_second_opinion(lambda: cache, blocking=True)
    answerer = Answerer(encoder, second=second)
    ranks, own, other = [], [], []
    for number, article in enumerate(prepared):
        foreign = prepared[(number + 1) % len(prepared)]
        for i, question in enumerate(article.item.questions):
            vector = article.question_vectors[i]
            for asked, unmatched, out in ((article, article.unmatched[i], own),
                                          (foreign, article.foreign_unmatched[i], other)):
                scores = answerer.score(asked.index, question.text, query_vector=vector, unmatched_vector=unmatched)
                scores, confidence = answerer.settle(asked.index, question.text, scores)
                out.append(confidence)
                if asked is article:
                    ranks.append(gold_rank(scores.paragraph, question.paragraph))
    assert second is not None and second.asked > 0  # the fixture has uncertain questions
    replay = outcomes(rows, settings.rank_weight, settings.confidence_weight, settings.centre)
    assert list(replay[0]) == ranks
    assert replay[1] == pytest.approx(np.array(own), abs=1e-4)
    assert replay[2] == pytest.approx(np.array(other), abs=1e-4)
