"""Following a feed end to end: a feed and its pages on 127.0.0.1, the real bot, a clock the test moves."""

from __future__ import annotations

from bot.door import Place

from .conftest import FakeClock

POLL = 15 * 60


def feed_titles(following, library: str = "articles") -> list[str]:
    return []


async def library_titles(following, channel: str | None = "articles") -> list[str]:
    """The titles of the feed (url) articles serving ``channel``'s library, oldest first."""
    server = following.discord.server
    place = Place(int(server.guild_id), int(server.channel_ids[channel]) if channel else None)
    return [info.ref.title for info in await following.discord.bot.engine.articles(place) if info.origin == "url"]


async def test_three_entries_become_three_articles_announced_once(site, start_following):
    """A feed of 3 entries: 3 articles in the channel's library, each announced once with its title, link, a cited
    summary and an "Ask about this" button; the next poll is conditional (If-None-Match, 304) and adds nothing."""
    for slug in ("alder", "birch", "cedar"):
        site.add(slug, hours=len(site.entries))
    async with start_following(FakeClock()) as following:
        reply = await following.follow(site.feed_url, keep=3)
        assert "Coast News" in reply
        assert await library_titles(following) == [
            "Alder Harbour library opens Saturday", "Birch Hill pool opens Saturday", "Cedar Bay market opens Saturday"]
        posts = following.announcements()
        assert [p["embeds"][0]["title"] for p in posts] == [
            "Alder Harbour library opens Saturday", "Birch Hill pool opens Saturday", "Cedar Bay market opens Saturday"]
        first = posts[0]["embeds"][0]
        assert first["url"] == f"{site.base}/news/alder.html"
        assert "Mira Holt" in first["description"] and "¶" in first["description"]  # cited quotes
        button = posts[0]["components"][0]["components"][0]
        assert button["label"] == "Ask about this" and button["custom_id"].startswith("article-bot:feed-ask:")
        pages = len(site.page_requests())
        await following.advance(POLL)
        assert site.feed_requests()[-1].get("If-None-Match")
        assert len(site.page_requests()) == pages and len(following.announcements()) == 3
        assert "follows a feed" in site.feed_requests()[-1]["User-Agent"]
