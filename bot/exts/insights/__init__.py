"""/insights for moderators and /forget-me for everyone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import Insights

if TYPE_CHECKING:
    from bot.gateway import ArticleBot


async def setup(bot: ArticleBot) -> None:
    """Load the Insights cog."""
    await bot.add_cog(Insights(bot))
