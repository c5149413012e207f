"""Scheduled refresh end to end: a page on 127.0.0.1 that changes, the real bot, a clock the test moves."""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.door import ArticleChanged, Place, RefreshFailed
from bot.exts.refresh.check import check_article
from bot.storage.refresh import refresh_states
from devtools.local_http import local_site

from .conftest import (
    BOATS,
    CHANGED,
    COST,
    FERRY,
    FERRY_LATER,
    FERRY_QUESTION,
    FIRST,
    NO_ARTICLE,
    PIER,
    FakeClock,
    page_html,
)
from .helpers import add_url_article, article_list, refresh, sub, text

HOUR = 3600


async def test_not_modified_page_creates_nothing(page, start_refreshing):
    """The first check keeps the page's ETag; the next sends it back (If-None-Match) with a User-Agent naming
    the bot, and the 304 stores and sends nothing."""
    async with start_refreshing(FakeClock()) as refreshing:
        article_id = await add_url_article(refreshing, page.url)
        await refresh(refreshing, article_id, "1h")
        versions, fetched = refreshing.versions(), len(page.requests)
        await refreshing.advance(HOUR)
        await refreshing.advance(HOUR)
        assert len(page.requests) == fetched + 2 and refreshing.refresher.checks == 2
        headers = page.requests[-1]
        assert headers["If-None-Match"] == '"v1"'
        assert headers["User-Agent"].startswith("article-bot/") and "scheduled refresh" in headers["User-Agent"]
        assert refreshing.versions() == versions and refreshing.changed == [] and refreshing.failed == []


async def test_the_first_scheduled_check_sends_back_the_validators_of_the_added_page(page, start_refreshing):
    """/article add keeps the page's ETag and Last-Modified, so even the first scheduled check is conditional
    (and the unchanged page answers 304)."""
    async with start_refreshing(FakeClock()) as refreshing:
        article_id = await add_url_article(refreshing, page.url)
        await refresh(refreshing, article_id, "1h")
        fetched = len(page.requests)
        await refreshing.advance(HOUR)
        assert len(page.requests) == fetched + 1 and refreshing.refresher.checks == 1
        assert page.requests[-1]["If-None-Match"] == '"v1"'
        assert refreshing.changed == [] and refreshing.failed == []


async def test_identical_page_creates_nothing(page, start_refreshing):
    """A page served again in full (no ETag) with the same paragraphs adds no version and sends no event."""
    async with start_refreshing(FakeClock()) as refreshing:
        page.serve(FIRST, etag=None)
        article_id = await add_url_article(refreshing, page.url)
        await refresh(refreshing, article_id, "1h")
        versions = refreshing.versions()
        await refreshing.advance(HOUR)
        assert "If-None-Match" not in page.requests[-1] and refreshing.refresher.checks == 1
        assert refreshing.versions() == versions and refreshing.changed == []


async def test_changed_page_becomes_a_new_version_that_answers(page, start_refreshing):
    """A changed paragraph: one new version, one ArticleChanged (cause refresh, by nobody), new text answers;
    the next check (304) changes nothing more."""
    async with start_refreshing(FakeClock()) as refreshing:
        article_id = await add_url_article(refreshing, page.url)
        assert "at seven" in (await refreshing.discord.ask(FERRY_QUESTION))["description"]
        await refresh(refreshing, article_id, "1h")
        versions = refreshing.versions()
        page.serve(CHANGED, '"v2"')
        await refreshing.advance(HOUR)
        assert refreshing.versions() == versions + 1
        [event] = refreshing.changed
        assert isinstance(event, ArticleChanged)
        assert (event.cause, event.by, event.article_id) == ("refresh", None, article_id)
        assert event.guild_id == int(refreshing.discord.server.guild_id) and event.channel_id is None
        assert event.old_paragraphs[0] == FERRY and event.new_paragraphs[0] == FERRY_LATER
        assert event.old_paragraphs[1:] == event.new_paragraphs[1:] and event.old_version != event.new_version
        assert "at nine" in (await refreshing.discord.ask(FERRY_QUESTION))["description"]
        await refreshing.advance(HOUR)
        assert page.requests[-1]["If-None-Match"] == '"v2"'
        assert refreshing.versions() == versions + 1 and len(refreshing.changed) == 1
        assert refreshing.refresher.checks == 2


