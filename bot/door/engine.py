"""Builds the answering engine from settings (for the composition root, ``bot.compose``; nothing runs
at import)."""

from __future__ import annotations

import logging

from embeddings.answers import AnswerSettings, ArticleService
from embeddings.models import BatchingEncoder, Encoder, tune_blas_threads
from embeddings.ranking import ArticleIndex, scanned_rows
from embeddings.text import ArticleRequirements, default_article_path
from embeddings.vectors import EmbeddingCache

from ..engine_settings import EngineConfig
from .model import make_model

log = logging.getLogger(__name__)


class ServingArticleService(ArticleService):
    """An ArticleService that also sizes numpy's BLAS threads to each index a load prepares."""

    def _indexed(self, index: ArticleIndex) -> None:
        tune_blas_threads(scanned_rows(index))


def make_service(
    settings: EngineConfig, *, article: str | None = None, preload: bool = True, encoder: Encoder | None = None,
    cache: EmbeddingCache | None = None, second_opinion_waits: bool = False,
) -> ArticleService:
    """An ArticleService for the configured model, cache and article (the article is not loaded yet).

    The one place the engine is built, for the bot, the CLI, the tests and the benchmarks. The
    encoder (EMBEDDING_BACKEND) sits behind the micro-batcher, so concurrent questions share model
    calls; ``encoder`` replaces it (tests and benchmarks pass an already loaded model; the command line
one it started loading before importing this module: :mod:`bot.door.model`). ``preload``
    starts loading an already exported ONNX model in a thread, so it overlaps the article's parsing
    and indexing instead of delaying the first answer. Uncertain questions get multilingual-e5-small's
    second opinion (SECOND_OPINION), its index built in the background, or at once when
    ``second_opinion_waits`` (the command line, one asker).
    """
    source = article or settings.article_path or str(default_article_path())
    model = encoder if encoder is not None else BatchingEncoder(make_model(settings, preload=preload))
    requirements = ArticleRequirements(settings.article_min_words, settings.article_min_sentences)
    return ServingArticleService(
        model, cache if cache is not None else EmbeddingCache(settings.cache_dir), source, requirements=requirements,
        memory_mb=settings.index_memory_mb, max_articles=settings.max_articles_per_scope,
        second_opinion=settings.second_opinion or settings.cross_lingual, second_opinion_waits=second_opinion_waits,
        answer_settings=AnswerSettings(cascade=settings.second_opinion, cross_lingual=settings.cross_lingual),
    )
