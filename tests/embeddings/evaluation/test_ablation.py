"""The ablation's steps: each row switches on one change over the row before it."""

from __future__ import annotations

from dataclasses import replace

from embeddings.answer import AnswerSettings
from embeddings.evaluation.ablation import STEPS


def _step(name_start: str) -> int:
    return next(i for i, (name, _) in enumerate(STEPS) if name.startswith(name_start))


def test_the_phrase_row_switches_on_the_phrase_weight_alone():
    """The phrase row differs from the row before it only by its phrase weight."""
    number = _step("+ phrases")
    (_, before), (_, phrases) = STEPS[number - 1], STEPS[number]
    assert phrases.weights.sentence_phrase > 0
    assert before == replace(phrases, weights=replace(phrases.weights, sentence_phrase=0.0))


def test_the_length_row_is_the_shipped_settings_and_switches_on_the_length_weight_alone():
    """The last row is the shipped settings, and the row before differs only by a zero length weight."""
    (_, before), (name, shipped) = STEPS[-2], STEPS[-1]
    assert name.startswith("+ confidence calibrated for the article's length")
    assert shipped == AnswerSettings() and shipped.length_weight > 0
    assert before == replace(shipped, length_weight=0.0)
