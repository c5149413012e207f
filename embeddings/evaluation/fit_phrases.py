"""Fit the phrase weight (``Weights.sentence_phrase``) on SQuAD, with article folds.

    python -m embeddings.evaluation.fit_phrases ../shared/data/squad-dev-v1.1-part-a.json \
        [--folds 4] [--cache-dir DIR] [--limit N]

A sentence's BM25 gains ``weight *`` its phrase score: the question's neighbouring content words
that it holds next to each other, in the question's order (:meth:`LexicalIndex.phrase_scores`).
Every question is ranked once per weight of :data:`GRID` with everything else as shipped. Articles
are split into folds (article number modulo the fold count): the weight scoring a fold is the one
with the best MRR (then R@1) on the other folds, and the held-out R@1 and MRR are printed beside
those of weight 0 and the weight chosen on all articles (the one shipped in :class:`Weights`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..answers import Answerer, AnswerSettings
from .fit_cues import fold_main
from .squad import PreparedArticle, gold_ranks, load_squad, prepare

log = logging.getLogger(__name__)

GRID = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2)


def ranks(prepared: Sequence[PreparedArticle], weight: float, encoder) -> np.ndarray:
    """(Q,) 1-based rank of every question's gold paragraph with phrase weight ``weight``."""
    settings = AnswerSettings()
    answerer = Answerer(encoder, replace(settings, weights=replace(settings.weights, sentence_phrase=weight)))
    return np.array(gold_ranks(prepared, answerer), dtype=np.float64)


def figures(rank: np.ndarray) -> tuple[float, float]:
    """R@1 and MRR of 1-based ranks (Q,)."""
    return float(np.mean(rank == 1)), float(np.mean(1.0 / rank))


def choose(table: np.ndarray, rows: np.ndarray) -> int:
    """The grid position with the best MRR, then R@1, over questions ``rows`` of ``table`` (G, Q)
    (MRR moves with every rank, R@1 only with the first: the steadier of the two to choose by)."""
    return max(range(len(table)), key=lambda g: figures(table[g, rows])[::-1])


def held_out(table: np.ndarray, article: np.ndarray, folds: int) -> dict:
    """Per fold, the weight chosen on the other folds and its figures on the fold; pooled figures."""
    chosen = np.zeros(table.shape[1])
    per_fold = []
    for fold in range(folds):
        test, train = article % folds == fold, article % folds != fold
        g = choose(table, np.flatnonzero(train))
        chosen[test] = table[g, test]
        per_fold.append({"fold": fold, "weight": GRID[g], "r@1": figures(table[g, test])[0],
                         "r@1_without": figures(table[0, test])[0]})
    r1, mrr = figures(chosen)
    return {"r@1": r1, "mrr": mrr, "folds": per_fold}


def run(path: str, folds: int, cache_dir: str | None, limit: int | None) -> dict:
    """Held-out figures of the fitted phrase weight, beside weight 0 and the weight fitted on all."""
    from ..models import SentenceTransformerEncoder
    from ..vectors import EmbeddingCache

    encoder = SentenceTransformerEncoder()
    cache = EmbeddingCache(Path(cache_dir) if cache_dir else None)
    items = load_squad(path, limit)
    prepared = prepare(items, encoder, cache)
    article = np.array([n for n, item in enumerate(items) for _ in item.questions])
    table = np.stack([ranks(prepared, weight, encoder) for weight in GRID])
    everything = np.arange(table.shape[1])
    best = choose(table, everything)
    report = {
        "questions": int(table.shape[1]),
        "grid": {str(w): dict(zip(("r@1", "mrr"), figures(table[g]), strict=True)) for g, w in enumerate(GRID)},
        "without": dict(zip(("r@1", "mrr"), figures(table[0]), strict=True)),
        "held_out": held_out(table, article, folds),
        "weight_all": GRID[best],
    }
    log.warning("%s", json.dumps(report["held_out"]))
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry: print the report as JSON."""
    return fold_main(__doc__, run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
