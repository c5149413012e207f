"""REST endpoints of the fake: a small route table of handlers over :class:`World`."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from devtools.discord_fake import payloads as p
from devtools.discord_fake.recording import RecordedRequest
from devtools.discord_fake.world import World

log = logging.getLogger(__name__)

JSON = p.JSON
SF = r"(\d+)"  # a snowflake path segment
TOKEN = r"([^/]+)"


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # JSON-serialisable; None with 204


Handler = Callable[[World, RecordedRequest, re.Match[str]], Reply]
ROUTES: list[tuple[str, re.Pattern[str], Handler]] = []
# Endpoints that authenticate with the interaction/webhook token instead of the bot token.
NO_AUTH = re.compile(r"/(interactions|webhooks)/.*")


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        ROUTES.append((method, re.compile(pattern), handler))
        return handler

    return register


def handle(world: World, request: RecordedRequest) -> Reply:
    """Route an API request (path without /api/v10); unknown routes get Discord's 404 ``Unknown`` error."""
    for method, pattern, handler in ROUTES:
        if method == request.method and (match := pattern.fullmatch(request.path)):
            return handler(world, request, match)
    log.warning("fake Discord has no route for %s %s", request.method, request.path)
    return Reply(404, p.error("Unknown", 0))


def unknown(what: str, code: int) -> Reply:
    return Reply(404, p.error(f"Unknown {what}", code))


def _files(request: RecordedRequest) -> list[tuple[str, bytes, str | None]]:
    return [(f.filename, f.data, f.content_type) for f in request.files]


