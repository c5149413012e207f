"""The bot as a whole: resilience (resume, 429, unusable directories), /status of saved state, logging hygiene."""

from __future__ import annotations

import logging

from discord.ext import commands

from tests.bot.conftest import MESSAGES


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


async def test_sharded_bot_answers(start_discord):
    """With SHARD_COUNT the AutoShardedBot identifies as shard 0 of 1 and answers."""
    async with start_discord(shard_count=1) as discord:
        identify = next(m for m in discord.server.gateway.received if m.get("op") == 2)
        assert identify["d"]["shard"] == [0, 1]
        assert isinstance(discord.bot, commands.AutoShardedBot)
        embed = await discord.ask("Who commands the Azov Regiment?")
        assert "Prokopenko" in embed["description"]


def _status_field(callback, name: str) -> str:
    fields = callback.json["data"]["embeds"][0]["fields"]
    return next(f["value"] for f in fields if f["name"] == name)


async def test_status_says_everything_is_saved_when_it_is(start_discord):
    """With usable CACHE_DIR and DATA_DIR, /status reports that everything is saved."""
    async with start_discord() as discord:
        callback, _ = await discord.command("status")
        assert _status_field(callback, "Saved state") == "everything is saved"


async def _starts_answers_and_reports(start_discord, caplog, *, unusable: str, **overrides) -> str:
    """Start with the given directories; the bot answers; returns /status's Saved state field."""
    caplog.set_level(logging.INFO)
    async with start_discord(**overrides) as discord:
        embed = await discord.ask("Who commands the Azov Regiment?")
        assert "Prokopenko" in embed["description"]
        callback, _ = await discord.command("status")
        saved = _status_field(callback, "Saved state")
    assert saved.startswith("not saving") and unusable in saved
    assert any(unusable in r.getMessage() for r in caplog.records if r.levelname == "ERROR")
    return saved


async def test_read_only_cache_dir_does_not_stop_the_bot(start_discord, read_only_directory, caplog):
    """A read-only CACHE_DIR (command-sync state cannot be written): the bot starts, answers, logs it, and
    /status names CACHE_DIR."""
    saved = await _starts_answers_and_reports(start_discord, caplog, unusable="CACHE_DIR",
                                              cache_dir=read_only_directory)
    assert "DATA_DIR" not in saved
    assert any("command-sync state" in r.getMessage() for r in caplog.records if r.levelname == "ERROR")


async def test_cache_dir_that_is_a_file_does_not_stop_the_bot(start_discord, tmp_path, caplog):
    """CACHE_DIR naming a file: the bot starts, answers, and /status names CACHE_DIR."""
    (tmp_path / "cache-file").write_text("not a directory")
    await _starts_answers_and_reports(start_discord, caplog, unusable="CACHE_DIR", cache_dir=tmp_path / "cache-file")


async def test_data_dir_that_is_a_file_does_not_stop_the_bot(start_discord, tmp_path, caplog):
    """DATA_DIR naming a file: the bot starts, answers without history, logs it, and /status names DATA_DIR."""
    (tmp_path / "data-file").write_text("not a directory")
    saved = await _starts_answers_and_reports(start_discord, caplog, unusable="DATA_DIR",
                                              data_dir=tmp_path / "data-file")
    assert "CACHE_DIR" not in saved


async def test_data_dir_that_cannot_be_created_does_not_stop_the_bot(start_discord, read_only_directory, caplog):
    """DATA_DIR inside a read-only directory (cannot be created): the bot starts, answers, /status names DATA_DIR."""
    await _starts_answers_and_reports(start_discord, caplog, unusable="DATA_DIR",
                                      data_dir=read_only_directory / "data")
