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


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
SHARDED_LOG_FORMAT = "%(asctime)s %(levelname)s [%(shard)s] %(name)s: %(message)s"


def configure_logging(level: str | int, shard_label: str | None = None) -> None:
    """Log to stderr at ``level``; a sharded process (``shard_label``, e.g. ``shards 0-1``) prefixes every
    line with the shard of the event it handles, else with its own shards."""
    logging.basicConfig(level=level, format=SHARDED_LOG_FORMAT if shard_label else LOG_FORMAT)
    if shard_label:
        from .sharding import ShardLogFilter

        shard_filter = ShardLogFilter(shard_label)
        for handler in logging.getLogger().handlers:
            handler.addFilter(shard_filter)
