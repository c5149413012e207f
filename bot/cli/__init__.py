"""The command line: ``article-bot`` (ask, summary, console, run, cluster, sync, eval, watch), its argument types,
the interactive console, stdin lines, evaluation and watching a page. The top layer: it may use every other one.
``article-bot ask`` must not import discord, so this face imports nothing until a name is used.

This face is what other layers, benchmarks and devtools may use (``__all__``); each name is imported from its
module on first use (PEP 562), so importing the face costs nothing and the fast path stays lean.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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
