"""The bot as a whole: resilience (resume, 429), command sync, logging hygiene."""

from __future__ import annotations

import logging

from discord.ext import commands

from tests.bot.conftest import MESSAGES, make_bot
from tests.discord_fake import running_bot

COMMANDS = r"/applications/\d+/guilds/\d+/commands"


async def test_resumes_after_gateway_drop_and_answers(start_discord):
    """The gateway dropping the connection mid-session: the bot resumes and answers the next question."""
    async with start_discord() as discord:
        await discord.ask("How many people were evacuated?")
        await discord.server.drop_gateway()
        await discord.server.wait_resumed()
        embed = await discord.ask("Who commands the Azov Regiment?")
        assert "Prokopenko" in embed["description"]


async def test_rate_limited_reply_is_retried_and_delivered(start_discord):
    """A 429 on message create is retried after retry_after and the answer is delivered."""
    async with start_discord() as discord:
        discord.server.fail_next("POST", MESSAGES, status=429, retry_after=0.05)
        embed = await discord.ask("Who commands the Azov Regiment?")
        assert "Prokopenko" in embed["description"]
        statuses = [r.status for r in discord.server.find_requests("POST", MESSAGES)]
        assert statuses == [429, 200]


async def test_commands_sync_only_when_changed(fake_discord, encoder, tmp_path):
    """The first start syncs to GUILD_ID; a restart with the same commands does not sync again."""
    bot, _ = make_bot(fake_discord, encoder, tmp_path)
    async with running_bot(fake_discord, bot, ready_timeout=30):
        pass
    assert len(fake_discord.find_requests("PUT", COMMANDS)) == 1
    names = {c["name"] for c in fake_discord.guild_commands[fake_discord.guild_id]}
    assert names == {"ask", "summary", "reload", "status", "insights", "forget-me", "article", "config"}
    again, _ = make_bot(fake_discord, encoder, tmp_path)
    async with running_bot(fake_discord, again, ready_timeout=30):
        pass
    assert len(fake_discord.find_requests("PUT", COMMANDS)) == 1


async def test_forced_sync_always_syncs(fake_discord, encoder, tmp_path):
    """`article-bot sync` (force) syncs even when nothing changed."""
    for _ in range(2):
        bot, _ = make_bot(fake_discord, encoder, tmp_path)
        bot.force_sync = True
        async with running_bot(fake_discord, bot, ready_timeout=30):
            pass
    assert len(fake_discord.find_requests("PUT", COMMANDS)) == 2


async def test_token_never_appears_in_logs(start_discord, caplog):
    """Through login, an error and a reload, no log line contains the token."""
    caplog.set_level(logging.DEBUG)
    async with start_discord() as discord:
        await discord.command("ask", [{"name": "question", "type": 3, "value": "  "}])
        await discord.command("reload")
        token = discord.server.token
    assert caplog.records and token not in caplog.text


async def test_sharded_bot_answers(start_discord):
    """With SHARD_COUNT the AutoShardedBot identifies as shard 0 of 1 and answers."""
    async with start_discord(shard_count=1) as discord:
        identify = next(m for m in discord.server.gateway.received if m.get("op") == 2)
        assert identify["d"]["shard"] == [0, 1]
        assert isinstance(discord.bot, commands.AutoShardedBot)
        embed = await discord.ask("Who commands the Azov Regiment?")
        assert "Prokopenko" in embed["description"]
