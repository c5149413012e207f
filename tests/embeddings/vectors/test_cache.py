"""The embedding cache: reuse across restarts, partial re-encoding, corruption recovery."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from embeddings.ranking import build_index
from embeddings.text import default_article_path, parse_text
from embeddings.vectors.cache import EmbeddingCache


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


def _segments(cache: EmbeddingCache, identity: str) -> list[Path]:
    folder = cache.path_for(identity)
    assert folder is not None
    return sorted(folder.glob("*.seg"))


def test_truncated_segment_is_rebuilt(counting_encoder, seed_article, tmp_path: Path):
    """A truncated segment is detected, dropped and its texts re-encoded, without an exception."""
    cache = EmbeddingCache(tmp_path)
    build_index(seed_article, counting_encoder, cache)
    [path] = _segments(cache, counting_encoder.identity)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    counting_encoder.batches.clear()
    index = build_index(seed_article, counting_encoder, EmbeddingCache(tmp_path))
    assert index.cache.rebuilt and index.cache.encoded > 0
    counting_encoder.batches.clear()
    build_index(seed_article, counting_encoder, EmbeddingCache(tmp_path))
    assert counting_encoder.batches == []


def test_tampered_vectors_fail_the_checks(counting_encoder, seed_article, tmp_path: Path):
    """A segment whose vector bytes were altered is rejected and re-encoded, never served."""
    cache = EmbeddingCache(tmp_path)
    fresh = build_index(seed_article, counting_encoder, cache)
    [path] = _segments(cache, counting_encoder.identity)
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x80  # the sign of the last vector's last component
    path.write_bytes(bytes(data))
    index = build_index(seed_article, counting_encoder, EmbeddingCache(tmp_path))
    assert index.cache.rebuilt and index.cache.encoded > 0
    np.testing.assert_allclose(index.sentence_vectors, fresh.sentence_vectors, atol=1e-5)  # re-encoded


def test_garbage_segment_is_dropped(counting_encoder, seed_article, tmp_path: Path):
    """Random bytes in a segment file are dropped with the lookup still answering."""
    cache = EmbeddingCache(tmp_path)
    folder = cache.path_for(counting_encoder.identity)
    folder.mkdir(parents=True)
    (folder / "00000000000000000001-1-garbage0.seg").write_bytes(b"not a numpy file at all")
    index = build_index(seed_article, counting_encoder, cache)
    assert index.cache.rebuilt
    assert not (folder / "00000000000000000001-1-garbage0.seg").exists()


def test_writes_leave_no_temporary_files(encoder, seed_article, tmp_path: Path):
    """After a save only segment files are in the model's directory."""
    cache = EmbeddingCache(tmp_path)
    build_index(seed_article, encoder, cache)
    folder = cache.path_for(encoder.identity)
    assert [p.suffix for p in folder.iterdir()] == [".seg"]


def test_other_model_identity_uses_another_directory(encoder, tmp_path: Path):
    """Segment directories are keyed by the model's identity."""
    cache = EmbeddingCache(tmp_path)
    assert cache.path_for("model-a") != cache.path_for("model-b")


def test_lookup_adds_one_segment_and_rewrites_none(counting_encoder, tmp_path: Path):
    """A lookup that encodes writes one new segment and leaves earlier segments untouched."""
    cache = EmbeddingCache(tmp_path)
    cache.embed(counting_encoder, ["one", "two"])
    cache.embed(counting_encoder, ["three"])
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
              for p in _segments(cache, counting_encoder.identity)}
    cache.embed(counting_encoder, ["one", "four", "five"])
    after = _segments(cache, counting_encoder.identity)
    assert len(after) == len(before) + 1
    for path, (inode, mtime, data) in before.items():
        assert (path.stat().st_ino, path.stat().st_mtime_ns, path.read_bytes()) == (inode, mtime, data)
    [added] = set(after) - set(before)
    assert EmbeddingCache(tmp_path).embed(counting_encoder, ["four"])[1].encoded == 0
    assert added.stat().st_size < 2 * 3 * 384 * 4  # only the two new vectors (and their keys)


def test_other_cache_object_sees_what_the_first_added(counting_encoder, tmp_path: Path):
    """A second cache object on the same directory, already holding its key map, finds later additions."""
    first, second = EmbeddingCache(tmp_path), EmbeddingCache(tmp_path)
    first.embed(counting_encoder, ["one"])
    second.embed(counting_encoder, ["one"])
    first.embed(counting_encoder, ["two", "three"])
    counting_encoder.batches.clear()
    vectors, stats = second.embed(counting_encoder, ["three", "two", "one"])
    assert counting_encoder.batches == [] and stats.hits == 3
    np.testing.assert_array_equal(vectors, first.embed(counting_encoder, ["three", "two", "one"])[0])


def test_trim_keeps_entries_in_use(counting_encoder, tmp_path: Path):
    """Past max_entries compaction drops the oldest unused entries (encoded again later), the current texts stay."""
    cache = EmbeddingCache(tmp_path, max_entries=3)
    cache.embed(counting_encoder, ["one", "two", "three"])
    cache.embed(counting_encoder, ["four", "five"])
    assert len(_segments(cache, counting_encoder.identity)) == 1
    counting_encoder.batches.clear()
    cache = EmbeddingCache(tmp_path, max_entries=3)
    cache.embed(counting_encoder, ["four", "five", "three"])
    assert counting_encoder.batches == []  # the texts in use and the newest unused one were kept
    cache.embed(counting_encoder, ["one", "two"])
    assert counting_encoder.encoded_texts == ["one", "two"]  # the two oldest were evicted


def test_disk_cache_keeps_no_vectors_in_memory(counting_encoder, tmp_path: Path):
    """With a directory the segments are the only copy: deleting them means re-encoding."""
    cache = EmbeddingCache(tmp_path)
    cache.embed(counting_encoder, ["one", "two"])
    for path in _segments(cache, counting_encoder.identity):
        path.unlink()
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


def test_unusable_cache_directory_still_embeds(counting_encoder, tmp_path: Path):
    """A file where the cache directory should be: lookups encode and answer, nothing raises."""
    blocked = tmp_path / "cache-file"
    blocked.write_bytes(b"in the way")
    cache = EmbeddingCache(blocked)
    vectors, stats = cache.embed(counting_encoder, ["one", "two"])
    assert vectors.shape[0] == 2 and stats.encoded == 2
    assert cache.embed(counting_encoder, ["one"])[1].encoded == 1  # nothing could be saved


def test_segment_cut_anywhere_is_dropped_and_re_encoded(counting_encoder, tmp_path: Path):
    """Whatever length a segment is cut to, the lookup re-encodes its texts and raises nothing."""
    cache = EmbeddingCache(tmp_path)
    cache.embed(counting_encoder, ["one", "two"])
    [path] = _segments(cache, counting_encoder.identity)
    whole = path.read_bytes()
    for length in (0, 5, 64, 128, 170, len(whole) // 2, len(whole) - 1):
        path.write_bytes(whole[:length])
        counting_encoder.batches.clear()
        _, stats = EmbeddingCache(tmp_path).embed(counting_encoder, ["one", "two"])
        assert stats.rebuilt and counting_encoder.encoded_texts == ["one", "two"], length
        for other in _segments(cache, counting_encoder.identity):
            other.unlink()
