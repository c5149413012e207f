"""The index pool: shared by content, bounded in memory, rebuilt from the embedding cache."""

from __future__ import annotations

import os
import time

from embeddings.ranking.index_pool import IndexPool, index_nbytes, remove_unused_vectors
from embeddings.text import parse_text
from embeddings.vectors import EmbeddingCache

ARTICLES = [
    parse_text(f"# Town {n}\n\nThe mayor of town {n} is called Person{n}.\n\nTown {n} has {n} bridges.\n",
               source=f"town-{n}.md")
    for n in range(4)
]


def test_identical_text_shares_one_index(counting_encoder, tmp_path):
    """Two copies of the same text (different sources) get the same index object, built once."""
    pool = IndexPool(counting_encoder, EmbeddingCache(tmp_path))
    copy = parse_text(ARTICLES[0].text, source="elsewhere.md")
    assert pool.get(ARTICLES[0]) is pool.get(copy)
    assert pool.stats().builds == 1


def test_memory_limit_evicts_least_recently_used(counting_encoder, tmp_path):
    """Past the limit the least recently used index goes; the one just used stays."""
    pool = IndexPool(counting_encoder, EmbeddingCache(tmp_path), memory_mb=1)
    size = index_nbytes(pool.get(ARTICLES[0]))
    pool.limit = int(size * 2.5)  # room for two of these small indexes
    for article in ARTICLES[1:]:
        pool.get(article)
    assert pool.stats().evictions >= 1
    assert not pool.holds(ARTICLES[0]) and pool.holds(ARTICLES[-1])
    assert pool.stats().bytes <= pool.limit


def test_evicted_index_is_rebuilt_without_encoding(counting_encoder, tmp_path):
    """An evicted index comes back from the on-disk embedding cache: the encoder sees nothing."""
    pool = IndexPool(counting_encoder, EmbeddingCache(tmp_path), memory_mb=1)
    pool.limit = 1  # keep only the index just used
    for article in ARTICLES:
        pool.get(article)
    assert not pool.holds(ARTICLES[0])
    counting_encoder.batches.clear()
    index = pool.get(ARTICLES[0])
    assert counting_encoder.batches == []
    assert index.article.digest == ARTICLES[0].digest and index.cache.encoded == 0


def test_rebuild_reads_only_the_articles_own_vectors(counting_encoder, tmp_path):
    """An evicted index comes back from its own vectors file, even with the shared cache file gone."""
    cache = EmbeddingCache(tmp_path)
    pool = IndexPool(counting_encoder, cache, memory_mb=1)
    pool.limit = 1
    first = pool.get(ARTICLES[0])
    pool.get(ARTICLES[1])
    assert pool.vectors_path(ARTICLES[0]).exists()
    for shared in tmp_path.glob("embeddings-*/*.seg"):
        shared.unlink()
    counting_encoder.batches.clear()
    again = pool.get(ARTICLES[0])
    assert counting_encoder.batches == []
    assert (again.paragraph_vectors == first.paragraph_vectors).all()
    assert (again.sentence_vectors == first.sentence_vectors).all()


def test_resize_evicts_at_once_down_to_the_new_limit(counting_encoder, tmp_path):
    """Lowering the limit evicts least recently used indexes immediately, keeping the most recent."""
    pool = IndexPool(counting_encoder, EmbeddingCache(tmp_path))
    for article in ARTICLES:
        pool.get(article)
    pool.resize(0)
    assert pool.stats().indexes == 1 and pool.holds(ARTICLES[-1])


def test_remove_unused_vectors_removes_only_old_files_of_unused_texts(tmp_path):
    """Only vectors files of texts not in use and untouched for over a day go; others stay."""
    day_ago = time.time() - 25 * 3600
    files = {name: tmp_path / name for name in ("a" * 40 + "-m.npy", "b" * 40 + "-m.npy", "c" * 40 + "-m.npy",
                                                "notes.txt")}
    for name, path in files.items():
        path.write_bytes(b"x")
        if not name.startswith("c"):
            os.utime(path, (day_ago, day_ago))
    assert remove_unused_vectors(tmp_path, {"a" * 64}) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a" * 40 + "-m.npy", "c" * 40 + "-m.npy", "notes.txt"]


def test_pool_keeps_vectors_of_indexes_it_holds(counting_encoder, tmp_path):
    """The pool's clean-up keeps the vectors of indexes in memory even when no digest names them."""
    pool = IndexPool(counting_encoder, EmbeddingCache(tmp_path))
    pool.get(ARTICLES[0])
    stale = IndexPool(counting_encoder, EmbeddingCache(tmp_path))
    stale.get(ARTICLES[1])
    for path in (tmp_path / "indexes").iterdir():
        os.utime(path, (0, 0))
    assert pool.remove_unused_vectors([]) == 1
    assert pool.vectors_path(ARTICLES[0]).exists() and not pool.vectors_path(ARTICLES[1]).exists()
