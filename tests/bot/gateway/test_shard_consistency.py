"""Consistency across processes: a guild that arrives on this process is served from the store's latest version."""

from __future__ import annotations

import asyncio

from bot.gateway.sharding import shard_of
from bot.storage import Scope
from devtools.article_bot import make_bot
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


async def _interrupted_correction(fake_discord, tmp_path) -> dict:
    """An answer in the first guild whose correction was stored but not shown (a stop came first)."""
    import time

    from bot.storage import CitedParagraph, Database
    from bot.storage.corrections import record_corrections, store_posted

    channel = fake_discord.channel_ids["articles"]
    message = fake_discord.bot_message(channel, {"embeds": [{"title": "q", "description": "> More than 300"}]})
    database = Database(tmp_path / "data")
    await database.open()
    try:
        answer_id = await database.record_answer(
            message_id=int(message["id"]), user_id=5, guild_id=int(fake_discord.guild_id), channel_id=int(channel),
            question="q", answered=True, confidence=0.5, cited=[CitedParagraph(6, "d6", None, "v1")],
            version_id=None)
        await store_posted(database, answer_id, channel_id=int(channel), thread_id=None,
                           embed={"title": "q", "description": "> More than 300"}, served=None,
                           place_channel_id=int(channel))
        await record_corrections(database, answer_id, [(6, "changed", 6)], version="v2", at=time.time())
    finally:
        database.close()
    return message


async def test_interrupted_corrections_are_resumed_only_by_the_guilds_process(fake_discord, start_discord, tmp_path):
    """With shards in several processes, a process resumes only the interrupted corrections of guilds on its
    own shards: the process without the guild's shard makes no edit (the owner does, as tested unsharded)."""
    message = await _interrupted_correction(fake_discord, tmp_path)
    other_shard = 1 - shard_of(int(fake_discord.guild_id), 2)
    async with start_discord(shard_count=2, shard_ids=(other_shard,)) as discord:
        cog = discord.bot.get_cog("Corrections")
        await asyncio.wait_for(cog.resume_queued.wait(), 30)
        await cog.queue.join()
        assert discord.bot.get_guild(int(fake_discord.guild_id)) is None
        assert not discord.server.find_requests("PATCH", rf"/channels/\d+/messages/{message['id']}")


async def test_a_guild_arriving_again_reads_its_threads_last_questions_from_the_store(fake_discord, start_discord,
                                                                                     tmp_path):
    """A bot thread's last question cached here, then changed in the store by the process that served the
    guild meanwhile: when the guild arrives again, the thread's question is read from the store."""
    from types import SimpleNamespace

    from bot.storage import Database

    guild_id = int(fake_discord.guild_id)
    async with start_discord() as discord:
        asking = discord.bot.get_cog("Asking")
        await asking._remember_thread(4242, "How many were evacuated?", 5, guild_id)
        other = Database(tmp_path / "data")  # the other process, same store
        await other.open()
        try:
            await other.remember_thread(4242, "Who runs the harbour?", 5, guild_id)
        finally:
            other.close()
        thread = SimpleNamespace(id=4242, guild=SimpleNamespace(id=guild_id))
        assert await asking._thread_question(thread) == "How many were evacuated?"  # cached until the guild arrives
        available = asyncio.ensure_future(discord.bot.wait_for(
            "guild_available", check=lambda g: g.id == guild_id, timeout=30))
        fake_discord.gateway.sessions.clear()  # a new IDENTIFY and GUILD_CREATE, as when the guild moves here
        await fake_discord.drop_gateway()
        await available
        for _ in range(100):  # the cog's listener is a task of its own, beside wait_for's
            if 4242 not in asking.threads:
                break
            await asyncio.sleep(0.05)
        assert await asking._thread_question(thread) == "Who runs the harbour?"
