"""Fit the question-type cue weights and the abstention weights on SQuAD, with article folds.

    python -m embeddings.evaluation.fit_cues ../shared/data/squad-dev-v1.1-part-a.json \
        [--folds 4] [--cache-dir DIR] [--limit N]

Every question is scored once without cues; the paragraphs the answerer would check for cues
(its ``cue_paragraphs`` best) are kept with their sentences' scores and cues, so any weights can
be replayed in numpy. Articles are split into folds: the weights scoring a fold are fitted on the
other folds only, and the held-out figures are printed beside the weights fitted on all articles
(the ones shipped as plain numbers in :mod:`embeddings.ranking.cues` and :class:`AnswerSettings`).

Abstention: the confidence is ``best sentence cosine + a * term coverage + b * rare-term
coverage`` of the top paragraph; ``a`` and ``b`` are chosen for the AUROC of a question's own
article against the next article (as ``eval squad`` measures it).
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..answers import Answerer, AnswerSettings
from ..ranking import CUES, question_cues, rare_coverage, sentence_cues, top_k
from .metrics import auroc
from .squad import PreparedArticle, load_squad, prepare

log = logging.getLogger(__name__)

GRID = (0.0, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4)
ABSTENTION_GRID = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)


@dataclass(frozen=True, slots=True)
class Replay:
    """Cue-free scores of every question's candidate paragraphs, flattened over sentences.

    Rows are sentences of candidate paragraphs; ``segment`` numbers (question, paragraph) pairs.
    """

    article: np.ndarray  # (Q,) article number of each question
    gold_outside: np.ndarray  # (Q,) rank of gold when it is not a candidate, else 0
    asked: np.ndarray  # (Q, C) question cues
    segment_question: np.ndarray  # (G,) question of each candidate paragraph
    segment_score: np.ndarray  # (G,) fused paragraph score without cues
    segment_gold: np.ndarray  # (G,) the candidate is the gold paragraph
    row_segment: np.ndarray  # (N,) candidate paragraph of each sentence row
    row_score: np.ndarray  # (N,) sentence score without cues
    row_cues: np.ndarray  # (N, C) cues the sentence holds
    row_hit: np.ndarray  # (N,) the sentence contains a gold answer
    own: np.ndarray  # (Q, 3) confidence features of the top paragraph of the own article
    other: np.ndarray  # (Q, 3) the same against the next article


def _features(answerer: Answerer, index, scores) -> np.ndarray:
    """(3,) best sentence cosine, term coverage and rare-term coverage of the top paragraph."""
    best = int(np.argmax(scores.paragraph))
    rows = np.array([best])
    coverage = index.paragraph_lexical.coverage(list(scores.terms), rows)[0]
    rare = rare_coverage(index, scores, best)
    return np.array([scores.sentence_dense_max[best], coverage, rare], dtype=np.float64)


def collect(prepared: Sequence[PreparedArticle], answerer: Answerer, top: int) -> Replay:
    """Score every question (own article and next article) without cues and keep the replay."""
    cols: dict[str, list] = {k: [] for k in Replay.__dataclass_fields__}
    segment = 0
    for number, article in enumerate(prepared):
        foreign = prepared[(number + 1) % len(prepared)]
        index, article_text = article.index, article.index.article
        for i, question in enumerate(article.item.questions):
            scores = answerer.score(index, question.text, query_vector=article.question_vectors[i],
                                    unmatched_vector=article.unmatched[i])
            elsewhere = answerer.score(foreign.index, question.text, query_vector=article.question_vectors[i],
                                       unmatched_vector=article.foreign_unmatched[i])
            q = len(cols["article"])
            cols["article"].append(number)
            cols["asked"].append(question_cues(question.text))
            cols["own"].append(_features(answerer, index, scores))
            cols["other"].append(_features(answerer, foreign.index, elsewhere))
            candidates = top_k(scores.paragraph, top)
            outside = 0
            if question.paragraph not in set(candidates.tolist()):
                outside = 1 + int(np.count_nonzero(scores.paragraph > scores.paragraph[question.paragraph]))
            cols["gold_outside"].append(outside)
            for p in candidates:
                p = int(p)
                first, spans = int(index.paragraph_first_sentence[p]), article_text.paragraphs[p].sentences
                texts = [article_text.sentence_text(s) for s in spans]
                cols["segment_question"].append(q)
                cols["segment_score"].append(scores.paragraph[p])
                cols["segment_gold"].append(p == question.paragraph)
                cols["row_segment"].extend([segment] * len(spans))
                cols["row_score"].extend(scores.sentence[first : first + len(spans)].tolist())
                cols["row_cues"].append(sentence_cues(texts, question.text))
                cols["row_hit"].extend(any(a in t for a in question.answers) for t in texts)
                segment += 1
    stacked = {k: np.asarray(v) for k, v in cols.items() if k not in ("asked", "row_cues", "own", "other")}
    return Replay(
        asked=np.stack(cols["asked"]), row_cues=np.concatenate(cols["row_cues"]),
        own=np.stack(cols["own"]), other=np.stack(cols["other"]), **stacked,
    )


def replay(data: Replay, weights: np.ndarray, questions: np.ndarray) -> dict:
    """R@1, MRR and first-sentence hit of ``questions`` (bool mask (Q,)) under cue ``weights`` (C,)."""
    bonus = np.einsum("nc,nc->n", data.row_cues, data.asked[data.segment_question[data.row_segment]] * weights)
    score = data.row_score + bonus
    # the best sentence of each candidate paragraph: sort by (segment, -score), take each first row
    order = np.lexsort((-score, data.row_segment))
    firsts = order[np.r_[True, data.row_segment[order][1:] != data.row_segment[order][:-1]]]
    starts = np.flatnonzero(np.r_[True, data.row_segment[1:] != data.row_segment[:-1]])
    gain = np.maximum.reduceat(score, starts) - np.maximum.reduceat(data.row_score, starts)
    paragraph = data.segment_score + gain
    best_hit = data.row_hit[firsts]
    q = data.segment_question
    # rank of gold among candidates; questions whose gold is outside keep their outside rank
    gold_score = np.full(len(data.article), -np.inf)
    gold_score[q[data.segment_gold]] = paragraph[data.segment_gold]
    ahead = np.zeros(len(data.article))
    np.add.at(ahead, q, paragraph > gold_score[q])
    rank = np.where(data.gold_outside > 0, data.gold_outside, ahead + 1)
    top = np.full(len(data.article), -np.inf)
    np.maximum.at(top, q, paragraph)
    is_top = paragraph == top[q]
    hit = np.zeros(len(data.article), dtype=bool)
    hit[q[is_top & best_hit]] = True
    return {
        "r@1": float(np.mean(rank[questions] == 1)),
        "mrr": float(np.mean(1.0 / rank[questions])),
        "hit": float(np.mean(hit[questions])),
    }


def fit_weights(data: Replay, questions: np.ndarray, rounds: int = 3) -> np.ndarray:
    """Coordinate ascent over :data:`GRID` on MRR + first-sentence hit of ``questions``."""
    weights = np.zeros(len(CUES))

    def objective(w: np.ndarray) -> float:
        figures = replay(data, w, questions)
        return figures["mrr"] + figures["hit"]

    best = objective(weights)
    for _ in range(rounds):
        changed = False
        for c in range(len(CUES)):
            for value in GRID:
                trial = weights.copy()
                trial[c] = value
                score = objective(trial)
                if score > best + 1e-9:
                    best, weights, changed = score, trial, True
        if not changed:
            break
    return weights


def fit_abstention(data: Replay, questions: np.ndarray) -> tuple[float, float, float]:
    """(coverage weight, rare weight, AUROC) with the best own-vs-next-article AUROC."""
    best = (0.0, 0.0, -1.0)
    for a, b in itertools.product(ABSTENTION_GRID, ABSTENTION_GRID):
        w = np.array([1.0, a, b])
        value = auroc(data.own[questions] @ w, data.other[questions] @ w)
        if value > best[2]:
            best = (a, b, value)
    return best


def run(path: str, folds: int, cache_dir: str | None, limit: int | None, top: int) -> dict:
    """Fit per fold and on everything; the report as JSON."""
    from ..models import SentenceTransformerEncoder
    from ..vectors import EmbeddingCache

    encoder = SentenceTransformerEncoder()
    cache = EmbeddingCache(Path(cache_dir) if cache_dir else None)
    prepared = prepare(load_squad(path, limit), encoder, cache, progress=True)
    answerer = Answerer(encoder, AnswerSettings(cue_weights={}, cue_paragraphs=top))
    data = collect(prepared, answerer, top)
    everything = np.ones(len(data.article), dtype=bool)
    report: dict = {"cues": list(CUES), "questions": len(data.article), "folds": []}
    for fold in range(folds):
        test = data.article % folds == fold
        weights = fit_weights(data, ~test)
        a, b, _ = fit_abstention(data, ~test)
        w = np.array([1.0, a, b])
        report["folds"].append({
            "weights": dict(zip(CUES, weights.round(3).tolist(), strict=True)),
            "coverage_weight": a, "rare_weight": b,
            "held_out": replay(data, weights, test), "held_out_without_cues": replay(data, weights * 0, test),
            "held_out_auroc": auroc(data.own[test] @ w, data.other[test] @ w),
        })
    weights = fit_weights(data, everything)
    a, b, value = fit_abstention(data, everything)
    report["all"] = {
        "weights": dict(zip(CUES, weights.round(3).tolist(), strict=True)),
        "coverage_weight": a, "rare_weight": b, "auroc": value,
        "fit": replay(data, weights, everything), "without_cues": replay(data, weights * 0, everything),
        "threshold_0.5%": float(np.quantile(data.own @ np.array([1.0, a, b]), 0.005)),
        "threshold_1%": float(np.quantile(data.own @ np.array([1.0, a, b]), 0.01)),
        "auroc_shipped_before": auroc(data.own @ np.array([1.0, 0.3, 0.0]), data.other @ np.array([1.0, 0.3, 0.0])),
    }
    return report


def fold_arguments(doc: str | None) -> argparse.ArgumentParser:
    """The arguments every fitting script takes: the SQuAD file, article folds, cache, article limit."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--cache-dir")
    parser.add_argument("--limit", type=int)
    return parser


def fold_main(doc: str | None, run: Callable[[str, int, str | None, int | None], dict],
              argv: Sequence[str] | None) -> int:
    """The command line of a fitting script whose ``run(path, folds, cache_dir, limit)`` makes a
    report: parse :func:`fold_arguments`, print the report as JSON."""
    args = fold_arguments(doc).parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    json.dump(run(args.path, args.folds, args.cache_dir, args.limit), sys.stdout, indent=2)
    print()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry: print the fitted weights and held-out figures as JSON."""
    parser = fold_arguments(__doc__)
    parser.add_argument("--top", type=int, default=AnswerSettings().cue_paragraphs)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    report = run(args.path, args.folds, args.cache_dir, args.limit, args.top)
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
