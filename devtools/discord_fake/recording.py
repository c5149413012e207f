"""Records of the HTTP requests the bot made, waiting for them, and injected failures."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class UploadedFile:
    """One ``files[n]`` part of a multipart request."""

    field_name: str
    filename: str
    content_type: str | None
    data: bytes


@dataclass
class RecordedRequest:
    """An HTTP request received by the fake server.

    ``path`` has the ``/api/v10`` prefix stripped for API calls (``/channels/1/messages``) and is the raw
    path for anything else (``/attachments/...``, pages); ``api`` tells which. ``json`` is the parsed JSON
    body, or the parsed ``payload_json`` part of a multipart body. ``status``/``response`` are what the
    server answered. ``openapi_errors`` lists violations of Discord's OpenAPI spec (empty when valid or
    when the spec is not available).
    """

    method: str
    path: str
    raw_path: str
    query: dict[str, str]
    headers: Mapping[str, str]
    body: bytes
    json: Any
    time: float
    api: bool = True
    files: list[UploadedFile] = field(default_factory=list)
    status: int = 0
    response: Any = None
    openapi_errors: list[str] = field(default_factory=list)

    def matches(self, method: str, path_regex: str) -> bool:
        """Method (case-insensitive, ``*`` = any) and ``re.fullmatch`` of ``path_regex`` on ``path``."""
        method_ok = method == "*" or self.method.upper() == method.upper()
        return method_ok and re.fullmatch(path_regex, self.path) is not None

    def __str__(self) -> str:
        query = "?" + "&".join(f"{k}={v}" for k, v in self.query.items()) if self.query else ""
        return f"{self.method} {self.path}{query} -> {self.status}"


@dataclass
class FailRule:
    """Make the next ``times`` requests matching ``method``/``path_regex`` fail with ``status``."""

    method: str
    path_regex: str
    status: int = 429
    retry_after: float = 0.05
    times: int = 1
    body: Any = None
    is_global: bool = False


class RequestLog:
    """The list of requests plus ``wait_for`` that hands out each matching request only once."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._consumed: set[int] = set()
        self._changed = asyncio.Condition()

    async def add(self, request: RecordedRequest) -> None:
        self.requests.append(request)
        async with self._changed:
            self._changed.notify_all()

    def find(self, method: str = "*", path_regex: str = ".*",
             predicate: Callable[[RecordedRequest], bool] | None = None) -> list[RecordedRequest]:
        """All recorded requests matching (consumed or not)."""
        return [r for r in self.requests
                if r.matches(method, path_regex) and (predicate is None or predicate(r))]

    def _first_unconsumed(self, method: str, path_regex: str,
                          predicate: Callable[[RecordedRequest], bool] | None) -> int | None:
        for index, request in enumerate(self.requests):
            if index in self._consumed or not request.matches(method, path_regex):
                continue
            if predicate is None or predicate(request):
                return index
        return None

    async def wait_for(self, method: str, path_regex: str,
                       predicate: Callable[[RecordedRequest], bool] | None = None,
                       timeout: float = 10.0) -> RecordedRequest:
        """The first matching request (past or future) not returned by an earlier ``wait_for``."""
        found: list[int] = []

        def ready() -> bool:
            index = self._first_unconsumed(method, path_regex, predicate)
            if index is not None:
                found.append(index)
            return index is not None

        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(ready)
        except TimeoutError:
            seen = "\n  ".join(str(r) for r in self.requests) or "(none)"
            raise AssertionError(
                f"no {method} {path_regex} request within {timeout}s; requests so far:\n  {seen}"
            ) from None
        self._consumed.add(found[-1])
        return self.requests[found[-1]]
