"""Segment files of the embedding cache: small, immutable, self-checking, written atomically.

One segment is one file holding two ``.npy`` arrays back to back: an (n, 24) uint8 array of rows
``key (16 bytes) + check (8 bytes)``, then the (n, d) float32 vectors. The check of a row is
blake2b-64 of its key and its vector's bytes, so a row read alone proves its own vector belongs to
its key. Reading a segment's keys reads only the first array; vectors are read row by row through a
memory map.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

KEY_BYTES = 16
CHECK_BYTES = 8
SUFFIX = ".seg"


class SegmentError(ValueError):
    """A segment file is truncated, corrupt or not a segment."""


def row_checks(keys: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """(n, 8) uint8 checks of (n, 16) uint8 keys and their (n, d) float32 vectors."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    checks = b"".join(
        hashlib.blake2b(bytes(key) + row.tobytes(), digest_size=CHECK_BYTES).digest()
        for key, row in zip(keys, vectors, strict=True)
    )
    return np.frombuffer(checks, dtype=np.uint8).reshape(len(keys), CHECK_BYTES)


def new_name(stamp_ns: int | None = None) -> str:
    """A segment name unique across processes, sorting by creation time (oldest first)."""
    stamp = time.time_ns() if stamp_ns is None else stamp_ns
    return f"{stamp:020d}-{os.getpid()}-{uuid.uuid4().hex[:8]}{SUFFIX}"


def stamp_of(name: str) -> int:
    """The creation time (ns) a segment name starts with (0 when it has none)."""
    head = name.split("-", 1)[0]
    return int(head) if head.isdigit() else 0


def write_segment(directory: Path, keys: np.ndarray, vectors: np.ndarray, *, name: str | None = None,
                  checks: np.ndarray | None = None) -> Path:
    """Write (n, 16) uint8 keys and (n, d) float32 vectors as a new segment (temp file, fsync, rename)."""
    directory.mkdir(parents=True, exist_ok=True)
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    keys = np.ascontiguousarray(keys, dtype=np.uint8).reshape(len(vectors), KEY_BYTES)
    if checks is None:
        checks = row_checks(keys, vectors)
    path = directory / (name or new_name())
    handle, temp_name = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as temp:
            np.save(temp, np.concatenate([keys, checks], axis=1))
            np.save(temp, vectors)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return path


@dataclass(frozen=True, slots=True)
class SegmentKeys:
    """The keys of one segment and where its vectors start in the file."""

    keys: np.ndarray  # (n, 16) uint8
    checks: np.ndarray  # (n, 8) uint8
    dim: int
    offset: int


def read_keys(path: Path) -> SegmentKeys:
    """The keys of a segment (FileNotFoundError when it vanished, SegmentError when it is bad)."""
    try:
        with path.open("rb") as handle:
            rows = np.load(handle, allow_pickle=False)
            version = np.lib.format.read_magic(handle)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(handle)
            else:
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(handle)
            offset = handle.tell()
            size = os.fstat(handle.fileno()).st_size
    except FileNotFoundError:
        raise
    except Exception as error:  # truncated, corrupt or foreign: whatever numpy makes of it
        raise SegmentError(str(error)) from error
    if rows.dtype != np.uint8 or rows.ndim != 2 or rows.shape[1] != KEY_BYTES + CHECK_BYTES:
        raise SegmentError("unexpected key rows")
    if dtype != np.dtype("<f4") or fortran or len(shape) != 2 or shape[0] != len(rows):
        raise SegmentError("unexpected vectors")
    if size != offset + shape[0] * shape[1] * 4:
        raise SegmentError("truncated vectors")
    return SegmentKeys(rows[:, :KEY_BYTES], rows[:, KEY_BYTES:], int(shape[1]), offset)


def read_rows(path: Path, segment: SegmentKeys, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vectors (len(rows), d) of the given rows, and a bool mask of those whose check holds."""
    n = len(segment.keys)
    try:
        mapped = np.memmap(path, dtype="<f4", mode="r", offset=segment.offset, shape=(n, segment.dim))
    except FileNotFoundError:
        raise
    except (OSError, ValueError) as error:
        raise SegmentError(str(error)) from error
    vectors = np.array(mapped[rows], dtype=np.float32)
    del mapped
    good = np.all(row_checks(segment.keys[rows], vectors) == segment.checks[rows], axis=1)
    return vectors, good


def remove(path: Path) -> None:
    """Delete a file if it is there and may be deleted (a read-only cache keeps it)."""
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        log.debug("cannot remove %s: %s", path, error)


def list_segments(directory: Path) -> list[str]:
    """Names of the segments in ``directory``, oldest first (empty when it does not exist or cannot be read)."""
    try:
        names = [entry.name for entry in os.scandir(directory) if entry.name.endswith(SUFFIX)]
    except OSError as error:  # not there yet, or unusable (a file in the way, no permission)
        if not isinstance(error, FileNotFoundError):
            log.debug("cannot list embedding cache %s: %s", directory, error)
        return []
    return sorted(names, key=lambda name: (stamp_of(name), name))
