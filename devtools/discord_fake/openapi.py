"""Validation of the bot's REST requests against Discord's official OpenAPI spec (loaded once, lazily)."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# ../shared/data beside the checkout (CI clones the repo with ../shared next to it).
SPEC_PATH = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "discord-openapi.json"
SPEC_HOST = "https://discord.com"
API_PREFIX = "/api/v10"
MAX_ERROR_CHARS = 600


@dataclass(frozen=True)
class Exemption:
    """A known, explained mismatch between discord.py and the spec that must not fail tests."""

    method: str
    path_regex: str  # re.fullmatch on the path without /api/v10
    error_regex: str  # re.search on the formatted error
    reason: str


# Keep this list minimal: every entry is a place where discord.py 2.7.1 sends something Discord accepts
# but the published spec does not describe.
EXEMPTIONS: tuple[Exemption, ...] = ()

# Spec relaxation applied at load time (the one systematic discord.py/spec mismatch): discord.py sends
# snowflakes as JSON integers in bodies (message_reference.message_id/channel_id/guild_id on replies,
# allowed_mentions users/roles, ...), which Discord accepts, while the spec's single ``SnowflakeType``
# only allows decimal strings. We widen exactly that schema to "decimal string or non-negative integer".
SNOWFLAKE_SCHEMA = "SnowflakeType"

_lock = threading.Lock()
_api: Any = None
_load_failed = False


def spec_available() -> bool:
    """Whether the spec file exists (tests should ``pytest.skip`` when it does not)."""
    return SPEC_PATH.is_file()


def require_spec() -> None:
    """``pytest.skip`` the calling test when the spec file is absent."""
    if not spec_available():
        import pytest

        pytest.skip(f"Discord OpenAPI spec discord-openapi.json not found at {SPEC_PATH}")


def load_spec() -> Any:
    """The cached ``openapi_core.OpenAPI`` for the spec (~3-4 s the first time), or None if unavailable."""
    global _api, _load_failed
    with _lock:
        if _api is None and not _load_failed:
            if not spec_available():
                log.warning("OpenAPI validation disabled: %s not found", SPEC_PATH)
                _load_failed = True
                return None
            from openapi_core import OpenAPI

            with SPEC_PATH.open(encoding="utf-8") as fh:
                spec = json.load(fh)
            schemas = spec["components"]["schemas"]
            integer = {"type": "integer", "minimum": 0}
            schemas[SNOWFLAKE_SCHEMA] = {"anyOf": [schemas[SNOWFLAKE_SCHEMA], integer]}
            _api = OpenAPI.from_dict(spec)
            log.info("loaded Discord OpenAPI spec from %s", SPEC_PATH)
        return _api


def validate(method: str, path: str, query: Mapping[str, str], headers: Mapping[str, str],
             json_body: bytes | None) -> list[str]:
    """Spec violations of one API request (``path`` without ``/api/v10``, ``json_body`` raw JSON or None).

    Multipart requests are validated through their ``payload_json`` part (the spec's multipart schemas
    are the JSON schema plus ``files[n]`` binaries).
    """
    api = load_spec()
    if api is None:
        return []
    from openapi_core.testing import MockRequest

    request = MockRequest(
        SPEC_HOST, method, API_PREFIX + path, args=dict(query), headers=dict(headers),
        data=json_body or None, content_type="application/json",
    )
    try:
        errors = [_format(exc) for exc in api.iter_request_errors(request)]
    except Exception as exc:  # never let the validator break the fake server
        log.exception("OpenAPI validator crashed on %s %s", method, path)
        errors = [f"validator crashed: {exc!r}"]
    return [e for e in errors if not _exempt(method, path, e)]


def _exempt(method: str, path: str, error: str) -> bool:
    for ex in EXEMPTIONS:
        if (ex.method == method.upper() and re.fullmatch(ex.path_regex, path)
                and re.search(ex.error_regex, error)):
            log.debug("OpenAPI exemption (%s) for %s %s: %s", ex.reason, method, path, error)
            return True
    return False


def _format(exc: Exception) -> str:
    """One readable line per error, with the JSON path of each schema violation."""
    from jsonschema.exceptions import best_match

    parts = []
    for error in getattr(exc.__cause__, "schema_errors", None) or []:
        detail = f"{error.json_path}: {error.message}"
        if error.context:  # anyOf/oneOf: name the closest branch's actual problem
            deep = best_match(error.context)
            detail += f" (closest: {deep.json_path}: {deep.message})"
        parts.append(detail)
    text = f"{type(exc).__name__}: " + (" | ".join(parts) if parts else str(exc))
    return text if len(text) <= MAX_ERROR_CHARS else text[:MAX_ERROR_CHARS] + "..."
