"""Fitting the abstention's article-length weight: the numpy replay agrees with the answerer."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings.answers import Answerer
from embeddings.evaluation.fit_abstention import GRID, best_weight, collect, confidences, cut
from embeddings.evaluation.squad import load_squad

from .conftest import FIXTURE


@pytest.fixture(scope="module")
def pairs(prepared, encoder):
    return collect(prepared, Answerer(encoder), 0)


def test_replayed_confidences_match_the_answerer(prepared, pairs, encoder):
    """Replaying the shipped length weight in numpy gives the confidence the answerer reports,
    for each question asked of its own article and of the next one."""
    answerer = Answerer(encoder)
    expected = []
    for number, article in enumerate(prepared):
        foreign = prepared[(number + 1) % len(prepared)]
        for i, question in enumerate(article.item.questions):
            vector = article.question_vectors[i]
            for asked, unmatched in ((article, article.unmatched[i]), (foreign, article.foreign_unmatched[i])):
                scores = answerer.score(asked.index, question.text, query_vector=vector, unmatched_vector=unmatched)
                expected.append(answerer.answer_from_scores(asked.index, question.text, scores).confidence)
    settings = answerer.settings
    replayed = confidences(pairs, settings.length_weight, settings.threshold)
    assert replayed == pytest.approx(np.array(expected), abs=1e-5)


def test_cut_keeps_the_first_paragraphs_and_the_questions_they_answer():
    """Cutting an article to two paragraphs keeps those and only the questions they answer."""
    items = load_squad(FIXTURE)
    short = cut(items, 2)
    assert all(len(item.contexts) == min(2, len(full.contexts)) for item, full in zip(short, items, strict=True))
    assert all(q.paragraph < 2 for item in short for q in item.questions)
    assert cut(items, 0) == items


def test_fitted_weight_comes_from_the_grid(pairs):
    """The fitted weight is a grid value."""
    assert best_weight(pairs, np.ones(len(pairs.raw), dtype=bool), 0.47) in GRID
