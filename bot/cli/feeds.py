"""``article-bot feed URL [--keep N]``: the newest entries of an RSS/Atom feed, each with its cited summary; and
``article-bot ask --feed URL``: a question answered across them. The feed and its pages are fetched as the bot
fetches them (the same guard, size caps, User-Agent, one fetch at a time per host)."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import dataclass

from embeddings.answers import ArticleService
from embeddings.errors import ArticleError, ArticleSourceError
from embeddings.text import Article, ParseBudget, kind_for_name, parse_bytes

from ..config import Settings
from ..pages import FEED_USER_AGENT, FeedEntry, HostTurns, ParsedFeed, fetch_article, parse_feed
from ..terminal import json_text, terminal_text

DEFAULT_KEEP = 5


@dataclass(frozen=True, slots=True)
class FeedArticle:
    """An entry of the feed and its parsed page."""

    entry: FeedEntry
    article: Article


@dataclass(frozen=True, slots=True)
class ReadFeed:
    """A feed read for the command line: its newest entries' articles (oldest first) and the refused ones."""

    feed: ParsedFeed
    articles: tuple[FeedArticle, ...]
    refused: tuple[tuple[FeedEntry, str], ...]


async def read_feed_articles(url: str, keep: int, settings: Settings,
                             budget: ParseBudget | None = None) -> ReadFeed:
    """Fetch the feed and the pages of its newest ``keep`` entries (one fetch at a time per host) and parse them
    (in a worker thread); an entry whose page cannot be read is listed as refused."""
    turns = HostTurns()
    async with turns.of(url):
        page = await fetch_article(url, max_bytes=settings.feed_max_bytes,
                                   allow_private=settings.reload_allow_private_urls, user_agent=FEED_USER_AGENT)
    feed = await asyncio.to_thread(parse_feed, page.data, url=page.url, content_type=page.content_type)
    articles: list[FeedArticle] = []
    refused: list[tuple[FeedEntry, str]] = []
    for entry in reversed(feed.entries[:keep]):
        try:
            async with turns.of(entry.link):
                fetched = await fetch_article(entry.link, max_bytes=settings.reload_max_bytes,
                                              allow_private=settings.reload_allow_private_urls,
                                              user_agent=FEED_USER_AGENT)
            name = fetched.url.split("?", 1)[0].rsplit("/", 1)[-1] or "page.html"
            kind = kind_for_name(name, fetched.content_type)
            article = await asyncio.to_thread(parse_bytes, fetched.data, source=entry.link, kind=kind,
                                              max_bytes=settings.reload_max_bytes, budget=budget,
                                              content_type=fetched.content_type)
        except (ArticleError, ArticleSourceError) as error:
            refused.append((entry, str(error)))
            continue
        articles.append(FeedArticle(entry, article))
    return ReadFeed(feed, tuple(articles), tuple(refused))


def load_into(service: ArticleService, read: ReadFeed) -> list[str]:
    """Make the feed's articles the service's library (the first replaces the configured article); their ids."""
    ids: list[str] = []
    for position, item in enumerate(read.articles):
        (service.reload_article if position == 0 else service.add_article)(item.article)
        ids.append(service.library.entries[-1].ref.id)
    return ids


def _published(entry: FeedEntry) -> str:
    if entry.published is None:
        return ""
    return time.strftime(" · %Y-%m-%d %H:%M UTC", time.gmtime(entry.published))


def run_feed(args: argparse.Namespace, settings: Settings) -> int:
    """``article-bot feed URL``: each of the newest entries with its link, date and cited summary."""
    from ..compose import cli_service, make_model
    from ..replies import summary_text

    keep = min(args.keep, settings.max_articles_per_scope)
    model = make_model(settings, preload=True)
    service = cli_service(settings, [], model)
    read = asyncio.run(read_feed_articles(args.url, keep, settings, service.parse_budget()))
    if not read.articles:
        print(terminal_text(f"article-bot: no entry of {read.feed.title} could be read as an article."),
              file=sys.stderr)
        return 1
    ids = load_into(service, read)
    out: list[dict[str, object]] = []
    for item, article_id in reversed(list(zip(read.articles, ids, strict=True))):  # newest first
        summary = service.summarize(args.sentences, None, article_id)
        if args.json:
            out.append({"title": item.entry.title, "link": item.entry.link, "published": item.entry.published,
                        "summary": summary.to_json()})
            continue
        print(terminal_text(f"# {item.entry.title}\n{item.entry.link}{_published(item.entry)}\n"))
        print(terminal_text(summary_text(summary)) + "\n")
    for entry, reason in read.refused:
        print(terminal_text(f"article-bot: skipped {entry.link}: {reason}"), file=sys.stderr)
    if args.json:
        print(json_text({"feed": read.feed.title, "entries": out}))
    return 0


def feed_service(url: str, keep: int, settings: Settings) -> ArticleService:
    """``ask --feed URL``: the engine holding the feed's newest ``keep`` articles."""
    from ..compose import cli_service, make_model

    model = make_model(settings, preload=True)
    service = cli_service(settings, [], model)
    read = asyncio.run(read_feed_articles(url, min(keep, settings.max_articles_per_scope), settings,
                                          service.parse_budget()))
    if not read.articles:
        raise ArticleSourceError(f"No entry of {read.feed.title} could be read as an article.")
    load_into(service, read)
    return service
