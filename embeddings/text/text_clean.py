"""Cleaning user text at the engine's boundary: what the tokenizer rejects or a reply should not echo."""

from __future__ import annotations

import re

# Lone surrogates (the tokenizer raises on them), the 66 non-characters, and bidirectional
# overrides and isolates (they reverse how a reply that echoes the text is displayed).
_NONCHARACTERS = "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
_DROPPED = re.compile(f"[\\ud800-\\udfff\\ufdd0-\\ufdef{_NONCHARACTERS}\\u202a-\\u202e\\u2066-\\u2069]")
# C0 and C1 control characters other than whitespace become spaces.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def clean_text(text: str) -> str:
    """``text`` without invalid code points or bidi overrides, controls made spaces, whitespace collapsed."""
    if text.isascii() and text.isprintable():  # nothing to drop or replace (both patterns are elsewhere)
        return " ".join(text.split())
    return cleaned(text)


def cleaned(text: str) -> str:
    """:func:`clean_text` by its patterns (what the fast path for printable ASCII must equal)."""
    return " ".join(_CONTROLS.sub(" ", _DROPPED.sub("", text)).split())
