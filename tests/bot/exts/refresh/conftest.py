"""A page that changes between fetches, a clock the test moves, and the real bot refreshing on it."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp import web

from bot.exts.refresh.cog import Refresher
from devtools.article_bot import make_bot
from devtools.discord_fake import FakeDiscord, running_bot
from devtools.local_http import local_site
from tests.bot.conftest import Discord


def page_html(*paragraphs: str, title: str = "Harbour news") -> str:
    """An HTML news page whose article holds ``paragraphs``."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>{title}</title></head><body><article>{body}</article></body></html>"


FERRY = "The harbour master Ingrid Olsen said the ferry to Vestvik leaves at seven every morning from the north quay."
FERRY_LATER = FERRY.replace("at seven", "at nine")
BOATS = "Fishing boats return by noon with the night's catch, and the fish market opens an hour later on the quay."
PIER = "The council will repair the northern pier next summer, after storms damaged its wooden deck this winter."
COST = "Repairs are expected to cost about two million crowns and to take four months to finish."
FIRST = page_html(FERRY, BOATS, PIER, COST)
CHANGED = page_html(FERRY_LATER, BOATS, PIER, COST)
NO_ARTICLE = ("<html><head><title>Not found</title></head><body><main><h1>Page not found</h1>"
              "<p>Sorry, the page you are looking for does not exist.</p></main></body></html>")
FERRY_QUESTION = "When does the ferry to Vestvik leave?"


@dataclass
class ChangingPage:
    """What the page server serves now; honours If-None-Match; records every request's headers."""

    body: str = FIRST
    etag: str | None = '"v1"'
    status: int = 200
    requests: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    def serve(self, body: str, etag: str | None, status: int = 200) -> None:
        self.body, self.etag, self.status = body, etag, status

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(dict(request.headers))
        if self.status != 200:
            return web.Response(status=self.status, text="unavailable")
        headers = {"ETag": self.etag} if self.etag else {}
        if self.etag and request.headers.get("If-None-Match") == self.etag:
            return web.Response(status=304, headers=headers)
        return web.Response(text=self.body, content_type="text/html", headers=headers)


@pytest_asyncio.fixture
async def page() -> AsyncIterator[ChangingPage]:
    """A news page on 127.0.0.1 that the test changes between fetches."""
    changing = ChangingPage()
    app = web.Application()
    app.router.add_get("/news/harbour.html", changing.handle)
    async with local_site(app) as base:
        changing.url = f"{base}/news/harbour.html"
        yield changing


class FakeClock:
    """Unix time that only moves when the test calls :meth:`advance`."""

    def __init__(self, start: float | None = None) -> None:
        self.time = time.time() if start is None else start
        self._moved = asyncio.Condition()

    def now(self) -> float:
        return self.time

    async def sleep_until(self, when: float) -> None:
        async with self._moved:
            await self._moved.wait_for(lambda: self.time >= when)

    async def advance(self, seconds: float) -> None:
        async with self._moved:
            self.time += seconds
            self._moved.notify_all()


async def until(predicate: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Wait (polling the event loop) until ``predicate()`` holds."""
    for _ in range(int(timeout * 100)):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class Refreshing:
    """The running bot, its fake clock, its refresher and the events it sent."""

    discord: Discord
    clock: FakeClock
    changed: list = field(default_factory=list)
    failed: list = field(default_factory=list)

    @property
    def refresher(self) -> Refresher:
        cog = self.discord.bot.get_cog("Refresher")
        assert type(cog).__name__ == "Refresher"  # the class object changes when extensions are reloaded
        return cog  # type: ignore[return-value]

    async def settle(self, after_passes: int) -> None:
        """Wait until the scheduler finished a pass after ``after_passes`` and sleeps again."""
        refresher = self.refresher
        await until(lambda: refresher.schedule.passes > after_passes and refresher.schedule.sleeping_until is not None,
                    "the refresher to finish a pass")

    async def advance(self, seconds: float) -> None:
        """Move the clock and wait for the scheduler's pass at the new time to end."""
        passes = self.refresher.schedule.passes
        await self.clock.advance(seconds)
        await self.settle(passes)

    def versions(self) -> int:
        """Versions stored for guilds' libraries (every load and every change adds one)."""
        with sqlite3.connect(self.discord.bot.database.path) as connection:
            return connection.execute("SELECT count(*) FROM versions WHERE guild_id IS NOT NULL").fetchone()[0]


@pytest.fixture
def start_refreshing(fake_discord: FakeDiscord, encoder, tmp_path: Path) -> Callable:
    """Start the real bot with a fake clock (and no jitter unless ``rng`` is given); the data directory
    is kept between starts, so a second start is a restart."""

    @asynccontextmanager
    async def start(clock: FakeClock, rng: Callable[[], float] = lambda: 0.0, **overrides
                    ) -> AsyncIterator[Refreshing]:
        bot, article = make_bot(fake_discord, encoder, tmp_path, **overrides)
        bot.refresh_clock = clock  # type: ignore[attr-defined]
        bot.refresh_rng = rng  # type: ignore[attr-defined]
        refreshing = Refreshing(Discord(fake_discord, bot, article), clock)

        async def on_changed(event) -> None:
            refreshing.changed.append(event)

        async def on_failed(event) -> None:
            refreshing.failed.append(event)

        bot.add_listener(on_changed, "on_article_changed")
        bot.add_listener(on_failed, "on_article_refresh_failed")
        async with running_bot(fake_discord, bot, ready_timeout=30):
            await refreshing.settle(0)
            yield refreshing

    return start
