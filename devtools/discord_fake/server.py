"""FakeDiscord: a Discord-compatible REST + gateway server on 127.0.0.1 for driving a real discord.py bot."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import socket
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web
from multidict import CIMultiDict

from devtools.discord_fake import openapi, rest
from devtools.discord_fake import payloads as p
from devtools.discord_fake.gateway import Gateway
from devtools.discord_fake.recording import FailRule, RecordedRequest, RequestLog, UploadedFile
from devtools.discord_fake.world import UserRef, World

log = logging.getLogger(__name__)

JSON = p.JSON
API_PREFIX_RE = re.compile(r"^/api/v(\d+)(/.*)$")
CONTENT_TYPE_JSON = "application/json"  # exactly: discord.py compares the header verbatim


class FakeDiscord(World):
    """A fake Discord (guilds, users, channels) serving REST under ``/api/v10`` and a gateway.

    Ids are strings, as in the API. See ``World`` for the data helpers and ``devtools/discord_fake/__init__``
    for the usage overview.
    """

    def __init__(self, *, heartbeat_interval_ms: int = 1000, token: str | None = None,
                 validate_openapi: bool = True) -> None:
        super().__init__(token=token)
        self.gateway = Gateway(self, heartbeat_interval_ms=heartbeat_interval_ms)
        self.log = RequestLog()
        self.validate_openapi = validate_openapi
        self._fail_rules: list[FailRule] = []
        self._runner: web.AppRunner | None = None

    # -- lifecycle ---------------------------------------------------------------------------------
    async def start(self) -> None:
        """Listen on a random 127.0.0.1 port (and load the OpenAPI spec in a thread, once per process)."""
        if self.validate_openapi:
            await asyncio.to_thread(openapi.load_spec)
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/gateway/resume", self.gateway.handle)
        app.router.add_route("*", "/{tail:.*}", self._handle_http)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        await web.SockSite(self._runner, sock).start()
        log.info("fake Discord listening on %s", self.base_url)

    async def close(self) -> None:
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def api_base(self) -> str:
        return self.base_url + "/api/v10"

    @property
    def gateway_url(self) -> str:
        return self.gateway.gateway_url

    @property
    def heartbeats(self) -> list[float]:
        """``time.monotonic()`` of every heartbeat (op 1) the client sent."""
        return self.gateway.heartbeats

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.log.requests

    # -- gateway -------------------------------------------------------------------------------------
    async def dispatch(self, event: str, data: JSON, *, timeout: float = 10.0) -> int | None:
        """Send a DISPATCH (waiting for a connected client); returns its sequence number."""
        return await self.gateway.dispatch(event, data, timeout=timeout)

    async def send_message(self, content: str, *, author: UserRef = "alice", channel_id: str | None = None,
                           mentions: list[UserRef] | None = None, message_reference: JSON | None = None,
                           referenced_message: JSON | None = None, attachments: list[JSON] | None = None,
                           embeds: list[JSON] | None = None) -> JSON:
        """``message_create(...)`` and dispatch it as MESSAGE_CREATE; returns the payload."""
        msg = self.message_create(content, author=author, channel_id=channel_id, mentions=mentions,
                                  message_reference=message_reference, referenced_message=referenced_message,
                                  attachments=attachments, embeds=embeds)
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    async def remove_bot_from_guild(self, guild_id: str) -> None:
        """The bot is kicked from a guild: GUILD_DELETE without ``unavailable``."""
        self.guilds.pop(guild_id, None)
        await self.dispatch("GUILD_DELETE", {"id": guild_id})

    async def send_interaction(self, name: str, options: list[JSON] | None = None, *,
                               member: UserRef = "alice", channel_id: str | None = None,
                               resolved: JSON | None = None, command_guild_id: str | None = None,
                               locale: str = "en-US") -> JSON:
        """``interaction_create(...)`` and dispatch it as INTERACTION_CREATE; returns the payload."""
        payload = self.interaction_create(name, options, member=member, channel_id=channel_id,
                                          resolved=resolved, command_guild_id=command_guild_id, locale=locale)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    async def drop_gateway(self, code: int = 4000, *, abnormal: bool = False) -> None:
        """Close the client's websocket; discord.py reconnects to ``resume_gateway_url`` and RESUMEs."""
        await self.gateway.drop(code, abnormal=abnormal)

    async def wait_connected(self, *, timeout: float = 10.0) -> None:
        await self.gateway.wait_connected(timeout=timeout)

    async def wait_identified(self, count: int = 1, *, timeout: float = 10.0) -> None:
        await self.gateway.wait_identified(count, timeout=timeout)

    async def wait_resumed(self, count: int = 1, *, timeout: float = 10.0) -> None:
        await self.gateway.wait_resumed(count, timeout=timeout)

    # -- REST recording --------------------------------------------------------------------------------
    async def wait_for_request(self, method: str, path_regex: str,
                               predicate: Callable[[RecordedRequest], bool] | None = None,
                               timeout: float = 10.0) -> RecordedRequest:
        """First request (already made or future) with ``method`` and ``re.fullmatch(path_regex, path)``
        not returned by an earlier wait; ``path`` is without ``/api/v10``. AssertionError on timeout."""
        return await self.log.wait_for(method, path_regex, predicate, timeout)

    def find_requests(self, method: str = "*", path_regex: str = ".*",
                      predicate: Callable[[RecordedRequest], bool] | None = None) -> list[RecordedRequest]:
        """All recorded requests matching, in arrival order."""
        return self.log.find(method, path_regex, predicate)

    def fail_next(self, method: str, path_regex: str, status: int = 429, retry_after: float = 0.05,
                  times: int = 1, *, body: Any = None, is_global: bool = False) -> None:
        """Fail the next ``times`` matching API requests: 429 with Discord's rate-limit body and headers
        (discord.py retries after ``retry_after``), other statuses with ``body`` or a Discord error body.
        Note discord.py sleeps 1 s+ before retrying a 500/502/504."""
        rule = FailRule(method.upper(), path_regex, status, retry_after, times, body, is_global)
        self._fail_rules.append(rule)

    def assert_valid_requests(self) -> None:
        """Fail if any recorded API request violated Discord's OpenAPI spec."""
        bad = [f"{r}: {e}" for r in self.requests for e in r.openapi_errors]
        if bad:
            raise AssertionError("requests violating Discord's OpenAPI spec:\n  " + "\n  ".join(bad))

    # -- HTTP handling --------------------------------------------------------------------------------
    async def _handle_http(self, request: web.Request) -> web.StreamResponse:
        recorded = await self._record(request)
        if recorded.api:
            status, body, headers = self._api_response(recorded, request)
        else:
            status, body, headers = self._file_response(recorded)
        recorded.status, recorded.response = status, body
        await self.log.add(recorded)
        if isinstance(body, bytes):
            return web.Response(status=status, body=body, headers=headers)
        if status == 204 or body is None:
            return web.Response(status=status, headers=headers)
        headers["Content-Type"] = CONTENT_TYPE_JSON
        return web.Response(status=status, body=json.dumps(body).encode(), headers=headers)

    async def _record(self, request: web.Request) -> RecordedRequest:
        arrived = time.monotonic()
        match = API_PREFIX_RE.match(request.path)
        raw_body, files, parsed, json_body = b"", [], None, None
        if request.content_type.startswith("multipart/"):
            async for part in (await request.multipart()):
                data = await part.read()  # type: ignore[union-attr]
                if part.name == "payload_json":  # type: ignore[union-attr]
                    json_body = bytes(data)
                else:
                    files.append(UploadedFile(part.name or "", part.filename or "",  # type: ignore[union-attr]
                                              part.headers.get("Content-Type"), bytes(data)))  # type: ignore[union-attr]
        else:
            raw_body = await request.read()
            if raw_body and request.content_type == CONTENT_TYPE_JSON:
                json_body = raw_body
        if json_body is not None:
            try:
                parsed = json.loads(json_body)
            except ValueError:
                log.warning("unparseable JSON body on %s %s", request.method, request.path)
        recorded = RecordedRequest(
            method=request.method, path=match.group(2) if match else request.path, raw_path=request.path,
            query=dict(request.query), headers=CIMultiDict(request.headers),
            body=raw_body or json_body or b"",
            json=parsed, time=arrived, api=match is not None, files=files,
        )
        if recorded.api and self.validate_openapi:
            recorded.openapi_errors = openapi.validate(recorded.method, recorded.path, recorded.query,
                                                       recorded.headers, json_body)
        return recorded

    def _api_response(self, req: RecordedRequest, request: web.Request) -> tuple[int, Any, dict[str, str]]:
        if not rest.NO_AUTH.fullmatch(req.path) and req.headers.get("Authorization") != f"Bot {self.token}":
            return 401, p.error("401: Unauthorized", 0), {}
        for rule in self._fail_rules:
            if rule.times > 0 and req.matches(rule.method, rule.path_regex):
                rule.times -= 1
                return self._failure(rule)
        reply = rest.handle(self, req)
        return reply.status, reply.body, {}

    @staticmethod
    def _failure(rule: FailRule) -> tuple[int, Any, dict[str, str]]:
        if rule.status != 429:
            body = rule.body if rule.body is not None else p.error(f"{rule.status}: injected", 0)
            return rule.status, body, {}
        body = rule.body or {"message": "You are being rate limited.", "retry_after": rule.retry_after,
                             "global": rule.is_global}
        headers = {
            "Via": "1.1 google", "Retry-After": str(max(1, round(rule.retry_after))),
            "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + rule.retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{rule.retry_after:.3f}", "X-RateLimit-Bucket": "fakebucket",
            "X-RateLimit-Scope": "global" if rule.is_global else "user",
        }
        if rule.is_global:
            headers["X-RateLimit-Global"] = "true"
        return 429, body, headers

    def _file_response(self, req: RecordedRequest) -> tuple[int, Any, dict[str, str]]:
        page = self.files.get(req.path)
        if page is None or req.method not in ("GET", "HEAD"):
            return 404, b"not found", {"Content-Type": "text/plain"}
        return page.status, page.body, {"Content-Type": page.content_type, **page.headers}
