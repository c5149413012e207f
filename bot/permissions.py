"""Who is a moderator: Manage Server, or the configured role. One decorator, two layers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

import discord
from discord import app_commands

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


def moderator_only() -> Callable[[T], T]:
    """The bot's own check, plus ``default_permissions(manage_guild)`` so Discord hides the command."""

    async def predicate(interaction: discord.Interaction) -> bool:
        role_id = getattr(interaction.client, "settings", None)
        role_id = role_id.moderator_role_id if role_id is not None else None
        if not is_moderator(interaction, role_id):
            raise NotModerator("Only moderators (Manage Server or the moderator role) can do that.")
        return True

    def decorator(func: T) -> T:
        func = app_commands.guild_only()(func)
        func = app_commands.default_permissions(manage_guild=True)(func)
        return app_commands.check(predicate)(func)

    return decorator
