"""The ablation's steps: each row switches on one change over the row before it."""

from __future__ import annotations

from dataclasses import replace

from embeddings.answer import AnswerSettings
from embeddings.evaluation.ablation import STEPS


def test_the_phrase_row_switches_on_the_phrase_weight_alone():
    """The last row is the shipped settings, and the row before differs only by a zero phrase weight."""
    (_, before), (_, shipped) = STEPS[-2], STEPS[-1]
    assert shipped == AnswerSettings()
    assert shipped.weights.sentence_phrase > 0
    assert before == replace(shipped, weights=replace(shipped.weights, sentence_phrase=0.0))
