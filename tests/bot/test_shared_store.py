"""Shared articles on PostgreSQL: a process that never saw a guild serves its library from the database."""

from __future__ import annotations

from pathlib import Path

from tests.bot.exts.admin.test_cog import HARBOUR_PAGE

PAGE = "/news/harbour.html"


async def test_fresh_process_serves_a_guilds_library_from_postgres_without_fetching(
    start_discord, postgres_url: str, tmp_path: Path
):
    """A guild's /reload url on one bot is served by a second bot (new process state, empty CACHE_DIR and
    DATA_DIR, same DATABASE_URL) from the stored text: the page is fetched exactly once, by the first."""
    async with start_discord(database_url=postgres_url, cache_dir=tmp_path / "cache-a",
                             data_dir=tmp_path / "data-a") as discord:
        url = discord.server.add_page(PAGE, HARBOUR_PAGE)
        _, followup = await discord.command("reload", [{"name": "url", "type": 3, "value": url}])
        assert followup is not None and "5 added" in followup.json["content"]
    server = discord.server
    assert len(server.find_requests("GET", PAGE)) == 1
    async with start_discord(database_url=postgres_url, cache_dir=tmp_path / "cache-b",
                             data_dir=tmp_path / "data-b") as again:
        assert again.bot is not discord.bot and not (tmp_path / "cache-b" / "vectors").exists()
        embed = await again.ask("Who is the harbour master?")
        assert "Ingrid Olsen" in embed["description"]
    assert len(server.find_requests("GET", PAGE)) == 1  # served from the database, never fetched again
