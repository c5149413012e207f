"""Embedding vectors shared through PostgreSQL: a second process with an empty cache encodes nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.storage import Database
from bot.storage.vectors import DatabaseVectors
from embeddings.text import default_article_path, parse_text
from embeddings.vectors import EmbeddingCache
from tests.conftest import CountingEncoder


def _texts() -> list[str]:
    article = parse_text(default_article_path().read_text(encoding="utf-8"))
    return [p.text for p in article.paragraphs] + [article.sentence_text(s) for p in article.paragraphs
                                                   for s in p.sentences]


async def test_second_cache_with_an_empty_directory_reads_vectors_from_postgres(encoder, tmp_path: Path,
                                                                                postgres_url: str):
    """Machine A encodes the article's texts; machine B (its own empty CACHE_DIR, same database) gets the
    same vectors without running the model, and they are then in B's own disk cache too."""
    texts = _texts()
    first_db, second_db = Database(tmp_path / "a", url=postgres_url), Database(tmp_path / "b", url=postgres_url)
    try:
        await first_db.open()
        first = CountingEncoder(encoder)
        vectors_a, stats_a = EmbeddingCache(tmp_path / "cache-a", shared=DatabaseVectors(first_db)).embed(first, texts)
        assert stats_a.encoded == len(set(texts)) and first.encoded_texts
        second = CountingEncoder(encoder)
        cache_b = EmbeddingCache(tmp_path / "cache-b", shared=DatabaseVectors(second_db))
        vectors_b, stats_b = cache_b.embed(second, texts)
        assert second.encoded_texts == [] and stats_b.encoded == 0 and stats_b.hits == len(texts)
        np.testing.assert_array_equal(vectors_a, vectors_b)
        assert cache_b.path_for(encoder.identity) is not None
        assert any(cache_b.path_for(encoder.identity).iterdir())  # type: ignore[union-attr]
    finally:
        first_db.close()
        second_db.close()


async def test_unavailable_shared_vectors_fall_back_to_encoding(encoder, tmp_path: Path, postgres_server,
                                                                postgres_url: str):
    """With the database unusable (its pool closed), every text is encoded locally, and none is lost."""
    db = Database(tmp_path, url=postgres_url, retry_for=0.5)
    await db.open()
    db.close()  # a closed pool: every fetch and store fails
    counting = CountingEncoder(encoder)
    vectors, stats = EmbeddingCache(None, shared=DatabaseVectors(db)).embed(counting, ["One text.", "Two."])
    assert stats.encoded == 2 and vectors.shape[0] == 2 and len(counting.encoded_texts) == 2


def test_shared_vectors_refuse_sqlite(tmp_path: Path):
    """SQLite's single connection belongs to its thread: DatabaseVectors is for PostgreSQL only."""
    db = Database(tmp_path)
    try:
        with pytest.raises(ValueError, match="postgresql"):
            DatabaseVectors(db)
    finally:
        db.close()


async def test_vectors_nothing_reads_any_more_are_purged_and_read_ones_kept(tmp_path: Path, postgres_url: str):
    """Retention deletes the shared vectors no index build read or wrote for UNUSED_DAYS; a read keeps a
    vector however old it is."""
    import time

    from bot.storage.vectors import UNUSED_DAYS, purge_unused_vectors

    db = Database(tmp_path, url=postgres_url)
    try:
        await db.open()
        shared = DatabaseVectors(db)
        keys = [b"old-read", b"old-unread", b"new"]
        shared.store("model-x", keys, np.eye(3, dtype=np.float32))
        long_ago = time.time() - (UNUSED_DAYS + 1) * 86_400
        await db.run(lambda c: c.execute("UPDATE embedding_vectors SET created_at = ?, used_at = ? WHERE text_key IN"
                                         " (?, ?)", (long_ago, long_ago, b"old-read", b"old-unread")))
        assert set(shared.fetch("model-x", [b"old-read"])) == {b"old-read"}  # read today
        assert await purge_unused_vectors(db) == 1
        assert set(shared.fetch("model-x", keys)) == {b"old-read", b"new"}
    finally:
        db.close()
