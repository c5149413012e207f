"""Lazy package faces (PEP 562): a face lends names its modules define and imports a module on first use.

Every layer's ``__init__`` (the engine's and the bot's) declares its docstring, its ``SOURCES`` table (lent name →
the module of the package that defines it) and ``__all__``, then takes its ``__getattr__`` and ``__dir__`` from
:func:`lazy_face`. Imports nothing but :mod:`importlib`, so importing a face stays free.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

__all__ = ["lazy_face"]


def lazy_face(
    package: str, sources: Mapping[str, str], namespace: MutableMapping[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for the face of ``package`` whose globals are ``namespace``: a name of ``sources``
    is imported from ``package.<module>`` on first use and kept in ``namespace``; any other is an AttributeError."""

    def __getattr__(name: str) -> Any:
        module = sources.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", package), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(sources))

    return __getattr__, __dir__
