"""Embedding vectors in the bot's database, by model identity and text hash (the engine's shared tier).

Used when DATABASE_URL names PostgreSQL, so a process on a fresh machine (empty CACHE_DIR) reads the
vectors another one encoded instead of running the model again. Called from the engine's threads.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from .database import Database
from .sql import Connection

BATCH = 500  # keys per SELECT ... IN (...)
UNUSED_DAYS = 30.0  # a vector no index build has read (or written) for this long is deleted


class DatabaseVectors:
    """``SharedVectors`` (embeddings.vectors.shared_vectors) over the ``embedding_vectors`` table."""

    def __init__(self, database: Database) -> None:
        if database.backend.dialect != "postgresql":  # SQLite's one connection belongs to the database thread
            raise ValueError("shared embedding vectors need DATABASE_URL=postgresql://…")
        self.database = database

    def fetch(self, identity: str, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """The stored (d,) float32 vectors of ``keys``; a row of the wrong size is ignored (re-encoded)."""
        wanted = list(dict.fromkeys(bytes(key) for key in keys))

        def work(connection: Connection) -> dict[bytes, np.ndarray]:
            found: dict[bytes, np.ndarray] = {}
            for start in range(0, len(wanted), BATCH):
                chunk = wanted[start:start + BATCH]
                rows = connection.execute(
                    "SELECT text_key, vector FROM embedding_vectors WHERE model = ? AND text_key IN"
                    f" ({', '.join('?' * len(chunk))})", (identity, *chunk)).fetchall()
                for key, vector in rows:
                    data = bytes(vector)
                    if data and len(data) % 4 == 0:
                        found[bytes(key)] = np.frombuffer(data, dtype=np.float32)
                if rows:  # read: kept from the purge of unused vectors
                    read = [bytes(key) for key, _ in rows]
                    connection.execute(
                        "UPDATE embedding_vectors SET used_at = ? WHERE model = ? AND text_key IN"
                        f" ({', '.join('?' * len(read))})", (time.time(), identity, *read))
            sizes = {len(v) for v in found.values()}
            if len(sizes) > 1:  # mixed sizes: trust none of them
                return {}
            return found

        return self.database.backend.run(work) if wanted else {}

    def store(self, identity: str, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        """Keep the vectors of ``keys`` (a key already stored keeps its vector)."""
        matrix = np.ascontiguousarray(vectors, dtype=np.float32)
        now = time.time()
        rows = [(identity, bytes(key), matrix[i].tobytes(), now) for i, key in enumerate(keys)]

        def work(connection: Connection) -> None:
            connection.executemany(
                "INSERT INTO embedding_vectors (model, text_key, vector, created_at, used_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (model, text_key) DO NOTHING", [(*row, row[-1]) for row in rows])

        if rows:
            self.database.backend.run(work)


async def purge_unused_vectors(database: Database, days: float = UNUSED_DAYS, now: float | None = None) -> int:
    """Delete the shared vectors no index build has read or written for ``days``; how many went.

    A vector purged and needed again is encoded again (a cost, never a wrong answer): the table holds
    only what some process's articles still use, not every text any guild ever loaded.
    """
    cutoff = (time.time() if now is None else now) - days * 86_400

    def work(connection: Connection) -> int:
        with connection:
            return connection.execute("DELETE FROM embedding_vectors WHERE COALESCE(used_at, created_at) < ?",
                                      (cutoff,)).rowcount

    return await database.run(work)
