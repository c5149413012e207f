"""Fitting the phrase weight: ranks replay the answerer, and each fold is scored by a weight chosen
on the other folds only."""

from __future__ import annotations

import numpy as np

from embeddings.answers import Answerer
from embeddings.evaluation.fit_phrases import GRID, held_out, ranks
from embeddings.evaluation.squad import gold_ranks
from embeddings.ranking import Weights


def test_ranks_at_the_shipped_weight_replay_the_answerer(prepared, encoder):
    """Ranks computed at the shipped phrase weight are the shipped answerer's gold ranks."""
    answerer = Answerer(encoder)
    expected = gold_ranks(prepared, answerer)
    assert ranks(prepared, Weights().sentence_phrase, encoder).tolist() == expected


def test_each_fold_is_scored_with_the_weight_chosen_on_the_other_folds():
    """A weight best on one fold only is not the one that scores it: the other folds choose."""
    questions = 8
    article = np.arange(questions) % 4  # one fold per article, two questions each
    table = np.full((len(GRID), questions), 3.0)
    table[1, article == 0] = 1.0  # weight 1 ranks fold 0's gold first, and nothing else
    table[2, article != 0] = 1.0  # weight 2 ranks every other fold's gold first
    report = held_out(table, article, 4)
    assert report["folds"][0]["weight"] == GRID[2]
    assert report["folds"][0]["r@1"] == 0.0
    assert all(fold["weight"] == GRID[2] for fold in report["folds"][1:])
