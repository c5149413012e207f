"""The text layer, the engine's bottom: an article as paragraphs and sentences with digests and spans, parsed
from text or HTML bytes (encodings, boilerplate, junk checks, a parse budget), its language, a cache of sentence
splits, text cleaning, paragraph diffs between versions and the span codec that stores an article's structure.
Imports no other layer (only :mod:`embeddings.errors`).

This face is what other layers, the bot and benchmarks may use (``__all__``); each name is imported from its
module on first use (PEP 562), so importing the face costs nothing and the fast path stays lean.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..faces import lazy_face

if TYPE_CHECKING:
    from .article import HTML_SUFFIXES as HTML_SUFFIXES
    from .article import TEXT_SUFFIXES as TEXT_SUFFIXES
    from .article import Article as Article
    from .article import ArticleKind as ArticleKind
    from .article import ArticleRequirements as ArticleRequirements
    from .article import Paragraph as Paragraph
    from .article import check_article as check_article
    from .article import default_article_path as default_article_path
    from .article import kind_for_name as kind_for_name
    from .article import load_article as load_article
    from .article import parse_bytes as parse_bytes
    from .article import parse_text as parse_text
    from .article import text_digest as text_digest
    from .budget import ParseBudget as ParseBudget
    from .diff import ParagraphDiff as ParagraphDiff
    from .diff import ParagraphFate as ParagraphFate
    from .diff import paragraph_diff as paragraph_diff
    from .languages import ENGLISH as ENGLISH
    from .languages import FUNCTION_WORDS as FUNCTION_WORDS
    from .languages import LANGUAGE_TABLE as LANGUAGE_TABLE
    from .languages import LanguageFacts as LanguageFacts
    from .languages import detect_language as detect_language
    from .languages import routes_across as routes_across
    from .page_checks import MAX_MARKED_SHARE as MAX_MARKED_SHARE
    from .page_checks import check_not_junk as check_not_junk
    from .page_checks import check_not_shrunk as check_not_shrunk
    from .page_checks import marked_share as marked_share
    from .sentences import Span as Span
    from .sentences import split_sentences as split_sentences
    from .split_cache import SplitCache as SplitCache
    from .structure import article_from_structure as article_from_structure
    from .structure import article_structure as article_structure
    from .text_clean import clean_text as clean_text

# name -> the module of this package that defines it
SOURCES: dict[str, str] = {
    "Article": "article",
    "ArticleKind": "article",
    "ArticleRequirements": "article",
    "ENGLISH": "languages",
    "FUNCTION_WORDS": "languages",
    "LANGUAGE_TABLE": "languages",
    "LanguageFacts": "languages",
    "HTML_SUFFIXES": "article",
    "MAX_MARKED_SHARE": "page_checks",
    "Paragraph": "article",
    "ParagraphDiff": "diff",
    "ParagraphFate": "diff",
    "ParseBudget": "budget",
    "Span": "sentences",
    "SplitCache": "split_cache",
    "TEXT_SUFFIXES": "article",
    "article_from_structure": "structure",
    "article_structure": "structure",
    "check_article": "article",
    "check_not_junk": "page_checks",
    "check_not_shrunk": "page_checks",
    "clean_text": "text_clean",
    "default_article_path": "article",
    "detect_language": "languages",
    "kind_for_name": "article",
    "load_article": "article",
    "marked_share": "page_checks",
    "paragraph_diff": "diff",
    "parse_bytes": "article",
    "parse_text": "article",
    "routes_across": "languages",
    "split_sentences": "sentences",
    "text_digest": "article",
}

__all__ = [
    "ENGLISH",
    "FUNCTION_WORDS",
    "HTML_SUFFIXES",
    "LANGUAGE_TABLE",
    "MAX_MARKED_SHARE",
    "TEXT_SUFFIXES",
    "Article",
    "ArticleKind",
    "ArticleRequirements",
    "LanguageFacts",
    "Paragraph",
    "ParagraphDiff",
    "ParagraphFate",
    "ParseBudget",
    "Span",
    "SplitCache",
    "article_from_structure",
    "article_structure",
    "check_article",
    "check_not_junk",
    "check_not_shrunk",
    "clean_text",
    "default_article_path",
    "detect_language",
    "kind_for_name",
    "load_article",
    "marked_share",
    "paragraph_diff",
    "parse_bytes",
    "parse_text",
    "routes_across",
    "split_sentences",
    "text_digest",
]

__getattr__, __dir__ = lazy_face(__name__, SOURCES, globals())