# -- identity -----------------------------------------------------------------------------------------
@route("GET", r"/users/@me")
def get_me(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    return Reply(body=world.bot_user)


@route("GET", r"/oauth2/applications/@me")
def get_application(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    return Reply(body=world.application)


@route("GET", r"/gateway(/bot)?")
def get_gateway(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    url = world.url("/gateway").replace("http://", "ws://", 1)
    if not m.group(1):
        return Reply(body={"url": url})
    limit = {"total": 1000, "remaining": 999, "reset_after": 86_400_000, "max_concurrency": world.max_concurrency}
    return Reply(body={"url": url, "shards": world.gateway_shards, "session_start_limit": limit})


@route("GET", rf"/users/{SF}")
def get_user(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    try:
        return Reply(body=world.resolve_user(m.group(1)))
    except KeyError:
        return unknown("User", 10013)


@route("POST", r"/users/@me/channels")
def create_dm(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    try:
        recipient = world.resolve_user(str(request.json["recipient_id"]))
    except KeyError:
        return unknown("User", 10013)
    for channel in world.channels.values():
        if channel["type"] == 1 and channel["recipients"][0]["id"] == recipient["id"]:
            return Reply(body=channel)
    channel = p.dm_channel(world.ids.next(), recipient)
    world.channels[channel["id"]] = channel
    return Reply(body=channel)


@route("GET", rf"/guilds/{SF}/members/{SF}")
def get_member(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    guild = world.guilds.get(m.group(1))
    member = guild.members.get(m.group(2)) if guild else None
    return Reply(body=member) if member else unknown("Member", 10007)


# -- channels and messages ------------------------------------------------------------------------------
@route("GET", rf"/channels/{SF}")
def get_channel(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    channel = world.channels.get(m.group(1))
    return Reply(body=channel) if channel else unknown("Channel", 10003)


@route("POST", rf"/channels/{SF}/messages")
def create_message(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    if m.group(1) not in world.channels:
        return unknown("Channel", 10003)
    body = request.json or {}
    if not (body.get("content") or body.get("embeds") or request.files or body.get("sticker_ids")
            or body.get("components") or body.get("poll")):
        return Reply(400, p.error("Cannot send an empty message", 50006))
    return Reply(body=world.bot_message(m.group(1), body, _files(request)))


@route("GET", rf"/channels/{SF}/messages")
def list_messages(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    found = [msg for msg in world.messages.values() if msg["channel_id"] == m.group(1)]
    found.sort(key=lambda msg: int(msg["id"]), reverse=True)
    return Reply(body=found[: int(request.query.get("limit", 50))])


@route("GET", rf"/channels/{SF}/messages/{SF}")
def get_message(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    msg = world.messages.get(m.group(2))
    return Reply(body=msg) if msg and msg["channel_id"] == m.group(1) else unknown("Message", 10008)


@route("PATCH", rf"/channels/{SF}/messages/{SF}")
def edit_message(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    msg = world.messages.get(m.group(2))
    if not msg or msg["channel_id"] != m.group(1):
        return unknown("Message", 10008)
    world.edits.append({"message_id": m.group(2), "channel_id": m.group(1), "body": request.json or {},
                        "time": request.time})
    return Reply(body=_edit(world, msg, request))


def _edit(world: World, msg: JSON, request: RecordedRequest) -> JSON:
    body = request.json or {}
    for key in ("content", "embeds", "components"):
        if key in body:
            msg[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
    if "flags" in body and body["flags"] is not None:
        msg["flags"] = int(body["flags"])
    if "attachments" in body or request.files:
        kept_ids = {str(a.get("id")) for a in body.get("attachments") or []}
        msg["attachments"] = [a for a in msg["attachments"] if a["id"] in kept_ids]
        msg["attachments"] += [world.add_attachment(*f) for f in _files(request)]
    msg["flags"] = msg.get("flags", 0) & ~p.LOADING_FLAG
    msg["edited_timestamp"] = p.now_iso()
    return msg


@route("DELETE", rf"/channels/{SF}/messages/{SF}")
def delete_message(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    return Reply(204) if world.messages.pop(m.group(2), None) else unknown("Message", 10008)


@route("POST", rf"/channels/{SF}/typing")
def typing(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    return Reply(204) if m.group(1) in world.channels else unknown("Channel", 10003)


@route("PUT", rf"/channels/{SF}/messages/{SF}/reactions/{TOKEN}/@me")
@route("DELETE", rf"/channels/{SF}/messages/{SF}/reactions/{TOKEN}/@me")
@route("DELETE", rf"/channels/{SF}/messages/{SF}/reactions/{TOKEN}/{SF}")
@route("DELETE", rf"/channels/{SF}/messages/{SF}/reactions(?:/{TOKEN})?")
def reactions(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    return Reply(204) if m.group(2) in world.messages else unknown("Message", 10008)


@route("POST", rf"/channels/{SF}/threads")
@route("POST", rf"/channels/{SF}/messages/{SF}/threads")
def create_thread(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    parent = world.channels.get(m.group(1))
    if parent is None:
        return unknown("Channel", 10003)
    body = request.json or {}
    from_message = m.lastindex == 2
    if from_message and m.group(2) not in world.messages:
        return unknown("Message", 10008)
    thread_id = m.group(2) if from_message else world.ids.next()  # a message's thread shares its id
    thread = p.thread_channel(thread_id, body.get("name", "thread"), parent, world.app_id,
                              type_=11 if from_message else int(body.get("type") or 12),
                              auto_archive_duration=int(body.get("auto_archive_duration") or 1440))
    world.channels[thread_id] = thread
    return Reply(201, thread)


# -- application commands -------------------------------------------------------------------------------
def _commands(world: World, guild_id: str | None) -> list[JSON]:
    return world.guild_commands.setdefault(guild_id, []) if guild_id else world.global_commands


@route("PUT", rf"/applications/{SF}/commands")
@route("PUT", rf"/applications/{SF}/guilds/{SF}/commands")
def put_commands(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    guild_id = m.group(2) if m.lastindex == 2 else None
    old = {c["name"]: c["id"] for c in _commands(world, guild_id)}
    commands = [p.application_command(old.get(body["name"]) or world.ids.next(), world.app_id, body,
                                      guild_id=guild_id) for body in request.json or []]
    if guild_id:
        world.guild_commands[guild_id] = commands
    else:
        world.global_commands = commands
    return Reply(body=commands)


@route("GET", rf"/applications/{SF}/commands")
@route("GET", rf"/applications/{SF}/guilds/{SF}/commands")
def get_commands(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    return Reply(body=_commands(world, m.group(2) if m.lastindex == 2 else None))


@route("POST", rf"/applications/{SF}/commands")
@route("POST", rf"/applications/{SF}/guilds/{SF}/commands")
def upsert_command(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    guild_id = m.group(2) if m.lastindex == 2 else None
    commands = _commands(world, guild_id)
    body = request.json or {}
    old = next((c for c in commands if c["name"] == body.get("name")), None)
    command_id = old["id"] if old else world.ids.next()
    command = p.application_command(command_id, world.app_id, body, guild_id=guild_id)
    commands[:] = [c for c in commands if c is not old] + [command]
    return Reply(200 if old else 201, command)


# -- interactions and their webhooks --------------------------------------------------------------------
@route("POST", rf"/interactions/{SF}/{TOKEN}/callback")
def interaction_callback(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    record = world.interactions.get(m.group(2))
    if record is None or record.payload["id"] != m.group(1):
        return unknown("interaction", 10062)
    if record.acknowledged:
        return Reply(400, p.error("Interaction has already been acknowledged.", 40060))
    body = request.json or {}
    kind, data = int(body.get("type", 0)), body.get("data") or {}
    record.acknowledged, record.response_type = True, kind
    channel_id = record.payload["channel_id"]
    interaction: JSON = {"id": record.payload["id"], "type": record.payload["type"]}
    resource: JSON = {"type": kind}
    if kind in (4, 5):  # (deferred) channel message with source
        flags = int(data.get("flags") or 0)
        if kind == 5:
            loading = {"flags": flags | p.LOADING_FLAG}
            message = world.bot_message(channel_id, loading, webhook_id=world.app_id)
        else:
            message = world.bot_message(channel_id, data, _files(request), webhook_id=world.app_id)
        message["interaction_metadata"] = {"id": record.payload["id"], "type": 2,
                                           "user": record.payload["member"]["user"],
                                           "authorizing_integration_owners": {"0": record.payload["guild_id"]}}
        record.original_message_id = message["id"]
        interaction |= {"response_message_id": message["id"], "response_message_loading": kind == 5,
                        "response_message_ephemeral": bool(flags & p.EPHEMERAL_FLAG)}
        resource["message"] = message
    return Reply(200, {"interaction": interaction, "resource": resource})


def _interaction(world: World, app_id: str, token: str) -> Any:
    record = world.interactions.get(token)
    return record if record is not None and app_id == world.app_id else None


@route("POST", rf"/webhooks/{SF}/{TOKEN}")
def followup(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    record = _interaction(world, m.group(1), m.group(2))
    if record is None:
        return unknown("Webhook", 10015)
    if not record.acknowledged:
        return unknown("Webhook", 10015)  # Discord: followups need an acknowledged interaction
    original = world.messages.get(record.original_message_id or "")
    if record.response_type == 5 and original is not None and original["flags"] & p.LOADING_FLAG:
        # Discord: the first followup after a deferral replaces the "thinking" message (keeping its
        # ephemeral flag) instead of creating a new one.
        ephemeral = original["flags"] & p.EPHEMERAL_FLAG
        message = _edit(world, original, request)
        message["flags"] |= ephemeral
        message["edited_timestamp"] = None
    else:
        message = world.bot_message(record.payload["channel_id"], request.json or {}, _files(request),
                                    webhook_id=world.app_id)
    wait = request.query.get("wait", "").lower() in ("1", "true")
    return Reply(200, message) if wait else Reply(204)


@route("GET", rf"/webhooks/{SF}/{TOKEN}/messages/(@original|\d+)")
@route("PATCH", rf"/webhooks/{SF}/{TOKEN}/messages/(@original|\d+)")
@route("DELETE", rf"/webhooks/{SF}/{TOKEN}/messages/(@original|\d+)")
def webhook_message(world: World, request: RecordedRequest, m: re.Match[str]) -> Reply:
    record = _interaction(world, m.group(1), m.group(2))
    if record is None:
        return unknown("Webhook", 10015)
    message_id = record.original_message_id if m.group(3) == "@original" else m.group(3)
    message = world.messages.get(message_id or "")
    if message is None:
        return unknown("Message", 10008)
    if request.method == "GET":
        return Reply(body=message)
    if request.method == "DELETE":
        del world.messages[message["id"]]
        return Reply(204)
    return Reply(body=_edit(world, message, request))
