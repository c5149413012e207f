"""The bot on PostgreSQL: an unreachable server at start does not stop it, and it reconnects by itself."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest

from devtools.postgres_server import PostgresServer, running_server
from tests.bot.gateway.test_app import _status_field


@pytest.fixture
def stopped_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of the test's own, initdb'd then stopped (the test starts it again)."""
    with running_server(stopped=True) as server:
        yield server


async def test_unreachable_postgres_at_start_then_back_is_reported_and_reconnected(
    start_discord, stopped_server: PostgresServer, caplog
):
    """DATABASE_URL's server is down at start: the bot starts and answers from the default article, the
    log and /status say the database is unavailable; once the server is up, the bot reconnects in the
    background and /status says everything is saved."""
    caplog.set_level(logging.INFO)
    async with start_discord(database_url=stopped_server.url()) as discord:
        embed = await discord.ask("Who commands the Azov Regiment?")
        assert "Prokopenko" in embed["description"]
        callback, _ = await discord.command("status")
        saved = _status_field(callback, "Saved state")
        assert "DATABASE_URL" in saved and "database unavailable" in saved
        assert any("PostgreSQL" in r.getMessage() and "unavailable" in r.getMessage()
                   for r in caplog.records if r.levelname == "ERROR")
        await asyncio.to_thread(stopped_server.start)
        for _ in range(200):  # the reconnect task backs off 1 s, 2 s, 4 s...
            if discord.bot.database.error is None:
                break
            await asyncio.sleep(0.1)
        callback, _ = await discord.command("status")
        assert _status_field(callback, "Saved state") == "everything is saved"
        assert any("database available again" in r.getMessage() for r in caplog.records)
