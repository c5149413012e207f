"""The fake gateway: HELLO/IDENTIFY/READY/GUILD_CREATE, heartbeats, DISPATCH with sequence numbers, RESUME.

Sharded IDENTIFY (``shard: [i, n]``) opens one session per shard, several connected at once: each guild's
events go only to its shard's session (``(guild_id >> 22) % n``), DMs and guild-less events to shard 0.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from devtools.discord_fake.world import World

log = logging.getLogger(__name__)

JSON = dict[str, Any]
DISPATCH, HEARTBEAT, IDENTIFY, RESUME = 0, 1, 2, 6
REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 8, 9, 10, 11
GUILD_MESSAGES, DIRECT_MESSAGES, MESSAGE_CONTENT = 1 << 9, 1 << 12, 1 << 15
CLOSE_AUTHENTICATION_FAILED = 4004


def shard_of(guild_id: str | int, shard_count: int) -> int:
    """Discord's sharding formula: the shard a guild's events are sent on."""
    return (int(guild_id) >> 22) % shard_count


def guild_of_event(event: str, data: JSON) -> str | None:
    """The guild an event belongs to (``id`` for GUILD_* events on the guild itself), None for DMs."""
    if data.get("guild_id") is not None:
        return str(data["guild_id"])
    if event in ("GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE") and data.get("id") is not None:
        return str(data["id"])
    return None


@dataclass
class Session:
    """A gateway session: survives reconnects when the client RESUMEs."""

    session_id: str
    intents: int
    seq: int = 0
    identify: JSON = field(default_factory=dict)
    shard: tuple[int, int] | None = None  # (shard id, shard count) when the client identified sharded

    def serves(self, guild_id: str | None) -> bool:
        """Whether Discord would send this guild's events (``None``: a DM or guild-less event) here."""
        if self.shard is None:
            return True
        shard_id, count = self.shard
        return shard_id == (shard_of(guild_id, count) if guild_id is not None else 0)


