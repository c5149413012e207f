"""Stored libraries, per-guild settings and the retention of departed guilds' data."""

from __future__ import annotations

from bot.storage import Database
from bot.storage.guilds import (
    mark_absent_guilds_left,
    mark_guild_left,
    mark_guilds_present,
    moderator_role,
    purge_departed_guilds,
    set_moderator_role,
)
from bot.storage.insights import insight_report
from bot.storage.library import LibraryStore, NewVersion, Scope
from bot.storage.records import CitedParagraph

GUILD_A, GUILD_B = Scope(100), Scope(200)
CHANNEL_A = Scope(100, 555)


def version(text: str, title: str = "T") -> NewVersion:
    return NewVersion(f"digest-{text}", f"src-{text}", title, "text", text, (f"p-{text}",), 1, 0, 0)


async def test_replace_add_and_remove_are_per_scope(database: Database):
    """Each scope's library is its own: replace empties only that scope, add appends, remove takes one."""
    store = LibraryStore(database)
    await store.replace(GUILD_A, version("a1"), "upload", 7)
    await store.add(GUILD_A, version("a2"), "url", 7)
    await store.replace(CHANNEL_A, version("c1"), "upload", 8)
    await store.replace(GUILD_B, version("b1"), "upload", 9)
    assert [a.text for a in await store.articles(GUILD_A)] == ["a1", "a2"]
    assert [a.text for a in await store.articles(CHANNEL_A)] == ["c1"]
    replaced = await store.replace(GUILD_A, version("a3"), "upload", 7)
    assert [a.text for a in await store.articles(GUILD_A)] == ["a3"]
    assert [a.text for a in await store.articles(GUILD_B)] == ["b1"]
    assert await store.remove(GUILD_A, replaced.id) and await store.articles(GUILD_A) == []
    assert not await store.remove(GUILD_B, replaced.id)  # another scope's id removes nothing


async def test_digests_in_use_are_every_scopes_current_versions_and_the_newest_default(database: Database):
    """Digests in use: each scope's current versions and the newest default article, not replaced ones."""
    store = LibraryStore(database)
    replaced = await store.replace(GUILD_A, version("old"), "upload", 7)
    await store.update(replaced, version("new"), 7)
    await store.add(GUILD_A, version("a2"), "url", 7)
    await store.replace(CHANNEL_A, version("c1"), "upload", 8)
    await store.record_default(version("default-1"), None)
    await store.record_default(version("default-2"), None)
    assert await store.digests_in_use() == {"digest-new", "digest-a2", "digest-c1", "digest-default-2"}


async def test_stored_article_keeps_text_source_kind_and_who(database: Database):
    """What a moderator loaded comes back as loaded: parsed text, source, kind, origin, who and when."""
    store = LibraryStore(database)
    stored = await store.replace(GUILD_A, version("hello"), "url", 42)
    again = (await LibraryStore(database).articles(GUILD_A))[0]
    assert again == stored
    assert (again.text, again.source, again.kind, again.origin, again.loaded_by) == ("hello", "src-hello", "text",
                                                                                     "url", 42)


async def test_update_keeps_the_id_and_adds_a_version(database: Database):
    """Reloading an article from its source stores a new version under the same library id."""
    store = LibraryStore(database)
    stored = await store.replace(GUILD_A, version("v1"), "url", 1)
    updated = await store.update(stored, version("v2"), 2)
    assert updated.id == stored.id and updated.version_id != stored.version_id and updated.text == "v2"
    rows = await database.run(
        lambda connection: connection.execute("SELECT text FROM versions WHERE guild_id = 100 ORDER BY id").fetchall())
    texts = [row[0] for row in rows]
    assert texts == ["v1", "v2"]


async def test_moderator_role_is_per_guild(database: Database):
    """A guild's moderator role is its own; another guild has none until it sets one."""
    await set_moderator_role(database, 100, 11)
    assert await moderator_role(database, 100) == 11
    assert await moderator_role(database, 200) is None


async def _answer(db: Database, message_id: int, guild_id: int, question: str) -> None:
    await db.record_answer(message_id=message_id, user_id=5, guild_id=guild_id, channel_id=1, question=question,
                           answered=False, confidence=0.1, cited=[CitedParagraph(1, "d", "1", "v")],
                           version_id=None)


async def test_insights_show_only_the_guilds_own_questions(database: Database):
    """Guild B's report counts and lists none of guild A's questions."""
    await _answer(database, 1, 100, "secret of A?")
    await _answer(database, 2, 200, "question of B?")
    report_b = await insight_report(database, "all", guild_id=200)
    assert report_b.total_questions == 1 and report_b.abstained == ("question of B?",)


async def test_departed_guild_is_purged_after_retention_only(database: Database):
    """A guild left 31 days ago loses its answers, libraries, versions and settings at 30 days; a guild
    left yesterday and a guild still joined keep theirs."""
    store = LibraryStore(database)
    for guild in (100, 200, 300):
        await store.replace(Scope(guild), version(f"g{guild}"), "upload", 1)
        await _answer(database, guild, guild, f"q{guild}?")
    await set_moderator_role(database, 100, 11)
    await mark_guild_left(database, 100, when=0.0)
    await mark_guild_left(database, 200)
    report = await purge_departed_guilds(database, 30, now=31 * 86_400.0 + 1)
    assert (report.guilds, report.answers, report.articles) == (1, 1, 1)
    assert await store.articles(Scope(100)) == [] and await moderator_role(database, 100) is None
    assert await store.articles(Scope(200)) and await store.articles(Scope(300))
    assert (await insight_report(database, "all", guild_id=300)).total_questions == 1


async def test_guild_rejoining_cancels_the_purge(database: Database):
    """A guild the bot rejoins before the retention period ends keeps its data."""
    store = LibraryStore(database)
    await store.replace(GUILD_A, version("a"), "upload", 1)
    await mark_guild_left(database, 100, when=0.0)
    await mark_guilds_present(database, [100])
    assert (await purge_departed_guilds(database, 30)).guilds == 0
    assert await store.articles(GUILD_A)


async def test_guilds_left_while_offline_start_their_retention(database: Database):
    """Stored guilds the bot is no longer in when it connects are marked as left."""
    store = LibraryStore(database)
    await store.replace(GUILD_A, version("a"), "upload", 1)
    await store.replace(GUILD_B, version("b"), "upload", 1)
    assert await mark_absent_guilds_left(database, [200]) == 1
    assert (await purge_departed_guilds(database, 0)).guilds == 1
    assert await store.articles(GUILD_A) == [] and await store.articles(GUILD_B)
