"""The persistent view attached to every answer: votes and more context."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord

from bot.render import ALLOWED_MENTIONS, context_embed, plain
from bot.storage import StorageError

if TYPE_CHECKING:
    from bot.app import ArticleBot

log = logging.getLogger(__name__)

UP, DOWN, CONTEXT = "article-bot:vote:up", "article-bot:vote:down", "article-bot:context"
_CITED = re.compile(r"— ¶(\d+)")


class AnswerView(discord.ui.View):
    """👍 / 👎 / More context; custom ids are fixed so the view survives restarts."""

    def __init__(self, bot: ArticleBot) -> None:
        super().__init__(timeout=None)
        self.bot = bot

    async def _vote(self, interaction: discord.Interaction, vote: int) -> None:
        symbol = "👍" if vote > 0 else "👎"
        try:
            answer = await self.bot.database.record_vote(interaction.message.id, interaction.user.id, vote)
        except StorageError as error:
            await interaction.response.send_message(plain(f"Your vote was not saved: {error}"), ephemeral=True,
                                                    allowed_mentions=ALLOWED_MENTIONS)
            return
        text = (f"Thanks, your {symbol} is recorded. Press the other button to change it." if answer
                else "I have no record of this answer any more, so the vote was not saved.")
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=ALLOWED_MENTIONS)

    @discord.ui.button(emoji="👍", style=discord.ButtonStyle.secondary, custom_id=UP)
    async def up(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        """Vote the answer helpful."""
        await self._vote(interaction, 1)

    @discord.ui.button(emoji="👎", style=discord.ButtonStyle.secondary, custom_id=DOWN)
    async def down(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        """Vote the answer unhelpful."""
        await self._vote(interaction, -1)

    @discord.ui.button(label="More context", style=discord.ButtonStyle.primary, custom_id=CONTEXT)
    async def context(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        """The cited paragraphs in full, with their neighbours (ephemeral)."""
        article = self.bot.engine.service.index.article
        numbers, note = await self._cited_now(interaction.message)
        embed = context_embed(article, numbers, note=note)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=ALLOWED_MENTIONS)

    async def _cited_now(self, message: discord.Message) -> tuple[list[int], str | None]:
        """Paragraph numbers in today's article for what the answer cited, and a note if it changed."""
        shown = [int(n) for n in _CITED.findall(message.embeds[0].description or "")] if message.embeds else []
        try:
            record = await self.bot.database.answer_for_message(message.id)
        except StorageError:
            record = None
        if record is None:
            return shown, None
        by_digest = {p.digest: p.number for p in self.bot.engine.service.index.article.paragraphs}
        numbers = [by_digest[c.digest] for c in record.cited if c.digest in by_digest]
        missing = len(record.cited) - len(numbers)
        note = f"{missing} cited paragraph(s) changed or were removed since this answer." if missing else None
        return numbers, note
