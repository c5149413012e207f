"""Every stored version keeps its paragraph structure: a version stored whole without it (the old way) gets it
once from the backfill, and corrections read paragraphs by the stored structure, never by parsing (SQLite and
PostgreSQL)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bot.door import text_structure
from bot.storage import Database
from bot.storage.corrections import paragraph_text
from bot.storage.library import LibraryStore, Scope
from bot.storage.migrations import MIGRATIONS
from bot.storage.version_structure import backfill_structure, unstructured_versions
from embeddings.text import Article, article_structure, parse_text
from tests.texts import HARBOUR

GUILD = Scope(100)
LEGACY = 9  # the schema before migration 10


def structure_of(text: str) -> str:
    """What the composition root passes: the engine's parse of a stored text, as its structure JSON."""
    return text_structure(text)


_LEGACY_ROWS = (  # a version stored whole with its text but no structure, served by a guild's library
    "INSERT INTO versions (digest, source, title, loaded_at, loaded_by, added, removed, changed,"
    " paragraph_digests, guild_id, channel_id, kind, text, structure) VALUES (?, 'harbour.md', ?, 1.0, 7, 1, 0, 0,"
    " ?, ?, NULL, 'text', ?, NULL)",
    "INSERT INTO library_articles (guild_id, channel_id, version_id, origin, added_at)"
    " VALUES (?, NULL, (SELECT max(id) FROM versions), 'file', 1.0)",
)


def _legacy_values(article: Article) -> tuple[tuple, tuple]:
    return ((article.digest, article.title, json.dumps([p.digest for p in article.paragraphs]), GUILD.guild_id,
             article.text), (GUILD.guild_id,))


def sqlite_legacy_store(directory: Path, article: Article) -> None:
    with sqlite3.connect(directory / "article-bot.sqlite3") as connection:
        for script in MIGRATIONS[:LEGACY]:
            connection.executescript(script)
        for sql, row in zip(_LEGACY_ROWS, _legacy_values(article), strict=True):
            connection.execute(sql, row)
        connection.execute(f"PRAGMA user_version = {LEGACY}")


def postgres_legacy_store(url: str, article: Article) -> None:
    import psycopg

    from bot.storage.migrations import sql_statements
    from bot.storage.postgres import postgres_ddl
    from bot.storage.sql import to_pyformat

    with psycopg.connect(url) as connection:
        connection.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        connection.execute(f"INSERT INTO schema_version (version) VALUES ({LEGACY})")
        for script in MIGRATIONS[:LEGACY]:
            for statement in sql_statements(script):
                connection.execute(postgres_ddl(statement).encode())
        for sql, row in zip(_LEGACY_ROWS, _legacy_values(article), strict=True):
            connection.execute(to_pyformat(sql).encode(), row)


async def _structure(database: Database, digest: str) -> str | None:
    return await database.run(lambda connection: connection.execute(
        "SELECT structure FROM versions WHERE digest = ?", (digest,)).fetchone()[0])


async def test_a_legacy_version_gets_its_structure_once_and_paragraphs_read_from_it(
    tmp_path: Path, database_url: str | None
):
    """A version written the old way (text, no structure) in a store at schema 9, opened by this code: the
    backfill stores the structure a load parses, once; its paragraphs then read back from that structure."""
    article = parse_text(HARBOUR, source="harbour.md")
    if database_url is None:
        sqlite_legacy_store(tmp_path, article)
    else:
        postgres_legacy_store(database_url, article)
    database = Database(tmp_path, busy_timeout=0.2, url=database_url, retry_for=1.0)
    try:
        await database.open()
        assert len(await unstructured_versions(database)) == 1
        assert await backfill_structure(database, structure_of) == 1
        assert await _structure(database, article.digest) == article_structure(article)
        assert await unstructured_versions(database) == []
        assert await backfill_structure(database, structure_of) == 0  # once: nothing left to fill
        for paragraph in article.paragraphs:
            assert await paragraph_text(database, article.digest, paragraph.number) == paragraph.text
        stored = (await LibraryStore(database).articles(GUILD))[0]
        assert stored.structure == article_structure(article)
    finally:
        database.close()


async def test_paragraphs_are_cut_by_the_stored_structure_never_parsed(tmp_path: Path, database_url: str | None):
    """A version whose text has no structure reads no paragraph (it is never split again); a text the parser
    refuses is left without structure by the backfill, which goes on with the others."""
    article = parse_text(HARBOUR, source="harbour.md")
    if database_url is None:
        sqlite_legacy_store(tmp_path, article)
    else:
        postgres_legacy_store(database_url, article)
    database = Database(tmp_path, busy_timeout=0.2, url=database_url, retry_for=1.0)
    try:
        await database.open()
        assert await paragraph_text(database, article.digest, 1) is None

        def refuses(text: str) -> str:
            raise ValueError("no paragraphs")

        assert await backfill_structure(database, refuses) == 0
        assert len(await unstructured_versions(database)) == 1
    finally:
        database.close()
