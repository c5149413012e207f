"""Fit the paragraph fusion weights as a listwise logistic (softmax) model on SQuAD, article folds.

    python -m embeddings.evaluation.fit_fusion ../shared/data/squad-dev-v1.1-part-a.json \
        [--folds 4] [--cache-dir DIR] [--limit N]

Every question's paragraphs get the signals the answerer adds with equal weights (paragraph and
best-sentence cosine, paragraph and best-sentence BM25, the unmatched-words cosines, the cue gain)
and candidate extras (term coverage, mean sentence cosine, best two-sentence window cosine).
Weights scoring a fold are fitted on the other folds only; the held-out R@1 and MRR are printed
beside the shipped equal weights. On SQuAD part A no fitted set beats the equal weights held out
(see README, "How it answers"), so none is shipped: this script is kept to show it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..answers import Answerer
from ..ranking import best_bm25_per_paragraph, score_query, segment_max, sentence_bm25
from .fit_cues import fold_main
from .squad import PreparedArticle, load_squad, prepare

log = logging.getLogger(__name__)

SIGNALS = ("paragraph_dense", "sentence_dense", "paragraph_bm25", "sentence_bm25",
           "unmatched_paragraph", "unmatched_sentence", "cues")
EXTRAS = ("coverage", "mean_sentence_dense", "window_dense")
FEATURES = SIGNALS + EXTRAS


def window_max(index, query: np.ndarray) -> np.ndarray:
    """(P,) each paragraph's best cosine of two neighbouring sentences' mean vector (its only
    sentence's cosine when it has one)."""
    vectors, firsts = index.sentence_vectors, index.paragraph_first_sentence
    own = vectors @ query
    pairs = vectors[1:] + vectors[:-1]
    pairs /= np.maximum(np.linalg.norm(pairs, axis=1, keepdims=True), 1e-12)
    same = index.sentence_paragraph[1:] == index.sentence_paragraph[:-1]
    windows = own.copy()
    windows[:-1] = np.where(same, np.maximum(own[:-1], pairs @ query), own[:-1])
    return segment_max(windows, firsts)


def features(answerer: Answerer, article: PreparedArticle, number: int) -> np.ndarray:
    """(P, F) every paragraph's signals for question ``number`` of ``article``, in FEATURES order."""
    index, question = article.index, article.item.questions[number]
    vector, unmatched = article.question_vectors[number], article.unmatched[number]
    scores = answerer.score(index, question.text, query_vector=vector, unmatched_vector=unmatched)
    terms = list(scores.terms)
    plain = score_query(index, vector, terms, answerer.settings.weights, unmatched)
    firsts = index.paragraph_first_sentence
    sentence_dense = index.sentence_vectors @ vector
    counts = np.diff(np.append(firsts, len(sentence_dense)))
    zeros = np.zeros(len(firsts), dtype=np.float32)
    share = 0.0  # the answerer's weight of the unmatched-words cosines for this question
    if unmatched is not None:
        share = answerer.settings.weights.unmatched_dense * index.paragraph_lexical.unmatched_share(terms)
    columns = [
        index.paragraph_vectors @ vector,
        segment_max(sentence_dense, firsts),
        index.paragraph_lexical.normalised_scores(terms),
        best_bm25_per_paragraph(index, sentence_bm25(index, terms, answerer.settings.weights)),
        share * (index.paragraph_vectors @ unmatched) if unmatched is not None else zeros,
        share * segment_max(index.sentence_vectors @ unmatched, firsts) if unmatched is not None else zeros,
        scores.paragraph - plain.paragraph,
        index.paragraph_lexical.coverage(terms),
        np.add.reduceat(sentence_dense, firsts) / counts,
        window_max(index, vector),
    ]
    return np.stack(columns, axis=1).astype(np.float64)


def collect(prepared: Sequence[PreparedArticle], answerer: Answerer) -> list[tuple[int, int, np.ndarray]]:
    """(article number, gold paragraph, (P, F) features) for every question."""
    return [
        (number, question.paragraph, features(answerer, article, i))
        for number, article in enumerate(prepared)
        for i, question in enumerate(article.item.questions)
    ]


def evaluate(data, weights: np.ndarray, columns: Sequence[int], rows: np.ndarray) -> tuple[float, float]:
    """R@1 and MRR of ``features[:, columns] @ weights`` over questions ``rows`` (ties count against)."""
    ranks = []
    for row in rows:
        _, gold, matrix = data[row]
        score = matrix[:, columns] @ weights
        ranks.append(1 + int(np.count_nonzero(score > score[gold])))
    ranks = np.array(ranks, dtype=np.float64)
    return float(np.mean(ranks == 1)), float(np.mean(1.0 / ranks))


def fit(data, columns: Sequence[int], rows: np.ndarray, *, temperature: float = 10.0,
        rounds: int = 300, rate: float = 0.5, l2: float = 1e-3) -> np.ndarray:
    """Weights (len(columns),) minimising the softmax cross-entropy of the gold paragraph over each
    question's paragraphs (gradient descent from the equal weights of the first signals)."""
    weights = np.zeros(len(columns))
    weights[: min(len(SIGNALS), len(columns))] = 1.0
    lists = [(data[row][2][:, columns], data[row][1]) for row in rows]
    for _ in range(rounds):
        gradient = l2 * weights
        for matrix, gold in lists:
            logits = temperature * (matrix @ weights)
            p = np.exp(logits - logits.max())
            p /= p.sum()
            gradient = gradient + temperature * (p @ matrix - matrix[gold]) / len(lists)
        weights = weights - rate * gradient
    return weights


def run(path: str, folds: int, cache_dir: str | None, limit: int | None) -> dict:
    """Held-out R@1 / MRR of equal weights and of fitted ones, per feature set; weights on all."""
    from ..models import SentenceTransformerEncoder
    from ..vectors import EmbeddingCache

    encoder = SentenceTransformerEncoder()
    cache = EmbeddingCache(Path(cache_dir) if cache_dir else None)
    answerer = Answerer(encoder)
    data = collect(prepare(load_squad(path, limit), encoder, cache), answerer)
    article = np.array([a for a, _, _ in data])
    everything = np.arange(len(data))
    signals = list(range(len(SIGNALS)))
    report = {"questions": len(data), "equal": dict(zip(("r@1", "mrr"),
                                                        evaluate(data, np.ones(len(signals)), signals, everything),
                                                        strict=True)), "fitted": []}
    for extra in ((), (0,), (1, 2), (0, 1, 2)):
        columns = signals + [len(SIGNALS) + e for e in extra]
        held = np.zeros(2)
        for fold in range(folds):
            test = np.flatnonzero(article % folds == fold)
            weights = fit(data, columns, np.flatnonzero(article % folds != fold))
            held += np.array(evaluate(data, weights, columns, test)) * len(test)
        weights = fit(data, columns, everything)
        row = {"features": [FEATURES[c] for c in columns], "held_out_r@1": held[0] / len(data),
               "held_out_mrr": held[1] / len(data), "weights_all": [round(float(w / weights[0]), 3) for w in weights]}
        report["fitted"].append(row)
        log.warning("%s", json.dumps(row))
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry: print the report as JSON."""
    return fold_main(__doc__, run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