@dataclass
class Connection:
    """One websocket connection; ``live`` once READY or RESUMED has been sent on it."""

    ws: web.WebSocketResponse
    request: web.Request
    session: Session | None = None
    live: bool = False
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Gateway:
    """Serves ``/gateway`` (and ``/gateway/resume``, the READY ``resume_gateway_url``) for one client."""

    def __init__(self, world: World, *, heartbeat_interval_ms: int = 1000) -> None:
        self.world = world
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.heartbeats: list[float] = []
        self.received: list[JSON] = []  # every payload the client sent (op, d)
        self.sessions: dict[str, Session] = {}
        self.connection: Connection | None = None  # the latest connection
        self.connections: list[Connection] = []  # every open connection (one per shard when sharded)
        self.identify_times: dict[int | None, list[float]] = {}  # shard id -> time.monotonic() of each IDENTIFY
        self.deliveries: list[tuple[str, int | None]] = []  # (event, shard id it was sent on) of dispatch()
        self.identify_count = 0
        self.resume_count = 0
        self.connect_paths: list[str] = []
        self._state_changed = asyncio.Condition()

    @property
    def gateway_url(self) -> str:
        return self.world.url("/gateway").replace("http://", "ws://", 1)

    # -- websocket handler -------------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        conn = Connection(ws, request)
        self.connection = conn
        self.connections.append(conn)
        self.connect_paths.append(request.path_qs)
        log.debug("gateway connection %s", request.path_qs)
        await self._send(conn, {"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
        try:
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    await self._on_payload(conn, json.loads(msg.data))
                elif msg.type is WSMsgType.ERROR:
                    log.debug("gateway websocket error: %s", ws.exception())
        finally:
            conn.live = False
            if conn in self.connections:
                self.connections.remove(conn)
            await self._notify()
        return ws

    async def _replace_older(self, conn: Connection) -> None:
        """A new connection for a session's shard closes any older one of the same shard."""
        assert conn.session is not None
        shard = conn.session.shard[0] if conn.session.shard else None
        for other in list(self.connections):
            if other is not conn and other.session is not None and not other.ws.closed and (
                    (other.session.shard[0] if other.session.shard else None) == shard):
                other.live = False
                await other.ws.close(code=4000)

    async def _on_payload(self, conn: Connection, payload: JSON) -> None:
        self.received.append(payload)
        op, data = payload.get("op"), payload.get("d") or {}
        if op == HEARTBEAT:
            self.heartbeats.append(time.monotonic())
            await self._send(conn, {"op": HEARTBEAT_ACK})
        elif op == IDENTIFY:
            await self._identify(conn, data)
        elif op == RESUME:
            await self._resume(conn, data)
        elif op == REQUEST_MEMBERS:
            await self._members_chunk(conn, data)
        else:
            log.debug("gateway ignoring op %s", op)

    async def _identify(self, conn: Connection, data: JSON) -> None:
        if data.get("token") != self.world.token:
            await conn.ws.close(code=CLOSE_AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return
        shard = data.get("shard")
        session = Session(secrets.token_hex(16), int(data.get("intents", 0)), identify=data,
                          shard=(int(shard[0]), int(shard[1])) if shard else None)
        self.identify_times.setdefault(session.shard[0] if session.shard else None, []).append(time.monotonic())
        self.sessions[session.session_id] = session
        conn.session = session
        await self._replace_older(conn)
        guilds = [guild_id for guild_id in self.world.guilds if session.serves(guild_id)]
        ready: JSON = {
            "v": 10, "user": self.world.bot_user,
            "guilds": [{"id": guild_id, "unavailable": True} for guild_id in guilds],
            "session_id": session.session_id, "session_type": "normal",
            "resume_gateway_url": self.gateway_url + "/resume", "private_channels": [], "relationships": [],
            "presences": [], "guild_join_requests": [], "geo_ordered_rtc_regions": [], "user_settings": {},
            "application": {"id": self.world.app_id, "flags": self.world.application["flags"]},
        }
        if "shard" in data:
            ready["shard"] = data["shard"]
        await self._dispatch_on(conn, "READY", ready)
        for guild_id in guilds:
            await self._dispatch_on(conn, "GUILD_CREATE", self.world.guild_payload(guild_id))
        conn.live = True
        self.identify_count += 1
        await self._notify()

    async def _resume(self, conn: Connection, data: JSON) -> None:
        if data.get("token") != self.world.token:
            await conn.ws.close(code=CLOSE_AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return
        session = self.sessions.get(data.get("session_id", ""))
        if session is None:
            await self._send(conn, {"op": INVALID_SESSION, "d": False})
            return
        conn.session = session
        await self._replace_older(conn)
        await self._dispatch_on(conn, "RESUMED", {})
        conn.live = True
        self.resume_count += 1
        await self._notify()

    async def _members_chunk(self, conn: Connection, data: JSON) -> None:
        guild = self.world.guild(str(data.get("guild_id") or "") or None)
        members = list(guild.members.values())
        if data.get("user_ids"):
            wanted = {str(u) for u in data["user_ids"]}
            members = [m for m in members if m["user"]["id"] in wanted]
        elif data.get("query"):
            members = [m for m in members if m["user"]["username"].startswith(data["query"])]
        if data.get("limit"):
            members = members[: data["limit"]]
        chunk = {"guild_id": guild.id, "members": members, "chunk_index": 0, "chunk_count": 1}
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await self._dispatch_on(conn, "GUILD_MEMBERS_CHUNK", chunk)

    # -- sending -----------------------------------------------------------------------------------
    async def _send(self, conn: Connection, payload: JSON) -> None:
        async with conn.lock:
            await conn.ws.send_str(json.dumps(payload))

    async def _dispatch_on(self, conn: Connection, event: str, data: JSON) -> int:
        assert conn.session is not None
        async with conn.lock:  # sequence numbers must go out in order
            conn.session.seq += 1
            seq = conn.session.seq
            await conn.ws.send_str(json.dumps({"op": DISPATCH, "t": event, "s": seq, "d": data}))
        return seq

    async def dispatch(self, event: str, data: JSON, *, timeout: float = 10.0) -> int | None:
        """Send a DISPATCH on the session of the event's shard once it is connected; returns its ``s``, or
        None when Discord would not deliver it (MESSAGE_CREATE without the GUILD_MESSAGES/DIRECT_MESSAGES
        intent)."""
        guild_id = guild_of_event(event, data)
        conn = await self.wait_connected(timeout=timeout, guild_id=guild_id)
        assert conn.session is not None
        self.deliveries.append((event, conn.session.shard[0] if conn.session.shard else None))
        filtered = self._apply_intents(event, data, conn.session.intents)
        if filtered is None:
            log.warning("%s not delivered: the client did not identify with the needed intent", event)
            return None
        return await self._dispatch_on(conn, event, filtered)

    def _apply_intents(self, event: str, data: JSON, intents: int) -> JSON | None:
        """Discord's intent rules for messages: no delivery without (guild/direct) messages, and without
        MESSAGE_CONTENT the content, embeds, attachments and components are emptied unless the bot is
        the author, is mentioned, or it is a DM."""
        if event not in ("MESSAGE_CREATE", "MESSAGE_UPDATE"):
            return data
        in_guild = "guild_id" in data
        if not intents & (GUILD_MESSAGES if in_guild else DIRECT_MESSAGES):
            return None
        bot_id = self.world.bot_user["id"]
        exempt = (not in_guild or data.get("author", {}).get("id") == bot_id
                  or any(m.get("id") == bot_id for m in data.get("mentions", [])))
        if intents & MESSAGE_CONTENT or exempt:
            return data
        return {**data, "content": "", "embeds": [], "attachments": [], "components": []}

    # -- control -----------------------------------------------------------------------------------
    async def drop(self, code: int = 4000, *, abnormal: bool = False) -> None:
        """Close the current websocket (``abnormal``: abort the TCP connection) so the client resumes."""
        conn = self.connection
        if conn is None:
            raise AssertionError("no gateway connection to drop")
        conn.live = False
        if abnormal and conn.request.transport is not None:
            conn.request.transport.abort()
        else:
            await conn.ws.close(code=code)
        await self._notify()

    async def close(self) -> None:
        for conn in list(self.connections):
            if not conn.ws.closed:
                conn.live = False
                await conn.ws.close(code=1001)

    async def _notify(self) -> None:
        async with self._state_changed:
            self._state_changed.notify_all()

    async def _wait(self, what: str, ready: Callable[[], bool], timeout: float) -> None:
        try:
            async with asyncio.timeout(timeout), self._state_changed:
                await self._state_changed.wait_for(ready)
        except TimeoutError:
            raise AssertionError(f"gateway: {what} did not happen within {timeout}s") from None

    def _live_for(self, guild_id: str | None) -> Connection | None:
        """The newest live connection whose session Discord would send ``guild_id``'s events to."""
        for conn in reversed(self.connections):
            if conn.live and conn.session is not None and conn.session.serves(guild_id):
                return conn
        return None

    async def wait_connected(self, *, timeout: float = 10.0, guild_id: str | None = None) -> Connection:
        """The live connection (READY or RESUMED sent) for ``guild_id``'s shard (None: shard 0, or the only
        session), waiting for a (re)connect if needed."""
        await self._wait("client connection", lambda: self._live_for(guild_id) is not None, timeout)
        conn = self._live_for(guild_id)
        assert conn is not None
        return conn

    async def wait_identified(self, count: int = 1, *, timeout: float = 10.0) -> None:
        """Wait until the client has identified ``count`` times (READY + GUILD_CREATE sent)."""
        await self._wait(f"IDENTIFY #{count}", lambda: self.identify_count >= count, timeout)

    async def wait_resumed(self, count: int = 1, *, timeout: float = 10.0) -> None:
        """Wait until the client has resumed ``count`` times (RESUMED sent)."""
        await self._wait(f"RESUME #{count}", lambda: self.resume_count >= count, timeout)
