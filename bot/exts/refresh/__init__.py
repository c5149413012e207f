"""Scheduled re-fetch of URL articles (the scheduler; /article refresh lives with /article)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import Refresher

if TYPE_CHECKING:
    from bot.gateway import ArticleBot


async def setup(bot: ArticleBot) -> None:
    """Load the Refresher cog (tests may set ``bot.refresh_clock`` and ``bot.refresh_rng`` first)."""
    await bot.add_cog(Refresher(bot, getattr(bot, "refresh_clock", None), getattr(bot, "refresh_rng", None)))
