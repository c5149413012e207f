"""The ablation's steps: each row switches on one change over the row before it."""

from __future__ import annotations

from dataclasses import replace

from embeddings.answers import AnswerSettings
from embeddings.evaluation.ablation import STEPS


def test_the_phrase_row_switches_on_the_phrase_weight_alone():
    """The phrase row differs from the row before it only by the phrase weight, the shipped one."""
    names = [name for name, _ in STEPS]
    row = next(i for i, name in enumerate(names) if name.startswith("+ phrases"))
    (_, before), (_, phrases) = STEPS[row - 1], STEPS[row]
    assert phrases.weights.sentence_phrase == AnswerSettings().weights.sentence_phrase > 0
    assert before == replace(phrases, weights=replace(phrases.weights, sentence_phrase=0.0))


def test_the_last_row_is_the_shipped_settings():
    """The ablation ends at what the answerer ships."""
    assert STEPS[-1][1] == AnswerSettings()


def test_the_length_row_switches_on_the_length_weight_alone():
    """The last row (the shipped settings) differs from the row before only by the length weight."""
    (_, before), (name, shipped) = STEPS[-2], STEPS[-1]
    assert name.startswith("+ confidence calibrated for the article's length")
    assert shipped.length_weight > 0 and before == replace(shipped, length_weight=0.0)
