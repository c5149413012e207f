"""/summary [sentences] [topic]."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.gateway import article_choices, interaction_place
from bot.i18n import interaction_language
from bot.replies import ALLOWED_MENTIONS, summary_embed
from embeddings.answers import DEFAULT_SENTENCES, MAX_SENTENCES

if TYPE_CHECKING:
    from bot.gateway import ArticleBot

log = logging.getLogger(__name__)


class Summaries(commands.Cog):
    """Extractive summaries whose every sentence is a cited quote."""

    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    @app_commands.command(name="summary", description="Summarise an article in quoted sentences.")
    @app_commands.describe(
        sentences=f"How many sentences (1-{MAX_SENTENCES}, default {DEFAULT_SENTENCES}).",
        topic="Focus the summary on this topic (optional).",
        article="Which article (default: the only one, or the most recently loaded).",
    )
    async def summary(
        self,
        interaction: discord.Interaction,
        sentences: app_commands.Range[int, 1, MAX_SENTENCES] = DEFAULT_SENTENCES,
        topic: app_commands.Range[str, 1, 200] | None = None,
        article: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        """/summary: deferred, then the cited summary as an embed (footer: the article version)."""
        await interaction.response.defer(thinking=True)
        result = await self.bot.engine.summarize(
            sentences, topic, place=interaction_place(interaction), article_id=article
        )
        embed = summary_embed(result, language=interaction_language(interaction))
        await interaction.followup.send(embed=embed, allowed_mentions=ALLOWED_MENTIONS)

    @summary.autocomplete("article")
    async def _article_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await article_choices(self.bot.engine, interaction, current)
