"""On-disk embedding cache keyed by model identity and text hash: append-only segments, self-checking.

Each model has a directory of segment files (see ``cache_segments``). A lookup reads the keys of
segments it has not seen yet, the vector rows it needs, and writes one new small segment holding only
what it encoded; it never rewrites the others. Past ``max_segments`` segments (or ``max_entries``
entries) one lookup compacts them into one segment, dropping the oldest entries beyond ``max_entries``.
Several processes may share the directory: segment names are unique, files appear by rename, and a
segment that vanishes (another process compacted) is re-listed, never an error.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..models import Encoder
from .cache_segments import (
    KEY_BYTES,
    SegmentError,
    SegmentKeys,
    list_segments,
    read_keys,
    read_rows,
    remove,
    write_segment,
)
from .cache_store import compact, import_legacy
from .shared_vectors import SharedVectors, obtain_missing

log = logging.getLogger(__name__)

MAX_SEGMENTS = 64
__all__ = ["KEY_BYTES", "CacheStats", "EmbeddingCache", "text_key"]


def text_key(text: str) -> bytes:
    """The cache key of one text: a truncated SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).digest()[:KEY_BYTES]


@dataclass(frozen=True, slots=True)
class CacheStats:
    """How one lookup went: texts found in the cache and texts encoded."""

    hits: int
    encoded: int
    rebuilt: bool = False


@dataclass(slots=True)
class _KeyMap:
    """What one process knows of a model directory: each segment's keys (oldest segment first), and
    the same keys sorted with their rows for lookup (about 44 bytes a key in all, no vectors)."""

    segments: dict[str, SegmentKeys] = field(default_factory=dict)
    sorted_keys: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # (n,) S16, (n,) rows
    entries: int = 0

    def add(self, name: str, segment: SegmentKeys) -> None:
        """Know one more segment (the newest)."""
        packed = np.ascontiguousarray(segment.keys).view(f"S{KEY_BYTES}").reshape(-1)
        order = np.argsort(packed, kind="stable").astype(np.int32)
        self.segments[name] = segment
        self.sorted_keys[name] = (packed[order], order)
        self.entries += len(packed)

    def find(self, keys: list[bytes]) -> dict[str, list[tuple[bytes, int]]]:
        """Where each known key is: segment name -> [(key, row)], the newest segment holding it."""
        query = np.array(keys, dtype=f"S{KEY_BYTES}")
        left = np.ones(len(query), dtype=bool)
        wanted: dict[str, list[tuple[bytes, int]]] = {}
        for name in reversed(list(self.segments)):
            ordered, rows = self.sorted_keys[name]
            if not left.any():
                break
            if not len(ordered):
                continue
            at = np.minimum(np.searchsorted(ordered, query), len(ordered) - 1)
            hit = left & (ordered[at] == query)
            for i in np.flatnonzero(hit):
                wanted.setdefault(name, []).append((keys[i], int(rows[at[i]])))
            left &= ~hit
        return wanted


