"""Per-server knowledge: /article add|remove|list and /config moderator-role."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .cog import Articles

if TYPE_CHECKING:
    from bot.gateway import ArticleBot


async def setup(bot: ArticleBot) -> None:
    """Load the Articles cog."""
    await bot.add_cog(Articles(bot))
