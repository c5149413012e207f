"""The fake gateway's sharding: one session per shard, each guild's events on its shard, DMs on shard 0."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import discord
import pytest
import pytest_asyncio
from discord.ext import commands

from devtools.discord_fake import FakeDiscord, running_bot
from devtools.discord_fake.gateway import shard_of
from devtools.discord_fake.payloads import dm_channel

pytestmark = pytest.mark.asyncio


class ShardBot(commands.AutoShardedBot):
    """Records the messages it receives; IDENTIFYs its shards without discord.py's 5 s spacing."""

    def __init__(self, **shards: object) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(command_prefix="!", intents=intents, guild_ready_timeout=0.1, **shards)
        self.seen: list[str] = []

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None

    async def on_message(self, message: discord.Message) -> None:
        self.seen.append(message.content)


@pytest_asyncio.fixture
async def server() -> AsyncIterator[FakeDiscord]:
    """A fake Discord with, besides its first guild, a guild on shard 0 and one on shard 1 of 2."""
    async with FakeDiscord(heartbeat_interval_ms=250) as fake:
        for shard in (0, 1):
            guild = fake.add_guild(f"Shard {shard} Guild", shard=(shard, 2))
            fake.add_member(fake.users["alice"]["id"], guild_id=guild.id)
        yield fake


def _guilds_on(server: FakeDiscord, shard: int) -> set[int]:
    return {int(g) for g in server.guilds if shard_of(g, 2) == shard}


async def _until_seen(bot: ShardBot, text: str) -> None:
    async with asyncio.timeout(10):
        while text not in bot.seen:
            await asyncio.sleep(0.01)


async def test_each_shard_session_gets_only_its_guilds(server: FakeDiscord) -> None:
    """Two clients on shards 0 and 1 of 2: each has only its shard's guilds, and a guild's message goes to
    its shard's client only."""
    first, second = ShardBot(shard_ids=[0], shard_count=2), ShardBot(shard_ids=[1], shard_count=2)
    async with running_bot(server, first), running_bot(server, second):
        assert {g.id for g in first.guilds} == _guilds_on(server, 0)
        assert {g.id for g in second.guilds} == _guilds_on(server, 1)
        for shard, bot, other in ((0, first, second), (1, second, first)):
            guild = server.guild(str(next(iter(_guilds_on(server, shard)))))
            await server.send_message(f"hello shard {shard}", channel_id=guild.channel_ids["general"])
            await _until_seen(bot, f"hello shard {shard}")
            assert f"hello shard {shard}" not in other.seen
        assert server.gateway.deliveries == [("MESSAGE_CREATE", 0), ("MESSAGE_CREATE", 1)]


async def test_direct_messages_arrive_on_shard_0(server: FakeDiscord) -> None:
    """A DM is dispatched to the shard 0 session only."""
    channel = dm_channel(server.ids.next(), server.users["bob"])
    server.channels[channel["id"]] = channel
    first, second = ShardBot(shard_ids=[0], shard_count=2), ShardBot(shard_ids=[1], shard_count=2)
    async with running_bot(server, second), running_bot(server, first):
        await server.send_message("a direct question", author="bob", channel_id=channel["id"])
        await _until_seen(first, "a direct question")
        assert "a direct question" not in second.seen
        assert server.gateway.deliveries[-1] == ("MESSAGE_CREATE", 0)


async def test_gateway_bot_shards_and_identify_times(server: FakeDiscord) -> None:
    """GET /gateway/bot returns the configured shard count and max_concurrency; an AutoShardedBot without
    a count opens that many sessions, and the server records each shard's IDENTIFY time."""
    server.gateway_shards, server.max_concurrency = 3, 2
    bot = ShardBot()
    async with running_bot(server, bot):
        shards, _, limits = await bot.http.get_bot_gateway()
        assert bot.shard_count == shards == 3 and limits["max_concurrency"] == 2
        assert sorted(server.gateway.identify_times) == [0, 1, 2]
        assert all(len(times) == 1 for times in server.gateway.identify_times.values())
        assert {g.id: g.shard_id for g in bot.guilds} == {int(g): shard_of(g, 3) for g in server.guilds}
