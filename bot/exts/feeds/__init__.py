"""Following RSS/Atom feeds: /feed and the poller that adds new entries to a library and announces them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .button import AskAboutButton
from .cog import Feeds

if TYPE_CHECKING:
    from bot.gateway import ArticleBot


async def setup(bot: ArticleBot) -> None:
    """Load the Feeds cog (tests may set ``bot.feed_clock`` and ``bot.feed_rng`` first) and its button."""
    bot.add_dynamic_items(AskAboutButton)
    await bot.add_cog(Feeds(bot, getattr(bot, "feed_clock", None), getattr(bot, "feed_rng", None)))
