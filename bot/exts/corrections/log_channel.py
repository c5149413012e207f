"""/config log-channel (Manage Server): where article changes are reported; checked the bot can post there."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.i18n import interaction_language, text
from bot.replies import ALLOWED_MENTIONS, plain
from bot.storage import StorageError

from .cog import can_post

if TYPE_CHECKING:
    from bot.gateway import Services

log = logging.getLogger(__name__)


async def configure_log_channel(bot: Services, interaction: discord.Interaction,
                                channel: discord.abc.GuildChannel | None) -> None:
    """Set (a channel) or clear (None) the guild's log channel; refuses a channel the bot cannot post in."""
    guild = interaction.guild
    assert guild is not None  # the command is guild-only
    language = interaction_language(interaction)

    async def reply(content: str) -> None:
        await interaction.response.send_message(plain(content), ephemeral=True, allowed_mentions=ALLOWED_MENTIONS)

    target = guild.get_channel(channel.id) if channel is not None else None
    if channel is not None and not can_post(target):
        await reply(text("log_channel_cannot_post", language, channel=channel.mention))
        return
    try:
        await bot.records.corrections.set_log_channel(guild.id, channel.id if channel is not None else None)
    except StorageError as error:
        await reply(text("not_saved", language, error=error))
        return
    log.info("guild %s log channel set to %s by %s", guild.id, channel.id if channel else None, interaction.user.id)
    await reply(text("log_channel_set", language, channel=channel.mention) if channel is not None
                else text("log_channel_cleared", language))
