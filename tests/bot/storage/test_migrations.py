"""Schema migrations: upgrades keep data, and several processes may open one fresh file at once."""

from __future__ import annotations

import asyncio
import multiprocessing
import sqlite3
from pathlib import Path

from bot.storage import Database
from bot.storage.migrations import MIGRATIONS

PROCESSES = 4
ROUNDS = 8


def _open_and_report(db: Database, results) -> None:
    """Open (and so migrate) ``db``, put "ok" or the error on ``results`` for the test to print, close it."""
    try:
        asyncio.run(db.open())
        results.put("ok")
    except Exception as error:  # reported to the test, which prints it
        results.put(repr(error))
    finally:
        db.close()


def _open_fresh_directories(directories: list[str], barrier, results) -> None:
    """In a child process: for each directory, wait for the others, then open the database there."""
    for directory in directories:
        barrier.wait(timeout=60)
        _open_and_report(Database(Path(directory), busy_timeout=10.0), results)


def test_processes_opening_one_fresh_directory_at_once_all_succeed(tmp_path: Path):
    """4 processes opening the same fresh DATA_DIR together (8 rounds) all succeed, at the latest schema."""
    context = multiprocessing.get_context("spawn")
    directories = [str(tmp_path / f"round-{n}") for n in range(ROUNDS)]
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    children = [context.Process(target=_open_fresh_directories, args=(directories, barrier, results))
                for _ in range(PROCESSES)]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=120) for _ in range(PROCESSES * ROUNDS)]
    for child in children:
        child.join(timeout=60)
    assert [o for o in outcomes if o != "ok"] == []
    for directory in directories:
        with sqlite3.connect(Path(directory) / "article-bot.sqlite3") as connection:
            assert connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


async def test_version_1_database_is_upgraded_keeping_threads(tmp_path: Path):
    """A database at schema 1 gains threads.asked_by; its thread rows survive the upgrade."""
    with sqlite3.connect(tmp_path / "article-bot.sqlite3") as connection:
        connection.executescript(MIGRATIONS[0])
        connection.execute("INSERT INTO threads (thread_id, last_question, created_at) VALUES (7, 'q?', 0)")
        connection.execute("PRAGMA user_version = 1")
    db = Database(tmp_path)
    try:
        assert await db.thread_question(7) == "q?"
        await db.remember_thread(7, "next?", 42)
    finally:
        db.close()
    with sqlite3.connect(tmp_path / "article-bot.sqlite3") as connection:
        assert connection.execute("SELECT last_question, asked_by FROM threads").fetchall() == [("next?", 42)]
        assert connection.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def _migrate_one_postgres_database(url: str, barrier, results) -> None:
    """In a child process: wait for the others, then open (and so migrate) the database at ``url``."""
    barrier.wait(timeout=60)
    _open_and_report(Database(Path("/nonexistent"), url=url, retry_for=30.0), results)


def test_processes_migrating_one_fresh_postgres_database_at_once_apply_it_once(postgres_url: str):
    """4 processes opening one fresh PostgreSQL database together all succeed; each migration ran once
    (a second run would fail: CREATE TABLE of an existing table), and the version is the latest."""
    import psycopg

    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    children = [context.Process(target=_migrate_one_postgres_database, args=(postgres_url, barrier, results))
                for _ in range(PROCESSES)]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=120) for _ in range(PROCESSES)]
    for child in children:
        child.join(timeout=60)
    assert outcomes == ["ok"] * PROCESSES
    with psycopg.connect(postgres_url) as connection:
        assert connection.execute("SELECT version FROM schema_version").fetchall() == [(len(MIGRATIONS),)]
        assert connection.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'answers'"
                                  ).fetchone() == (1,)


async def test_version_7_answers_gain_their_place_channel_and_no_scope(tmp_path: Path):
    """A database at schema 7 gains answers.served_by (NULL: not known for old answers) and
    place_channel_id, filled from the channel each answer was asked in."""
    with sqlite3.connect(tmp_path / "article-bot.sqlite3") as connection:
        for script in MIGRATIONS[:7]:
            connection.executescript(script)
        connection.execute("INSERT INTO answers (message_id, user_id, guild_id, channel_id, question, answered,"
                           " confidence, cited, asked_at) VALUES (1, 5, 9, 44, 'q', 1, 0.5, '[]', 0)")
        connection.execute("PRAGMA user_version = 7")
    db = Database(tmp_path)
    try:
        await db.open()
    finally:
        db.close()
    with sqlite3.connect(tmp_path / "article-bot.sqlite3") as connection:
        assert connection.execute("SELECT served_by, place_channel_id FROM answers").fetchall() == [(None, 44)]


def test_version_7_postgres_answers_gain_their_place_channel(postgres_url: str, monkeypatch):
    """The same upgrade on PostgreSQL: a database migrated to 7 with an answer, then opened at the latest."""
    import psycopg

    from bot.storage import postgres

    with psycopg.connect(postgres_url, autocommit=True) as connection:
        monkeypatch.setattr(postgres, "MIGRATIONS", MIGRATIONS[:7])
        postgres.migrate_postgres(connection)
        monkeypatch.undo()
        connection.execute("INSERT INTO answers (message_id, user_id, guild_id, channel_id, question, answered,"
                           " confidence, cited, asked_at) VALUES (1, 5, 9, 44, 'q', 1, 0.5, '[]', 0)")
        assert postgres.migrate_postgres(connection) == len(MIGRATIONS)
        assert connection.execute("SELECT served_by, place_channel_id FROM answers").fetchall() == [(None, 44)]
