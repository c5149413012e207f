"""Grouping similar questions for /insights (greedy clustering on unit embeddings): vectors in, groups out."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class QuestionGroup:
    """Similar questions: one shown as the example, and how many there were."""

    example: str
    count: int


def group_questions(questions: list[str], vectors: np.ndarray, threshold: float = 0.75) -> list[QuestionGroup]:
    """Each question joins the first earlier group whose example it resembles (cosine ≥ threshold).

    ``vectors``: (Q, d) unit rows, one per question; returns the groups, largest first.
    """
    examples: list[int] = []
    counts: list[int] = []
    for i in range(len(questions)):
        if examples:
            similarity = vectors[examples] @ vectors[i]
            best = int(np.argmax(similarity))
            if similarity[best] >= threshold:
                counts[best] += 1
                continue
        examples.append(i)
        counts.append(1)
    groups = [QuestionGroup(questions[e], c) for e, c in zip(examples, counts, strict=True)]
    return sorted(groups, key=lambda g: -g.count)
