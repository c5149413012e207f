"""On-disk embedding cache keyed by model identity and text hash; atomic, self-checking."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .encoder import Encoder

log = logging.getLogger(__name__)

KEY_BYTES = 16


def text_key(text: str) -> bytes:
    """The cache key of one text: a truncated SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).digest()[:KEY_BYTES]


@dataclass(frozen=True, slots=True)
class CacheStats:
    """How one lookup went: texts found in the cache and texts encoded."""

    hits: int
    encoded: int
    rebuilt: bool = False


class EmbeddingCache:
    """Embeddings of texts for one model, kept in one ``.npz`` file under ``directory``.

    With a directory, vectors are held in memory only during a lookup (the index keeps its own
    copy); without one, the cache lives in memory.
    """

    def __init__(self, directory: str | Path | None, *, max_entries: int = 500_000) -> None:
        self.directory = Path(directory) if directory else None
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._tables: dict[str, dict[bytes, np.ndarray]] = {}
        self._rebuilt: set[Path] = set()

    def path_for(self, identity: str) -> Path | None:
        """The cache file for a model identity (None when the cache is memory-only)."""
        if self.directory is None:
            return None
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in identity)[-80:]
        tag = hashlib.sha256(identity.encode()).hexdigest()[:12]
        return self.directory / f"embeddings-{safe}-{tag}.npz"

    def _table(self, identity: str) -> dict[bytes, np.ndarray]:
        table = self._tables.get(identity)
        if table is None:
            table = self._read(self.path_for(identity))
            self._tables[identity] = table
        return table

    def _read(self, path: Path | None) -> dict[bytes, np.ndarray]:
        if path is None or not path.exists():
            return {}
        try:
            with np.load(path, allow_pickle=False) as data:
                keys, vectors, checksum = data["keys"], data["vectors"], data["checksum"]
            if keys.ndim != 2 or keys.shape[1] != KEY_BYTES or vectors.ndim != 2:
                raise ValueError("unexpected shapes")
            if len(keys) != len(vectors) or vectors.dtype != np.float32:
                raise ValueError("keys and vectors disagree")
            if _checksum(keys, vectors) != bytes(checksum):
                raise ValueError("checksum mismatch")
        except Exception as error:  # truncated, corrupt or foreign file: rebuild it
            log.warning("embedding cache %s is unreadable (%s); rebuilding it", path, error)
            self._rebuilt.add(path)
            return {}
        return {bytes(key): vector for key, vector in zip(keys, vectors, strict=True)}

    def _write(self, path: Path, table: dict[bytes, np.ndarray]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.frombuffer(b"".join(table), dtype=np.uint8).reshape(len(table), KEY_BYTES)
        vectors = np.stack(list(table.values())).astype(np.float32, copy=False)
        checksum = np.frombuffer(_checksum(keys, vectors), dtype=np.uint8)
        handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as temp:
                np.savez(temp, keys=keys, vectors=vectors, checksum=checksum)
                temp.flush()
                os.fsync(temp.fileno())
            os.replace(temp_name, path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        log.debug("saved %d embeddings to %s", len(table), path)

    def embed(self, encoder: Encoder, texts: Sequence[str]) -> tuple[np.ndarray, CacheStats]:
        """Embeddings for ``texts``, encoding only those not cached, then saving the cache."""
        identity = encoder.identity
        keys = [text_key(text) for text in texts]
        with self._lock:
            table = self._table(identity)
            rebuilt = self.path_for(identity) in self._rebuilt
            self._rebuilt.discard(self.path_for(identity))
            missing = list(dict.fromkeys(key for key in keys if key not in table))
        path = self.path_for(identity)
        on_disk = path is not None and not missing and path.exists()
        if missing:
            by_key = dict(zip(keys, texts, strict=True))
            fresh = encoder.encode([by_key[key] for key in missing])
            with self._lock:
                table.update(zip(missing, fresh, strict=True))
                self._trim(table, set(keys))
                if path is not None:
                    try:
                        self._write(path, table)
                        on_disk = True
                    except OSError as error:
                        log.warning("cannot save embedding cache %s: %s", path, error)
        with self._lock:
            rows = [table[key] for key in keys]
            if on_disk:  # the index gets its own copy; the file is re-read on the next lookup
                self._tables.pop(identity, None)
        dim = rows[0].shape[0] if rows else 0
        matrix = np.stack(rows) if rows else np.zeros((0, dim), dtype=np.float32)
        return matrix, CacheStats(hits=len(keys) - len(missing), encoded=len(missing), rebuilt=rebuilt)

    def _trim(self, table: dict[bytes, np.ndarray], keep: set[bytes]) -> None:
        """Drop the oldest entries beyond ``max_entries``, never those in use."""
        excess = len(table) - self.max_entries
        if excess <= 0:
            return
        for key in [key for key in table if key not in keep][:excess]:
            del table[key]


def _checksum(keys: np.ndarray, vectors: np.ndarray) -> bytes:
    digest = hashlib.sha256(np.ascontiguousarray(keys).tobytes())
    digest.update(np.ascontiguousarray(vectors).tobytes())
    return digest.digest()