async def test_failing_page_backs_off_reports_once_and_keeps_answering(page, start_refreshing):
    """A 503 streak: checks back off (1h, 2h, 4h), one RefreshFailed for the streak, the old version answers;
    a success ends the streak, so the next failure is reported again."""
    async with start_refreshing(FakeClock()) as refreshing:
        article_id = await add_url_article(refreshing, page.url)
        await refresh(refreshing, article_id, "1h")
        page.serve(FIRST, None, status=503)
        await refreshing.advance(HOUR)
        [event] = refreshing.failed
        assert isinstance(event, RefreshFailed) and event.failures == 1 and "503" in event.reason
        assert event.next_try_at == refreshing.clock.now() + 2 * HOUR and event.article_id == article_id
        await refreshing.advance(HOUR)
        assert refreshing.refresher.checks == 1  # backing off: not yet
        await refreshing.advance(HOUR)
        assert refreshing.refresher.checks == 2 and len(refreshing.failed) == 1
        assert "2 failed check(s) in a row" in await article_list(refreshing)
        assert "at seven" in (await refreshing.discord.ask(FERRY_QUESTION))["description"]
        page.serve(FIRST, '"v1"')
        await refreshing.advance(4 * HOUR)
        assert refreshing.refresher.checks == 3 and "failed" not in await article_list(refreshing)
        page.serve(FIRST, None, status=500)
        await refreshing.advance(HOUR)
        assert refreshing.refresher.checks == 4 and len(refreshing.failed) == 2


async def test_page_without_an_article_is_a_failure_not_a_version(page, start_refreshing):
    """A page that now has no article text fails the check: no version, the old text still answers."""
    async with start_refreshing(FakeClock()) as refreshing:
        article_id = await add_url_article(refreshing, page.url)
        await refresh(refreshing, article_id, "1h")
        versions = refreshing.versions()
        page.serve(NO_ARTICLE, '"gone"')
        await refreshing.advance(HOUR)
        [event] = refreshing.failed
        assert "does not look like an article" in event.reason
        assert refreshing.versions() == versions and refreshing.changed == []
        assert "at seven" in (await refreshing.discord.ask(FERRY_QUESTION))["description"]


async def test_refresh_interval_is_the_default_for_url_articles(page, start_refreshing):
    """With REFRESH_INTERVAL=1h and no schedule of its own, a URL article is planned (within 15 minutes)
    and then checked an hour later."""
    async with start_refreshing(FakeClock(), refresh_interval=HOUR) as refreshing:
        await add_url_article(refreshing, page.url)
        await refreshing.advance(15 * 60)
        assert "refresh every 1h (REFRESH_INTERVAL)" in await article_list(refreshing)
        fetched = len(page.requests)
        await refreshing.advance(HOUR)
        assert len(page.requests) == fetched + 1 and refreshing.refresher.checks == 1


async def test_a_restart_keeps_each_articles_schedule(page, start_refreshing):
    """Schedules live in the store: after a restart the article is still checked every 2h."""
    clock = FakeClock()
    async with start_refreshing(clock) as refreshing:
        article_id = await add_url_article(refreshing, page.url)
        await refresh(refreshing, article_id, "2h")
    async with start_refreshing(FakeClock(clock.now())) as restarted:
        assert "refresh every 2h" in await article_list(restarted)
        fetched = len(page.requests)
        await restarted.advance(HOUR)
        assert len(page.requests) == fetched
        await restarted.advance(HOUR)
        assert len(page.requests) == fetched + 1 and restarted.refresher.checks == 1


async def test_a_servers_articles_are_checked_one_at_a_time(start_refreshing):
    """Two URL articles of one server due together are fetched one after the other, never at once."""
    in_flight, most = 0, 0

    async def handle(request: web.Request) -> web.Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0.05)  # hold the request open so that a concurrent one would overlap it
        in_flight -= 1
        body = FIRST if request.path == "/a.html" else page_html(PIER, COST, BOATS, FERRY, title="Pier")
        return web.Response(text=body, content_type="text/html")

    app = web.Application()
    app.router.add_get("/{name}", handle)
    async with local_site(app) as base, start_refreshing(FakeClock()) as refreshing:
        first = await add_url_article(refreshing, f"{base}/a.html")
        await refreshing.discord.command("article", sub("add", text("url", f"{base}/b.html")))
        infos = await refreshing.discord.bot.engine.articles(Place(int(refreshing.discord.server.guild_id)))
        second = next(info.ref.id for info in infos if info.ref.id != first)
        await refresh(refreshing, first, "1h")
        await refresh(refreshing, second, "1h")
        most = 0
        await refreshing.advance(HOUR)
        assert refreshing.refresher.checks == 2 and most == 1


async def test_a_removed_article_is_no_longer_checked(page, start_refreshing):
    """/article remove takes the schedule with it; a check already under way when it goes reports nothing."""
    async with start_refreshing(FakeClock()) as refreshing:
        article_id = await add_url_article(refreshing, page.url)
        await refresh(refreshing, article_id, "1h")
        [state] = await refresh_states(refreshing.discord.bot.database)
        await refreshing.discord.command("article", sub("remove", text("article", article_id)))
        assert await refresh_states(refreshing.discord.bot.database) == []
        fetched = len(page.requests)
        await refreshing.advance(HOUR)
        assert len(page.requests) == fetched and refreshing.refresher.checks == 0
        page.serve(CHANGED, '"v2"')  # a new page (no 304): the check gets as far as swapping it in
        late = await check_article(refreshing.discord.bot.engine, refreshing.discord.bot.settings, state)
        assert late.outcome == "gone" and refreshing.failed == []
