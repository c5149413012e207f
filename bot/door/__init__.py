"""The door: the bot's only way into the answering engine. :class:`AsyncEngine` runs every call that encodes,
parses or reads files in worker threads and owns the scopes' libraries and their stored articles; beside it the
things it takes and returns (places, load results, refreshed versions), the events its loads announce, and the
engine's construction from settings (``make_service``, ``make_model``). Imports the engine's faces, ``bot.storage``
and the shared helpers at ``bot/`` top; never the gateway, the cogs or the command line.

This face is what other layers, benchmarks and devtools may use (``__all__``); each name is imported from its
module on first use (PEP 562), so importing the face costs nothing and the fast path stays lean.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .article_changes import dispatch_changes as dispatch_changes
    from .article_changes import serving as serving
    from .engine import make_service as make_service
    from .engine_async import ArticleInfo as ArticleInfo
    from .engine_async import AsyncEngine as AsyncEngine
    from .engine_async import LoadMode as LoadMode
    from .engine_async import LoadResult as LoadResult
    from .engine_async import Place as Place
    from .engine_async import ServedAnswer as ServedAnswer
    from .engine_refresh import ArticleUpdate as ArticleUpdate
    from .engine_refresh import parse_page as parse_page
    from .engine_refresh import refresh_article as refresh_article
    from .engine_types import article_structure as article_structure
    from .engine_types import new_version as new_version
    from .events import ARTICLE_CHANGED as ARTICLE_CHANGED
    from .events import REFRESH_FAILED as REFRESH_FAILED
    from .events import ArticleChanged as ArticleChanged
    from .events import RefreshFailed as RefreshFailed
    from .model import make_model as make_model

# name -> the module of this package that defines it
SOURCES: dict[str, str] = {
    "ARTICLE_CHANGED": "events",
    "ArticleChanged": "events",
    "ArticleInfo": "engine_async",
    "ArticleUpdate": "engine_refresh",
    "AsyncEngine": "engine_async",
    "LoadMode": "engine_async",
    "LoadResult": "engine_async",
    "Place": "engine_async",
    "REFRESH_FAILED": "events",
    "RefreshFailed": "events",
    "ServedAnswer": "engine_async",
    "article_structure": "engine_types",
    "dispatch_changes": "article_changes",
    "make_model": "model",
    "make_service": "engine",
    "new_version": "engine_types",
    "parse_page": "engine_refresh",
    "refresh_article": "engine_refresh",
    "serving": "article_changes",
}

__all__ = [
    "ARTICLE_CHANGED",
    "REFRESH_FAILED",
    "ArticleChanged",
    "ArticleInfo",
    "ArticleUpdate",
    "AsyncEngine",
    "LoadMode",
    "LoadResult",
    "Place",
    "RefreshFailed",
    "ServedAnswer",
    "article_structure",
    "dispatch_changes",
    "make_model",
    "make_service",
    "new_version",
    "parse_page",
    "refresh_article",
    "serving",
]


def __getattr__(name: str) -> Any:
    """Import ``name`` from its module on first use (and keep it here)."""
    module = SOURCES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
