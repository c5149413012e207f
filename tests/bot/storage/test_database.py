"""The SQLite store: migrations, votes, forgetting, and failures as StorageError."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.storage import Database, StorageError
from bot.storage.insights import insight_report
from bot.storage.migrations import MIGRATIONS
from bot.storage.records import CitedParagraph


@pytest.fixture
async def database(tmp_path: Path):
    db = Database(tmp_path, busy_timeout=0.2)
    await db.open()
    yield db
    db.close()


async def _answer(db: Database, message_id: int, user_id: int, question: str, answered: bool = True) -> int:
    return await db.record_answer(
        message_id=message_id, user_id=user_id, guild_id=1, channel_id=2, question=question, answered=answered,
        confidence=0.5, cited=[CitedParagraph(3, "d3")] if answered else [], version_id=None,
    )


async def test_migrations_set_user_version(database: Database):
    """A new database is created at the latest schema version."""
    with sqlite3.connect(database.path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


async def test_reopening_keeps_data(database: Database, tmp_path: Path):
    """Data written survives closing and reopening (no migration re-run)."""
    await _answer(database, 10, 5, "q?")
    database.close()
    again = Database(tmp_path)
    assert (await again.answer_for_message(10)).question == "q?"
    again.close()


async def test_vote_upsert_and_unknown_answer(database: Database):
    """A second vote by the same user replaces the first; an unknown message returns None."""
    await _answer(database, 10, 5, "q?")
    await database.record_vote(10, 7, 1)
    await database.record_vote(10, 7, -1)
    assert await database.record_vote(99, 7, 1) is None
    report = await insight_report(database, "all", guild_id=1)
    assert [(v.up, v.down) for v in report.most_down] == [(0, 1)]


async def test_forget_user_removes_only_theirs(database: Database):
    """forget_user deletes that user's questions and votes (and votes on their questions)."""
    await _answer(database, 10, 5, "mine?")
    await _answer(database, 11, 6, "theirs?")
    await database.record_vote(11, 5, 1)
    await database.record_vote(10, 6, 1)
    assert await database.forget_user(5) == (1, 1)
    assert await database.count_rows(5) == (0, 0)
    assert await database.count_rows(6) == (0, 1)


async def test_stale_when_cited_digest_missing_from_latest_version(database: Database):
    """A voted answer citing a digest absent from the newest version is stale."""
    await database.record_version(digest="v1", source="s", title="t", loaded_by=None, added=1, removed=0,
                                  changed=0, paragraph_digests=["d3"])
    await _answer(database, 10, 5, "q?")
    await database.record_vote(10, 5, 1)
    assert not (await insight_report(database, "all", guild_id=1)).stale
    await database.record_version(digest="v2", source="s", title="t", loaded_by=9, added=0, removed=0,
                                  changed=1, paragraph_digests=["d3-edited"])
    assert [v.answer.question for v in (await insight_report(database, "all", guild_id=1)).stale] == ["q?"]
    assert (await database.latest_version()).loaded_by == 9


async def test_corrupt_file_raises_storage_error(tmp_path: Path):
    """A non-database file gives StorageError with a readable message."""
    (tmp_path / "article-bot.sqlite3").write_bytes(b"garbage" * 200)
    db = Database(tmp_path)
    with pytest.raises(StorageError, match="database"):
        await db.open()
    db.close()


async def test_locked_database_raises_busy(database: Database):
    """An exclusive lock held elsewhere yields a 'busy' StorageError on write."""
    locker = sqlite3.connect(database.path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageError, match="busy"):
            await _answer(database, 10, 5, "q?")
    finally:
        locker.execute("ROLLBACK")
        locker.close()
