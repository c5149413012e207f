"""Consistency across processes: a guild that arrives on this process is served from the store's latest version."""

from __future__ import annotations

import asyncio

from bot.storage.library import Scope
from tests.bot.conftest import make_bot
from tests.bot.test_tenancy import load
from tests.texts import HARBOUR, LIGHTHOUSE


async def _store_from_another_process(fake_discord, encoder, tmp_path) -> None:
    """What another process with the same DATA_DIR does: replace the first guild's article in the store."""
    other, _ = make_bot(fake_discord, encoder, tmp_path)
    await other.database.open()
    try:
        await other.engine.load_bytes(LIGHTHOUSE.encode(), name="lighthouse.md", source="lighthouse.md",
                                      content_type="text/markdown", max_bytes=100_000,
                                      scope=Scope(int(fake_discord.guild_id)))
    finally:
        other.engine.close()
        other.database.close()


async def test_guild_arriving_again_is_served_from_the_latest_stored_version(fake_discord, start_discord, encoder,
                                                                             tmp_path):
    """After another process stored a new article for a guild, the guild's GUILD_CREATE on a new IDENTIFY (as
    when it moves to this process) makes this process drop what it held and answer from the stored version."""
    async with start_discord() as discord:
        await load(discord, "reload", HARBOUR, "harbour.md")
        assert "Ingrid Olsen" in (await discord.ask("Who is the harbour master?"))["description"]
        await _store_from_another_process(fake_discord, encoder, tmp_path)
        # Until the guild arrives again this process serves what it holds: the store is not read per question.
        assert "Ingrid Olsen" in (await discord.ask("Who is the harbour master?"))["description"]
        available = asyncio.ensure_future(discord.bot.wait_for(
            "guild_available", check=lambda g: g.id == int(fake_discord.guild_id), timeout=30))
        fake_discord.gateway.sessions.clear()  # the session cannot be resumed: a new IDENTIFY and GUILD_CREATE
        await fake_discord.drop_gateway()
        await available
        assert "Mara Quill" in (await discord.ask("Who is the lighthouse keeper?"))["description"]
