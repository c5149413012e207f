"""Sharding helpers: which shard a guild is on, log lines that name their shard, and IDENTIFY permits.

A process runs the shards in SHARD_IDS (all of SHARD_COUNT when unset). Its log lines name the
shard of the event being handled when it is known (the guild's shard; DMs arrive on shard 0), else
the process's shards. Under ``article-bot cluster`` every IDENTIFY waits for a permit from the
supervisor, which spaces them across all processes as Discord's ``max_concurrency`` requires.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Iterable
from contextvars import ContextVar

log = logging.getLogger(__name__)

DM_SHARD = 0  # Discord delivers direct messages on shard 0 only
EVENT_SHARD: ContextVar[int | None] = ContextVar("event_shard", default=None)
CLUSTER_SOCKET_ENV = "ARTICLE_BOT_CLUSTER_SOCKET"  # set by `article-bot cluster` for its children


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord delivers a guild's events on: ``(guild_id >> 22) % shard_count``."""
    return (int(guild_id) >> 22) % shard_count


def describe_shards(shard_ids: Iterable[int] | None, shard_count: int | None) -> str:
    """``shards 0-3``, ``shard 4``, ``shards 0,2`` or ``shards 0-1`` (all of SHARD_COUNT) for log lines."""
    ids = sorted(shard_ids) if shard_ids is not None else list(range(shard_count or 1))
    if len(ids) == 1:
        return f"shard {ids[0]}"
    if ids == list(range(ids[0], ids[-1] + 1)):
        return f"shards {ids[0]}-{ids[-1]}"
    return "shards " + ",".join(str(i) for i in ids)


def event_shard(args: tuple[object, ...]) -> int | None:
    """The shard of a discord.py event from its arguments: a guild's (or a message's or interaction's guild's)
    shard, shard 0 for a direct message; None when no argument tells."""
    import discord

    for arg in args:
        if isinstance(arg, discord.Guild):
            return arg.shard_id
        if isinstance(arg, discord.Message | discord.Interaction):
            if arg.guild is not None:
                return arg.guild.shard_id
            if isinstance(arg.channel, discord.DMChannel | discord.GroupChannel):
                return DM_SHARD
    return None


class ShardLogFilter(logging.Filter):
    """Gives every record a ``shard`` field: the event's shard when known, else the process's shards."""

    def __init__(self, process_label: str) -> None:
        super().__init__()
        self.process_label = process_label

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "shard"):
            shard = EVENT_SHARD.get()
            record.shard = f"shard {shard}" if shard is not None else self.process_label
        return True


async def identify_permit(address: str, shard_id: int, *, timeout: float = 600.0) -> None:
    """Wait for the cluster supervisor (a Unix socket at ``address``) to allow this shard's IDENTIFY.

    Sends ``<shard_id>\\n`` and waits for ``ok\\n``. If the supervisor cannot be reached, falls back to
    Discord's default of waiting 5 s, so a lost supervisor never makes shards IDENTIFY at once.
    """
    try:
        reader, writer = await asyncio.open_unix_connection(address)
        try:
            writer.write(f"{shard_id}\n".encode())
            await writer.drain()
            reply = await asyncio.wait_for(reader.readline(), timeout)
        finally:
            writer.close()
        if reply.strip() == b"ok":
            log.info("IDENTIFY permit for shard %d", shard_id, extra={"shard": f"shard {shard_id}"})
            return
        log.warning("cluster supervisor refused the IDENTIFY permit (%r); waiting 5 s", reply)
    except (OSError, TimeoutError) as error:
        log.warning("cluster supervisor unreachable at %s (%s); waiting 5 s before IDENTIFY", address, error)
    await asyncio.sleep(5.0)


async def close_when_orphaned(close: Callable[[], Awaitable[None]], parent_pid: int, *, every: float = 2.0) -> None:
    """Under `article-bot cluster`: once the supervisor (``parent_pid``) is gone, ``close`` this child, so
    no orphan keeps running its shards beside the children of a restarted supervisor."""
    while os.getppid() == parent_pid:
        await asyncio.sleep(every)
    log.error("the cluster supervisor (pid %d) is gone: closing", parent_pid)
    await close()
