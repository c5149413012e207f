"""Ranking and separation metrics in numpy: rank of the gold item, R@k, MRR, AUROC."""

from __future__ import annotations

import logging

import numpy as np

log = logging.getLogger(__name__)


def gold_rank(scores: np.ndarray, gold: int) -> int:
    """1-based rank of ``gold`` when sorting by score, ties broken by position (stable order)."""
    value = scores[gold]
    ahead = np.count_nonzero(scores > value) + np.count_nonzero(scores[:gold] == value)
    return int(ahead) + 1


def recall_at(ranks: np.ndarray, k: int) -> float:
    """Share of queries whose gold item is within the first ``k``."""
    ranks = np.asarray(ranks)
    return float(np.mean(ranks <= k)) if len(ranks) else float("nan")


def mean_reciprocal_rank(ranks: np.ndarray) -> float:
    """Mean of 1 / rank."""
    ranks = np.asarray(ranks, dtype=np.float64)
    return float(np.mean(1.0 / ranks)) if len(ranks) else float("nan")


def auroc(positive: np.ndarray, negative: np.ndarray) -> float:
    """Probability that a positive outscores a negative (ties count half): Mann-Whitney U."""
    positive = np.asarray(positive, dtype=np.float64)
    negative = np.asarray(negative, dtype=np.float64)
    if not len(positive) or not len(negative):
        return float("nan")
    values = np.concatenate([positive, negative])
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values), dtype=np.float64)
    ranks[order] = np.arange(1, len(values) + 1)
    # average the ranks of tied values
    sorted_values = values[order]
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    ends = np.r_[starts[1:], len(values)]
    mean_rank = (starts + ends + 1) / 2.0
    ranks[order] = np.repeat(mean_rank, ends - starts)
    u = ranks[: len(positive)].sum() - len(positive) * (len(positive) + 1) / 2.0
    return float(u / (len(positive) * len(negative)))
