"""Reading feed documents with feedparser: entries newest first, and clear refusals of what is not a feed."""

from __future__ import annotations

import asyncio

import pytest

from bot.pages import FeedError, HostTurns, parse_feed

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Coast</title>
<entry><id>urn:old</id><title>Old</title><link href="/news/old.html"/><updated>2026-12-01T08:00:00Z</updated></entry>
<entry><id>urn:new</id><title>New</title><link href="/news/new.html"/><updated>2026-12-02T08:00:00Z</updated></entry>
<entry><id>urn:nolink</id><title>No link</title><updated>2026-12-03T08:00:00Z</updated></entry>
<entry><id>urn:mail</id><title>Mail</title><link href="mailto:a@b.c"/><updated>2026-12-03T08:00:00Z</updated></entry>
</feed>"""


def test_atom_entries_newest_first_with_absolute_links():
    """Published dates order the entries; relative links are resolved; entries without an http(s) link skipped."""
    parsed = parse_feed(ATOM, url="https://example.org/feed.atom")
    assert parsed.title == "Coast" and parsed.total == 4
    assert [(e.key, e.link) for e in parsed.entries] == [
        ("urn:new", "https://example.org/news/new.html"), ("urn:old", "https://example.org/news/old.html")]
    assert parsed.entries[0].published == 1796198400.0


def test_rss_without_dates_keeps_the_documents_order_and_one_copy_of_a_guid():
    rss = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
           b"<item><title>B</title><link>https://example.org/b</link><guid>g-b</guid></item>"
           b"<item><title>A</title><link>https://example.org/a</link><guid>g-a</guid></item>"
           b"<item><title>A again</title><link>https://example.org/a2</link><guid>g-a</guid></item>"
           b"</channel></rss>")
    parsed = parse_feed(rss, url="https://example.org/rss")
    assert [e.title for e in parsed.entries] == ["B", "A"]


@pytest.mark.parametrize(("data", "content_type", "key"), [
    (b"<!DOCTYPE html><html><head><title>Home</title></head><body>Hi</body></html>", "text/html", "feed_html_page"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>cut', None, "feed_malformed"),
    (b"just some text {", "text/plain", "feed_malformed"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>', None, "feed_no_entries"),
])
def test_what_is_not_a_followable_feed_is_refused(data, content_type, key):
    with pytest.raises(FeedError) as refused:
        parse_feed(data, url="https://example.org/x", content_type=content_type)
    assert refused.value.key == key and str(refused.value)


async def test_one_fetch_at_a_time_per_host():
    """Two fetches from one host (whatever its case) take turns."""
    turns, inside, most = HostTurns(), {"a": 0, "b": 0}, {"a": 0, "b": 0}

    async def fetch(url: str, host: str) -> None:
        async with turns.of(url):
            inside[host] += 1
            most[host] = max(most[host], inside[host])
            await asyncio.sleep(0.02)
            inside[host] -= 1

    await asyncio.gather(fetch("http://A.example/1", "a"), fetch("http://a.example/2", "a"),
                         fetch("http://b.example/1", "b"))
    assert most == {"a": 1, "b": 1}
