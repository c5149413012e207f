"""Running a real discord.py bot against :class:`FakeDiscord` and checking it did not die silently."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import discord
import discord.gateway
import discord.http

from bot.gateway import configure_endpoints
from devtools.discord_fake.server import FakeDiscord

log = logging.getLogger(__name__)


class ErrorCollector(logging.Handler):
    """Collects discord.py's "Ignoring exception in ..." records (handler errors it only logs)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith("Ignoring exception"):
            self.records.append(record)

    def describe(self) -> str:
        return "\n".join(self.format(r) for r in self.records)


def start_bot(server: FakeDiscord, bot: discord.Client, token: str | None = None) -> asyncio.Task[None]:
    """Point discord.py at ``server`` and run ``bot.start(token)`` in a task (the connect task)."""
    configure_endpoints(server.api_base, server.gateway_url)
    return asyncio.create_task(bot.start(token or server.token), name="discord-bot")


def assert_bot_alive(task: asyncio.Task[None]) -> None:
    """Fail if the bot's connect task has ended (e.g. a KeyError in a discord.py gateway parser)."""
    if not task.done():
        return
    if task.cancelled():
        raise AssertionError("the bot task was cancelled")
    exc = task.exception()
    raise AssertionError(f"the bot task ended: {exc!r}") from exc


@asynccontextmanager
async def running_bot(server: FakeDiscord, bot: discord.Client, token: str | None = None, *,
                      ready_timeout: float = 10.0, check_openapi: bool = True,
                      allow_handler_errors: bool = False) -> AsyncIterator[asyncio.Task[None]]:
    """Start ``bot`` against ``server``, wait until ready, yield the connect task, then close the bot.

    On exit it fails if the bot task died, if discord.py logged an exception from an event/command
    handler (unless ``allow_handler_errors``), or if a request violated the OpenAPI spec (unless
    ``check_openapi`` is False). The discord.py endpoints are restored afterwards.
    """
    saved = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    collector = ErrorCollector()
    discord_logger = logging.getLogger("discord")
    discord_logger.addHandler(collector)
    task = start_bot(server, bot, token)
    try:
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait(
            {ready, task}, timeout=ready_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            assert_bot_alive(task)
            raise AssertionError(f"bot not ready within {ready_timeout}s")
        yield task
        assert_bot_alive(task)
        if collector.records and not allow_handler_errors:
            raise AssertionError("discord.py logged handler exceptions:\n" + collector.describe())
        if check_openapi:
            server.assert_valid_requests()
    finally:
        discord_logger.removeHandler(collector)
        await bot.close()
        try:
            await asyncio.wait_for(task, timeout=5)
        except Exception:  # already reported above, or a failure while shutting down
            log.debug("bot task ended with an error during close", exc_info=True)
        configure_endpoints(*(str(v) for v in saved))
