"""The languages replies are written in, and which one a Discord locale asks for (no discord import: the
console's fast path renders through the same catalogue)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from embeddings.text import LANGUAGE_TABLE

from .catalogue import locale_codes

if TYPE_CHECKING:
    import discord

Language = str  # a code of LANGUAGES
ENGLISH: Language = "en"
# The languages replies are written in: those of the engine's language table with a locale folder, in the
# table's order (English first). A locale folder the table lacks is not used (tests/bot/test_i18n.py fails on it).
LANGUAGES: tuple[Language, ...] = tuple(code for code in LANGUAGE_TABLE if code in locale_codes())


def language_of(locale: discord.Locale | str | None) -> Language:
    """The reply language for a Discord locale (``discord.Locale`` or its value, a BCP 47 tag): its primary
    language subtag when the bot writes it, English for None or any locale without a translation."""
    if locale is None:
        return ENGLISH
    primary = str(getattr(locale, "value", locale)).split("-")[0].lower()  # "es-419" -> "es", "uk" -> "uk"
    return primary if primary in LANGUAGES else ENGLISH


def interaction_language(interaction: discord.Interaction) -> Language:
    """The language of the member's Discord client, which every interaction carries."""
    return language_of(interaction.locale)


def guild_language(guild: discord.Guild | None) -> Language:
    """The server's preferred language (Server Settings → Community); English in direct messages."""
    return language_of(guild.preferred_locale) if guild is not None else ENGLISH


def answer_language(detected: str | None, fallback: Language) -> Language:
    """A message's reply language once its question is read: the question's own language when it is not
    English and the bot writes it (a member asking in Ukrainian in an English server reads Ukrainian),
    else ``fallback`` (the server's: an English question in a German server gets German texts)."""
    for language in LANGUAGES:
        if language == detected and language != ENGLISH:
            return language
    return fallback


def message_language(message: discord.Message) -> Language:
    """Plain messages carry no member locale: the server's preferred language, English in direct messages."""
    return guild_language(message.guild)
