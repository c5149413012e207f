"""RSS and Atom feeds: a fetched feed document read with ``feedparser`` (imported on first use, never hand-rolled
XML), its entries newest first, and the refusals of what is not a feed (an HTML page, malformed XML, a feed with
no entry to follow). Parsing is CPU work: call :func:`parse_feed` in a worker thread.

Also the per-host turn-taking of feed fetches (:class:`HostTurns`): one fetch at a time per host, whoever asks.
"""

from __future__ import annotations

import asyncio
import calendar
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from embeddings.errors import ArticleSourceError

from .fetch import BOT_VERSION

FEED_USER_AGENT = f"article-bot/{BOT_VERSION} (Discord bot; follows a feed a moderator chose)"
MAX_TITLE_CHARS = 300
MAX_KEY_CHARS = 2000
HTML_MARKERS = (b"<!doctype html", b"<html")

# English of the refusals (the bot's catalogue has the same ids in every language; the CLI shows these)
FEED_MESSAGES = {
    "feed_html_page": "That URL is a web page, not an RSS or Atom feed: give the feed's own address.",
    "feed_malformed": "That is not a readable RSS or Atom feed ({reason}).",
    "feed_no_entries": "That feed has no entries with a link to follow.",
}


class FeedError(ArticleSourceError):
    """A fetched document that cannot be followed as a feed; ``key``/``fields`` word it in a member's language."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(FEED_MESSAGES[key].format(**fields), key=key, **fields)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a feed: what identifies it (guid, else link), its page, title and published date."""

    key: str
    link: str
    title: str
    published: float | None  # unix time


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed document: its title and its entries with a link, newest first (``total``: all it listed)."""

    title: str
    entries: tuple[FeedEntry, ...]
    total: int


def _when(entry: Any) -> float | None:
    for field in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(field)
        if value:
            try:
                return float(calendar.timegm(value))
            except (TypeError, ValueError, OverflowError):
                continue
    return None


def _clean(text: object, limit: int) -> str:
    flat = " ".join(str(text or "").split())
    return flat[:limit]


def _is_page_link(link: str) -> bool:
    parts = urlsplit(link)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def parse_feed(data: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """The feed in ``data`` (fetched from ``url``), entries newest first: by published date when every entry has
    one, else in the document's order (feeds list the newest first). Raises :class:`FeedError` for an HTML page,
    a document that is not a feed, or a feed without an entry to follow. CPU work: run in a worker thread."""
    import feedparser  # imported on first use: the fast path never loads it

    head = data[:2048].lstrip().lower()
    parsed = feedparser.parse(data, response_headers={"content-location": url,
                                                      "content-type": content_type or "application/xml"})
    if not parsed.get("version"):
        if any(marker in head for marker in HTML_MARKERS) or (content_type or "").startswith("text/html"):
            raise FeedError("feed_html_page")
        reason = type(parsed.get("bozo_exception")).__name__ if parsed.get("bozo") else "unknown format"
        raise FeedError("feed_malformed", reason=reason)
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for item in parsed.entries:
        link = _clean(item.get("link"), MAX_KEY_CHARS)
        if not _is_page_link(link):
            continue
        key = _clean(item.get("id") or link, MAX_KEY_CHARS)
        if key in seen or link in seen:
            continue
        seen.update((key, link))
        entries.append(FeedEntry(key, link, _clean(item.get("title"), MAX_TITLE_CHARS) or link, _when(item)))
    if not entries:
        if parsed.get("bozo"):
            raise FeedError("feed_malformed", reason=type(parsed.get("bozo_exception")).__name__)
        raise FeedError("feed_no_entries")
    if all(e.published is not None for e in entries):
        entries.sort(key=lambda e: e.published or 0.0, reverse=True)
    title = _clean(parsed.feed.get("title"), MAX_TITLE_CHARS) or urlsplit(url).netloc
    return ParsedFeed(title, tuple(entries), len(parsed.entries))


def host_of(url: str) -> str:
    """The host (and port) a URL is fetched from, lower-cased."""
    return (urlsplit(url).netloc or url).lower()


class HostTurns:
    """One fetch at a time per host: ``async with turns.of(url):`` waits for the host's earlier fetch."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}

    @asynccontextmanager
    async def of(self, url: str) -> AsyncIterator[None]:
        async with self._locks.setdefault(host_of(url), asyncio.Lock()):
            yield
