"""/reload (moderators) and /status."""

from __future__ import annotations

import logging
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.fetch import fetch_article, public_part
from bot.permissions import is_moderator, moderator_only
from bot.render import ALLOWED_MENTIONS, as_of, clip, escape, plain
from embeddings.article import HTML_SUFFIXES, TEXT_SUFFIXES
from embeddings.errors import ArticleError, ArticleTooLargeError, UnsupportedFormatError
from embeddings.service import ReloadReport

if TYPE_CHECKING:
    from bot.app import ArticleBot

log = logging.getLogger(__name__)

UPLOAD_SUFFIXES = (TEXT_SUFFIXES | HTML_SUFFIXES) - {""}


class Admin(commands.Cog):
    """Moderators reload the article; anyone may see what is loaded."""

    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    @app_commands.command(name="reload", description="Reload the article (moderators).")
    @app_commands.describe(
        file="A .txt, .md or .html file to load instead.",
        url="An http(s) page to load the article from.",
    )
    @moderator_only()
    async def reload(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment | None = None,
        url: app_commands.Range[str, 1, 2000] | None = None,
    ) -> None:
        """/reload [file] [url]: no argument re-reads the configured source."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        who = f"{interaction.user} ({interaction.user.id})"
        try:
            report = await self._reload(file, url)
        except ArticleError as error:
            log.warning("reload by %s failed: %s", who, error)
            await interaction.followup.send(
                plain(f"Reload failed: {error} The current article keeps answering."),
                ephemeral=True, allowed_mentions=ALLOWED_MENTIONS,
            )
            return
        log.info("reload by %s: %s", who, report.describe())
        await self.bot.record_version(report, interaction.user.id)
        await interaction.followup.send(
            plain(escape(report.describe())), ephemeral=True, allowed_mentions=ALLOWED_MENTIONS
        )

    async def _reload(self, file: discord.Attachment | None, url: str | None) -> ReloadReport:
        settings = self.bot.settings
        engine = self.bot.engine
        if file is not None and url:
            raise ArticleError("Give either a file or a URL, not both.")
        if file is not None:
            suffix = PurePosixPath(file.filename).suffix.lower()
            if suffix not in UPLOAD_SUFFIXES:
                shown = suffix or "(none)"
                raise UnsupportedFormatError(f"Unsupported file type {shown}: use .txt, .md or .html.")
            if file.size > settings.reload_max_bytes:
                raise ArticleTooLargeError(
                    f"That file is {file.size:,} bytes; the limit is {settings.reload_max_bytes:,} bytes."
                )
            try:
                data = await file.read()
            except discord.HTTPException as error:
                raise ArticleError(f"Could not download the attachment ({error.status}).") from error
            return await engine.reload_bytes(
                data, name=file.filename, source=f"attachment:{file.filename}",
                content_type=None, max_bytes=settings.reload_max_bytes,
            )
        if url:
            page = await fetch_article(
                url, max_bytes=settings.reload_max_bytes, allow_private=settings.reload_allow_private_urls
            )
            return await engine.reload_bytes(
                page.data, name=PurePosixPath(page.url.split("?", 1)[0]).name or "page.html",
                source=page.url, content_type=page.content_type, max_bytes=settings.reload_max_bytes,
            )
        return await engine.reload_source()

    @app_commands.command(name="status", description="What article is loaded, from where, and when.")
    async def status(self, interaction: discord.Interaction) -> None:
        """/status: article, size, model, load time and cache state (ephemeral).

        A URL source may carry tokens in its query string: members see its scheme, host and path,
        moderators the whole URL.
        """
        status = self.bot.engine.status()
        moderator = is_moderator(interaction, self.bot.settings.moderator_role_id)
        source = status.source if moderator else public_part(status.source)
        embed = discord.Embed(title=clip(escape(status.title), 256), colour=discord.Colour.blurple())
        embed.add_field(name="Source", value=clip(escape(source), 1024), inline=False)
        embed.add_field(name="Paragraphs", value=str(status.paragraphs))
        embed.add_field(name="Sentences", value=str(status.sentences))
        embed.add_field(name="Model", value=clip(escape(status.model), 1024), inline=False)
        embed.add_field(name="Loaded", value=f"<t:{int(status.loaded_at)}:R> ({as_of(status.loaded_at)})")
        cache = "rebuilt after corruption" if status.cache_rebuilt else "ok"
        embed.add_field(
            name="Embedding cache",
            value=f"{status.cache_hits} reused, {status.cache_encoded} encoded ({cache})",
            inline=False,
        )
        unsaved = self.bot.unsaved_state()
        embed.add_field(name="Saved state", value=clip(
            "everything is saved" if not unsaved else "not saving " + "; ".join(unsaved), 1024
        ), inline=False)
        await interaction.response.send_message(
            embed=embed, ephemeral=True, allowed_mentions=ALLOWED_MENTIONS
        )
