"""Each answer-quality change's gain: SQuAD and natural questions under cumulative settings.

    python -m embeddings.evaluation.ablation ../shared/data/squad-dev-v1.1-part-a.json \
        [--questions FILE] [--limit N] [--cache-dir DIR]

Rows switch the changes on one after another, starting from today's scorer settings:
question rewriting (typos, shorthand, words about the article), question-type cues, the
abstention with rare-term coverage, the rare terms the article lacks, the phrase score (the
question's neighbouring words held next to each other in a sentence) and the confidence
calibrated for the article's length; last, multilingual-e5-small's second opinion on uncertain
questions (:mod:`embeddings.ranking.second_opinion`). SQuAD articles are indexed and questions embedded once.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ..answers import Answerer, AnswerSettings
from .questions import SHIPPED, evaluate_questions, load_questions
from .squad import evaluate_squad, load_squad, prepare

log = logging.getLogger(__name__)

SHIPPED_SETTINGS = AnswerSettings()
NO_LENGTH = replace(SHIPPED_SETTINGS, length_weight=0.0)  # before the length-calibrated confidence
NO_PHRASES = replace(NO_LENGTH, weights=replace(NO_LENGTH.weights, sentence_phrase=0.0))
ROUND_ONE = replace(NO_PHRASES, absent_weight=0.0, threshold=0.48)  # issue 12's first round
BEFORE = replace(
    ROUND_ONE, rewrite=False, cue_weights={}, quote_cues=False, rare_weight=0.0, rare_floor=2.0,
    coverage_weight=0.3, threshold=0.45, extend_ratio=0.75, short_sentence_words=12,
)
ABSTENTION = replace(ROUND_ONE, extend_ratio=0.75, short_sentence_words=12)
STEPS = (
    ("before (issue 12)", BEFORE),
    ("+ question rewriting", replace(BEFORE, rewrite=True)),
    ("+ question-type cues in ranking", replace(BEFORE, rewrite=True, cue_weights=None)),
    ("+ quote takes the asked-for neighbour", replace(BEFORE, rewrite=True, cue_weights=None, quote_cues=True)),
    ("+ rare-term abstention", ABSTENTION),
    ("+ two-sentence quotes more often", ROUND_ONE),
    ("+ rare terms the article lacks lower the confidence", NO_PHRASES),
    ("+ phrases: question words adjacent in the sentence", NO_LENGTH),
    ("+ confidence calibrated for the article's length", SHIPPED_SETTINGS),
)
# The last row: the shipped settings with multilingual-e5-small's second opinion on uncertain questions.
SECOND_OPINION_STEP = "+ second opinion of multilingual-e5-small on uncertain questions (shipped)"


def run(path: str, questions_path: str, limit: int | None, cache_dir: str | None) -> list[dict]:
    """One row per step: SQuAD R@1, MRR, quote hit, false abstention, AUROC; natural figures."""
    from ..models import SentenceTransformerEncoder
    from ..ranking import make_second_opinion
    from ..vectors import EmbeddingCache

    encoder = SentenceTransformerEncoder()
    cache = EmbeddingCache(Path(cache_dir) if cache_dir else None)
    prepared = prepare(load_squad(path, limit), encoder, cache)
    questions = load_questions(questions_path)
    rows = []
    second = make_second_opinion(lambda: cache, blocking=True)
    for name, settings in (*STEPS, *([(SECOND_OPINION_STEP, SHIPPED_SETTINGS)] if second else [])):
        answerer = Answerer(encoder, settings, second if name == SECOND_OPINION_STEP else None)
        squad = evaluate_squad(prepared, answerer)
        natural = evaluate_questions(questions, encoder, answerer, cache).overall
        rows.append({
            "step": name,
            "squad": {"r@1": squad.ours.recall_at_1, "mrr": squad.ours.mrr, "quote_hit": squad.hit_rate,
                      "false_abstention": squad.false_abstention, "auroc": squad.auroc},
            "natural": {"r@1": natural.recall_at_1, "right_first": natural.right_first,
                        "quote_hit": natural.quote_hit, "false_abstention": natural.false_abstention,
                        "abstained": natural.abstained},
        })
        log.warning("%s", json.dumps(rows[-1]))
    return rows


def table(rows: Sequence[dict]) -> str:
    """The rows as a Markdown table."""
    lines = [
        "| step | SQuAD R@1 | MRR | quote hit | false abst. | AUROC | natural R@1 | right first "
        "| false abst. | unanswerable abstained |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        s, n = row["squad"], row["natural"]
        lines.append(
            f"| {row['step']} | {s['r@1']:.3f} | {s['mrr']:.3f} | {s['quote_hit']:.3f} "
            f"| {100 * s['false_abstention']:.2f} % | {s['auroc']:.4f} | {100 * n['r@1']:.1f} % "
            f"| {100 * n['right_first']:.1f} % | {100 * n['false_abstention']:.1f} % "
            f"| {100 * n['abstained']:.1f} % |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry: print the ablation as JSON lines and a Markdown table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--questions", default=str(SHIPPED))
    parser.add_argument("--limit", type=int)
    parser.add_argument("--cache-dir")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    rows = run(args.path, args.questions, args.limit, args.cache_dir)
    json.dump(rows, sys.stdout, indent=2)
    print("\n\n" + table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
