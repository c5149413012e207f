"""/summary: the engine's cited extractive summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import Summaries

if TYPE_CHECKING:
    from bot.gateway import ArticleBot


async def setup(bot: ArticleBot) -> None:
    """Load the Summaries cog."""
    await bot.add_cog(Summaries(bot))
