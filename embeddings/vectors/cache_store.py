"""Whole-directory work on the embedding cache: compaction, and reading the old single-file format."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from collections import OrderedDict
from pathlib import Path

import numpy as np

from .cache_segments import (
    KEY_BYTES,
    SegmentError,
    SegmentKeys,
    list_segments,
    new_name,
    read_keys,
    read_rows,
    remove,
    stamp_of,
    write_segment,
)

log = logging.getLogger(__name__)

CHUNK_ROWS = 4096


def import_legacy(path: Path, folder: Path) -> bool:
    """Turn an old single ``.npz`` cache file into the oldest segment of ``folder``, then remove it.

    Returns False when the file was unreadable (it is removed and its texts will be encoded again).
    """
    try:
        stamp = path.stat().st_mtime_ns
        with np.load(path, allow_pickle=False) as data:
            keys, vectors, checksum = data["keys"], data["vectors"], data["checksum"]
        if keys.ndim != 2 or keys.shape[1] != KEY_BYTES or vectors.ndim != 2:
            raise ValueError("unexpected shapes")
        if len(keys) != len(vectors) or vectors.dtype != np.float32:
            raise ValueError("keys and vectors disagree")
        digest = hashlib.sha256(np.ascontiguousarray(keys).tobytes())
        digest.update(np.ascontiguousarray(vectors).tobytes())
        if digest.digest() != bytes(checksum):
            raise ValueError("checksum mismatch")
    except FileNotFoundError:  # another process imported it meanwhile
        return True
    except Exception as error:  # truncated, corrupt or foreign file
        log.warning("old embedding cache %s is unreadable (%s); its texts will be encoded again", path, error)
        remove(path)
        return False
    try:
        if len(keys):
            write_segment(folder, keys, vectors, name=new_name(stamp))
    except OSError as error:  # a read-only cache: its texts are encoded (and not saved) as they come
        log.warning("cannot take over old embedding cache %s: %s", path, error)
        return True
    remove(path)
    log.info("imported %d embeddings from %s into %s", len(keys), path.name, folder)
    return True


def compact(folder: Path, max_entries: int, in_use: set[bytes]) -> Path | None:
    """Merge the segments of ``folder`` into one, keeping the newest ``max_entries`` entries (and those in
    ``in_use``), vectors copied bit for bit, a chunk of rows at a time. Gives up (returns None) when a
    segment vanishes meanwhile: another process is compacting."""
    names = list_segments(folder)
    if len(names) < 2:
        return None
    segments: dict[str, SegmentKeys] = {}
    latest: OrderedDict[bytes, tuple[str, int]] = OrderedDict()  # oldest first, by newest appearance
    for name in names:
        try:
            segment = read_keys(folder / name)
        except FileNotFoundError:
            return None
        except SegmentError as error:
            log.warning("dropping unreadable embedding cache segment %s (%s)", name, error)
            remove(folder / name)
            continue
        segments[name] = segment
        for row, key in enumerate(segment.keys):
            raw = key.tobytes()
            latest.pop(raw, None)
            latest[raw] = (name, row)
    excess = len(latest) - max_entries
    if excess > 0:
        for key in [key for key in latest if key not in in_use][:excess]:
            del latest[key]
    by_segment: dict[str, list[int]] = {}
    for name, row in latest.values():
        by_segment.setdefault(name, []).append(row)
    dims = {segments[name].dim for name in by_segment}
    if len(dims) > 1:
        log.warning("embedding cache %s mixes vector sizes %s; not compacting", folder, sorted(dims))
        return None
    raw_handle, raw_name = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
    try:
        key_rows, check_rows = [], []
        with os.fdopen(raw_handle, "wb") as raw:
            for name, rows in by_segment.items():
                segment, wanted = segments[name], np.array(sorted(rows), dtype=np.int64)
                for start in range(0, len(wanted), CHUNK_ROWS):
                    chunk = wanted[start : start + CHUNK_ROWS]
                    try:
                        vectors, good = read_rows(folder / name, segment, chunk)
                    except FileNotFoundError:
                        return None
                    except SegmentError:
                        good = np.zeros(len(chunk), dtype=bool)
                        vectors = np.zeros((len(chunk), segment.dim), dtype=np.float32)
                    if not good.all():
                        log.warning("embedding cache segment %s fails its checks; dropping its bad rows", name)
                    raw.write(np.ascontiguousarray(vectors[good]).tobytes())
                    key_rows.append(segment.keys[chunk[good]])
                    check_rows.append(segment.checks[chunk[good]])
        path = _write_from_raw(folder, key_rows, check_rows, Path(raw_name), dims.pop() if dims else 0,
                               new_name(max(stamp_of(name) for name in names)))
    finally:
        Path(raw_name).unlink(missing_ok=True)
    for name in names:
        if name != path.name:
            remove(folder / name)
    log.info("compacted %d embedding cache segments into %s (%d entries)", len(names), path.name, len(latest))
    return path


def _write_from_raw(folder: Path, key_rows: list[np.ndarray], check_rows: list[np.ndarray], raw: Path,
                    dim: int, name: str) -> Path:
    """A segment from its key and check rows and a file of raw float32 vector bytes (temp file, rename)."""
    keys = np.concatenate(key_rows) if key_rows else np.zeros((0, KEY_BYTES), dtype=np.uint8)
    checks = np.concatenate(check_rows) if check_rows else np.zeros((0, 8), dtype=np.uint8)
    handle, temp_name = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out, raw.open("rb") as vectors:
            np.save(out, np.concatenate([keys, checks], axis=1))
            header = {"descr": "<f4", "fortran_order": False, "shape": (len(keys), dim)}
            np.lib.format.write_array_header_1_0(out, header)
            shutil.copyfileobj(vectors, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, folder / name)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return folder / name
