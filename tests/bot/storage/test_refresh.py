"""Stored refresh schedules: URL articles only, a moderator's interval kept, gone with their article."""

from __future__ import annotations

import dataclasses

from bot.storage import Database
from bot.storage.library import LibraryStore, NewVersion, Scope
from bot.storage.refresh import OFF, record_check, refresh_states, set_interval, url_article

GUILD = 10


def version(source: str, digest: str) -> NewVersion:
    return NewVersion(digest, source, "Title " + digest, "html", "Some text.", ("p1",), 1, 0, 0)


async def test_only_url_articles_have_schedules(tmp_path):
    """Uploads are not listed; a URL article is, with defaults until something is stored."""
    database = Database(tmp_path)
    store = LibraryStore(database)
    await store.add(Scope(GUILD), version("attachment:a.md", "a"), "upload", 1)
    url = await store.add(Scope(GUILD), version("https://example.org/news", "b"), "url", 1)
    [state] = await refresh_states(database)
    assert (state.article_id, state.source, state.every_seconds, state.next_check_at) == (url.id, url.source, None,
                                                                                       None)
    assert await url_article(database, GUILD, url.id) == state
    assert await url_article(database, GUILD + 1, url.id) is None
    database.close()


async def test_a_check_keeps_the_moderators_interval_and_survives_reopening(tmp_path):
    """record_check stores validators and the streak but never overwrites the interval; all of it is read
    back by a new Database on the same directory (a restart)."""
    database = Database(tmp_path)
    stored = await LibraryStore(database).add(Scope(GUILD, 5), version("https://example.org/a", "a"), "url", 1)
    [state] = await refresh_states(database, GUILD)
    await set_interval(database, state, 7200, 1000.0)
    checked = dataclasses.replace(state, every_seconds=None, etag='"x"', last_modified="Mon", next_check_at=9000.0,
                                  checked_at=1000.0, failures=2, last_error="The server answered 503.")
    await record_check(database, checked)
    database.close()
    reopened = Database(tmp_path)
    [again] = await refresh_states(reopened, GUILD)
    assert again == dataclasses.replace(checked, every_seconds=7200) and again.channel_id == 5
    assert again.article_id == stored.id
    await set_interval(reopened, again, OFF, None)
    [off] = await refresh_states(reopened)
    assert (off.every_seconds, off.next_check_at, off.failures, off.etag) == (OFF, None, 0, '"x"')
    reopened.close()


async def test_schedule_goes_with_its_article(tmp_path):
    """Removing the article removes its schedule; a late check of it stores nothing."""
    database = Database(tmp_path)
    store = LibraryStore(database)
    stored = await store.add(Scope(GUILD), version("https://example.org/a", "a"), "url", 1)
    [state] = await refresh_states(database)
    await set_interval(database, state, 3600, 10.0)
    assert await store.remove(Scope(GUILD), stored.id)
    await record_check(database, dataclasses.replace(state, next_check_at=20.0))
    rows = await database.run(lambda c: c.execute("SELECT count(*) FROM refresh_schedules").fetchone())
    assert rows == (0,) and await refresh_states(database) == []
    database.close()
