"""Builders for Discord API objects (users, guild parts, messages, interactions) as plain JSON dicts."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime
from typing import Any

log = logging.getLogger(__name__)

JSON = dict[str, Any]
DISCORD_EPOCH_MS = 1420070400000

# Permission bits (https://discord.com/developers/docs/topics/permissions).
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_THREADS = 1 << 34
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
MODERATE_MEMBERS = 1 << 40
EVERYONE_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY
    | ADD_REACTIONS | USE_APPLICATION_COMMANDS | CREATE_PUBLIC_THREADS | SEND_MESSAGES_IN_THREADS
)
MODERATOR_PERMISSIONS = MANAGE_MESSAGES | MANAGE_THREADS | MODERATE_MEMBERS
BOT_PERMISSIONS = EVERYONE_PERMISSIONS | MANAGE_MESSAGES | MANAGE_THREADS

# Message flags / types.
EPHEMERAL_FLAG = 1 << 6
LOADING_FLAG = 1 << 7
MESSAGE_TYPE_DEFAULT = 0
MESSAGE_TYPE_REPLY = 19


class Snowflakes:
    """Thread-safe generator of increasing snowflake ids (strings, like the API)."""

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            value = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
            self._last = max(value, self._last + 1)
            return str(self._last)

    def next_on_shard(self, shard_id: int, shard_count: int) -> str:
        """The next id whose guild Discord would put on ``shard_id`` of ``shard_count`` (a later timestamp)."""
        with self._lock:
            stamp = max((int(time.time() * 1000) - DISCORD_EPOCH_MS), (self._last >> 22) + 1)
            while stamp % shard_count != shard_id:
                stamp += 1
            self._last = stamp << 22
            return str(self._last)


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def user(user_id: str, username: str, *, bot: bool = False) -> JSON:
    data: JSON = {
        "id": user_id, "username": username, "discriminator": "0", "global_name": None,
        "avatar": None, "public_flags": 0, "flags": 0, "primary_guild": None,
        "avatar_decoration_data": None, "collectibles": None,
    }
    if bot:
        data["bot"] = True
    return data


def bot_self_user(user_id: str, username: str) -> JSON:
    """The bot's own user as returned by ``GET /users/@me`` and READY."""
    return {**user(user_id, username, bot=True), "verified": True, "mfa_enabled": False, "locale": "en-US"}


def application(app_id: str, name: str, owner: JSON) -> JSON:
    return {
        "id": app_id, "name": name, "description": "", "icon": None, "summary": "",
        "bot_public": True, "bot_require_code_grant": False, "owner": owner, "verify_key": "0" * 64,
        "flags": 0, "flags_new": "0", "team": None, "interactions_endpoint_url": None, "type": None,
        "redirect_uris": [], "role_connections_verification_url": None, "approximate_guild_count": 1,
        "approximate_user_install_count": 0, "approximate_user_authorization_count": 0,
        "explicit_content_filter": 0, "eligible_oauth2_scopes": ["bot", "applications.commands"],
    }


def role(role_id: str, name: str, permissions: int, *, position: int, bot_id: str | None = None) -> JSON:
    data: JSON = {
        "id": role_id, "name": name, "permissions": str(permissions), "position": position,
        "color": 0, "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False, "managed": bot_id is not None, "mentionable": False, "flags": 0,
        "icon": None, "unicode_emoji": None,
    }
    if bot_id is not None:
        data["tags"] = {"bot_id": bot_id}
    return data


def text_channel(channel_id: str, name: str, guild_id: str, *, position: int) -> JSON:
    return {
        "id": channel_id, "type": 0, "name": name, "guild_id": guild_id, "position": position,
        "permission_overwrites": [], "topic": None, "nsfw": False, "parent_id": None,
        "last_message_id": None, "rate_limit_per_user": 0, "flags": 0,
    }


def thread_channel(thread_id: str, name: str, parent: JSON, owner_id: str, *, type_: int = 11,
                   auto_archive_duration: int = 1440) -> JSON:
    return {
        "id": thread_id, "type": type_, "name": name, "guild_id": parent.get("guild_id"),
        "parent_id": parent["id"], "owner_id": owner_id, "last_message_id": None,
        "rate_limit_per_user": 0, "flags": 0, "message_count": 0, "member_count": 1,
        "total_message_sent": 0,
        "thread_metadata": {
            "archived": False, "auto_archive_duration": auto_archive_duration,
            "archive_timestamp": now_iso(), "locked": False, "create_timestamp": now_iso(),
        },
    }


def dm_channel(channel_id: str, recipient: JSON) -> JSON:
    return {"id": channel_id, "type": 1, "last_message_id": None, "flags": 0, "recipients": [recipient]}


def member(user_data: JSON, roles: list[str]) -> JSON:
    """A full guild member (with ``user``) as in GUILD_CREATE / GET member."""
    return {
        "user": user_data, "roles": list(roles), "nick": None, "avatar": None, "banner": None,
        "joined_at": now_iso(), "premium_since": None, "deaf": False, "mute": False, "flags": 0,
        "pending": False, "communication_disabled_until": None,
    }


def partial_member(full_member: JSON) -> JSON:
    """The member object without ``user`` as carried by MESSAGE_CREATE."""
    return {k: v for k, v in full_member.items() if k != "user"}


def message(message_id: str, channel_id: str, author: JSON, content: str, *, guild_id: str | None = None,
            embeds: list[JSON] | None = None, attachments: list[JSON] | None = None,
            mentions: list[JSON] | None = None, mention_roles: list[str] | None = None,
            message_reference: JSON | None = None, referenced_message: JSON | None = None,
            components: list[JSON] | None = None, flags: int = 0, tts: bool = False) -> JSON:
    data: JSON = {
        "id": message_id, "channel_id": channel_id, "author": author, "content": content,
        "timestamp": now_iso(), "edited_timestamp": None, "tts": tts, "mention_everyone": False,
        "mentions": list(mentions or []), "mention_roles": list(mention_roles or []),
        "attachments": list(attachments or []), "embeds": list(embeds or []), "pinned": False,
        "type": MESSAGE_TYPE_REPLY if message_reference else MESSAGE_TYPE_DEFAULT, "flags": flags,
        "components": list(components or []),
    }
    if guild_id is not None:
        data["guild_id"] = guild_id
    if message_reference:
        data["message_reference"] = {"type": 0, **message_reference}
        data["referenced_message"] = referenced_message
    return data


def attachment(attachment_id: str, filename: str, size: int, url: str, content_type: str | None) -> JSON:
    return {
        "id": attachment_id, "filename": filename, "size": size, "url": url, "proxy_url": url,
        "content_type": content_type, "ephemeral": False,
    }


def application_command(command_id: str, app_id: str, body: JSON, *, guild_id: str | None) -> JSON:
    """The stored form of a command registered through PUT/POST ``.../commands``."""
    data: JSON = {
        "type": 1, "description": "", "options": [], "default_member_permissions": None, "nsfw": False,
        **body, "id": command_id, "application_id": app_id, "version": command_id,
    }
    if data.get("integration_types") is None:  # discord.py sends null; Discord answers the default
        data["integration_types"] = [0]
    if guild_id is not None:
        data["guild_id"] = guild_id
    return data


def error(message: str, code: int = 0) -> JSON:
    return {"message": message, "code": code}
