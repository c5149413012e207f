"""/reload (moderators) and /status."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.door import ARTICLE_CHANGED
from bot.gateway import guild_moderator_role, interaction_place, is_moderator, load_scope, moderator_only
from bot.i18n import interaction_language, refusal, text
from bot.pages import public_part
from bot.replies import ALLOWED_MENTIONS, as_of, clip, escape, load_line, plain
from bot.storage import StorageError
from embeddings.answers import LibraryError
from embeddings.errors import ArticleError

from .loading import article_bytes, fetch_url, load_upload

if TYPE_CHECKING:
    from bot.gateway import ArticleBot

log = logging.getLogger(__name__)

class Admin(commands.Cog):
    """Moderators reload the article; anyone may see what is loaded."""

    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    @app_commands.command(name="reload", description="Replace the article(s) this server answers from (moderators).")
    @app_commands.describe(
        file="A .txt, .md, .html or .pdf file to load instead.",
        url="An http(s) page to load the article from.",
        channel_only="Only for this channel (threads follow it), not the whole server.",
    )
    @moderator_only()
    async def reload(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment | None = None,
        url: app_commands.Range[str, 1, 2000] | None = None,
        channel_only: bool = False,
    ) -> None:
        """/reload [file] [url] [channel_only]: replace the scope's library; no file or URL reloads its sources."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        who = f"{interaction.user} ({interaction.user.id})"
        language = interaction_language(interaction)
        scope = load_scope(interaction, channel_only)
        settings = self.bot.settings
        try:
            upload = await article_bytes(settings, file, url)
            if upload is None:
                result = await self.bot.engine.reload_sources(
                    scope, fetch=lambda u: fetch_url(settings, u), max_bytes=settings.reload_max_bytes,
                    loaded_by=interaction.user.id,
                )
            else:
                result = await load_upload(self.bot, upload, scope, "replace", interaction.user.id)
        except (ArticleError, LibraryError, StorageError) as error:
            log.warning("reload by %s failed: %s", who, error)
            await interaction.followup.send(
                plain(text("reload_failed", language, reason=refusal(error, language))),
                ephemeral=True, allowed_mentions=ALLOWED_MENTIONS,
            )
            return
        log.info("reload by %s for %s: %s", who, scope, result.report.describe())
        for event in result.changes:  # computed by the load, under the scope's lock
            self.bot.dispatch(ARTICLE_CHANGED, event)
        await interaction.followup.send(
            plain(load_line(result, language)), ephemeral=True, allowed_mentions=ALLOWED_MENTIONS
        )

    @app_commands.command(name="status", description="What article is loaded, from where, and when.")
    async def status(self, interaction: discord.Interaction) -> None:
        """/status: what answers here: article, size, model, load time and cache state (ephemeral).

        A URL source may carry tokens in its query string: members see its scheme, host and path,
        moderators (of this guild) the whole URL.
        """
        status = await self.bot.engine.status(interaction_place(interaction))
        moderator = is_moderator(interaction, await guild_moderator_role(interaction))
        source = status.source if moderator else public_part(status.source)
        language = interaction_language(interaction)
        embed = discord.Embed(title=clip(escape(status.title), 256), colour=discord.Colour.blurple())
        embed.add_field(name=text("status_source", language), value=clip(escape(source), 1024), inline=False)
        embed.add_field(name=text("status_paragraphs", language), value=str(status.paragraphs))
        embed.add_field(name=text("status_sentences", language), value=str(status.sentences))
        embed.add_field(name=text("status_articles", language), value=str(status.articles))
        embed.add_field(name=text("status_model", language), value=clip(escape(status.model), 1024), inline=False)
        embed.add_field(name=text("status_loaded", language),
                        value=f"<t:{int(status.loaded_at)}:R> ({as_of(status.loaded_at, language)})")
        cache = text("status_cache_rebuilt" if status.cache_rebuilt else "status_cache_ok", language)
        embed.add_field(
            name=text("status_cache", language),
            value=text("status_cache_value", language, hits=status.cache_hits, encoded=status.cache_encoded,
                       state=cache),
            inline=False,
        )
        unsaved = self.bot.unsaved_state()
        embed.add_field(name=text("status_saved", language), value=clip(
            text("status_all_saved", language) if not unsaved
            else text("status_not_saving", language, what="; ".join(unsaved)), 1024
        ), inline=False)
        await interaction.response.send_message(
            embed=embed, ephemeral=True, allowed_mentions=ALLOWED_MENTIONS
        )
