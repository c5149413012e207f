"""PostgreSQL faults, for real: connections cut by the server, the server stopped and restarted, an
unreachable server at start, and a failure inside a write's transaction."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.storage import Database, StorageError
from bot.storage.library import LibraryStore, NewVersion, Scope
from devtools.postgres_server import PostgresServer, free_port, running_server
from tests.bot.storage.conftest import store_answer, table_rows

GUILD = Scope(100)


def _version(text: str) -> NewVersion:
    return NewVersion(digest=f"digest-{text}", source=f"src-{text}", title=text, kind="text", text=text,
                      paragraph_digests=("p",), added=1, removed=0, changed=0)


@pytest.fixture(scope="module")
def own_server() -> Iterator[PostgresServer]:
    """A server of this module's own, which the tests stop and start."""
    with running_server() as server:
        yield server


async def test_write_after_the_server_cut_every_connection_is_retried_and_stored_once(
    tmp_path: Path, postgres_server: PostgresServer, postgres_url: str
):
    """pg_terminate_backend cuts the pool's connections: the next answer is still stored, exactly once."""
    db = Database(tmp_path, url=postgres_url, retry_for=10.0)
    try:
        await store_answer(db, 10, 5, "before?")
        assert postgres_server.terminate_backends(postgres_url) >= 1
        await store_answer(db, 11, 5, "after?")
        assert db.error is None
        assert [row[5] for row in await table_rows(db, "answers")] == ["before?", "after?"]
    finally:
        db.close()


async def test_answer_stored_twice_under_one_message_keeps_one_row(tmp_path: Path, postgres_url: str):
    """A retried answer write (same message id) keeps one row and returns the same id."""
    db = Database(tmp_path, url=postgres_url)
    try:
        first = await store_answer(db, 10, 5, "q?")
        assert await store_answer(db, 10, 5, "q?") == first
        assert len(await table_rows(db, "answers")) == 1
    finally:
        db.close()


async def test_server_stopped_gives_storage_error_then_restarted_serves_again(tmp_path: Path,
                                                                              own_server: PostgresServer):
    """With the server stopped a write fails as StorageError (and ``error`` says why); once it is back,
    the same Database writes again and the error clears, keeping what was stored before."""
    url = own_server.fresh_url()
    db = Database(tmp_path, url=url, busy_timeout=1.0, retry_for=1.0)
    try:
        await store_answer(db, 10, 5, "before?")
        own_server.stop()
        try:
            with pytest.raises(StorageError, match="unavailable"):
                await store_answer(db, 11, 5, "while down?")
            assert db.error
        finally:
            own_server.start()
        # The pool reconnects in the background with its own backoff: the first writes after the
        # restart may still fail fast (the bot's callers fall back); one succeeds within seconds.
        deadline = time.monotonic() + 60
        while True:
            try:
                await store_answer(db, 12, 5, "after?")
                break
            except StorageError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)
        assert db.error is None
        assert [row[5] for row in await table_rows(db, "answers")] == ["before?", "after?"]
    finally:
        db.close()


async def test_unreachable_server_at_start_is_a_storage_error_naming_no_password(tmp_path: Path):
    """Nothing listens at DATABASE_URL: open() fails as StorageError, the error is recorded, and
    describe() never shows the password."""
    db = Database(tmp_path, url=f"postgresql://bot:s3cret@127.0.0.1:{free_port()}/bot", busy_timeout=0.5,
                  retry_for=0.5)
    try:
        with pytest.raises(StorageError, match="unavailable") as raised:
            await db.open()
        assert db.error and "s3cret" not in str(raised.value)
        assert "s3cret" not in db.describe() and "***" in db.describe()
    finally:
        db.close()


async def test_failure_inside_a_reload_keeps_the_previous_versions(database: Database):
    """A reload of two articles that fails on the second (inside the transaction) stores neither:
    the library keeps serving the previous versions (SQLite and PostgreSQL)."""
    store = LibraryStore(database)
    first = await store.add(GUILD, _version("one"), "url", 1)
    second = await store.add(GUILD, _version("two"), "url", 1)
    broken = NewVersion(digest=None, source="s", title="t", kind="text", text="x",  # type: ignore[arg-type]
                        paragraph_digests=(), added=0, removed=0, changed=0)
    with pytest.raises(StorageError):
        await store.update_all([(first, _version("one-v2")), (second, broken)], 2)
    assert [a.text for a in await store.articles(GUILD)] == ["one", "two"]
    assert sorted(row[3] for row in await table_rows(database, "versions")) == ["one", "two"]


def _die_inside_a_reload(url: str, article_id: int) -> None:
    """In a child process: store a new version of the article, then die before the transaction commits."""
    import asyncio
    import os

    from bot.storage.library import _insert_version

    async def main() -> None:
        db = Database(Path("/nonexistent"), url=url)

        def work(connection) -> None:
            version_id = _insert_version(connection, GUILD, _version("half-done"), 3, 0.0)
            connection.execute("UPDATE library_articles SET version_id = ? WHERE id = ?", (version_id, article_id))
            os._exit(9)  # killed mid-reload: no commit, no rollback, no clean close

        await db.run(work)

    asyncio.run(main())


async def test_process_killed_mid_reload_leaves_the_previous_version(tmp_path: Path, postgres_url: str):
    """A process that dies after writing a new version but before committing changes nothing: the guild
    keeps serving the previous version, and no half-written version row remains."""
    import multiprocessing

    db = Database(tmp_path, url=postgres_url)
    try:
        stored = await LibraryStore(db).add(GUILD, _version("before"), "url", 1)
        child = multiprocessing.get_context("spawn").Process(target=_die_inside_a_reload,
                                                             args=(postgres_url, stored.id))
        child.start()
        child.join(timeout=120)
        assert child.exitcode == 9
        assert [a.text for a in await LibraryStore(db).articles(GUILD)] == ["before"]
        assert [row[3] for row in await table_rows(db, "versions")] == ["before"]
    finally:
        db.close()


@pytest.mark.parametrize("load", ["replace", "add", "update"])
async def test_a_load_whose_commit_was_not_acknowledged_is_stored_once(tmp_path: Path, postgres_url: str, load: str):
    """The connection drops after the server committed a load but before the bot heard so: the retry
    finds its own version instead of recording it twice (the library serves it once)."""
    import psycopg

    db = Database(tmp_path, url=postgres_url, busy_timeout=1.0, retry_for=5.0)
    try:
        await db.open()
        store = LibraryStore(db)
        first = await store.add(GUILD, _version("first"), "url", 5) if load == "update" else None
        backend = db.backend
        real = backend._attempt
        lost: list[bool] = []

        def commit_then_lose_the_reply(work, wait):
            result = real(work, wait)  # committed on the server
            if not lost:
                lost.append(True)
                raise psycopg.OperationalError("server closed the connection unexpectedly")
            return result

        backend._attempt = commit_then_lose_the_reply  # type: ignore[method-assign]
        if load == "update" and first is not None:
            stored = await store.update(first, _version("second"), 5)
        else:
            stored = await (store.replace if load == "replace" else store.add)(GUILD, _version("second"), "url", 5)
        backend._attempt = real  # type: ignore[method-assign]
        assert lost, "the fault was not injected"
        versions = [row for row in await table_rows(db, "versions") if "second" in str(row)]
        assert len(versions) == 1
        assert [a.digest for a in await store.articles(GUILD)].count("digest-second") == 1
        assert stored.digest == "digest-second"
    finally:
        db.close()
