"""At start the bot gives the versions its store kept without their paragraph structure that structure, once,
before it serves anything (so corrections never parse a stored text)."""

from __future__ import annotations

from embeddings.text import article_structure, parse_text
from tests.bot.storage.test_version_structure import sqlite_legacy_store
from tests.texts import HARBOUR


async def test_the_bot_backfills_legacy_versions_when_it_starts(start_discord, tmp_path):
    """A store at schema 9 holding a version without structure: once the bot is up, the version has the
    structure a load parses."""
    article = parse_text(HARBOUR, source="harbour.md")
    (tmp_path / "data").mkdir(exist_ok=True)
    sqlite_legacy_store(tmp_path / "data", article)
    async with start_discord() as discord:
        structure = await discord.bot.database.run(lambda connection: connection.execute(
            "SELECT structure FROM versions WHERE digest = ?", (article.digest,)).fetchone()[0])
    assert structure == article_structure(article)
