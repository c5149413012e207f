"""Retention with several processes on one store: a process judges only the guilds on its own shards."""

from __future__ import annotations

from bot.gateway.sharding import shard_of
from bot.storage import Database
from bot.storage.guilds import mark_absent_guilds_left, purge_departed_guilds
from bot.storage.library import LibraryStore, NewVersion, Scope

ON_SHARD_0, ON_SHARD_1 = 4 << 22, 5 << 22  # guild ids on shards 0 and 1 of 2


def _version(text: str) -> NewVersion:
    return NewVersion(f"d-{text}", "s", "T", "text", text, (f"p-{text}",), 1, 0, 0)


async def test_a_process_does_not_mark_other_shards_guilds_left(database: Database):
    """The shard-0 process, not in the shard-1 guild, leaves that guild's data alone, but still marks its own
    absent guilds as left."""
    store = LibraryStore(database)
    gone_from_shard_0 = ON_SHARD_0 + (2 << 22)  # also shard 0 of 2
    for guild in (ON_SHARD_0, ON_SHARD_1, gone_from_shard_0):
        await store.replace(Scope(guild), _version(str(guild)), "upload", 1)
    assert [shard_of(g, 2) for g in (ON_SHARD_0, ON_SHARD_1, gone_from_shard_0)] == [0, 1, 0]
    marked = await mark_absent_guilds_left(database, [ON_SHARD_0], lambda g: shard_of(g, 2) == 0)
    assert marked == 1
    assert (await purge_departed_guilds(database, 0)).guilds == 1
    assert await store.articles(Scope(ON_SHARD_1)) and await store.articles(Scope(ON_SHARD_0))
    assert await store.articles(Scope(gone_from_shard_0)) == []
