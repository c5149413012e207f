"""The languages replies are written in, and which one a Discord locale asks for (no discord import: the
console's fast path renders through the same catalogue)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import discord

Language = Literal["en", "uk", "ru", "pl", "de", "es", "fr"]
LANGUAGES: tuple[Language, ...] = ("en", "uk", "ru", "pl", "de", "es", "fr")
ENGLISH: Language = "en"

# discord.Locale values -> the language the bot replies in; any other locale falls back to English.
BY_LOCALE: dict[str, Language] = {
    "en-US": "en", "en-GB": "en", "uk": "uk", "ru": "ru", "pl": "pl", "de": "de",
    "es-ES": "es", "es-419": "es", "fr": "fr",
}


def language_of(locale: discord.Locale | str | None) -> Language:
    """The reply language for a Discord locale (``discord.Locale`` or its value); English for None or any
    locale without a translation."""
    if locale is None:
        return ENGLISH
    return BY_LOCALE.get(str(getattr(locale, "value", locale)), ENGLISH)


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
