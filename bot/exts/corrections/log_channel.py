"""/config log-channel (Manage Server): where article changes are reported; checked the bot can post there."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.render import ALLOWED_MENTIONS, plain
from bot.storage import StorageError
from bot.storage.corrections import set_log_channel

from .cog import can_post

if TYPE_CHECKING:
    from bot.app import ArticleBot

log = logging.getLogger(__name__)


async def configure_log_channel(bot: ArticleBot, interaction: discord.Interaction,
                                channel: discord.abc.GuildChannel | None) -> None:
    """Set (a channel) or clear (None) the guild's log channel; refuses a channel the bot cannot post in."""
    guild = interaction.guild
    assert guild is not None  # the command is guild-only

    async def reply(text: str) -> None:
        await interaction.response.send_message(plain(text), ephemeral=True, allowed_mentions=ALLOWED_MENTIONS)

    target = guild.get_channel(channel.id) if channel is not None else None
    if channel is not None and not can_post(target):
        await reply(f"I can't post in {channel.mention}: give me View Channel, Send Messages and Embed Links "
                    "there, then try again. Nothing changed.")
        return
    try:
        await set_log_channel(bot.database, guild.id, channel.id if channel is not None else None)
    except StorageError as error:
        await reply(f"Not saved: {error}")
        return
    log.info("guild %s log channel set to %s by %s", guild.id, channel.id if channel else None, interaction.user.id)
    await reply(f"Article changes and failed refreshes will be reported in {channel.mention}." if channel is not None
                else "Article changes will no longer be reported in a channel here.")
