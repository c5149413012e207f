"""A page whose ETag / Last-Modified hold bytes that are not UTF-8 (SQLite and PostgreSQL): /article add says it
loaded, the scheduled checks drop the validators and run on schedule, and a check whose outcome cannot be stored
is a failed check that backs off, never a re-fetch on every pass."""

from __future__ import annotations

import pytest

from bot.storage.refresh import refresh_states
from devtools.local_http import raw_response, raw_site

from .conftest import CHANGED, FIRST, FakeClock
from .helpers import add_url_article, refresh

HOUR = 3600
QUARTER = 15 * 60  # the scheduler looks again at least this often (MIN_INTERVAL)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    return None if request.param == "sqlite" else request.getfixturevalue("postgres_url")


async def stored_versions(refreshing) -> int:
    database = refreshing.discord.bot.database
    return await database.run(
        lambda c: c.execute("SELECT count(*) FROM versions WHERE guild_id IS NOT NULL").fetchone()[0])


async def test_non_utf8_validators_neither_break_add_nor_loop_the_refresh(start_refreshing, database_url):
    """/article add of such a page answers "Loaded" (old code: "something went wrong" though it loaded); hourly
    checks then fetch once an hour (no If-None-Match), store no validator and no new version."""
    heads: list[bytes] = []

    def respond(head: bytes) -> bytes:
        heads.append(head)
        return raw_response(FIRST.encode(), b'ETag: "v1-\xff\xfe"', b"Last-Modified: Mon, 07 D\xe9c 2026 10:00:00 GMT",
                            b"Content-Type: text/html; charset=utf-8")

    async with raw_site(respond) as base, start_refreshing(FakeClock(), database_url=database_url) as refreshing:
        article_id = await add_url_article(refreshing, f"{base}/news/harbour.html")
        await refresh(refreshing, article_id, "1h")
        versions, fetched = await stored_versions(refreshing), len(heads)
        await refreshing.advance(HOUR)
        for _ in range(3):
            await refreshing.advance(QUARTER)
        assert len(heads) == fetched + 1 and refreshing.refresher.checks == 1
        assert b"If-None-Match" not in heads[-1] and b"If-Modified-Since" not in heads[-1]
        [state] = await refresh_states(refreshing.discord.bot.database)
        assert (state.etag, state.last_modified, state.failures) == (None, None, 0)
        assert await stored_versions(refreshing) == versions and refreshing.failed == []


async def test_a_check_whose_outcome_cannot_be_stored_fails_once_and_backs_off(
        page, start_refreshing, database_url, monkeypatch):
    """The store refusing a check's values (a UnicodeEncodeError, not a StorageError) makes the check a failed
    one: one RefreshFailed, a back-off, no re-fetch on the passes meanwhile (old code: the pass died and the
    page was fetched again, and a new version stored, every minute)."""
    async with start_refreshing(FakeClock(), database_url=database_url) as refreshing:
        article_id = await add_url_article(refreshing, page.url)
        await refresh(refreshing, article_id, "1h")
        schedules = refreshing.discord.bot.records.refresh  # what the cog stores its checks through
        real = schedules.record_check
        refused = []

        async def refusing(state):
            if state.failures == 0 and not refused:
                refused.append(state)
                raise UnicodeEncodeError("utf-8", "\udcff", 0, 1, "surrogates not allowed")
            await real(state)

        monkeypatch.setattr(schedules, "record_check", refusing)
        page.serve(CHANGED, '"v2"')
        fetched, versions = len(page.requests), await stored_versions(refreshing)
        await refreshing.advance(HOUR)
        for _ in range(3):
            await refreshing.advance(QUARTER)
        assert len(page.requests) == fetched + 1 and len(refused) == 1
        [failed] = refreshing.failed
        assert failed.failures == 1 and "could not be stored" in failed.reason
        assert await stored_versions(refreshing) == versions + 1  # the change itself was stored, once
        [state] = await refresh_states(refreshing.discord.bot.database)
        assert state.failures == 1 and state.next_check_at is not None
        assert state.next_check_at >= refreshing.clock.now() + HOUR
