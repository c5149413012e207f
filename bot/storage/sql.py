"""The connection surface storage functions use, the same on SQLite and PostgreSQL.

Storage code is written once, in portable SQL with ``?`` placeholders, and handed a ``Connection``:
the sqlite3 connection itself on SQLite, a ``PostgresConnection`` (below) on PostgreSQL.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Literal, Protocol

Dialect = Literal["sqlite", "postgresql"]


class Cursor(Protocol):
    """What storage code reads from a statement's result."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """The sqlite3-like surface every ``work(connection)`` closure is given (one transaction per work)."""

    def execute(self, sql: str, parameters: Any = (), /) -> Any: ...

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any: ...

    def __enter__(self) -> Any: ...

    def __exit__(self, exc_type: Any, exc: Any, traceback: Any, /) -> Any: ...


def dialect(connection: Connection) -> Dialect:
    """Which database a connection talks to, for the rare query that cannot be written portably."""
    return "postgresql" if isinstance(connection, PostgresConnection) else "sqlite"


@functools.lru_cache(maxsize=1024)  # the same few statements run again and again: rewrite each once
def to_pyformat(sql: str) -> str:
    """``?`` placeholders → ``%s``, and literal ``%`` → ``%%``; a ``?`` inside a quoted literal stays."""
    out: list[str] = []
    quote: str | None = None
    for char in sql:
        if char == "%":
            out.append("%%")
        elif quote is not None:
            out.append(char)
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
            out.append(char)
        elif char == "?":
            out.append("%s")
        else:
            out.append(char)
    return "".join(out)


class PostgresConnection:
    """A psycopg connection behind the sqlite3-like surface (``with connection:`` is a no-op: the
    database commits once when the whole work returns, and rolls back when it raises)."""

    def __init__(self, connection: Any) -> None:
        self.raw = connection

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> Any:
        return self.raw.execute(to_pyformat(sql), tuple(parameters))

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> Any:
        cursor = self.raw.cursor()
        cursor.executemany(to_pyformat(sql), [tuple(row) for row in parameters])
        return cursor

    def __enter__(self) -> PostgresConnection:
        return self

    def __exit__(self, exc_type: Any, exc: Any, traceback: Any, /) -> None:
        return None
