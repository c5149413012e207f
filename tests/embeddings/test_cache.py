"""The embedding cache: reuse across restarts, partial re-encoding, corruption recovery."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from embeddings.article import default_article_path, parse_text
from embeddings.cache import EmbeddingCache
from embeddings.index import build_index


def test_restart_encodes_nothing(counting_encoder, seed_article, tmp_path: Path):
    """A second process (new cache object, same directory) encodes no text."""
    build_index(seed_article, counting_encoder, EmbeddingCache(tmp_path))
    assert counting_encoder.encoded_texts
    counting_encoder.batches.clear()
    index = build_index(seed_article, counting_encoder, EmbeddingCache(tmp_path))
    assert counting_encoder.batches == []
    assert index.cache.encoded == 0 and index.cache.hits > 0


def test_editing_one_paragraph_encodes_only_that_paragraph(counting_encoder, tmp_path: Path):
    """Changing one paragraph re-encodes it and its sentences, nothing else."""
    text = default_article_path().read_text(encoding="utf-8")
    build_index(parse_text(text), counting_encoder, EmbeddingCache(tmp_path))
    counting_encoder.batches.clear()
    edited = text.replace("More than 300 people", "More than 400 people")
    build_index(parse_text(edited), counting_encoder, EmbeddingCache(tmp_path))
    encoded = counting_encoder.encoded_texts
    assert len(encoded) == 2
    assert all("More than 400 people" in t for t in encoded)


def test_cached_vectors_equal_fresh_ones(encoder, seed_article, tmp_path: Path):
    """Vectors read back from disk equal freshly encoded ones."""
    first = build_index(seed_article, encoder, EmbeddingCache(tmp_path))
    second = build_index(seed_article, encoder, EmbeddingCache(tmp_path))
    np.testing.assert_array_equal(first.sentence_vectors, second.sentence_vectors)


def test_truncated_cache_is_rebuilt(counting_encoder, seed_article, tmp_path: Path):
    """A truncated cache file is detected, re-encoded and rewritten, without an exception."""
    cache = EmbeddingCache(tmp_path)
    build_index(seed_article, counting_encoder, cache)
    path = cache.path_for(counting_encoder.identity)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    counting_encoder.batches.clear()
    index = build_index(seed_article, counting_encoder, EmbeddingCache(tmp_path))
    assert index.cache.rebuilt and index.cache.encoded > 0
    counting_encoder.batches.clear()
    build_index(seed_article, counting_encoder, EmbeddingCache(tmp_path))
    assert counting_encoder.batches == []


def test_tampered_vectors_fail_the_checksum(counting_encoder, seed_article, tmp_path: Path):
    """A well-formed file whose vectors were altered is rejected by its checksum."""
    cache = EmbeddingCache(tmp_path)
    build_index(seed_article, counting_encoder, cache)
    path = cache.path_for(counting_encoder.identity)
    with np.load(path) as data:
        arrays = dict(data)
    arrays["vectors"][0, 0] += 1.0
    with path.open("wb") as handle:
        np.savez(handle, **arrays)
    index = build_index(seed_article, counting_encoder, EmbeddingCache(tmp_path))
    assert index.cache.rebuilt


def test_garbage_cache_file_is_rebuilt(counting_encoder, seed_article, tmp_path: Path):
    """Random bytes in place of the cache are replaced by a good cache."""
    cache = EmbeddingCache(tmp_path)
    path = cache.path_for(counting_encoder.identity)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a numpy file at all")
    index = build_index(seed_article, counting_encoder, cache)
    assert index.cache.rebuilt
    assert np.load(path)["vectors"].shape[0] == index.cache.encoded


def test_writes_leave_no_temporary_files(encoder, seed_article, tmp_path: Path):
    """After a save only the cache file itself is in the directory."""
    build_index(seed_article, encoder, EmbeddingCache(tmp_path))
    assert [p.suffix for p in tmp_path.iterdir()] == [".npz"]


def test_other_model_identity_uses_another_file(encoder, tmp_path: Path):
    """Cache files are keyed by the model's identity."""
    cache = EmbeddingCache(tmp_path)
    assert cache.path_for("model-a") != cache.path_for("model-b")


def test_trim_keeps_entries_in_use(counting_encoder, tmp_path: Path):
    """Past max_entries the oldest unused entries go (and must be encoded again), the current texts stay."""
    cache = EmbeddingCache(tmp_path, max_entries=3)
    cache.embed(counting_encoder, ["one", "two", "three"])
    cache.embed(counting_encoder, ["four", "five"])
    with np.load(cache.path_for(counting_encoder.identity)) as saved:
        assert len(saved["keys"]) == 3
    counting_encoder.batches.clear()
    cache = EmbeddingCache(tmp_path, max_entries=3)
    cache.embed(counting_encoder, ["four", "five", "three"])
    assert counting_encoder.batches == []  # the texts in use and the newest unused one were kept
    cache.embed(counting_encoder, ["one", "two"])
    assert counting_encoder.encoded_texts == ["one", "two"]  # the two oldest were evicted


def test_disk_cache_keeps_no_vectors_in_memory(counting_encoder, tmp_path: Path):
    """With a directory the file is the only copy: deleting it means re-encoding."""
    cache = EmbeddingCache(tmp_path)
    cache.embed(counting_encoder, ["one", "two"])
    cache.path_for(counting_encoder.identity).unlink()
    counting_encoder.batches.clear()
    cache.embed(counting_encoder, ["one", "two"])
    assert counting_encoder.encoded_texts == ["one", "two"]


def test_memory_cache_keeps_vectors(counting_encoder):
    """Without a directory the vectors stay in memory between lookups."""
    cache = EmbeddingCache(None)
    cache.embed(counting_encoder, ["one", "two"])
    counting_encoder.batches.clear()
    cache.embed(counting_encoder, ["two", "one"])
    assert counting_encoder.batches == []
