"""Fit the second opinion's weights (:mod:`embeddings.ranking.second_opinion`) on SQuAD, article folds.

    python -m embeddings.evaluation.fit_second ../shared/data/squad-dev-v1.1-part-a.json \
        [--folds 4] [--cache-dir DIR] [--limit N]

Every question is asked of its own article and of the next one (the other-article negatives) with
the shipped fast scorer; where the fast answer is uncertain (the shipped band and margin),
multilingual-e5-small's cosines are added. On the folds but one, the rank weight with the best MRR is
chosen, then the confidence weight and centre with the best own-versus-other-article AUROC among
those declining at most 0.6 % of own questions; the held-out fold is scored with them. Prints the
choice per fold, the held-out figures against the fast scorer's, and the choice on all articles.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..answers import Answerer
from ..ranking import CascadeSettings, segment_max, uncertain
from ..vectors import EmbeddingCache
from .fit_cues import fold_main
from .metrics import auroc
from .squad import PreparedArticle, load_squad, prepare

log = logging.getLogger(__name__)

RANK_WEIGHTS = (0.0, 2.0, 3.0, 3.5, 4.0, 5.0)
CONFIDENCE_WEIGHTS = (0.0, 1.0, 2.0, 3.0)
CENTRES = (0.80, 0.82, 0.84, 0.86)
MAX_DECLINED = 0.006  # own questions a choice may decline on the training folds


@dataclass(frozen=True, slots=True)
class Asked:
    """One question asked of one article: fast scores (P,), confidence, gold (-1: another article),
    whether the cascade fires, and e5's paragraph + best sentence cosines (P,) and best sentence cosine."""

    fused: np.ndarray
    confidence: float
    gold: int
    fires: bool
    e5: np.ndarray
    e5_best: float


def collect(
    prepared: Sequence[PreparedArticle], answerer: Answerer, settings: CascadeSettings, cache: EmbeddingCache
) -> list[tuple[int, Asked, Asked]]:
    """(article, own, other) per question, e5 indexes built (through ``cache``) and questions embedded here."""
    from ..models import E5Encoder
    from ..ranking import build_second_index

    e5 = E5Encoder()
    seconds = [build_second_index(p.index, e5, cache) for p in prepared]
    texts = [" ".join(q.text.split()) for p in prepared for q in p.item.questions]
    queries = e5.query(texts)
    assert queries is not None
    rows, k = [], 0
    for number, article in enumerate(prepared):
        other = (number + 1) % len(prepared)
        for i, question in enumerate(article.item.questions):
            asked = []
            for where, unmatched, gold in ((number, article.unmatched[i], question.paragraph),
                                           (other, article.foreign_unmatched[i], -1)):
                index = prepared[where].index
                scores = answerer.score(index, question.text, query_vector=article.question_vectors[i],
                                        unmatched_vector=unmatched)
                best = int(np.argmax(scores.paragraph))
                confidence = answerer.confidence(index, scores, best)
                sentence = segment_max(seconds[where].sentence_vectors @ queries[k], index.paragraph_first_sentence)
                asked.append(Asked(scores.paragraph, confidence, gold,
                                   uncertain(scores.paragraph, confidence, answerer.settings.threshold, settings),
                                   seconds[where].paragraph_vectors @ queries[k] + sentence, float(sentence.max())))
            rows.append((number, asked[0], asked[1]))
            k += 1
    return rows


def outcomes(rows, rank_weight: float, weight: float, centre: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(Q,) gold ranks, own and other-article confidences under one choice of weights."""
    ranks, own, other = [], [], []
    for _, mine, theirs in rows:
        score = mine.fused + rank_weight * mine.e5 if mine.fires else mine.fused
        ranks.append(int((score > score[mine.gold]).sum()) + 1)
        for asked, out in ((mine, own), (theirs, other)):
            out.append(asked.confidence + (weight * (asked.e5_best - centre) if asked.fires else 0.0))
    return np.array(ranks), np.array(own), np.array(other)


def choose(grid: dict, rows: np.ndarray, threshold: float) -> tuple[float, float, float]:
    """The rank weight with the best MRR on ``rows``, then the confidence weight and centre with the best
    AUROC among those declining at most MAX_DECLINED of own questions."""
    rank_weight = max(RANK_WEIGHTS, key=lambda w: float(np.mean(1.0 / grid[(w, 0.0, CENTRES[0])][0][rows])))
    allowed = [key for key in grid if key[0] == rank_weight and np.mean(grid[key][1][rows] < threshold) <= MAX_DECLINED]
    return max(allowed, key=lambda key: auroc(grid[key][1][rows], grid[key][2][rows]))


def run(path: str, folds: int, cache_dir: str | None, limit: int | None) -> dict:
    """The choice per fold and on all articles, the held-out figures and the fast scorer's."""
    from ..models import SentenceTransformerEncoder

    encoder = SentenceTransformerEncoder()
    answerer, settings = Answerer(encoder), CascadeSettings()
    cache = EmbeddingCache(Path(cache_dir) if cache_dir else None)
    rows = collect(prepare(load_squad(path, limit), encoder, cache), answerer, settings, cache)
    article = np.array([a for a, _, _ in rows])
    grid = {key: outcomes(rows, *key) for key in itertools.product(RANK_WEIGHTS, CONFIDENCE_WEIGHTS, CENTRES)}
    threshold = answerer.settings.threshold
    ranks, own, other = (np.zeros(len(rows)) for _ in range(3))
    chosen = []
    for fold in range(folds):
        test = article % folds == fold
        key = choose(grid, article % folds != fold, threshold)
        chosen.append(key)
        ranks[test], own[test], other[test] = (values[test] for values in grid[key])

    def figures(r, o, t) -> dict:
        return {"r@1": float(np.mean(r == 1)), "mrr": float(np.mean(1.0 / r)),
                "false_abstention": float(np.mean(o < threshold)), "other_declined": float(np.mean(t < threshold)),
                "auroc": auroc(o, t)}

    names = ("rank_weight", "confidence_weight", "centre")
    return {
        "questions": len(rows),
        "fires_own": float(np.mean([mine.fires for _, mine, _ in rows])),
        "fires_other": float(np.mean([theirs.fires for _, _, theirs in rows])),
        "fast": figures(*grid[(0.0, 0.0, CENTRES[0])]),
        "held_out": figures(ranks, own, other),
        "per_fold": [dict(zip(names, key, strict=True)) for key in chosen],
        "all": dict(zip(names, choose(grid, np.ones(len(rows), bool), threshold), strict=True)),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry: print the report as JSON."""
    return fold_main(__doc__, run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
