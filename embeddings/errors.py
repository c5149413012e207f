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


class QuestionEncodingError(QuestionError):
    """The question is not valid text (undecodable bytes)."""
