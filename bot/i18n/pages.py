"""Why a fetched page or file was not taken as the article: walls, geo-blocks, rate-limit and challenge pages, a
page that lost most of the article. ``refusal`` words an engine error in a member's language: the bot's one way
of showing an error the engine (or the bot) raised on purpose."""

from __future__ import annotations

from embeddings.errors import ArticleBotError, ArticleShrankError, JunkPageError

from .catalogue import lookup, message
from .languages import ENGLISH, Language


class Worded(Exception):
    """An error the bot words from the catalogue: ``key`` and its fields; its ``str()`` is the English (for
    logs). Mixed into the error class a refusal would raise otherwise: ``class X(Worded, ArticleError)``."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(message(key, ENGLISH).format(**fields))
        self.key = key
        self.fields = fields


def refusal(error: Exception, language: Language = ENGLISH) -> str:
    """``error``'s message in ``language`` when the catalogue words it (a :class:`Worded` error, an engine error
    raised with a message id and its fields, a junk or shrunk page); else its own (English) message."""
    if isinstance(error, Worded):
        return message(error.key, language).format(**error.fields)
    if isinstance(error, ArticleBotError) and error.key is not None and lookup(error.key, ENGLISH) is not None:
        return message(error.key, language).format(**error.fields)
    if isinstance(error, JunkPageError) and lookup(f"page_{error.kind}", ENGLISH) is not None:
        return message(f"page_{error.kind}", language)
    if isinstance(error, ArticleShrankError):
        return message("page_shrank", language).format(
            new_paragraphs=error.new_paragraphs, old_paragraphs=error.old_paragraphs,
            new_chars=f"{error.new_chars:,}", old_chars=f"{error.old_chars:,}")
    return str(error)
