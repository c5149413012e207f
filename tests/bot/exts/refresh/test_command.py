"""/article refresh through the fake Discord: who may set it, what it accepts, what /article list shows."""

from __future__ import annotations

import sqlite3

import pytest

from bot.door import Place
from tests.bot.conftest import EPHEMERAL
from tests.texts import HARBOUR

from .conftest import FakeClock
from .helpers import add_url_article, article_list, refresh, sub, text

HOUR = 3600


def stored_schedule(refreshing, article_id: str) -> tuple | None:
    """(interval, next check) stored for the article; None when neither is (the page's validators, kept
    at load, are no schedule)."""
    with sqlite3.connect(refreshing.discord.bot.database.path) as connection:
        row = connection.execute("SELECT every_seconds, next_check_at FROM refresh_schedules WHERE article_id = ?",
                                 (int(article_id),)).fetchone()
    return None if row is None or row == (None, None) else row


async def test_moderator_sets_a_schedule_that_list_shows(page, start_refreshing):
    """every: 1h30m is stored with its (jittered) next check, replied to ephemerally and shown in /article list."""
    clock = FakeClock()
    async with start_refreshing(clock, rng=lambda: 0.5) as refreshing:
        article_id = await add_url_article(refreshing, page.url)
        reply = await refresh(refreshing, article_id, "1h30m")
        assert "re-fetched every 1h30m" in reply
        next_check = clock.now() + 5400 * 1.05  # jitter: up to 10 % of the interval, here half of it
        assert stored_schedule(refreshing, article_id) == (5400, next_check)
        listed = await article_list(refreshing)
        assert f"refresh every 1h30m · next check <t:{int(next_check)}:R>" in listed


async def test_off_stops_the_checks(page, start_refreshing):
    """every: off is stored, listed as off, and no check happens any more."""
    async with start_refreshing(FakeClock(), refresh_interval=HOUR) as refreshing:
        article_id = await add_url_article(refreshing, page.url)
        assert "will not be re-fetched" in await refresh(refreshing, article_id, "off")
        assert "refresh off" in await article_list(refreshing)
        fetched = len(page.requests)
        await refreshing.advance(15 * 60)
        await refreshing.advance(7 * 86_400)
        assert len(page.requests) == fetched and refreshing.refresher.checks == 0


async def test_out_of_range_and_unreadable_intervals_are_refused(page, start_refreshing):
    """5m and 8d are out of range, "soon" is not a duration: an ephemeral error each, nothing stored."""
    async with start_refreshing(FakeClock()) as refreshing:
        article_id = await add_url_article(refreshing, page.url)
        for every, message in (("5m", "out of range"), ("8d", "out of range"), ("soon", "not a duration")):
            callback, _ = await refreshing.discord.command(
                "article", sub("refresh", text("article", article_id), text("every", every)))
            assert callback.json["data"]["flags"] & EPHEMERAL and message in callback.json["data"]["content"]
        assert stored_schedule(refreshing, article_id) is None


async def test_an_uploaded_article_cannot_be_refreshed(start_refreshing):
    """An article loaded from a file gets a clear refusal: only URL articles are re-fetched."""
    async with start_refreshing(FakeClock()) as refreshing:
        discord = refreshing.discord
        attachment = discord.server.add_attachment("harbour.md", HARBOUR.encode(), "text/markdown")
        await discord.command("article", sub("add", {"name": "file", "type": 11, "value": attachment["id"]}))
        [info] = await discord.bot.engine.articles(Place(int(discord.server.guild_id)))
        assert info.origin == "upload"
        article_id = info.ref.id
        reply = await refresh(refreshing, article_id, "1h", settle=False)
        assert "only URL articles can be refreshed" in reply
        assert "No article '999' here" in await refresh(refreshing, "999", "1h", settle=False)


async def test_members_are_refused(page, start_refreshing):
    """bob (no Manage Server, no moderator role) may not change a schedule."""
    async with start_refreshing(FakeClock()) as refreshing:
        article_id = await add_url_article(refreshing, page.url)
        reply = await refresh(refreshing, article_id, "1h", member="bob", settle=False)
        assert "Only moderators" in reply and stored_schedule(refreshing, article_id) is None


async def test_article_option_autocompletes(page, start_refreshing):
    """The article option offers this server's articles by title, as /article remove does."""
    async with start_refreshing(FakeClock()) as refreshing:
        article_id = await add_url_article(refreshing, page.url)
        server = refreshing.discord.server
        payload = server.interaction_create("article", sub(
            "refresh", {"name": "article", "type": 3, "value": "harb", "focused": True}))
        payload["type"] = 4
        await server.dispatch("INTERACTION_CREATE", payload)
        callback = await server.wait_for_request(
            "POST", r"/interactions/\d+/[^/]+/callback", lambda r: payload["token"] in r.path, timeout=20)
        assert callback.json["type"] == 8
        assert [c["value"] for c in callback.json["data"]["choices"]] == [article_id]


@pytest.mark.parametrize(("locale", "accepted"), [("en-US", "refresh every 15m to 7d"), ("de", "alle 15m bis 7d")])
async def test_an_absurdly_long_interval_is_out_of_range_in_the_members_language(page, start_refreshing, locale,
                                                                                accepted):
    """every: 400 nines then d (no whole number of seconds) is refused as out of range, naming the accepted
    range in the moderator's language and the value shortened; nothing is stored."""
    nines = "9" * 400 + "d"
    async with start_refreshing(FakeClock()) as refreshing:
        article_id = await add_url_article(refreshing, page.url)
        callback, _ = await refreshing.discord.command(
            "article", sub("refresh", text("article", article_id), text("every", nines)), locale=locale)
        content = callback.json["data"]["content"]
        assert callback.json["data"]["flags"] & EPHEMERAL and accepted in content, content
        assert ("out of range" if locale == "en-US" else "außerhalb des Bereichs") in content
        assert "401 characters" in content and nines not in content and "went wrong" not in content
        assert stored_schedule(refreshing, article_id) is None
