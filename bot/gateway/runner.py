"""``article-bot run`` and ``sync``: start the bot the composition root (``bot.compose``) builds."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable

import discord

from ..config import Settings
from .app import ArticleBot, ShardedArticleBot
from .discord_endpoints import configure_endpoints
from .logs import redact_secret

log = logging.getLogger(__name__)


async def _serve(bot: ArticleBot | ShardedArticleBot, token: str, grace: float) -> None:
    """Run until the connection ends, Ctrl-C or SIGTERM; SIGTERM drains (no new questions, the answers in
    flight finish, up to ``grace`` seconds) and closes the bot cleanly (gateway, engine, database), as
    `article-bot cluster` and service managers stop it; a second SIGTERM closes at once."""
    loop = asyncio.get_running_loop()
    closing: list[asyncio.Task[None]] = []

    def stop() -> None:
        if closing:
            log.warning("second SIGTERM: closing now")
            bot.drain.hurry()
            return
        log.info("SIGTERM: closing")
        bot.drain.begin()  # no new question from now on
        closing.append(asyncio.create_task(bot.drain_and_close(grace)))

    loop.add_signal_handler(signal.SIGTERM, stop)
    async with bot:
        await bot.start(token)
    await asyncio.gather(*closing)


async def _sync_and_exit(bot: ArticleBot | ShardedArticleBot, token: str) -> None:
    async with bot:
        await bot.login(token)  # login runs setup_hook, which syncs (forced)


def run_bot(settings: Settings, build: Callable[[], ArticleBot | ShardedArticleBot], *, sync_only: bool = False) -> int:
    """Run the bot ``build`` makes until interrupted (or sync commands and exit); returns the exit status."""
    if not settings.discord_token:
        log.error("DISCORD_TOKEN is not set: put it in .env or the environment (see .env.example)")
        return 2
    redact_secret(settings.discord_token)
    if settings.database_url and (password := settings.database_url.password):
        redact_secret(password)
    configure_endpoints(settings.discord_api_base, settings.discord_gateway_url)
    bot = build()
    try:
        if sync_only:
            asyncio.run(_sync_and_exit(bot, settings.discord_token))
            if bot.sync_failures:
                log.error("slash commands were not synced to: %s", ", ".join(bot.sync_failures))
                return 1
        else:
            with contextlib.suppress(KeyboardInterrupt):
                asyncio.run(_serve(bot, settings.discord_token, settings.shutdown_grace))
    except discord.PrivilegedIntentsRequired:
        log.error(
            "Discord refused the MESSAGE CONTENT intent: enable it for this bot under Bot → "
            "Privileged Gateway Intents in the developer portal, then restart"
        )
        return 1
    except discord.LoginFailure:
        log.error("Discord rejected DISCORD_TOKEN: copy the bot token again from the developer portal")
        return 1
    return 0
