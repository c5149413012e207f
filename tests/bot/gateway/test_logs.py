"""The redacting log filter."""

from __future__ import annotations

import logging

from bot.gateway.logs import RedactingFilter


def test_secret_is_redacted_from_message_and_traceback():
    """The secret is replaced in the message and in the formatted exception."""
    secret = "SECRET-TOKEN-1234567890"
    redactor = RedactingFilter(secret)
    try:
        raise RuntimeError(f"login failed with {secret}")
    except RuntimeError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "token %s", (secret,), sys.exc_info())
    assert redactor.filter(record)
    text = logging.Formatter().format(record)
    assert secret not in text and "[redacted]" in text
