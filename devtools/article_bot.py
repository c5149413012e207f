"""A real ArticleBot (real model, real discord.py) set up for the fake Discord server: used by the tests'
fixtures and by the benchmarks that drive the bot through it."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.compose import build_bot, engine_service
from bot.config import Settings
from bot.gateway import ArticleBot, ShardedArticleBot
from devtools.discord_fake import FakeDiscord
from embeddings.text import default_article_path


def make_bot(server: FakeDiscord, encoder, tmp: Path, **overrides) -> tuple[ArticleBot | ShardedArticleBot, Path]:
    """An ArticleBot on a private copy of the seed article, with the session's real encoder."""
    article = tmp / "article.txt"
    if not article.exists():
        shutil.copy(default_article_path(), article)
    settings = Settings.model_validate(dict(
        guild_ids=tuple(int(g) for g in server.guilds),
        ask_channel_ids=frozenset(int(g.channel_ids["articles"]) for g in server.guilds.values()),
        moderator_role_id=int(server.role_ids["moderator"]),
        article_path=str(article),
        cache_dir=tmp / "cache",
        reload_allow_private_urls=True,
        reload_max_bytes=100_000,
        data_dir=tmp / "data",
        user_cooldown=None,
        channel_cooldown=None,
        metrics_addr=None,  # a test that wants /metrics passes its own free port
    ))
    settings = settings.model_copy(update=overrides)  # unchecked, as tests need (e.g. index_memory_mb=0)
    service = engine_service(settings, encoder=encoder)
    bot = build_bot(settings, service=service, busy_timeout=0.3, guild_ready_timeout=0.1)
    return bot, article
