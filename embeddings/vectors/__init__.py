"""The vectors layer: embeddings kept and shared. The embedding cache (content-addressed segments on disk, compacted
store), vectors shared between processes and the int8 copy of large articles' paragraph vectors (the approximate
shortlist). Imports the models layer below it.

This face is what other layers, the bot and benchmarks may use (``__all__``); each name is imported from its
module on first use (PEP 562), so importing the face costs nothing and the fast path stays lean.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..faces import lazy_face

if TYPE_CHECKING:
    from .approximate import APPROXIMATE_ABOVE as APPROXIMATE_ABOVE
    from .approximate import Int8Vectors as Int8Vectors
    from .approximate import approximate_shortlist as approximate_shortlist
    from .cache import CacheStats as CacheStats
    from .cache import EmbeddingCache as EmbeddingCache

# name -> the module of this package that defines it
SOURCES: dict[str, str] = {
    "APPROXIMATE_ABOVE": "approximate",
    "CacheStats": "cache",
    "EmbeddingCache": "cache",
    "Int8Vectors": "approximate",
    "approximate_shortlist": "approximate",
}

__all__ = [
    "APPROXIMATE_ABOVE",
    "CacheStats",
    "EmbeddingCache",
    "Int8Vectors",
    "approximate_shortlist",
]

__getattr__, __dir__ = lazy_face(__name__, SOURCES, globals())
