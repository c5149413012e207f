"""Grouping and pagination of the insight report."""

from __future__ import annotations

import numpy as np

from bot.exts.insights.pages import paginate
from embeddings.answers import group_questions


def test_similar_questions_group_together(encoder):
    """Paraphrases group; an unrelated question stands alone."""
    questions = ["What is the capital of France?", "What's the capital city of France?", "Who won the 1998 world cup?"]
    groups = group_questions(questions, encoder.encode(questions))
    assert [g.count for g in groups] == [2, 1]


def test_identical_vectors_group():
    """Identical unit vectors are one group."""
    vectors = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    assert [g.count for g in group_questions(["a", "b", "c"], vectors)] == [2, 1]


def test_pages_respect_limit():
    """Lines are packed into pages no longer than the limit, none lost."""
    lines = [f"line {i} " + "x" * 90 for i in range(100)]
    pages = paginate(lines, limit=1000)
    assert all(len(p) <= 1000 for p in pages) and sum(p.count("line ") for p in pages) == 100
