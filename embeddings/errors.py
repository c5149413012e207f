"""Typed errors the engine raises for bad input; every message is fit to show a user."""

from __future__ import annotations


class ArticleBotError(Exception):
    """Base class of every error the engine raises on purpose."""


class ArticleError(ArticleBotError, ValueError):
    """The article could not be loaded."""


class EmptyArticleError(ArticleError):
    """The article has no paragraph of text."""


class BinaryArticleError(ArticleError):
    """The input looks like binary data, not text."""


class ArticleEncodingError(ArticleError):
    """The input is not text in any encoding it declares or could be recognised as."""


class ArticleTooLargeError(ArticleError):
    """The input is larger than the configured limit."""


class UnsupportedFormatError(ArticleError):
    """The file type is not one the loader reads."""


class ArticleSourceError(ArticleError):
    """The source (file or URL) could not be read."""


class QuestionError(ArticleBotError, ValueError):
    """The question cannot be answered as given."""


class EmptyQuestionError(QuestionError):
    """The question is empty after stripping whitespace."""


class QuestionTooLongError(QuestionError):
    """The question is longer than the limit."""


class ModelLoadError(ArticleBotError):
    """The sentence-transformers model could not be loaded."""


class ArticleTooComplexError(ArticleError):
    """Parsing the article did not finish within its time budget."""


class LoadCancelledError(ArticleError):
    """Loading (parsing or indexing) was stopped because the process is shutting down."""


class NotAnArticleError(ArticleError):
    """The text is too short or too thin to be an article (navigation, cookie wall, error page)."""


class JunkPageError(NotAnArticleError):
    """The page is a subscriber wall, a geo-block notice, a rate-limit or a bot-challenge page."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # "paywall", "geo_block", "rate_limit" or "challenge"


class ArticleShrankError(ArticleError):
    """A fresh copy of an article kept less than half of its text: not taken as a new version."""

    def __init__(self, old_paragraphs: int, new_paragraphs: int, old_chars: int, new_chars: int,
                 message: str) -> None:
        super().__init__(message)
        self.old_paragraphs, self.new_paragraphs = old_paragraphs, new_paragraphs
        self.old_chars, self.new_chars = old_chars, new_chars


class QuestionEncodingError(QuestionError):
    """The question is not valid text (undecodable bytes)."""
