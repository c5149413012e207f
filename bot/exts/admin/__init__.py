"""Moderation and status: /reload and /status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import Admin

if TYPE_CHECKING:
    from bot.gateway import ArticleBot


async def setup(bot: ArticleBot) -> None:
    """Load the Admin cog."""
    await bot.add_cog(Admin(bot))
