"""Who is a moderator, per guild: Manage Server, or the guild's moderator role (/config moderator-role,
else MODERATOR_ROLE_ID). One decorator, two layers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from ..i18n import interaction_language, text

log = logging.getLogger(__name__)

T = TypeVar("T")


class NotModerator(app_commands.CheckFailure):
    """The member may not use a moderator command."""


def is_moderator(interaction: discord.Interaction, moderator_role_id: int | None) -> bool:
    """True for members with Manage Server in this channel, or with the moderator role."""
    member = interaction.user
    if not isinstance(member, discord.Member) or interaction.guild is None:
        return False
    if interaction.permissions.manage_guild or interaction.permissions.administrator:
        return True
    return moderator_role_id is not None and any(role.id == moderator_role_id for role in member.roles)


async def guild_moderator_role(interaction: discord.Interaction) -> int | None:
    """The moderator role of the interaction's guild: its own setting, else MODERATOR_ROLE_ID."""
    client = interaction.client
    settings = getattr(client, "settings", None)
    fallback = settings.moderator_role_id if settings is not None else None
    records = getattr(client, "records", None)
    if interaction.guild is None or records is None:
        return fallback
    from ..storage import StorageError

    try:
        own = await records.guilds.moderator_role(interaction.guild.id)
    except StorageError as error:
        log.error("cannot read the moderator role of guild %s: %s", interaction.guild.id, error)
        return fallback
    return own if own is not None else fallback


def _guild_command_checked_by(predicate: Callable[[discord.Interaction], Any]) -> Callable[[T], T]:
    """Guild-only, hidden by Discord from members without Manage Server, and checked by the bot."""

    def decorator(func: T) -> T:
        func = app_commands.guild_only()(func)
        func = app_commands.default_permissions(manage_guild=True)(func)
        return app_commands.check(predicate)(func)

    return decorator


def manage_server_only() -> Callable[[T], T]:
    """Only members with Manage Server (checked by the bot, and hidden from others by Discord)."""

    async def predicate(interaction: discord.Interaction) -> bool:
        permissions = interaction.permissions
        if interaction.guild is None or not (permissions.manage_guild or permissions.administrator):
            raise NotModerator(text("manage_server_only", interaction_language(interaction)))
        return True

    return _guild_command_checked_by(predicate)


def moderator_only() -> Callable[[T], T]:
    """The bot's own check, plus ``default_permissions(manage_guild)`` so Discord hides the command."""

    async def predicate(interaction: discord.Interaction) -> bool:
        role_id = await guild_moderator_role(interaction)
        if not is_moderator(interaction, role_id):
            raise NotModerator(text("moderators_only", interaction_language(interaction)))
        return True

    return _guild_command_checked_by(predicate)
