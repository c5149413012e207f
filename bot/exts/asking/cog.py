"""Answers questions asked by @mention, in ask channels, as replies to answers, or with /ask."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.render import ALLOWED_MENTIONS, answer_embed, plain
from embeddings.answer import MAX_QUESTION_CHARS
from embeddings.errors import QuestionError

from .followups import AnsweredQuestions

if TYPE_CHECKING:
    from bot.app import ArticleBot

log = logging.getLogger(__name__)

HOW_TO_ASK = "Ask me a question about the article, e.g. “Who commands the Azov Regiment?”"


class Asking(commands.Cog):
    """Questions in channels and via /ask."""

    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot
        self.answered = AnsweredQuestions()
        self._warned_no_content = False

    def _mention_pattern(self) -> re.Pattern[str]:
        assert self.bot.user is not None
        return re.compile(rf"<@!?{self.bot.user.id}>")

    def _replied_answer(self, message: discord.Message) -> discord.Message | None:
        """The bot's answer this message replies to, if it replies to one."""
        reference = message.reference
        resolved = reference.resolved if reference else None
        if isinstance(resolved, discord.Message) and resolved.author == self.bot.user:
            return resolved
        return None

    def _is_question(self, message: discord.Message, follow_up: discord.Message | None) -> bool:
        if follow_up is not None or message.channel.id in self.bot.settings.ask_channel_ids:
            return True
        parent = getattr(message.channel, "parent_id", None)
        if parent is not None and parent in self.bot.settings.ask_channel_ids:
            return True
        return self.bot.user is not None and self.bot.user.mentioned_in(message) and not (
            message.mention_everyone and self.bot.user not in message.mentions
        )

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer a question as a reply to the message that asked it."""
        if message.author.bot or message.webhook_id is not None or self.bot.user is None:
            return
        follow_up = self._replied_answer(message)
        if not self._is_question(message, follow_up):
            return
        if not message.content:
            if not message.attachments and not self._warned_no_content:
                self._warned_no_content = True
                log.warning(
                    "a question arrived with empty content: enable the MESSAGE CONTENT intent for this "
                    "bot in the Discord developer portal, or it can only read messages that mention it"
                )
            return
        question = self._mention_pattern().sub(" ", message.content).strip()
        if not question:
            await message.reply(HOW_TO_ASK, mention_author=False, allowed_mentions=ALLOWED_MENTIONS)
            return
        previous = self.answered.question_for(follow_up) if follow_up is not None else None
        await self._reply_with_answer(message, question, previous)

    async def _reply_with_answer(self, message: discord.Message, question: str, previous: str | None) -> None:
        try:
            async with message.channel.typing():
                answer = await self.bot.engine.answer(question, follow_up_of=previous)
        except QuestionError as error:
            await message.reply(plain(str(error)), mention_author=False, allowed_mentions=ALLOWED_MENTIONS)
            return
        embed = answer_embed(answer, article_title=self.bot.engine.status().title,
                             loaded_at=self.bot.engine.loaded_at)
        sent = await message.reply(embed=embed, mention_author=False, allowed_mentions=ALLOWED_MENTIONS)
        self.answered.remember(sent.id, answer.question)
        log.info("answered message %s in channel %s (answered=%s)", message.id, message.channel.id,
                 answer.answered)

    @app_commands.command(name="ask", description="Ask a question about the article.")
    @app_commands.describe(question="Your question about the article (up to 500 characters).")
    async def ask(
        self, interaction: discord.Interaction, question: app_commands.Range[str, 1, MAX_QUESTION_CHARS]
    ) -> None:
        """/ask: deferred at once, answered by followup."""
        await interaction.response.defer(thinking=True)
        answer = await self.bot.engine.answer(question)
        embed = answer_embed(answer, article_title=self.bot.engine.status().title,
                             loaded_at=self.bot.engine.loaded_at)
        sent = await interaction.followup.send(embed=embed, allowed_mentions=ALLOWED_MENTIONS, wait=True)
        self.answered.remember(sent.id, answer.question)
