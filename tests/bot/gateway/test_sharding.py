"""Log lines that name their shard, and the shard of a guild."""

from __future__ import annotations

import logging

from bot.gateway.logs import SHARDED_LOG_FORMAT
from bot.gateway.sharding import EVENT_SHARD, ShardLogFilter, describe_shards, shard_of


def _line(shard_filter: ShardLogFilter) -> str:
    record = logging.LogRecord("bot.x", logging.INFO, __file__, 1, "answered", None, None)
    shard_filter.filter(record)
    return logging.Formatter(SHARDED_LOG_FORMAT).format(record)


def test_log_lines_name_the_event_shard_else_the_process_shards():
    """Outside an event a line names the process's shards; inside one, the event's shard."""
    shard_filter = ShardLogFilter(describe_shards((2, 3), 4))
    assert "[shards 2-3] bot.x: answered" in _line(shard_filter)
    token = EVENT_SHARD.set(3)
    try:
        assert "[shard 3] bot.x: answered" in _line(shard_filter)
    finally:
        EVENT_SHARD.reset(token)


def test_shards_are_described_as_ranges_or_lists():
    """One shard, a range, a list, and every shard of SHARD_COUNT when SHARD_IDS is unset."""
    assert [describe_shards(ids, 4) for ids in ((1,), (0, 1, 2), (0, 2), None)] == [
        "shard 1", "shards 0-2", "shards 0,2", "shards 0-3"]


def test_guild_shard_is_discords_formula():
    """(guild_id >> 22) % shard_count."""
    assert [shard_of(guild, 3) for guild in (0, 1 << 22, 5 << 22, (7 << 22) + 12345)] == [0, 1, 2, 1]


async def test_slash_command_log_lines_name_the_interaction_shard(start_discord):
    """A slash command's log lines (here a failed /reload) name the interaction's shard, not the process's."""
    captured: list[logging.LogRecord] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = captured.append  # type: ignore[method-assign]
    handler.addFilter(ShardLogFilter("the process's shards"))
    admin = logging.getLogger("bot.exts.admin.cog")
    admin.addHandler(handler)
    try:
        async with start_discord(shard_count=1) as discord:
            options = [{"name": "url", "type": 3, "value": "http://127.0.0.1:9/article.html"}]
            _, followup = await discord.command("reload", options)
            assert followup is not None and "Reload failed" in followup.json["content"]
    finally:
        admin.removeHandler(handler)
    failed = [r for r in captured if "failed" in r.getMessage()]
    assert failed and all(r.shard == "shard 0" for r in failed)
