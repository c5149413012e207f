"""The SQLite backend: one file in DATA_DIR, one connection used from the database's single thread."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .errors import StorageError
from .migrations import migrate
from .sql import Connection

T = TypeVar("T")


class SqliteBackend:
    """Runs ``work(connection)`` on a sqlite3 connection to ``path`` (created and migrated on first use)."""

    dialect = "sqlite"
    threads = 1  # one writer: a single thread keeps SQLite's locking out of the picture

    def __init__(self, path: Path, busy_timeout: float) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self._connection: sqlite3.Connection | None = None
        self.error: str | None = None

    def describe(self) -> str:
        """Where the data lives, for logs and /status."""
        return f"SQLite file {self.path} (DATA_DIR)"

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            deadline = time.monotonic() + self.busy_timeout
            while True:
                connection = sqlite3.connect(self.path, timeout=self.busy_timeout, check_same_thread=False)
                connection.text_factory = _text  # a damaged text cell reads with U+FFFD, not an exception
                try:
                    _prepare(connection)
                except sqlite3.OperationalError as error:
                    connection.close()
                    # Another process setting up the same fresh file can deadlock with us (SQLite then
                    # answers "locked" at once, without waiting): try again until the busy timeout.
                    if "locked" in str(error) and time.monotonic() < deadline:
                        time.sleep(0.02)
                        continue
                    raise
                except BaseException:
                    connection.close()
                    raise
                break
            self._connection = connection
        return self._connection

    def run(self, work: Callable[[Connection], T]) -> T:
        """``work(connection)`` as one transaction; StorageError on any database failure."""
        try:
            connection = self._connect()
            try:
                result = work(connection)
                connection.commit()
            except BaseException:
                if connection.in_transaction:
                    connection.rollback()
                raise
        except OSError as error:  # DATA_DIR cannot be created: a file in the way, read-only, no space
            self.error = error.strerror or str(error)
            raise StorageError(
                f"The bot's database cannot be created in its data directory ({error.strerror or error})."
            ) from error
        except sqlite3.OperationalError as error:
            self.error = str(error)
            if "locked" in str(error) or "busy" in str(error):
                raise StorageError("The bot's database is busy (locked by another process); try again.") from error
            raise StorageError(f"The bot's database is unavailable ({error}).") from error
        except sqlite3.DatabaseError as error:
            self.error = str(error)
            self.close()
            raise StorageError(f"The bot's database is unreadable ({error}); a moderator should check it.") from error
        self.error = None
        return result

    def close(self) -> None:
        """Close the connection (opened again by the next work)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _prepare(connection: sqlite3.Connection) -> None:
    """Settings, migrations, and a first read that fails early on a file that is not a database."""
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA journal_mode = WAL")
    migrate(connection)
    connection.execute("SELECT count(*) FROM answers").fetchone()


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")
