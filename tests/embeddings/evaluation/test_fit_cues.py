"""Fitting cue and abstention weights: the numpy replay agrees with the answerer."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings.answers import Answerer, AnswerSettings
from embeddings.evaluation.ablation import table
from embeddings.evaluation.fit_cues import GRID, collect, fit_abstention, fit_weights, replay
from embeddings.evaluation.squad import gold_ranks
from embeddings.ranking import CUES


@pytest.fixture(scope="module")
def data(prepared, encoder):
    return collect(prepared, Answerer(encoder, AnswerSettings(cue_weights={})), top=10)


def test_replay_with_weights_matches_the_answerer_ranking(prepared, data, encoder):
    """Replaying cue weights in numpy gives the same gold ranks as the answerer with those weights."""
    weights = {"quantity": 0.3, "time": 0.3, "person": 0.3, "place": 0.3}
    answerer = Answerer(encoder, AnswerSettings(cue_weights=weights))
    ranks = gold_ranks(prepared, answerer)
    everything = np.ones(len(data.article), dtype=bool)
    vector = np.array([weights.get(c, 0.0) for c in CUES])
    expected = np.array(ranks)
    figures = replay(data, vector, everything)
    assert figures["r@1"] == pytest.approx(np.mean(expected == 1))
    assert figures["mrr"] == pytest.approx(np.mean(1.0 / expected))


def test_fitted_weights_come_from_the_grid(data):
    """Coordinate ascent returns one grid value per cue."""
    weights = fit_weights(data, np.ones(len(data.article), dtype=bool), rounds=1)
    assert weights.shape == (len(CUES),) and all(w in GRID for w in weights)


def test_abstention_fit_reports_an_auroc(data):
    """The abstention fit returns its two weights and an AUROC in 0..1."""
    a, b, value = fit_abstention(data, np.ones(len(data.article), dtype=bool))
    assert a >= 0 and b >= 0 and 0.0 <= value <= 1.0


def test_ablation_table_has_a_row_per_step():
    """The Markdown ablation table prints one row per step with percentages."""
    row = {"step": "before", "squad": {"r@1": 0.8, "mrr": 0.9, "quote_hit": 0.7, "false_abstention": 0.01,
                                       "auroc": 0.99},
           "natural": {"r@1": 0.5, "right_first": 0.4, "quote_hit": 0.3, "false_abstention": 0.2,
                       "abstained": 0.6}}
    lines = table([row, {**row, "step": "after"}]).splitlines()
    assert len(lines) == 4 and lines[2].startswith("| before | 0.800") and "60.0 %" in lines[2]
