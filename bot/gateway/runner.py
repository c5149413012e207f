"""``article-bot run`` and ``sync``: build the engine and the bot from settings and start them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

import discord

from embeddings.answers import ArticleService
from embeddings.vectors import EmbeddingCache

from ..config import Settings
from ..door import AsyncEngine, make_service
from ..storage import Database
from ..storage.library import LibraryStore
from ..storage.vectors import DatabaseVectors
from ..storage.version_history import Retention
from .app import ArticleBot, ShardedArticleBot
from .discord_endpoints import configure_endpoints
from .logs import redact_secret
from .sync import SyncState

log = logging.getLogger(__name__)


def build_bot(
    settings: Settings, *, force_sync: bool = False, guild_ready_timeout: float = 2.0,
    service: ArticleService | None = None, busy_timeout: float = 2.0,
) -> ArticleBot | ShardedArticleBot:
    """The bot with its engine, store and database injected (nothing loaded yet): the one place the
    bot is put together, for ``article-bot run`` and the tests (which pass a ``service`` on their model)."""
    database = Database(settings.data_dir, busy_timeout=busy_timeout, url=settings.database_url)
    if service is None:
        shared = DatabaseVectors(database) if database.backend.dialect == "postgresql" else None
        service = make_service(settings, cache=EmbeddingCache(settings.cache_dir, shared=shared))
    retention = Retention(settings.versions_kept, settings.correction_window_days)
    engine = AsyncEngine(service, service.source, store=LibraryStore(database, retention))
    bot_class = ShardedArticleBot if settings.shard_count else ArticleBot
    return bot_class(
        settings=settings,
        engine=engine,
        database=database,
        sync_state=SyncState(settings.cache_dir / "command-sync.json"),
        force_sync=force_sync,
        guild_ready_timeout=guild_ready_timeout,
    )


async def _serve(bot: ArticleBot | ShardedArticleBot, token: str) -> None:
    """Run until the connection ends, Ctrl-C or SIGTERM; SIGTERM closes the bot cleanly (gateway, engine,
    database), as `article-bot cluster` and service managers stop it."""
    loop = asyncio.get_running_loop()
    closing: list[asyncio.Task[None]] = []

    def stop() -> None:
        log.info("SIGTERM: closing")
        closing.append(asyncio.create_task(bot.close()))

    loop.add_signal_handler(signal.SIGTERM, stop)
    async with bot:
        await bot.start(token)
    await asyncio.gather(*closing)


async def _sync_and_exit(bot: ArticleBot | ShardedArticleBot, token: str) -> None:
    async with bot:
        await bot.login(token)  # login runs setup_hook, which syncs (forced)


def run_bot(settings: Settings, *, sync_only: bool = False) -> int:
    """Run until interrupted (or sync commands and exit); returns the exit status."""
    if not settings.discord_token:
        log.error("DISCORD_TOKEN is not set: put it in .env or the environment (see .env.example)")
        return 2
    redact_secret(settings.discord_token)
    if settings.database_url and (password := settings.database_url.password):
        redact_secret(password)
    configure_endpoints(settings.discord_api_base, settings.discord_gateway_url)
    bot = build_bot(settings, force_sync=sync_only)
    try:
        if sync_only:
            asyncio.run(_sync_and_exit(bot, settings.discord_token))
            if bot.sync_failures:
                log.error("slash commands were not synced to: %s", ", ".join(bot.sync_failures))
                return 1
        else:
            with contextlib.suppress(KeyboardInterrupt):
                asyncio.run(_serve(bot, settings.discord_token))
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
