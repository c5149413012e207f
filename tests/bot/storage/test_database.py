"""The store on SQLite and PostgreSQL: migrations, votes, forgetting, and failures as StorageError."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.storage import Database, StorageError
from bot.storage.insights import insight_report
from bot.storage.migrations import MIGRATIONS
from bot.storage.sql import dialect
from tests.bot.conftest import all_rows, rows_holding
from tests.bot.storage.conftest import damage, store_answer


async def test_migrations_set_the_schema_version(database: Database):
    """A new database is created at the latest schema version (user_version on SQLite, schema_version on
    PostgreSQL)."""

    def version(connection) -> int:
        query = ("PRAGMA user_version" if dialect(connection) == "sqlite" else "SELECT version FROM schema_version")
        return connection.execute(query).fetchone()[0]

    assert await database.run(version) == len(MIGRATIONS)


async def test_reopening_keeps_data(database: Database, tmp_path: Path, database_url: str | None):
    """Data written survives closing and reopening (no migration re-run)."""
    await store_answer(database, 10, 5, "q?")
    database.close()
    again = Database(tmp_path, url=database_url)
    assert (await again.answer_for_message(10)).question == "q?"
    again.close()


async def test_vote_upsert_and_unknown_answer(database: Database):
    """A second vote by the same user replaces the first; an unknown message returns None."""
    await store_answer(database, 10, 5, "q?")
    await database.record_vote(10, 7, 1)
    await database.record_vote(10, 7, -1)
    assert await database.record_vote(99, 7, 1) is None
    report = await insight_report(database, "all", guild_id=1)
    assert [(v.up, v.down) for v in report.most_down] == [(0, 1)]


async def test_forget_user_removes_only_theirs(database: Database):
    """forget_user deletes that user's questions and votes (and votes on their questions)."""
    await store_answer(database, 10, 5, "mine?")
    await store_answer(database, 11, 6, "theirs?")
    await database.record_vote(11, 5, 1)
    await database.record_vote(10, 6, 1)
    assert await database.forget_user(5) == (1, 1)
    assert await database.count_rows(5) == (0, 0)
    assert await database.count_rows(6) == (0, 1)


async def test_stale_when_cited_digest_missing_from_latest_version(database: Database):
    """A voted answer citing a digest absent from the newest version is stale."""
    await database.record_version(digest="v1", source="s", title="t", loaded_by=None, added=1, removed=0,
                                  changed=0, paragraph_digests=["d3"])
    await store_answer(database, 10, 5, "q?")
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


async def test_locked_database_raises_busy(tmp_path: Path):
    """SQLite: an exclusive lock held elsewhere yields a 'busy' StorageError on write."""
    database = Database(tmp_path, busy_timeout=0.2)
    await database.open()
    locker = sqlite3.connect(database.path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageError, match="busy"):
            await store_answer(database, 10, 5, "q?")
    finally:
        locker.execute("ROLLBACK")
        locker.close()
        database.close()


async def test_forget_user_leaves_nothing_of_theirs_in_any_table(database: Database):
    """After forget_user no table holds the user's id or question text; the other user's rows stay."""
    await database.record_version(digest="v1", source="s", title="t", loaded_by=5, added=1, removed=0,
                                  changed=0, paragraph_digests=["d3"])
    await store_answer(database, 10, 5, "where is the dam?")
    await store_answer(database, 11, 6, "who is the mayor?")
    await database.record_vote(11, 5, 1)
    await database.record_vote(10, 6, -1)
    await database.remember_thread(10, "where is the dam?", 5)
    await database.remember_thread(11, "who is the mayor?", 6)
    assert rows_holding(await all_rows(database), 5, ["where is the dam?"])  # the check can see them
    await database.forget_user(5)
    cells = await all_rows(database)
    assert rows_holding(cells, 5, ["where is the dam?"]) == []
    assert rows_holding(cells, 6, ["who is the mayor?"])
    assert await database.thread_question(11) == "who is the mayor?"
    assert await database.thread_question(10) == ""  # still the bot's thread, without the question


async def test_forget_user_blanks_thread_rows_stored_before_asked_by(database: Database):
    """A thread row without asked_by (older schema) is matched by the user's question text."""
    await store_answer(database, 10, 5, "where is the dam?")
    await database.remember_thread(10, "where is the dam?")
    await database.forget_user(5)
    assert rows_holding(await all_rows(database), 5, ["where is the dam?"]) == []


@pytest.mark.parametrize("cited", ["{not json", "5", "[[1]]", "[[\"x\", \"d\"]]", "{\"a\": 1}"])
async def test_damaged_answer_is_a_storage_error_for_votes(database: Database, cited: str):
    """A vote on an answer whose stored citations are damaged fails as StorageError, not a crash."""
    await store_answer(database, 10, 5, "damaged?")
    await damage(database, "UPDATE answers SET cited = ? WHERE message_id = 10", cited)
    with pytest.raises(StorageError, match="damaged"):
        await database.record_vote(10, 6, 1)


async def test_damaged_version_is_a_storage_error(database: Database):
    """Bad JSON in versions.paragraph_digests: reading that version fails as StorageError, not a crash."""
    await database.record_version(digest="v1", source="s", title="t", loaded_by=None, added=1, removed=0,
                                  changed=0, paragraph_digests=["d3"])
    await damage(database, "UPDATE versions SET paragraph_digests = 'nope'")
    with pytest.raises(StorageError, match="damaged"):
        await database.latest_version()


@pytest.mark.parametrize("layout", ["data dir is a file", "parent is a file"])
async def test_unusable_data_dir_raises_storage_error(tmp_path: Path, layout: str):
    """A DATA_DIR that is a file (or lies under one) gives StorageError and records the problem."""
    (tmp_path / "blocker").write_text("not a directory")
    directory = tmp_path / "blocker" if layout == "data dir is a file" else tmp_path / "blocker" / "data"
    db = Database(directory)
    try:
        with pytest.raises(StorageError, match="data directory"):
            await db.open()
        assert db.error
        with pytest.raises(StorageError):
            await store_answer(db, 10, 5, "q?")
    finally:
        db.close()
