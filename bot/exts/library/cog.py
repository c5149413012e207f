"""/article add|remove|list|refresh (a scope's library) and /config moderator-role (Manage Server)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.door import ARTICLE_CHANGED
from bot.exts.admin.loading import UploadRefused, article_bytes, load_upload
from bot.exts.corrections.log_channel import configure_log_channel
from bot.exts.refresh.command import EveryTransformer, schedule_lines, set_refresh
from bot.gateway import (
    article_choices,
    guild_moderator_role,
    interaction_place,
    is_moderator,
    load_scope,
    manage_server_only,
    moderator_only,
)
from bot.i18n import ENGLISH, Language, interaction_language, refusal, text
from bot.pages import public_part
from bot.replies import ALLOWED_MENTIONS, clip, escape, load_line, plain
from bot.storage import StorageError
from embeddings.answers import LibraryError
from embeddings.errors import ArticleError

if TYPE_CHECKING:
    from bot.door import ArticleInfo
    from bot.gateway import ArticleBot
    from bot.storage import Scope

log = logging.getLogger(__name__)


def article_line(info: ArticleInfo, *, full_source: bool, schedule: str | None = None,
                 language: Language = ENGLISH) -> str:
    """One /article list line: title, source (members: without its query string), paragraphs, version,
    loaded when and by whom (and a URL article's refresh schedule)."""
    who = text("article_loaded_by", language, user=f"<@{info.loaded_by}>") if info.loaded_by else ""
    source = info.ref.source if full_source else public_part(info.ref.source)
    moment = datetime.fromtimestamp(info.ref.loaded_at, tz=UTC)
    facts = text("article_line", language, paragraphs=info.paragraphs, version=info.ref.version[:12],
                 moment=f"{moment:%Y-%m-%d %H:%M}")
    return (
        f"**{clip(escape(info.ref.title), 120)}** (id {info.ref.id})\n"
        f"{clip(escape(source), 200)} · {facts}{who}"
        + (f"\n{schedule}" if schedule else "")
    )


def scope_name(scope: Scope, language: Language, *, where: bool = False) -> str:
    """``this server`` / ``this channel`` (``where``: ``in this server``) in ``language``."""
    prefix = "where" if where else "scope"
    return text(f"{prefix}_{'server' if scope.channel_id is None else 'channel'}", language)


class Articles(commands.Cog):
    """Each server's (and channel's) own articles."""

    article = app_commands.Group(name="article", description="The articles this server answers from.",
                                 guild_only=True)
    config = app_commands.Group(name="config", description="Server settings for article-bot (Manage Server).",
                                guild_only=True, default_permissions=discord.Permissions(manage_guild=True))

    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    async def _reply(self, interaction: discord.Interaction, text: str) -> None:
        await interaction.followup.send(plain(text), ephemeral=True, allowed_mentions=ALLOWED_MENTIONS)

    @article.command(name="add", description="Add an article to the ones this server answers from (moderators).")
    @app_commands.describe(
        file="A .txt, .md, .html or .pdf file.", url="An http(s) page.",
        channel_only="Only for this channel (threads follow it), not the whole server.",
    )
    @moderator_only()
    async def add(
        self, interaction: discord.Interaction, file: discord.Attachment | None = None,
        url: app_commands.Range[str, 1, 2000] | None = None, channel_only: bool = False,
    ) -> None:
        """/article add: parse, index, store, then search it together with the others."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        scope = load_scope(interaction, channel_only)
        language = interaction_language(interaction)
        try:
            upload = await article_bytes(self.bot.settings, file, url)
            if upload is None:
                raise UploadRefused("upload_nothing")
            result = await load_upload(self.bot, upload, scope, "add", interaction.user.id)
        except (ArticleError, LibraryError, StorageError) as error:
            log.warning("article add by %s failed: %s", interaction.user.id, error)
            await self._reply(interaction, text("not_added", language, reason=refusal(error, language)))
            return
        await self._reply(interaction, load_line(result, language))
        for event in result.changes:  # computed by the load, under the scope's lock
            self.bot.dispatch(ARTICLE_CHANGED, event)

    @article.command(name="remove", description="Stop answering from an article (moderators).")
    @app_commands.describe(article="The article to remove.",
                           channel_only="Remove it from this channel's articles, not the server's.")
    @moderator_only()
    async def remove(self, interaction: discord.Interaction, article: app_commands.Range[str, 1, 100],
                     channel_only: bool = False) -> None:
        """/article remove: the scope falls back to the server's (or the default) article when none remain."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        scope = load_scope(interaction, channel_only)
        language = interaction_language(interaction)
        try:
            ref, remaining = await self.bot.engine.remove(scope, article)
        except (LibraryError, StorageError) as error:
            await self._reply(interaction, text("not_removed", language, error=refusal(error, language)))
            return
        name = scope_name(scope, language).capitalize()
        after = (text("scope_answers_from", language, scope=name, count=remaining) if remaining
                 else text("scope_no_articles", language, scope=name))
        log.info("article %s removed from %s by %s", ref.id, scope, interaction.user.id)
        await self._reply(interaction, text("removed_article", language, title=escape(ref.title)) + " " + after)

    @remove.autocomplete("article")
    async def _remove_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await article_choices(self.bot.engine, interaction, current)

    @article.command(name="refresh", description="Re-fetch a URL article on a schedule (moderators).")
    @app_commands.describe(article="The URL article to re-fetch.",
                           every="off, default (REFRESH_INTERVAL), or 15m to 7d: 30m, 2h, 1d, 1h30m.")
    @moderator_only()
    async def refresh(self, interaction: discord.Interaction, article: app_commands.Range[str, 1, 100],
                      every: app_commands.Transform[int | None, EveryTransformer]) -> None:
        """/article refresh: how often an article loaded from a URL is fetched again (stored; survives restarts)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            reply = await set_refresh(self.bot, interaction, article, every)
        except StorageError as error:
            reply = text("not_saved", interaction_language(interaction), error=error)
        await self._reply(interaction, reply)

    @refresh.autocomplete("article")
    async def _refresh_choices(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await article_choices(self.bot.engine, interaction, current)

    @article.command(name="list", description="The articles answering here.")
    async def list_articles(self, interaction: discord.Interaction) -> None:
        """/article list (anyone, ephemeral)."""
        infos = await self.bot.engine.articles(interaction_place(interaction))
        scope = infos[0].scope if infos else None
        language = interaction_language(interaction)
        heading = (text("articles_default_here", language) if scope is None
                   else text("articles_answer_here", language, count=len(infos),
                             where=scope_name(scope, language, where=True)))
        full = is_moderator(interaction, await guild_moderator_role(interaction))
        schedules = await self._schedules(interaction, language) if scope is not None else {}
        lines = [article_line(i, full_source=full, schedule=schedules.get(i.ref.id), language=language)
                 for i in infos]
        listed = clip("\n\n".join([heading, *lines]), 4000)
        embed = discord.Embed(title=text("articles_title", language), description=listed,
                              colour=discord.Colour.blurple())
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=ALLOWED_MENTIONS)

    async def _schedules(self, interaction: discord.Interaction, language: Language) -> dict[str, str]:
        """Article id → refresh schedule line of this guild's URL articles (none when the store is down)."""
        assert interaction.guild is not None
        try:
            return await schedule_lines(self.bot, interaction.guild.id, language)
        except StorageError as error:
            log.error("cannot read refresh schedules of guild %s: %s", interaction.guild.id, error)
            return {}

    @commands.Cog.listener()
    async def on_user_forgotten(self, user_id: int) -> None:
        """After /forget-me: /article list no longer names the user as having loaded anything."""
        self.bot.engine.forget_user(user_id)

    @config.command(name="moderator-role", description="Members with this role may manage articles (Manage Server).")
    @app_commands.describe(role="The moderator role for this server.")
    @manage_server_only()
    async def moderator_role(self, interaction: discord.Interaction, role: discord.Role) -> None:
        """/config moderator-role: this guild's moderator role (MODERATOR_ROLE_ID stays the default elsewhere)."""
        assert interaction.guild is not None
        language = interaction_language(interaction)
        try:
            await self.bot.records.guilds.set_moderator_role(interaction.guild.id, role.id)
        except StorageError as error:
            await interaction.response.send_message(plain(text("not_saved", language, error=error)), ephemeral=True,
                                                    allowed_mentions=ALLOWED_MENTIONS)
            return
        log.info("guild %s moderator role set to %s by %s", interaction.guild.id, role.id, interaction.user.id)
        await interaction.response.send_message(
            text("moderator_role_set", language, role=role.mention),
            ephemeral=True, allowed_mentions=ALLOWED_MENTIONS,
        )

    @config.command(name="log-channel", description="Where article changes are reported (Manage Server).")
    @app_commands.describe(channel="The channel for reports; leave it out to stop reporting.")
    @manage_server_only()
    async def log_channel(self, interaction: discord.Interaction, channel: discord.TextChannel | None = None) -> None:
        """/config log-channel [channel]: set or clear this guild's moderator log channel."""
        await configure_log_channel(self.bot, interaction, channel)
