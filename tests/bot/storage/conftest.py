"""Fixtures for the store's tests: a fresh database, and helpers to fill and damage it."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import Database
from bot.storage.records import CitedParagraph


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh, open database in the test's directory."""
    db = Database(tmp_path, busy_timeout=0.2)
    await db.open()
    yield db
    db.close()


async def store_answer(db: Database, message_id: int, user_id: int, question: str, answered: bool = True) -> int:
    """Store an answer (citing paragraph 3, digest "d3", when answered); returns its id."""
    return await db.record_answer(
        message_id=message_id, user_id=user_id, guild_id=1, channel_id=2, question=question, answered=answered,
        confidence=0.5, cited=[CitedParagraph(3, "d3")] if answered else [], version_id=None,
    )


def damage(path: Path, sql: str, *args: object) -> None:
    """Run one statement on the database file behind the bot's back."""
    with sqlite3.connect(path) as connection:
        connection.execute(sql, args)
