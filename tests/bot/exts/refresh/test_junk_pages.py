"""Walls, geo-blocks, rate-limit and challenge pages through the real bot: refused by /article add, and on a
scheduled re-fetch a failed check (the old version keeps answering, moderators told once), as is a page that
lost most of the article."""

from __future__ import annotations

from tests.junk_pages import ARTICLE, CONTROLS, HARBOUR, JUNK, WALL, page

from .conftest import FakeClock
from .helpers import add_url_article, refresh, sub, text

HOUR = 3600
FERRY_QUESTION = "When does the ferry to Vestvik leave?"
REFUSALS = {"wall": "subscriber wall", "geo-block": "not available in this country",
            "too many requests": "too many requests", "challenge": "bot check"}


async def test_article_add_refuses_junk_pages_and_loads_real_articles(page, start_refreshing):
    """/article add of each junk page says "Not added" and why (old code: "Loaded"); the seed article as HTML
    and a news article that mentions cookies and subscribing load."""
    async with start_refreshing(FakeClock()) as refreshing:
        discord = refreshing.discord
        for name, html in {**JUNK, **CONTROLS}.items():
            url = discord.server.add_page(f"/news/{name.replace(' ', '-')}.html", html)
            _, followup = await discord.command("article", sub("add", text("url", url)))
            reply = followup.json["content"] if followup is not None else ""
            if name in JUNK:
                assert reply.startswith("Not added") and REFUSALS[name] in reply, (name, reply)
            else:
                assert "Loaded" in reply, (name, reply)


async def test_a_wall_or_a_page_that_lost_the_article_on_refetch_is_a_failed_check(page, start_refreshing):
    """The 10-paragraph article replaced by a 2-paragraph wall: a failed check, one RefreshFailed, no new version,
    no ArticleChanged, the old text answers (old code: a new version and answers edited to "¶8 was removed").
    Then a page with 4 of its paragraphs (under half its text) and no wall phrase: still failing (same streak, not
    reported again). The article back: the streak ends with nothing changed."""
    async with start_refreshing(FakeClock()) as refreshing:
        page.serve(ARTICLE, '"v1"')
        article_id = await add_url_article(refreshing, page.url)
        await refresh(refreshing, article_id, "1h")
        versions = refreshing.versions()
        page.serve(WALL, '"wall"')
        await refreshing.advance(HOUR)
        [failed] = refreshing.failed
        assert failed.failures == 1 and "subscriber wall" in failed.reason
        assert refreshing.changed == [] and refreshing.versions() == versions
        assert "at seven" in (await refreshing.discord.ask(FERRY_QUESTION))["description"]
        page.serve(page_with(*HARBOUR[:4]), '"short"')
        await refreshing.advance(2 * HOUR)
        assert refreshing.refresher.checks == 2 and len(refreshing.failed) == 1
        assert refreshing.changed == [] and refreshing.versions() == versions
        assert "lost most of the article" in (await last_error(refreshing))
        page.serve(ARTICLE, '"v1"')
        await refreshing.advance(4 * HOUR)
        assert refreshing.refresher.checks == 3 and await last_error(refreshing) is None
        assert refreshing.changed == [] and refreshing.versions() == versions


def page_with(*paragraphs: str) -> str:
    return page("Ferry to leave earlier from the north quay", *paragraphs)


async def last_error(refreshing) -> str | None:
    from bot.storage.refresh import refresh_states

    [state] = await refresh_states(refreshing.discord.bot.database)
    return state.last_error
