"""An article's search index: paragraph and sentence embeddings, BM25, and what answers read of
every question's sentences and paragraphs (question-type cues, names), built once."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np

from ..models import Encoder
from ..text import ENGLISH, Article, detect_language
from ..vectors import APPROXIMATE_ABOVE, CacheStats, EmbeddingCache, Int8Vectors
from .cue_table import CuesOnDemand, CueTable, article_cues
from .lexical import LexicalIndex

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ArticleIndex:
    """Everything retrieval needs for one article; immutable so it can be swapped atomically."""

    article: Article
    model: str
    paragraph_vectors: np.ndarray  # (P, d) unit rows
    sentence_vectors: np.ndarray  # (S, d) unit rows
    sentence_paragraph: np.ndarray  # (S,) index of each sentence's paragraph
    paragraph_first_sentence: np.ndarray  # (P,) index of each paragraph's first sentence
    paragraph_lexical: LexicalIndex
    sentence_lexical: LexicalIndex
    cues: CueTable | CuesOnDemand  # each sentence's question-type cues, each paragraph's named stems
    cache: CacheStats
    built_at: float
    build_seconds: float
    approximate: Int8Vectors | None = None  # int8 copy of the paragraph vectors (>= APPROXIMATE_ABOVE)
    language: str = ENGLISH  # the article's language (:func:`.languages.detect_language`; English if undecided)

    @property
    def sentence_count(self) -> int:
        """Number of sentences in the article."""
        return len(self.sentence_paragraph)


def sentence_texts(article: Article) -> list[str]:
    """Every sentence of the article in reading order."""
    return [article.sentence_text(span) for p in article.paragraphs for span in p.sentences]


def int8_copy(paragraph_vectors: np.ndarray, above: int = APPROXIMATE_ABOVE) -> Int8Vectors | None:
    """The int8 copy of ``paragraph_vectors`` (P, d) for articles of at least ``above`` paragraphs
    (:mod:`.approximate`); None below, or when ONNX Runtime cannot build it (exact scoring then)."""
    if len(paragraph_vectors) < above:
        return None
    try:
        return Int8Vectors.of(paragraph_vectors)
    except Exception:  # an optional speed-up: never a failed index
        log.warning("int8 copy of %d paragraph vectors failed; scoring them exactly", len(paragraph_vectors),
                    exc_info=True)
        return None


def build_index(
    article: Article, encoder: Encoder, cache: EmbeddingCache, *, vectors: np.ndarray | None = None
) -> ArticleIndex:
    """Embed (through the cache) and index an article's paragraphs and sentences.

    ``vectors``: the (P + S, d) unit rows of its paragraphs then sentences, already known (an index
    rebuilt after eviction): nothing is embedded.
    """
    started = time.perf_counter()
    paragraphs = [p.text for p in article.paragraphs]
    sentences = sentence_texts(article)
    if vectors is None:
        vectors, stats = cache.embed(encoder, paragraphs + sentences)
    else:
        stats = CacheStats(hits=len(vectors), encoded=0)
    counts = np.array([len(p.sentences) for p in article.paragraphs], dtype=np.int64)
    firsts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    owner = np.repeat(np.arange(len(paragraphs), dtype=np.int64), counts)
    paragraph_vectors = vectors[: len(paragraphs)]
    approximate = int8_copy(paragraph_vectors)
    language = detect_language(article.text) or ENGLISH
    index = ArticleIndex(
        article=article,
        model=encoder.identity,
        paragraph_vectors=paragraph_vectors,
        sentence_vectors=vectors[len(paragraphs) :],
        sentence_paragraph=owner,
        paragraph_first_sentence=firsts,
        paragraph_lexical=LexicalIndex(paragraphs, language=language),
        sentence_lexical=LexicalIndex(sentences, phrases=True, language=language),
        cues=article_cues(article),
        cache=stats,
        built_at=time.time(),
        build_seconds=time.perf_counter() - started,
        approximate=approximate,
        language=language,
    )
    log.info(
        "indexed %d paragraphs, %d sentences in %.2fs (%d cached, %d encoded)",
        len(paragraphs), len(sentences), index.build_seconds, stats.hits, stats.encoded,
    )
    return index
