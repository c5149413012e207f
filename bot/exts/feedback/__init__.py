"""Buttons on every answer: 👍 / 👎 votes and "More context"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .views import AnswerView

if TYPE_CHECKING:
    from bot.gateway import ArticleBot

__all__ = ["AnswerView"]


async def setup(bot: ArticleBot) -> None:
    """Register the persistent answer view so its buttons work after a restart."""
    bot.add_view(AnswerView(bot))
