"""Why a fetched page or file was not taken as the article: walls, geo-blocks, rate-limit and challenge pages, a
page that lost most of the article. ``refusal`` words an engine error in a moderator's language."""

from __future__ import annotations

from embeddings.errors import ArticleShrankError, JunkPageError

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
    """Why ``error`` refused a page, in ``language`` when the catalogue words it; else its own message."""
    if isinstance(error, Worded):
        return message(error.key, language).format(**error.fields)
    if isinstance(error, JunkPageError) and lookup(f"page_{error.kind}", ENGLISH) is not None:
        return message(f"page_{error.kind}", language)
    if isinstance(error, ArticleShrankError):
        return message("page_shrank", language).format(
            new_paragraphs=error.new_paragraphs, old_paragraphs=error.old_paragraphs,
            new_chars=f"{error.new_chars:,}", old_chars=f"{error.old_chars:,}")
    return str(error)