class EmbeddingCache:
    """Embeddings of texts for one model, kept as segment files under ``directory``.

    With a directory, only the keys are held in memory between lookups (vectors are read from disk
    when needed); without one, the cache lives in memory.
    """

    def __init__(self, directory: str | Path | None, *, max_entries: int = 500_000,
                 max_segments: int = MAX_SEGMENTS, shared: SharedVectors | None = None) -> None:
        self.directory = Path(directory) if directory else None
        self.shared = shared  # vectors other processes encoded, asked before encoding
        self.max_entries = max_entries
        self.max_segments = max_segments
        self._lock = threading.Lock()
        self._maps: dict[str, _KeyMap] = {}
        self._memory: dict[str, dict[bytes, np.ndarray]] = {}

    def _name(self, identity: str) -> str:
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in identity)[-80:]
        tag = hashlib.sha256(identity.encode()).hexdigest()[:12]
        return f"embeddings-{safe}-{tag}"

    def path_for(self, identity: str) -> Path | None:
        """The segment directory of a model identity (None when the cache is memory-only)."""
        return None if self.directory is None else self.directory / self._name(identity)

    def legacy_path_for(self, identity: str) -> Path | None:
        """Where the single-file ``.npz`` cache of earlier versions kept this model's vectors."""
        return None if self.directory is None else self.directory / f"{self._name(identity)}.npz"

    def embed(self, encoder: Encoder, texts: Sequence[str]) -> tuple[np.ndarray, CacheStats]:
        """Embeddings (len(texts), d) for ``texts``, encoding only those not cached, saving what was encoded."""
        keys = [text_key(text) for text in texts]
        if self.directory is None:
            return self._embed_in_memory(encoder, texts, keys)
        identity = encoder.identity
        folder = self.path_for(identity)
        assert folder is not None
        found, rebuilt = self._lookup(identity, folder, keys)
        missing = list(dict.fromkeys(key for key in keys if key not in found))
        encoded = 0
        if missing:
            fresh, encoded = obtain_missing(encoder, self.shared, texts, keys, missing)
            found.update(zip(missing, fresh, strict=True))
            self._add(identity, folder, missing, fresh, set(keys))
        rows = [found[key] for key in keys]
        return _stacked(rows), CacheStats(hits=len(keys) - encoded, encoded=encoded, rebuilt=rebuilt)

    def _lookup(self, identity: str, folder: Path, keys: list[bytes]) -> tuple[dict[bytes, np.ndarray], bool]:
        """Vectors found on disk for ``keys``, and whether a bad segment was dropped on the way."""
        rebuilt = False
        for _ in range(8):  # a segment vanishing under us (compacted elsewhere) means: list again
            with self._lock:
                rebuilt |= self._refresh(identity, folder)
                known = self._maps[identity]
                wanted = known.find(list(dict.fromkeys(keys)))
                segments = {name: known.segments[name] for name in wanted}
            try:
                found, bad = self._read(folder, segments, wanted)
            except FileNotFoundError:
                with self._lock:
                    self._maps.pop(identity, None)
                continue
            if bad:
                rebuilt = True
                with self._lock:
                    for name in bad:
                        self._drop(identity, folder / name)
            return found, rebuilt
        log.warning("embedding cache %s keeps changing; encoding without it", folder)
        return {}, rebuilt

    @staticmethod
    def _read(folder: Path, segments: dict[str, SegmentKeys],
              wanted: dict[str, list[tuple[bytes, int]]]) -> tuple[dict[bytes, np.ndarray], list[str]]:
        found: dict[bytes, np.ndarray] = {}
        bad: list[str] = []
        for name, entries in wanted.items():
            rows = np.array([row for _, row in entries], dtype=np.int64)
            try:
                vectors, good = read_rows(folder / name, segments[name], rows)
            except SegmentError as error:
                log.warning("embedding cache segment %s is unreadable (%s); re-encoding its texts", name, error)
                bad.append(name)
                continue
            if not good.all():
                log.warning("embedding cache segment %s fails its checks; re-encoding its texts", name)
                bad.append(name)
            for (key, _), vector, ok in zip(entries, vectors, good, strict=True):
                if ok:
                    found[key] = vector
        return found, bad

    def _refresh(self, identity: str, folder: Path) -> bool:
        """Bring the key map up to the directory's segments (lock held); True when a bad one was dropped."""
        dropped = False
        legacy = self.legacy_path_for(identity)
        if legacy is not None and legacy.exists():
            dropped |= not import_legacy(legacy, folder)
        names = list_segments(folder)
        known = self._maps.get(identity)
        if known is None or not set(known.segments) <= set(names):
            known = self._maps[identity] = _KeyMap()  # a segment went away: rebuild from what is there
        for name in names:
            if name in known.segments:
                continue
            try:
                segment = read_keys(folder / name)
            except FileNotFoundError:
                continue
            except SegmentError as error:
                log.warning("embedding cache segment %s is unreadable (%s); re-encoding its texts", name, error)
                remove(folder / name)
                dropped = True
                continue
            known.add(name, segment)
        return dropped

    def _drop(self, identity: str, path: Path) -> None:
        """Forget and delete a bad segment (lock held)."""
        remove(path)
        self._maps.pop(identity, None)

    def _add(self, identity: str, folder: Path, keys: list[bytes], vectors: np.ndarray, in_use: set[bytes]) -> None:
        """Save newly encoded vectors as one new segment; compact when segments or entries pile up."""
        key_rows = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), KEY_BYTES)
        try:
            path = write_segment(folder, key_rows, vectors)
        except OSError as error:
            log.warning("cannot save embedding cache segment in %s: %s", folder, error)
            return
        with self._lock:
            known = self._maps.setdefault(identity, _KeyMap())
            try:
                segment = read_keys(path)
            except (FileNotFoundError, SegmentError):
                return
            known.add(path.name, segment)
            crowded = len(known.segments) > self.max_segments
            full = known.entries > self.max_entries + self.max_entries // 8
            if crowded or full:
                try:
                    compact(folder, self.max_entries, in_use)
                except OSError as error:
                    log.warning("cannot compact embedding cache %s: %s", folder, error)
                self._maps.pop(identity, None)

    def _embed_in_memory(self, encoder: Encoder, texts: Sequence[str],
                         keys: list[bytes]) -> tuple[np.ndarray, CacheStats]:
        with self._lock:
            table = self._memory.setdefault(encoder.identity, {})
            missing = list(dict.fromkeys(key for key in keys if key not in table))
        encoded = 0
        if missing:
            fresh, encoded = obtain_missing(encoder, self.shared, texts, keys, missing)
            with self._lock:
                table.update(zip(missing, fresh, strict=True))
                in_use = set(keys)
                excess = len(table) - self.max_entries
                for key in [key for key in table if key not in in_use][:max(excess, 0)]:
                    del table[key]
            found = dict(zip(missing, fresh, strict=True))
        else:
            found = {}
        with self._lock:
            rows = [found[key] if key in found else table[key] for key in keys]
        return _stacked(rows), CacheStats(hits=len(keys) - encoded, encoded=encoded)


def _stacked(rows: list[np.ndarray]) -> np.ndarray:
    """(len(rows), d) of the vectors ``rows``; (0, 0) when there are none."""
    return np.stack(rows) if rows else np.zeros((0, 0), dtype=np.float32)
