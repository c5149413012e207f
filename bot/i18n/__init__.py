"""Replies in the member's language: the gettext catalogues of the bot's own words and the lookup with English
fallback (``bot/i18n/locales/<code>/LC_MESSAGES/article_bot.po``, see :mod:`.catalogue`).

Quotes and article text are never translated; only the bot's own words are. The slash commands'
descriptions are translated by ``bot.i18n.commands`` (which imports discord, so it is not imported here).
"""

from __future__ import annotations

from .catalogue import message
from .languages import (
    ENGLISH,
    LANGUAGES,
    Language,
    answer_language,
    guild_language,
    interaction_language,
    language_of,
    message_language,
)
from .pages import Worded, refusal


def text(key: str, language: Language = ENGLISH, **fields: object) -> str:
    """The message ``key`` in ``language`` (English where it has none), with ``fields`` filled in; a message with
    plural forms takes the form its ``count`` field asks for."""
    return message(key, language, fields.get("count")).format(**fields)


__all__ = [
    "ENGLISH",
    "LANGUAGES",
    "Language",
    "Worded",
    "answer_language",
    "guild_language",
    "interaction_language",
    "language_of",
    "message_language",
    "refusal",
    "text",
]
