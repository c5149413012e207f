"""Each article's stored versions: a keyframe kept whole, later versions as paragraph deltas against it,
and the history pruned to what is still needed.

A lineage is one article as the store sees it over time: one source in one scope (guild and channel; no
guild: the default article). A new version is stored as a delta against its lineage's newest keyframe,
unless that delta would exceed ``DELTA_FRACTION`` of the version's whole size (or cannot rebuild it
exactly): then it becomes the lineage's new keyframe. A delta always refers to a keyframe, never to
another delta, so reading any version costs at most one keyframe and one delta.

Pruning keeps, per lineage, the newest ``keep`` versions, every version a library serves, every version
an answer within the correction window cites (or a correction within it points to), every version an
answer row references by id, and every keyframe a kept delta needs; the rest is deleted.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import StorageError
from .sql import Connection, dialect
from .version_delta import Content, apply_delta, encode_delta

log = logging.getLogger(__name__)

DELTA_FRACTION = 1 / 16  # a delta larger than this part of the whole version starts a new keyframe
DAY = 86_400.0
_CHUNK = 500  # ids per DELETE … IN (…)

LINEAGE = "guild_id IS NOT DISTINCT FROM ? AND channel_id IS NOT DISTINCT FROM ? AND source = ?"


@dataclass(frozen=True, slots=True)
class Retention:
    """How much history each article keeps: ``keep`` newest versions (VERSIONS_KEPT), besides the ones
    answers posted in the last ``window_days`` (CORRECTION_WINDOW_DAYS) cite."""

    keep: int = 20
    window_days: float = 7.0


@dataclass(frozen=True, slots=True)
class StoredColumns:
    """The columns a version row stores its content in: whole (``base_id`` None) or as a delta."""

    text: str | None
    structure: str | None
    digests: str
    base_id: int | None
    delta: str | None


def lock_lineage(connection: Connection, lineage: tuple[int | None, int | None, str]) -> None:
    """On PostgreSQL, serialise writers of one lineage (two processes storing and pruning the same article)
    until the transaction ends; SQLite's single writer needs nothing."""
    if dialect(connection) == "postgresql":
        key = int.from_bytes(hashlib.sha256(repr(lineage).encode()).digest()[:8], "big", signed=True)
        connection.execute("SELECT pg_advisory_xact_lock(?)", (key,))


def columns_for(connection: Connection, lineage: tuple[int | None, int | None, str], content: Content) -> StoredColumns:
    """How to store ``content`` in its lineage: a delta against the newest keyframe when small enough."""
    whole = StoredColumns(content.text, content.structure, content.digests, None, None)
    if content.structure is None:
        return whole
    row = connection.execute(
        f"SELECT id, text, structure, paragraph_digests FROM versions WHERE {LINEAGE}"
        " AND base_id IS NULL AND text IS NOT NULL AND structure IS NOT NULL ORDER BY id DESC LIMIT 1",
        lineage).fetchone()
    if row is None:
        return whole
    delta = encode_delta(Content(row[1], row[2], row[3]), content)
    if delta is None or len(delta) > content.size * DELTA_FRACTION:
        return whole
    return StoredColumns(None, None, "", int(row[0]), delta)


def stored_content(connection: Connection, version_id: int, text: str | None, structure: str | None, digests: str,
                   base_id: int | None, delta: str | None) -> Content:
    """A version's content from its row's columns (a delta is applied to its keyframe); StorageError when
    the delta or its keyframe is damaged or missing."""
    if base_id is None or delta is None:
        return Content(text or "", structure, digests)
    base = connection.execute("SELECT text, structure, paragraph_digests FROM versions WHERE id = ?",
                              (base_id,)).fetchone()
    if base is None or base[0] is None:
        raise StorageError(f"The stored version {version_id} is damaged (its keyframe {base_id} is missing).")
    try:
        return apply_delta(Content(base[0], base[1], base[2]), delta)
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise StorageError(f"The stored version {version_id} is damaged ({error}).") from error


def _cited(connection: Connection, digest: str, since: float) -> bool:
    """Whether an answer posted since ``since`` cites version ``digest``, or a correction since then points to it."""
    if connection.execute("SELECT 1 FROM corrections WHERE version = ? AND at >= ? LIMIT 1",
                          (digest, since)).fetchone():
        return True
    return connection.execute("SELECT 1 FROM answers WHERE asked_at >= ? AND cited LIKE ? LIMIT 1",
                              (since, f'%"{digest}"%')).fetchone() is not None


def prune_lineage(connection: Connection, lineage: tuple[int | None, int | None, str], retention: Retention,
                  now: float) -> int:
    """Delete the lineage's versions nothing needs any more (see the module's doc); how many."""
    rows = connection.execute(f"SELECT id, digest, base_id FROM versions WHERE {LINEAGE} ORDER BY id DESC",
                              lineage).fetchall()
    if len(rows) <= retention.keep:
        return 0
    kept = {int(row[0]) for row in rows[:retention.keep]}
    candidates = [(int(row[0]), str(row[1])) for row in rows[retention.keep:]]
    ids = [version_id for version_id, _ in candidates]
    kept |= _referenced(connection, ids)
    since = now - retention.window_days * DAY
    checked: dict[str, bool] = {}
    kept_digests = {str(row[1]) for row in rows if int(row[0]) in kept}
    for version_id, digest in candidates:  # newest first: one row per cited digest is enough
        if version_id in kept or digest in kept_digests:
            continue
        if checked.setdefault(digest, _cited(connection, digest, since)):
            kept.add(version_id)
            kept_digests.add(digest)
    kept |= {int(row[2]) for row in rows if row[2] is not None and int(row[0]) in kept}
    doomed = [version_id for version_id in ids if version_id not in kept]
    for start in range(0, len(doomed), _CHUNK):
        chunk = doomed[start:start + _CHUNK]
        connection.execute(f"DELETE FROM versions WHERE id IN ({', '.join('?' * len(chunk))})", chunk)
    if doomed:
        log.debug("pruned %d version(s) of %s", len(doomed), lineage[2])
    return len(doomed)


def _referenced(connection: Connection, ids: Iterable[int]) -> set[int]:
    """The ids among ``ids`` a library serves or an answer row names."""
    found: set[int] = set()
    listed = list(ids)
    for start in range(0, len(listed), _CHUNK):
        chunk = listed[start:start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        for table in ("library_articles", "answers"):
            found |= {int(row[0]) for row in connection.execute(
                f"SELECT DISTINCT version_id FROM {table} WHERE version_id IN ({marks})", chunk)}
    return found
