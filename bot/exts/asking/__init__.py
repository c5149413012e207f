"""Questions: @mentions, ask channels, replies to answers, and /ask."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import Asking

if TYPE_CHECKING:
    from bot.gateway import ArticleBot


async def setup(bot: ArticleBot) -> None:
    """Load the Asking cog."""
    await bot.add_cog(Asking(bot))
