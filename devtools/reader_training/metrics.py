"""The reader's validation figures (numpy only): R@1, AUROC answerable vs unanswerable, declined at ≤5 % FA."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def auroc(positive: Sequence[float], negative: Sequence[float]) -> float:
    """P(a positive outscores a negative), ties counted half."""
    pos = np.asarray(positive, dtype=np.float64)
    neg = np.asarray(negative, dtype=np.float64)
    if not len(pos) or not len(neg):
        return float("nan")
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos) * len(neg)))


def declined_at(answerable: Sequence[float], unanswerable: Sequence[float], false_abstention: float = 0.05) -> float:
    """Share of unanswerable questions under the threshold that abstains on ``false_abstention`` of answerable."""
    if not len(answerable) or not len(unanswerable):
        return float("nan")
    threshold = float(np.quantile(np.asarray(answerable, dtype=np.float64), false_abstention))
    return float(np.mean(np.asarray(unanswerable, dtype=np.float64) < threshold))


def curve_point(answerable: Sequence[tuple[np.ndarray, Sequence[int]]], unanswerable: Sequence[np.ndarray]) -> dict:
    """Figures from the scores of answerable questions (with the right indexes) and unanswerable ones."""
    hits = [int(np.argmax(scores)) in set(right) for scores, right in answerable if len(scores)]
    best_a = [float(np.max(scores)) for scores, _ in answerable if len(scores)]
    best_u = [float(np.max(scores)) for scores in unanswerable if len(scores)]
    return {
        "r_at_1": round(float(np.mean(hits)) if hits else float("nan"), 4),
        "auroc": round(auroc(best_a, best_u), 4),
        "declined_at_5fa": round(declined_at(best_a, best_u), 4),
    }
