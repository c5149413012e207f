"""Answers that correct themselves when the article they quote changes, and the moderators' log channel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .button import NewTextButton
from .cog import Corrections

if TYPE_CHECKING:
    from bot.gateway import ArticleBot

__all__ = ["Corrections", "NewTextButton"]


async def setup(bot: ArticleBot) -> None:
    """Load the Corrections cog and register the answers' "new text" buttons (they work after a restart)."""
    bot.add_dynamic_items(NewTextButton)
    await bot.add_cog(Corrections(bot))
