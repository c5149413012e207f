"""Logging helpers: text or JSON lines (LOG_FORMAT), each with the request id of the question it serves; the
token and the database password never reach a log line."""

from __future__ import annotations

import json
import logging
import time

from ..operations import current_request

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


class RequestIdFilter(logging.Filter):
    """Gives every record a ``request_id``: the question being served when it was logged (None outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            request = current_request()
            record.request_id = request.id if request is not None else None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``shard``, ``message``,
    ``request_id`` and, with a traceback, ``exception`` (the redacting filter has run on both by then)."""

    def format(self, record: logging.LogRecord) -> str:
        seconds = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        line: dict[str, object] = {
            "time": f"{seconds}.{int(record.msecs):03d}Z", "level": record.levelname, "logger": record.name,
            "shard": getattr(record, "shard", None), "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(level: str | int, shard_label: str | None = None, log_format: str = "text") -> None:
    """Log to stderr at ``level``, as text or ``json`` lines; a sharded process (``shard_label``, e.g.
    ``shards 0-1``) names in every line the shard of the event it handles, else its own shards."""
    logging.basicConfig(level=level, format=SHARDED_LOG_FORMAT if shard_label else LOG_FORMAT)
    handlers = logging.getLogger().handlers
    for handler in handlers:
        handler.addFilter(RequestIdFilter())
        if log_format == "json":
            handler.setFormatter(JsonFormatter())
    if shard_label:
        from .sharding import ShardLogFilter

        shard_filter = ShardLogFilter(shard_label)
        for handler in handlers:
            handler.addFilter(shard_filter)
