"""Feeds: following an RSS feed into a channel's library, served on 127.0.0.1.

``python -m benchmarks.feeds --cache-dir DIR --data DIR [--channels 100] [--questions 60]`` (one process, so the
memory figures are its own) prints one JSON object:

- **ingest**: one poll of a 20-entry feed into an empty channel, as the bot's poller runs it (the feed and each
  page fetched from 127.0.0.1 through the bot's fetcher, parsed, encoded by the real model, stored, the oldest
  retiring past ``keep``): seconds per feed article;
- **answer latency**: p50 of questions about the feed's stories in the channel holding 20 feed articles against
  a channel holding one of them (the same questions, interleaved so both see the same machine load; target
  ratio ≤ 1.3);
- **memory**: resident memory growth for ``--channels`` channels × 20 distinct feed articles each, every
  channel's library loaded and asked once (the index pool bounds what stays in memory: INDEX_MEMORY_MB).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from aiohttp import web

from bot.compose import engine_service, make_engine, make_records, make_store, open_database
from bot.config import Settings
from bot.door import AsyncEngine, Place
from bot.exts.feeds.poll import poll_feed
from bot.pages import HostTurns
from bot.storage import Feed, Records
from devtools.local_http import local_site

from .common import ms, onnx_encoder, percentile, production, quiet_logs
from .tenancy import rss_mb

GUILD = 10**15
PER_CHANNEL = 20
TOWNS = ("Alder", "Birch", "Cedar", "Dune", "Elm", "Fjord", "Gorse", "Heath", "Inlet", "Juniper", "Kelp", "Larch",
         "Moss", "Nettle", "Oak", "Pine", "Quay", "Reed", "Sedge", "Thorn")
THINGS = ("library", "swimming pool", "covered market", "health clinic", "bus station", "school", "bakery",
          "museum", "ferry terminal", "fire station")
PEOPLE = ("Mira Holt", "Tomas Reed", "Ana Ruiz", "Ivo Brandt", "Lena Vik", "Omar Haddad", "Sara Lind", "Piet Mol")


def story(number: int, channel: int) -> tuple[str, list[str], str]:
    """A distinct short news story (title, paragraphs, a question it answers)."""
    town = f"{TOWNS[number % len(TOWNS)]} {['Harbour', 'Hill', 'Bay', 'Point'][(number // 20 + channel) % 4]}"
    thing, person = THINGS[(number + channel) % len(THINGS)], PEOPLE[(number * 3 + channel) % len(PEOPLE)]
    hour = 6 + (number + channel) % 6
    paragraphs = [
        f"The council of {town} met on Monday evening and {person}, who chairs it, announced that the new {thing} "
        f"will open at {hour} o'clock next Saturday morning after {2 + number % 5} years of building work.",
        f"Residents of {town} had asked for the {thing} since the old one closed in {1990 + number % 30}, and the "
        f"council paid for it from the regional fund with a loan of {3 + channel % 7} million crowns.",
        f"{person} said the {thing} will employ {8 + number % 20} people from {town} and stay open every day of the "
        "week, including public holidays, from the spring onwards.",
        f"The opening in {town} will be marked with music in the square, and channel {channel} report {number} "
        "notes that the neighbouring villages were invited.",
    ]
    return f"{town} {thing} opens Saturday ({channel}-{number})", paragraphs, f"When does the {thing} in {town} open?"


@dataclass
class Site:
    """Feeds (one per channel) and their pages on 127.0.0.1."""

    base: str = ""

    def feed_url(self, channel: int) -> str:
        return f"{self.base}/feed/{channel}.xml"

    async def feed(self, request: web.Request) -> web.Response:
        channel = int(request.match_info["channel"])
        start = datetime(2026, 12, 1, tzinfo=UTC).timestamp()
        items = "".join(
            f"<item><title>{story(n, channel)[0]}</title><link>{self.base}/news/{channel}/{n}.html</link>"
            f"<guid>urn:{channel}:{n}</guid>"
            f"<pubDate>{format_datetime(datetime.fromtimestamp(start + n * 3600, UTC), usegmt=True)}</pubDate></item>"
            for n in reversed(range(PER_CHANNEL)))
        body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Coast {channel}</title>{items}'
                "</channel></rss>")
        return web.Response(text=body, content_type="application/rss+xml")

    async def page(self, request: web.Request) -> web.Response:
        title, paragraphs, _ = story(int(request.match_info["n"]), int(request.match_info["channel"]))
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        return web.Response(text=f"<html><head><title>{title}</title></head><body><article>{body}</article>"
                                 "</body></html>", content_type="text/html")


@dataclass
class Services:
    """What the poller uses of the bot: the engine, the records and the settings."""

    engine: AsyncEngine
    records: Records
    settings: Settings


async def follow(services: Services, site: Site, channel: int, turns: HostTurns) -> tuple[Feed, int]:
    """Follow channel ``channel``'s feed and poll it once; the feed and how many articles it added."""
    feed = await services.records.feeds.add(GUILD, channel, None, site.feed_url(channel), "Coast", PER_CHANNEL,
                                            False, None)
    result = await poll_feed(services, feed, turns)  # type: ignore[arg-type]
    if result.outcome != "polled" or len(result.added) != PER_CHANNEL:
        raise RuntimeError(f"feed of channel {channel}: {result.outcome}, {len(result.added)} added: {result.error}")
    return feed, len(result.added)


