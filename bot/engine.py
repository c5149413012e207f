"""Builds the answering engine from settings (the composition root; nothing runs at import)."""

from __future__ import annotations

import logging

from embeddings.article import default_article_path
from embeddings.cache import EmbeddingCache
from embeddings.encoder import SentenceTransformerEncoder
from embeddings.service import ArticleService

from .config import Settings

log = logging.getLogger(__name__)


def make_service(settings: Settings, *, article: str | None = None) -> ArticleService:
    """An ArticleService for the configured model, cache and article (not loaded yet)."""
    source = article or settings.article_path or str(default_article_path())
    encoder = SentenceTransformerEncoder(settings.model)
    return ArticleService(encoder, EmbeddingCache(settings.cache_dir), source)
