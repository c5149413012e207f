"""Fixtures for the store's tests: a fresh database on each backend, and helpers to fill and damage it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import Database
from bot.storage.records import CitedParagraph

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str | None:
    """None (SQLite in the test's DATA_DIR) or a fresh PostgreSQL database's URL."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres_url")


@pytest.fixture
async def database(tmp_path: Path, database_url: str | None) -> AsyncIterator[Database]:
    """A fresh, open database in the test's directory, on SQLite and on PostgreSQL."""
    db = Database(tmp_path, busy_timeout=0.2, url=database_url, retry_for=1.0)
    await db.open()
    yield db
    db.close()


async def store_answer(db: Database, message_id: int, user_id: int, question: str, answered: bool = True) -> int:
    """Store an answer (citing paragraph 3, digest "d3", when answered); returns its id."""
    return await db.record_answer(
        message_id=message_id, user_id=user_id, guild_id=1, channel_id=2, question=question, answered=answered,
        confidence=0.5, cited=[CitedParagraph(3, "d3")] if answered else [], version_id=None,
    )


async def damage(db: Database, sql: str, *args: object) -> None:
    """Run one statement on the database behind the store's back (through its own connection)."""
    await db.run(lambda connection: connection.execute(sql, args))


async def table_rows(db: Database, table: str) -> list[tuple]:
    """Every row of a table, in a stable order."""
    return [tuple(row) for row in await db.run(
        lambda connection: connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall())]
