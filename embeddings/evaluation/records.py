"""Reading the evaluations' JSON records: a field of the wanted type, or a ValueError naming where it is
(file and line or item), the field, what was found and what is accepted."""

from __future__ import annotations

from typing import Any

_NAMES = {str: "text", int: "a whole number", list: "a list", dict: "an object"}


def _kind(value: object) -> str:
    """What a JSON value is, in the words of the messages (``a whole number``, ``text``, ``null``, …)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return _NAMES.get(type(value), "a number" if isinstance(value, float) else type(value).__name__)


def record(value: object, where: str) -> dict[str, Any]:
    """``value`` when it is a JSON object, else ValueError."""
    if not isinstance(value, dict):
        raise ValueError(f"{where}: expected an object, got {_kind(value)}")
    return value


def field(data: dict[str, Any], key: str, kind: type, where: str, *, optional: bool = False) -> Any:
    """``data[key]`` when it is a ``kind`` (None when ``optional`` and absent or null), else ValueError."""
    value = data.get(key)
    if value is None:
        if optional:
            return None
        raise ValueError(f"{where}: {key!r} is missing" if key not in data else f"{where}: {key!r} is null")
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"{where}: {key!r} must be {_NAMES.get(kind, kind.__name__)}, got {_kind(value)}")
    return value
