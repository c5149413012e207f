"""Abstention: the confidence's rare-term parts, and its calibration for the article's length
(short news articles as well as long ones).

The best cosine over an article's sentences is partly chance, and chance grows with the number of
sentences: a question asked of a long article it does not match still finds some sentence close
to it, and the same question asked of a short one does not. A single threshold fitted on long
articles (SQuAD part A: 94-435 sentences, median 208) therefore refuses too many answerable
questions on short ones: cut to their first 6 paragraphs (16-48 sentences), its own-article
questions fell below the shipped threshold three times as often (1.7 % against 0.5 %).

The confidence gains ``weight * log(REFERENCE_SENTENCES / sentences)``, the number of sentences
clamped to the range the weight was fitted on, so the share of answerable questions declined is
about the same at every length. It is scaled by the share of the question not held by rare terms
the article lacks (:func:`absent_share`): "How many people did Medecins Sans Frontieres
evacuate from Mariupol?" gains little on a short article without them, and still abstains.
``embeddings/evaluation/fit_abstention.py`` fits the weight on SQuAD part A at three lengths
(whole articles, first 12 and first 6 paragraphs), article folds, for the best pooled
own-versus-other-article AUROC.
"""

from __future__ import annotations

import math

import numpy as np

from .index import ArticleIndex
from .retrieval import QueryScores

REFERENCE_SENTENCES = 200  # about SQuAD part A's median article, where the threshold was fitted
MIN_SENTENCES = 16  # the length range the weight was fitted on (SQuAD part A cut to 6 paragraphs ...
MAX_SENTENCES = 435  # ... up to its longest whole article); outside it the adjustment stays flat


def length_adjustment(sentences: int, weight: float) -> float:
    """What an article of ``sentences`` sentences adds to a confidence: ``weight * log(200 /
    sentences)`` with ``sentences`` clamped to 16..435 (positive below 200 sentences, negative above)."""
    if not weight:
        return 0.0
    clamped = min(max(sentences, MIN_SENTENCES), MAX_SENTENCES)
    return weight * math.log(REFERENCE_SENTENCES / clamped)


def rare_coverage(index: ArticleIndex, scores: QueryScores, paragraph: int) -> float:
    """Share of the question's IDF mass found in the paragraph (0-based) as rare terms: the
    question's names, numbers and uncommon words, and words the paragraph writes as names."""
    terms = list(scores.terms)
    rare = set(scores.rare) | index.cues.named(paragraph)
    chosen = [t for t in terms if t in rare]
    lexical = index.paragraph_lexical
    if not chosen:
        return 0.0
    found = lexical.coverage(chosen, np.array([paragraph]))[0]
    return float(found * lexical.bound(chosen) / lexical.bound(terms))


def absent_share(index: ArticleIndex, scores: QueryScores) -> float:
    """Share of the question's IDF mass in its rare terms (names, places, numbers, uncommon words)
    that the article never uses: "What did the Red Cross say?" of an article without it."""
    terms, lexical = list(scores.terms), index.paragraph_lexical
    rare = [t for t in terms if t in set(scores.rare)]
    if not rare:
        return 0.0
    return float(lexical.unmatched_share(rare) * lexical.bound(rare) / lexical.bound(terms))
