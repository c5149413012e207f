"""Where a Discord message or interaction happened, as the engine's :class:`Place`."""

from __future__ import annotations

import discord
from discord import app_commands

from ..door import AsyncEngine, Place
from ..storage import Scope


def channel_scope_id(channel: object) -> int | None:
    """The channel whose library applies: a thread follows its parent channel."""
    if channel is None:
        return None
    parent = getattr(channel, "parent_id", None)
    if isinstance(channel, discord.Thread) and parent is not None:
        return int(parent)
    channel_id = getattr(channel, "id", None)
    return int(channel_id) if channel_id is not None else None


def place_of(guild: discord.Guild | None, channel: object) -> Place:
    """The place of a message or interaction (DMs: no guild, so the default article)."""
    if guild is None:
        return Place()
    return Place(guild.id, channel_scope_id(channel))


def interaction_place(interaction: discord.Interaction) -> Place:
    """The place of an interaction."""
    return place_of(interaction.guild, interaction.channel)


def load_scope(interaction: discord.Interaction, channel_only: bool) -> Scope:
    """The scope a moderator's load applies to: the guild, or (``channel_only``) this channel."""
    assert interaction.guild is not None  # moderator commands are guild-only
    if channel_only:
        channel_id = channel_scope_id(interaction.channel) or interaction.channel_id
        return Scope(interaction.guild.id, channel_id)
    return Scope(interaction.guild.id)


async def article_choices(
    engine: AsyncEngine, interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Autocomplete: the articles serving this place whose title contains what was typed (max 25)."""
    typed = current.casefold()
    infos = await engine.articles(interaction_place(interaction))
    return [
        app_commands.Choice(name=f"{info.ref.title[:90]} ({info.paragraphs} ¶)", value=info.ref.id)
        for info in reversed(infos) if typed in info.ref.title.casefold() or typed == info.ref.id
    ][:25]
