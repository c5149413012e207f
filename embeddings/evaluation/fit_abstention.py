"""Fit the abstention's article-length weight on SQuAD part A at three lengths, with article folds.

    python -m embeddings.evaluation.fit_abstention ../shared/data/squad-dev-v1.1-part-a.json \
        [--folds 4] [--cache-dir DIR] [--limit N]

Every article is asked its own questions and the next article's, whole and cut to its first 12
and first 6 paragraphs (only the questions those paragraphs answer), so the same questions meet
articles of 16 to 435 sentences. Each pair keeps its confidence without the length adjustment;
any weight of :func:`embeddings.ranking.abstention.length_adjustment` is then replayed in numpy. The weight
scoring a fold is the one with the best pooled own-versus-other-article AUROC (all three lengths
together: one threshold must serve them all) on the other folds; the held-out figures are printed
beside the weight fitted on all articles (the one shipped in :class:`AnswerSettings`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..answers import Answerer, AnswerSettings
from ..ranking import absent_share, length_adjustment, rare_coverage, top_k
from .fit_cues import fold_main
from .metrics import auroc
from .squad import PreparedArticle, SquadArticle, load_squad, prepare

log = logging.getLogger(__name__)

LENGTHS = (0, 12, 6)  # whole articles (0), their first 12 and their first 6 paragraphs
GRID = tuple(round(0.01 * step, 2) for step in range(13))  # 0 .. 0.12


@dataclass(frozen=True, slots=True)
class Pairs:
    """(question, article) pairs, all (N,): the question's article number, the cut (an index of
    LENGTHS), own article or the next one, the confidence without the length adjustment, whether
    the rare-term floor holds, the share of the question's rare terms the article lacks (the
    adjustment applies to the rest), and the asked article's number of sentences."""

    article: np.ndarray
    length: np.ndarray
    own: np.ndarray
    raw: np.ndarray
    floor: np.ndarray
    absent: np.ndarray
    sentences: np.ndarray


def cut(items: Sequence[SquadArticle], paragraphs: int) -> list[SquadArticle]:
    """Each article's first ``paragraphs`` paragraphs with the questions they answer (0: whole)."""
    if not paragraphs:
        return list(items)
    return [
        replace(item, contexts=item.contexts[:paragraphs],
                questions=tuple(q for q in item.questions if q.paragraph < paragraphs))
        for item in items
    ]


def collect(prepared: Sequence[PreparedArticle], answerer: Answerer, length: int) -> Pairs:
    """Every question against its own article and the next, scored as the answerer would, without
    the length adjustment and the rare-term floor (both replayed)."""
    settings = answerer.settings
    plain = Answerer(answerer.encoder, replace(settings, length_weight=0.0, rare_floor=2.0))
    cols: dict[str, list] = {name: [] for name in Pairs.__dataclass_fields__}
    for number, article in enumerate(prepared):
        foreign = prepared[(number + 1) % len(prepared)]
        for i, question in enumerate(article.item.questions):
            vector = article.question_vectors[i]
            for own, asked, unmatched in ((True, article, article.unmatched[i]),
                                          (False, foreign, article.foreign_unmatched[i])):
                index = asked.index
                scores = plain.score(index, question.text, query_vector=vector, unmatched_vector=unmatched)
                best = int(top_k(scores.paragraph, 1)[0])
                cols["article"].append(number)
                cols["length"].append(length)
                cols["own"].append(own)
                cols["raw"].append(plain.confidence(index, scores, best))
                cols["floor"].append(rare_coverage(index, scores, best) >= settings.rare_floor)
                cols["absent"].append(absent_share(index, scores))
                cols["sentences"].append(index.sentence_count)
    return Pairs(**{name: np.asarray(values) for name, values in cols.items()})


def confidences(pairs: Pairs, weight: float, threshold: float) -> np.ndarray:
    """(N,) each pair's confidence with the length adjustment of ``weight`` and the rare-term floor."""
    adjust = np.array([length_adjustment(int(n), weight) for n in pairs.sentences])
    values = pairs.raw + (1.0 - pairs.absent) * adjust
    return np.where(pairs.floor, np.maximum(values, threshold), values)


def figures(pairs: Pairs, values: np.ndarray, mask: np.ndarray, threshold: float) -> dict:
    """Pooled AUROC over ``mask`` and, per length, the AUROC, answerable questions declined at
    ``threshold`` and other-article questions declined."""
    out: dict = {"auroc": auroc(values[mask & pairs.own], values[mask & ~pairs.own])}
    for number, length in enumerate(LENGTHS):
        part = mask & (pairs.length == number)
        own, other = values[part & pairs.own], values[part & ~pairs.own]
        out[f"paragraphs {length or 'all'}"] = {
            "auroc": auroc(own, other), "false_abstention": float(np.mean(own < threshold)),
            "other_abstention": float(np.mean(other < threshold)),
        }
    return out


def best_weight(pairs: Pairs, mask: np.ndarray, threshold: float) -> float:
    """The grid weight with the best pooled AUROC over ``mask`` (the smallest among ties)."""
    scored = [(auroc(v[mask & pairs.own], v[mask & ~pairs.own]), -w)
              for w in GRID for v in [confidences(pairs, w, threshold)]]
    return -max(scored)[1]


def run(path: str, folds: int, cache_dir: str | None, limit: int | None) -> dict:
    """Collect the pairs at every length, fit per fold and on all, and report."""
    from ..models import make_encoder
    from ..vectors import EmbeddingCache

    encoder = make_encoder("onnx")  # the backend `article-bot eval` uses by default
    cache = EmbeddingCache(Path(cache_dir) if cache_dir else None)
    answerer = Answerer(encoder)
    threshold = answerer.settings.threshold
    items = load_squad(path, limit)
    parts = [collect(prepare(cut(items, length), encoder, cache), answerer, number)
             for number, length in enumerate(LENGTHS)]
    pairs = Pairs(**{name: np.concatenate([getattr(p, name) for p in parts]) for name in Pairs.__dataclass_fields__})
    everything = np.ones(len(pairs.raw), dtype=bool)
    held_out = np.zeros(len(pairs.raw))
    chosen = []
    for fold in range(folds):
        test = pairs.article % folds == fold
        weight = best_weight(pairs, ~test, threshold)
        chosen.append(weight)
        held_out[test] = confidences(pairs, weight, threshold)[test]
    shipped = AnswerSettings().length_weight
    return {
        "threshold": threshold,
        "fold_weights": chosen,
        "weight_fitted_on_all": best_weight(pairs, everything, threshold),
        "shipped_weight": shipped,
        "no_adjustment": figures(pairs, confidences(pairs, 0.0, threshold), everything, threshold),
        "held_out": figures(pairs, held_out, everything, threshold),
        "shipped": figures(pairs, confidences(pairs, shipped, threshold), everything, threshold),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry: print the report as JSON."""
    return fold_main(__doc__, run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
