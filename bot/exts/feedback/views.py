"""The persistent view attached to every answer: votes and more context."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

import discord

from bot import i18n
from bot.gateway import interaction_place
from bot.i18n import ENGLISH, Language, interaction_language
from bot.replies import ALLOWED_MENTIONS, context_embed, plain
from bot.storage import CitedParagraph, StorageError
from embeddings.answers import Library
from embeddings.text import Article

if TYPE_CHECKING:
    from bot.gateway import ArticleBot

log = logging.getLogger(__name__)

UP, DOWN, CONTEXT = "article-bot:vote:up", "article-bot:vote:down", "article-bot:context"


class AnswerView(discord.ui.View):
    """👍 / 👎 / More context; custom ids are fixed so the view survives restarts.

    The label is written in ``language`` when the answer is sent; a press is handled by the view
    registered at start (any label), and its reply follows the presser's locale.
    """

    def __init__(self, bot: ArticleBot, language: Language = ENGLISH) -> None:
        super().__init__(timeout=None)
        self.bot = bot
        self.context.label = i18n.text("more_context", language)

    async def _vote(self, interaction: discord.Interaction, vote: int) -> None:
        symbol = "👍" if vote > 0 else "👎"
        if interaction.message is None:
            return
        language = interaction_language(interaction)
        try:
            answer = await self.bot.records.answers.vote(interaction.message.id, interaction.user.id, vote)
        except StorageError as error:
            await interaction.response.send_message(plain(i18n.text("vote_failed", language, error=error)),
                                                    ephemeral=True, allowed_mentions=ALLOWED_MENTIONS)
            return
        text = (i18n.text("vote_recorded", language, symbol=symbol) if answer
                else i18n.text("vote_no_record", language))
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=ALLOWED_MENTIONS)

    @discord.ui.button(emoji="👍", style=discord.ButtonStyle.secondary, custom_id=UP)
    async def up(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        """Vote the answer helpful."""
        await self._vote(interaction, 1)

    @discord.ui.button(emoji="👎", style=discord.ButtonStyle.secondary, custom_id=DOWN)
    async def down(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        """Vote the answer unhelpful."""
        await self._vote(interaction, -1)

    @discord.ui.button(label=i18n.text("more_context"), style=discord.ButtonStyle.primary, custom_id=CONTEXT)
    async def context(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        """The cited paragraphs in full, with their neighbours, as the articles read now (ephemeral)."""
        message = interaction.message
        language = interaction_language(interaction)
        try:
            record = await self.bot.records.answers.for_message(message.id) if message is not None else None
        except StorageError as error:
            await interaction.response.send_message(plain(i18n.text("answer_unreadable", language, error=error)),
                                                    ephemeral=True, allowed_mentions=ALLOWED_MENTIONS)
            return
        if record is None:
            await interaction.response.send_message(
                i18n.text("answer_no_record", language), ephemeral=True, allowed_mentions=ALLOWED_MENTIONS
            )
            return
        _, library = await self.bot.engine.serving(interaction_place(interaction))
        pairs, missing = cited_now(library, record.cited)
        note = i18n.text("cited_changed", language, count=missing) if missing else None
        embed = context_embed(pairs, note=note, language=language)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=ALLOWED_MENTIONS)


def cited_now(library: Library, cited: Sequence[CitedParagraph]) -> tuple[list[tuple[Article, list[int]]], int]:
    """Per article serving now, the numbers of the paragraphs the answer cited (found by digest, in the
    article that answered when it is still here), and how many of them changed or went."""
    found: dict[str, list[int]] = {}
    articles: dict[str, Article] = {}
    missing = 0
    for paragraph in cited:
        candidates = [e for e in library.entries if e.ref.id == paragraph.article_id] or list(library.entries)
        hit = next(((e, p.number) for e in candidates for p in e.article.paragraphs if p.digest == paragraph.digest),
                   None)
        if hit is None:
            missing += 1
            continue
        entry, number = hit
        articles[entry.ref.id] = entry.article
        found.setdefault(entry.ref.id, []).append(number)
    return [(articles[key], numbers) for key, numbers in found.items()], missing
