"""The command line: ``article-bot`` (ask, summary, console, run, cluster, sync, eval, watch), its argument types,
the interactive console, stdin lines, evaluation and watching a page. The top layer: it may use every other one.
``article-bot ask`` must not import discord, so this face imports nothing until a name is used.

This face is what other layers, benchmarks and devtools may use (``__all__``); each name is imported from its
module on first use (PEP 562), so importing the face costs nothing and the fast path stays lean.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from embeddings.faces import lazy_face

if TYPE_CHECKING:
    from .commands import main as main
    from .commands import run as run

# name -> the module of this package that defines it
SOURCES: dict[str, str] = {
    "main": "commands",
    "run": "commands",
}

__all__ = [
    "main",
    "run",
]

__getattr__, __dir__ = lazy_face(__name__, SOURCES, globals())
