"""Text bound for a terminal: article text, titles and errors with no control characters (the command line's
plain-text output), JSON with the ones JSON leaves raw escaped, and long values shortened for error messages."""

from __future__ import annotations

import json
import re

# Whole escape sequences first (so no "[2J" is left behind), then any lone control character.
_UNSAFE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI: ESC [ parameters intermediates final (clear screen, colours, cursor)
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC (window title), DCS, SOS, PM, APC up to BEL/ST
    r"|\x1b[ -/]*[0-~]?"  # any other ESC sequence (charset switches, reset, …)
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # CSI as one C1 character
    r"|[\x9d\x90\x98\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, SOS, PM, APC as C1 characters
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"  # every other C0 control but tab and newline, DEL, every C1 control
    r"|[\u202a-\u202e\u2066-\u2069]"  # bidi embeddings, overrides and isolates (text that reads other than it is)
)
# What json.dumps(..., ensure_ascii=False) writes raw although a terminal acts on it: DEL, C1, bidi controls.
_JSON_RAW = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SHOWN_CHARS = 60  # of a bad value quoted in an error message


def terminal_text(text: str) -> str:
    """``text`` without anything a terminal would act on rather than show: escape sequences (window title,
    clear screen, colours), C0 controls but newline and tab, C1 controls, and bidi overrides."""
    return _UNSAFE.sub("", text)


def json_text(value: object) -> str:
    """``value`` as one line of JSON, non-ASCII text as is, but with the characters a terminal acts on
    written as ``\\uXXXX`` escapes (C0 ones json escapes already), so it parses back to the same value."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def shown(value: str, limit: int = SHOWN_CHARS) -> str:
    """``value`` quoted for an error message, its middle cut out when it is longer than ``limit``
    (``'99999…99999' (400 characters)``); control characters come out as escapes."""
    if len(value) <= limit:
        return repr(value)
    half = max(limit // 2 - 1, 1)
    return f"{value[:half] + '…' + value[-half:]!r} ({len(value)} characters)"
