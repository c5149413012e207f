"""/summary [sentences] [topic]."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.render import ALLOWED_MENTIONS, summary_embed
from embeddings.summary import DEFAULT_SENTENCES, MAX_SENTENCES

if TYPE_CHECKING:
    from bot.app import ArticleBot

log = logging.getLogger(__name__)


class Summaries(commands.Cog):
    """Extractive summaries whose every sentence is a cited quote."""

    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    @app_commands.command(name="summary", description="Summarise the article in quoted sentences.")
    @app_commands.describe(
        sentences=f"How many sentences (1-{MAX_SENTENCES}, default {DEFAULT_SENTENCES}).",
        topic="Focus the summary on this topic (optional).",
    )
    async def summary(
        self,
        interaction: discord.Interaction,
        sentences: app_commands.Range[int, 1, MAX_SENTENCES] = DEFAULT_SENTENCES,
        topic: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        """/summary: deferred, then the cited summary as an embed."""
        await interaction.response.defer(thinking=True)
        result = await self.bot.engine.summarize(sentences, topic)
        embed = summary_embed(result, article_title=self.bot.engine.status().title,
                              loaded_at=self.bot.engine.loaded_at)
        await interaction.followup.send(embed=embed, allowed_mentions=ALLOWED_MENTIONS)
