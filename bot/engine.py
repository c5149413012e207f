"""Builds the answering engine from settings (the composition root; nothing runs at import)."""

from __future__ import annotations

import logging

from embeddings.article import default_article_path
from embeddings.batching import BatchingEncoder
from embeddings.cache import EmbeddingCache
from embeddings.encoder import make_encoder
from embeddings.service import ArticleService

from .config import Settings

log = logging.getLogger(__name__)


def make_service(settings: Settings, *, article: str | None = None, preload: bool = True) -> ArticleService:
    """An ArticleService for the configured model, cache and article (the article is not loaded yet).

    ``preload`` starts loading an already exported ONNX model in a thread, so it overlaps the
    article's parsing and indexing instead of delaying the first answer.
    """
    source = article or settings.article_path or str(default_article_path())
    inner = make_encoder(settings.embedding_backend, settings.model, settings.cache_dir)
    if preload and hasattr(inner, "preload"):
        inner.preload()
    return ArticleService(BatchingEncoder(inner), EmbeddingCache(settings.cache_dir), source)
