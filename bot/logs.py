"""Logging helpers: the token never reaches a log line."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class RedactingFilter(logging.Filter):
    """Replaces a secret with ``[redacted]`` in every record that passes through."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.secret in message:
            record.msg = message.replace(self.secret, "[redacted]")
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.secret in record.exc_text:
            record.exc_text = record.exc_text.replace(self.secret, "[redacted]")
        return True


def redact_secret(secret: str) -> RedactingFilter:
    """Install a redacting filter on every handler of the root logger (and return it)."""
    redactor = RedactingFilter(secret)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)
    return redactor
