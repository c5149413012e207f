"""The "Ask about this" button of an announced feed article: a form for the question, answered from that article
alone. A ``DynamicItem``: its custom_id carries the guild, the library's channel (0: the guild's library) and the
article's library id, so it works on any announcement after any restart."""

from __future__ import annotations

import logging
import re
from typing import Any

import discord

from bot import i18n
from bot.door import Place
from bot.i18n import ENGLISH, Language, interaction_language
from bot.replies import ALLOWED_MENTIONS, answer_embed, clip, plain
from embeddings.answers import LibraryError
from embeddings.errors import ArticleBotError

log = logging.getLogger(__name__)

PREFIX = "article-bot:feed-ask:"
TEMPLATE = re.escape(PREFIX) + r"(?P<guild>[0-9]{1,20}):(?P<channel>[0-9]{1,20}):(?P<id>[0-9]{1,19})"
MAX_QUESTION_CHARS = 500


class QuestionForm(discord.ui.Modal):
    """The question about one article."""

    def __init__(self, place: Place, article_id: int, language: Language) -> None:
        super().__init__(title=clip(i18n.text("feed_ask_title", language), 45))
        self.place = place
        self.article_id = article_id
        self.language = language
        self.question: discord.ui.TextInput[QuestionForm] = discord.ui.TextInput(
            label=clip(i18n.text("feed_ask_label", language), 45), max_length=MAX_QUESTION_CHARS)
        self.add_item(self.question)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        engine = getattr(interaction.client, "engine", None)
        try:
            if engine is None:
                raise LibraryError(key="library_no_store")
            served = await engine.served_answer(self.question.value, place=self.place,
                                                article_id=str(self.article_id))
        except ArticleBotError as error:  # the article left the library, or a question the engine refuses
            await interaction.followup.send(plain(i18n.refusal(error, self.language)), ephemeral=True,
                                            allowed_mentions=ALLOWED_MENTIONS)
            return
        await interaction.followup.send(embed=answer_embed(served.answer, language=self.language),
                                        allowed_mentions=ALLOWED_MENTIONS)


class AskAboutButton(discord.ui.DynamicItem[discord.ui.Button], template=TEMPLATE):
    """"Ask about this": opens the question form; the answer comes from this article only."""

    def __init__(self, guild_id: int, channel_id: int, article_id: int, language: Language = ENGLISH) -> None:
        super().__init__(discord.ui.Button(label=clip(i18n.text("feed_ask_button", language), 80),
                                           style=discord.ButtonStyle.primary,
                                           custom_id=f"{PREFIX}{guild_id}:{channel_id}:{article_id}"))
        self.guild_id, self.channel_id, self.article_id = guild_id, channel_id, article_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> AskAboutButton:
        return cls(int(match["guild"]), int(match["channel"]), int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        language = interaction_language(interaction)
        if interaction.guild_id != self.guild_id:  # another server's announcement: nothing of it is served here
            await interaction.response.send_message(i18n.text("feed_ask_elsewhere", language), ephemeral=True,
                                                    allowed_mentions=ALLOWED_MENTIONS)
            return
        place = Place(self.guild_id, self.channel_id or None)
        await interaction.response.send_modal(QuestionForm(place, self.article_id, language))
