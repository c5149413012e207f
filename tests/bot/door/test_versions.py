"""Stored articles come back exactly as they were served."""

from __future__ import annotations

import dataclasses

from bot.door.versions import article_from_store
from bot.storage import Scope, StoredArticle
from embeddings.text import article_structure, default_article_path, load_article


def _stored(structure: str | None) -> StoredArticle:
    article = load_article(default_article_path())
    return StoredArticle(1, Scope(5), "upload", "text", 1, article.digest, article.source, article.title,
                         article.text, 0.0, None, structure)


def test_stored_structure_rebuilds_the_article_without_parsing():
    """From the stored spans the article has the same paragraphs, sentences, title and digest."""
    original = load_article(default_article_path())
    rebuilt = article_from_store(_stored(article_structure(original)))
    assert rebuilt == dataclasses.replace(original)


def test_unusable_structure_falls_back_to_parsing_the_text():
    """Spans that do not fit the text are ignored: the stored text is parsed again."""
    original = load_article(default_article_path())
    assert article_from_store(_stored("[[0, 999999, []]]")).paragraphs == original.paragraphs
    assert article_from_store(_stored("not json")).paragraphs == original.paragraphs
