"""The embedding cache's segments across objects and threads: compaction, old format, concurrent adds."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np

from embeddings.vectors.cache import EmbeddingCache, text_key
from embeddings.vectors.cache_store import compact

TEXTS = [f"Sentence number {i} about the evacuation of the steel plant." for i in range(12)]


def _segments(cache: EmbeddingCache, identity: str) -> list[Path]:
    folder = cache.path_for(identity)
    assert folder is not None
    return sorted(folder.glob("*.seg"))


def test_compaction_keeps_every_vector_bit_identical(counting_encoder, tmp_path: Path):
    """Past max_segments the segments merge into one; every vector reads back bit for bit."""
    cache = EmbeddingCache(tmp_path, max_segments=3)
    before = {text: cache.embed(counting_encoder, [text])[0][0] for text in TEXTS[:3]}
    assert len(_segments(cache, counting_encoder.identity)) == 3
    before[TEXTS[3]] = cache.embed(counting_encoder, [TEXTS[3]])[0][0]
    assert len(_segments(cache, counting_encoder.identity)) == 1
    counting_encoder.batches.clear()
    vectors, stats = EmbeddingCache(tmp_path).embed(counting_encoder, TEXTS[:4])
    assert counting_encoder.batches == [] and stats.hits == 4
    for text, vector in zip(TEXTS[:4], vectors, strict=True):
        assert vector.tobytes() == before[text].tobytes()


def test_compaction_respects_max_entries_dropping_the_oldest(counting_encoder, tmp_path: Path):
    """Compaction keeps the newest max_entries entries and drops the oldest."""
    cache = EmbeddingCache(tmp_path, max_entries=4, max_segments=100)
    for text in TEXTS[:6]:
        cache.embed(counting_encoder, [text])
    folder = cache.path_for(counting_encoder.identity)
    assert folder is not None
    compact(folder, 4, set())
    counting_encoder.batches.clear()
    EmbeddingCache(tmp_path).embed(counting_encoder, TEXTS[:6])
    assert counting_encoder.encoded_texts == TEXTS[:2]


def test_segment_compacted_away_by_another_object_is_relisted(counting_encoder, tmp_path: Path):
    """A segment vanishing after this object listed it (compacted elsewhere) costs no encoding, no error."""
    reader, writer = EmbeddingCache(tmp_path), EmbeddingCache(tmp_path)
    for text in TEXTS[:3]:
        writer.embed(counting_encoder, [text])
    reader.embed(counting_encoder, TEXTS[:3])  # the reader now maps keys to three segments
    folder = writer.path_for(counting_encoder.identity)
    assert folder is not None and compact(folder, 100, set()) is not None
    counting_encoder.batches.clear()
    _, stats = reader.embed(counting_encoder, TEXTS[:3])
    assert counting_encoder.batches == [] and stats.hits == 3 and not stats.rebuilt


def test_two_threads_adding_at_once_lose_nothing(counting_encoder, tmp_path: Path):
    """Two cache objects adding different texts concurrently both end up on disk."""
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def add(texts: list[str]) -> None:
        cache = EmbeddingCache(tmp_path, max_segments=4)
        start.wait()
        try:
            for text in texts:
                cache.embed(counting_encoder, [text])
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=add, args=(TEXTS[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    counting_encoder.batches.clear()
    _, stats = EmbeddingCache(tmp_path).embed(counting_encoder, TEXTS)
    assert counting_encoder.batches == [] and stats.hits == len(TEXTS)


def _write_old_format(path: Path, keys: np.ndarray, vectors: np.ndarray) -> None:
    """The single-file cache of earlier versions: keys, vectors and a SHA-256 of both, in one .npz."""
    digest = hashlib.sha256(keys.tobytes())
    digest.update(vectors.tobytes())
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        np.savez(handle, keys=keys, vectors=vectors, checksum=np.frombuffer(digest.digest(), dtype=np.uint8))


def test_old_single_file_cache_is_read_without_encoding(counting_encoder, tmp_path: Path):
    """An old single .npz cache is taken over as a segment after upgrade: nothing re-encoded, same vectors."""
    vectors = counting_encoder.encode(TEXTS)
    keys = np.frombuffer(b"".join(text_key(t) for t in TEXTS), dtype=np.uint8).reshape(len(TEXTS), -1)
    cache = EmbeddingCache(tmp_path)
    legacy = cache.legacy_path_for(counting_encoder.identity)
    assert legacy is not None
    _write_old_format(legacy, keys, vectors)
    counting_encoder.batches.clear()
    found, stats = cache.embed(counting_encoder, TEXTS[::-1])
    assert counting_encoder.batches == [] and stats.hits == len(TEXTS)
    assert found.tobytes() == vectors[::-1].tobytes()
    assert not legacy.exists() and len(_segments(cache, counting_encoder.identity)) == 1


def test_corrupt_old_single_file_cache_is_re_encoded(counting_encoder, tmp_path: Path):
    """An old cache file that fails its checksum is dropped and its texts encoded again."""
    vectors = counting_encoder.encode(TEXTS[:2])
    keys = np.frombuffer(b"".join(text_key(t) for t in TEXTS[:2]), dtype=np.uint8).reshape(2, -1)
    cache = EmbeddingCache(tmp_path)
    legacy = cache.legacy_path_for(counting_encoder.identity)
    assert legacy is not None
    _write_old_format(legacy, keys, vectors)
    data = bytearray(legacy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    legacy.write_bytes(bytes(data))
    counting_encoder.batches.clear()
    _, stats = cache.embed(counting_encoder, TEXTS[:2])
    assert stats.rebuilt and stats.encoded == 2 and not legacy.exists()


ADD_IN_ANOTHER_PROCESS = """
import sys
from pathlib import Path
import numpy as np
from embeddings.vectors import EmbeddingCache
from embeddings.models import SentenceTransformerEncoder
vectors, stats = EmbeddingCache(Path(sys.argv[1])).embed(SentenceTransformerEncoder(), sys.argv[3:])
assert stats.encoded == len(sys.argv[3:])
np.save(sys.argv[2], vectors)
"""


def test_another_process_sees_and_adds_to_the_same_directory(counting_encoder, tmp_path: Path):
    """Segments written by another process are found by a cache object that already listed the directory."""
    cache = EmbeddingCache(tmp_path / "cache")
    cache.embed(counting_encoder, TEXTS[:1])
    result = subprocess.run(
        [sys.executable, "-c", ADD_IN_ANOTHER_PROCESS, str(tmp_path / "cache"), str(tmp_path / "out.npy"),
         *TEXTS[1:3]],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"},
    )
    assert result.returncode == 0, result.stderr
    counting_encoder.batches.clear()
    vectors, stats = cache.embed(counting_encoder, TEXTS[:3])
    assert counting_encoder.batches == [] and stats.hits == 3
    assert vectors[1:].tobytes() == np.load(tmp_path / "out.npy").tobytes()
