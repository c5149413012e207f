"""Replies in the member's language: the catalogue of fixed texts and the lookup with English fallback.

Quotes and article text are never translated; only the bot's own words are. The slash commands'
descriptions are translated by ``bot.i18n.commands`` (which imports discord, so it is not imported here).
"""

from __future__ import annotations

from .corrections import CORRECTIONS
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
from .pages import PAGES, refusal
from .pending import PENDING
from .replies import ANSWERS, MEMBERS, Texts

CATALOGUE: dict[str, Texts] = {**ANSWERS, **MEMBERS, **CORRECTIONS, **PAGES, **PENDING}


def text(key: str, language: Language = ENGLISH, **fields: object) -> str:
    """The text ``key`` in ``language`` (English where it has none), with ``fields`` filled in."""
    texts = CATALOGUE[key]
    return texts.get(language, texts[ENGLISH]).format(**fields)


__all__ = [
    "CATALOGUE", "ENGLISH", "LANGUAGES", "Language", "answer_language", "guild_language", "interaction_language",
    "language_of", "message_language", "refusal", "text",
]