async def single(services: Services, site: Site, turns: HostTurns, channel: int) -> None:
    """A channel holding one feed article (the first story of channel 1)."""
    feed = await services.records.feeds.add(GUILD, channel, None, site.feed_url(1), "Coast", 1, False, None)
    result = await poll_feed(services, feed, turns)  # type: ignore[arg-type]
    if len(result.added) != 1:
        raise RuntimeError(f"single-article channel: {result.outcome}: {result.error}")


async def timed_answer(engine: AsyncEngine, channel: int, question: str) -> float:
    started = time.perf_counter()
    await engine.answer(question, place=Place(GUILD, channel))
    return time.perf_counter() - started


async def measure(settings: Settings, channels: int, questions: int) -> dict:
    service = engine_service(settings, encoder=production(onnx_encoder(settings.cache_dir)))
    database = open_database(settings)
    await database.open()
    engine = make_engine(service, make_store(database, settings))
    services = Services(engine, make_records(database), settings)
    await engine.start()
    await engine.answer("When does the library open?")  # the model warm
    app = web.Application()
    site = Site()
    app.router.add_get("/feed/{channel}.xml", site.feed)
    app.router.add_get("/news/{channel}/{n}.html", site.page)
    turns = HostTurns()
    async with local_site(app) as base:
        site.base = base
        started = time.perf_counter()
        await follow(services, site, 1, turns)
        ingest_s = (time.perf_counter() - started) / PER_CHANNEL
        await single(services, site, turns, 0)
        # the newest story (hour 19) is the one channel 0 holds: ask it in both channels, and the others in the 20
        newest = story(PER_CHANNEL - 1, 1)[2]
        asked = [story(n, 1)[2] for n in range(PER_CHANNEL)]
        for question in asked:
            await timed_answer(engine, 1, question)  # warm: each article's index built, caches filled
        await timed_answer(engine, 0, newest)
        rng = random.Random(5)
        one, twenty, others = [], [], []
        for _ in range(questions):  # the same question about the same article: alone, and among 20
            twenty.append(await timed_answer(engine, 1, newest))
            one.append(await timed_answer(engine, 0, newest))
            others.append(await timed_answer(engine, 1, rng.choice(asked)))  # any of the 20 stories
        before = rss_mb()
        memory_started = time.perf_counter()
        for channel in range(2, channels + 2):
            await follow(services, site, channel, turns)
            await timed_answer(engine, channel, story(0, channel)[2])
        memory_seconds = time.perf_counter() - memory_started
        after = rss_mb()
    pool = (await engine.status()).pool
    engine.close()
    database.close()
    p50_one, p50_twenty = percentile(one, 50), percentile(twenty, 50)
    return {
        "ingest_ms_per_article": ms(ingest_s),
        "answer_p50_ms": {"one_feed_article": ms(p50_one), "twenty_feed_articles": ms(p50_twenty),
                          "ratio": round(p50_twenty / p50_one, 3), "questions": questions,
                          "twenty_any_story": ms(percentile(others, 50))},
        "memory": {"channels": channels, "articles": channels * PER_CHANNEL, "rss_before_mb": round(before, 1),
                   "rss_after_mb": round(after, 1), "growth_mb": round(after - before, 1),
                   "per_channel_mb": round((after - before) / max(channels, 1), 3),
                   "ingest_s": round(memory_seconds, 1), "indexes_in_memory": pool.indexes},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--channels", type=int, default=100)
    parser.add_argument("--questions", type=int, default=60)
    args = parser.parse_args()
    quiet_logs()
    settings = Settings.model_validate(dict(cache_dir=args.cache_dir, data_dir=args.data,
                                            reload_allow_private_urls=True, max_articles_per_scope=PER_CHANNEL))
    print(json.dumps(asyncio.run(measure(settings, args.channels, args.questions))))


if __name__ == "__main__":
    main()
