"""In-memory Discord state: bot, application, guilds (the first is the default), users, channels, messages,
interactions, files."""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from devtools.discord_fake import payloads as p

log = logging.getLogger(__name__)

JSON = p.JSON
UserRef = JSON | str  # a user dict, a key of ``World.users`` ("alice") or a user id
MENTION_RE = re.compile(r"<@!?(\d+)>")
ROLE_MENTION_RE = re.compile(r"<@&(\d+)>")


@dataclass
class Page:
    """A static resource served by the fake server (pages and attachment files)."""

    body: bytes
    content_type: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class GuildState:
    """One guild: its roles (by key, and every role id), members and channels by name, and its preferred
    locale (set it before the bot connects: GUILD_CREATE carries it)."""

    id: str
    name: str
    preferred_locale: str = "en-US"
    role_ids: dict[str, str] = field(default_factory=dict)
    roles: list[str] = field(default_factory=list)
    members: dict[str, JSON] = field(default_factory=dict)
    channel_ids: dict[str, str] = field(default_factory=dict)


@dataclass
class InteractionRecord:
    """Server-side state of one interaction sent to the bot."""

    payload: JSON
    acknowledged: bool = False
    response_type: int | None = None
    original_message_id: str | None = None


class World:
    """The Discord data behind :class:`FakeDiscord`; ids are strings, as in the API."""

    def __init__(self, *, token: str | None = None, bot_name: str = "article-bot") -> None:
        self.ids = p.Snowflakes()
        self.base_url = ""  # set by the server once it listens
        self.token = token or f"fake-token.{secrets.token_urlsafe(24)}"
        bot_id = self.ids.next()
        self.bot_user: JSON = p.bot_self_user(bot_id, bot_name)
        self.app_id: str = bot_id  # modern applications share the bot user's id
        self.owner: JSON = p.user(self.ids.next(), "app-owner")
        self.application: JSON = p.application(self.app_id, bot_name, self.owner)
        self.roles: dict[str, JSON] = {}  # every guild's roles by id
        self.channels: dict[str, JSON] = {}
        self.users: dict[str, JSON] = {}
        self.guilds: dict[str, GuildState] = {}
        self.bot_name = bot_name
        primary = self.add_guild("Fake Guild")
        self.guild_id: str = primary.id
        self.guild_name = primary.name
        self.role_ids, self.members, self.channel_ids = primary.role_ids, primary.members, primary.channel_ids
        for name, roles, is_bot in (("alice", ["member", "moderator"], False), ("bob", ["member"], False),
                                    ("carol", [], False), ("otherbot", ["member"], True)):
            new_user = self.add_user(name, bot=is_bot)
            self.add_member(new_user["id"], roles=[self.role_ids[r] for r in roles])
        self.messages: dict[str, JSON] = {}
        self.edits: list[JSON] = []  # every successful message edit: message_id, channel_id, body (as sent), time
        self.interactions: dict[str, InteractionRecord] = {}  # by token
        self.global_commands: list[JSON] = []
        self.guild_commands: dict[str, list[JSON]] = {}
        self.files: dict[str, Page] = {}  # absolute path -> resource (attachments and pages)
        self.gateway_shards, self.max_concurrency = 1, 1  # what GET /gateway/bot recommends and allows

    # -- guild structure ---------------------------------------------------------------------------
    def add_guild(self, name: str, *, shard: tuple[int, int] | None = None) -> GuildState:
        """A guild with @everyone, member, moderator and bot roles, the bot as a member, and channels
        general, articles and off-topic (call before the bot connects so READY lists it); ``shard``
        ``(i, n)``: an id Discord would put on shard i of n."""
        guild = GuildState(self.ids.next_on_shard(*shard) if shard else self.ids.next(), name)
        self.guilds[guild.id] = guild
        guild.role_ids["everyone"] = self._add_role("@everyone", p.EVERYONE_PERMISSIONS, role_id=guild.id,
                                                    guild_id=guild.id)
        for key, role_name, perms in (("member", "member", 0), ("moderator", "moderator", p.MODERATOR_PERMISSIONS),
                                      ("bot", self.bot_name, p.BOT_PERMISSIONS)):
            guild.role_ids[key] = self._add_role(role_name, perms, bot_id=self.app_id if key == "bot" else None,
                                                 guild_id=guild.id)
        for position, channel_name in enumerate(("general", "articles", "off-topic")):
            self.add_text_channel(channel_name, position=position, guild_id=guild.id)
        guild.members[self.app_id] = p.member(self.bot_user, [guild.role_ids["bot"]])
        return guild

    def guild(self, guild_id: str | None = None) -> GuildState:
        """A guild by id (default: the first guild)."""
        return self.guilds[guild_id or next(iter(self.guilds))]

    def _add_role(self, name: str, permissions: int, *, role_id: str | None = None,
                  bot_id: str | None = None, guild_id: str | None = None) -> str:
        role_id = role_id or self.ids.next()
        self.roles[role_id] = p.role(role_id, name, permissions, position=len(self.roles), bot_id=bot_id)
        self.guild(guild_id).roles.append(role_id)
        return role_id

    def add_text_channel(self, name: str, *, position: int | None = None, guild_id: str | None = None) -> JSON:
        """Add a guild text channel (call before the bot connects so GUILD_CREATE carries it)."""
        guild = self.guild(guild_id)
        channel_id = self.ids.next()
        position = len(guild.channel_ids) if position is None else position
        channel = p.text_channel(channel_id, name, guild.id, position=position)
        self.channels[channel_id] = channel
        guild.channel_ids[name] = channel_id
        return channel

    def guild_of(self, channel_id: str) -> GuildState | None:
        """The guild a channel belongs to (None for DMs)."""
        guild_id = self.channels.get(channel_id, {}).get("guild_id")
        return self.guilds.get(guild_id) if guild_id else None

    def add_user(self, username: str, *, bot: bool = False) -> JSON:
        """Create a user (not a guild member) and register it under ``users[username]``."""
        new_user = p.user(self.ids.next(), username, bot=bot)
        self.users[username] = new_user
        return new_user

    def add_member(self, user_id: str, roles: list[str] | None = None, *, guild_id: str | None = None) -> JSON:
        """Make a known user a guild member with the given role ids (names of ``role_ids`` also accepted)."""
        guild = self.guild(guild_id)
        role_list = [guild.role_ids.get(r, r) for r in (roles or [])]
        guild.members[user_id] = p.member(self.resolve_user(user_id), role_list)
        return guild.members[user_id]

    def resolve_user(self, ref: UserRef) -> JSON:
        if isinstance(ref, dict):
            return ref.get("user", ref)  # accept a member dict too
        if ref in self.users:
            return self.users[ref]
        for known in (*self.users.values(), self.bot_user, self.owner):
            if known["id"] == ref:
                return known
        raise KeyError(f"unknown user {ref!r}")

    def permissions_of(self, user_id: str, guild_id: str | None = None) -> int:
        """The member's guild permissions (OR of @everyone and its roles)."""
        guild = self.guild(guild_id)
        role_ids = [guild.id, *guild.members.get(user_id, {}).get("roles", [])]
        value = 0
        for role_id in role_ids:
            value |= int(self.roles[role_id]["permissions"])
        return value

    def guild_payload(self, guild_id: str | None = None) -> JSON:
        """The GUILD_CREATE payload for a guild (default: the first)."""
        guild = self.guild(guild_id)
        members = list(guild.members.values())
        return {
            "id": guild.id, "name": guild.name, "icon": None, "splash": None,
            "discovery_splash": None, "owner_id": self.owner["id"], "afk_channel_id": None,
            "afk_timeout": 300, "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "roles": [self.roles[r] for r in guild.roles],
            "emojis": [], "stickers": [], "features": [], "mfa_level": 0, "application_id": None,
            "system_channel_id": guild.channel_ids.get("general"), "system_channel_flags": 0,
            "rules_channel_id": None, "public_updates_channel_id": None, "safety_alerts_channel_id": None,
            "vanity_url_code": None, "description": None, "banner": None, "premium_tier": 0,
            "premium_subscription_count": 0, "preferred_locale": guild.preferred_locale, "nsfw_level": 0,
            "premium_progress_bar_enabled": False, "max_members": 500000, "max_video_channel_users": 25,
            "joined_at": guild.members[self.app_id]["joined_at"], "large": False, "unavailable": False,
            "member_count": len(members), "members": members,
            "channels": [c for c in self.channels.values()
                         if c["type"] in (0, 2, 4, 5) and c.get("guild_id") == guild.id],
            "threads": [c for c in self.channels.values()
                        if c["type"] in (10, 11, 12) and c.get("guild_id") == guild.id],
            "voice_states": [], "presences": [], "stage_instances": [], "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    # -- messages ----------------------------------------------------------------------------------
    def message_create(self, content: str, *, author: UserRef = "alice", channel_id: str | None = None,
                       mentions: list[UserRef] | None = None, message_reference: JSON | None = None,
                       referenced_message: JSON | None = None, attachments: list[JSON] | None = None,
                       embeds: list[JSON] | None = None) -> JSON:
        """Build and store a MESSAGE_CREATE payload from a user (not dispatched; see ``send_message``).

        ``<@id>`` / ``<@&id>`` mentions in ``content`` are resolved automatically; ``message_reference``
        may be just ``{"message_id": ...}`` and the referenced stored message is filled in.
        """
        author_user = self.resolve_user(author)
        channel_id = channel_id or self.channel_ids["general"]
        channel = self.channels.get(channel_id, {})
        guild_id = channel.get("guild_id")
        mentioned = [self.resolve_user(m) for m in (mentions or [])]
        for user_id in MENTION_RE.findall(content):
            if user_id not in {m["id"] for m in mentioned}:
                try:
                    mentioned.append(self.resolve_user(user_id))
                except KeyError:
                    log.debug("mention of unknown user %s left unresolved", user_id)
        if message_reference is not None:
            ref_id = message_reference["message_id"]
            message_reference = {"channel_id": channel_id, **({"guild_id": guild_id} if guild_id else {}),
                                 **message_reference}
            if referenced_message is None:
                referenced_message = self.messages.get(ref_id)
        msg = p.message(self.ids.next(), channel_id, author_user, content, guild_id=guild_id, embeds=embeds,
                        attachments=attachments, mentions=[self._mention(m, guild_id) for m in mentioned],
                        mention_roles=[r for r in ROLE_MENTION_RE.findall(content) if r in self.roles],
                        message_reference=message_reference, referenced_message=referenced_message)
        members = self.guilds[guild_id].members if guild_id in self.guilds else {}
        if guild_id and author_user["id"] in members:
            msg["member"] = p.partial_member(members[author_user["id"]])
        self.store_message(msg)
        return msg

    def _mention(self, mentioned: JSON, guild_id: str | None) -> JSON:
        members = self.guilds[guild_id].members if guild_id in self.guilds else {}
        if guild_id and mentioned["id"] in members:
            return {**mentioned, "member": p.partial_member(members[mentioned["id"]])}
        return mentioned

    def store_message(self, msg: JSON) -> JSON:
        self.messages[msg["id"]] = msg
        channel = self.channels.get(msg["channel_id"])
        if channel is not None:
            channel["last_message_id"] = msg["id"]
        return msg

    def bot_message(self, channel_id: str, body: JSON,
                    files: list[tuple[str, bytes, str | None]] | None = None, *,
                    webhook_id: str | None = None) -> JSON:
        """Build and store the message the bot created from a REST body (plus uploaded files)."""
        attachments = []
        for filename, data, content_type in files or []:
            attachments.append(self.add_attachment(filename, data, content_type))
        reference = body.get("message_reference")
        referenced = self.messages.get(reference["message_id"]) if reference else None
        guild_id = self.channels.get(channel_id, {}).get("guild_id")
        msg = p.message(self.ids.next(), channel_id, self.bot_user, body.get("content") or "",
                        guild_id=guild_id, embeds=body.get("embeds"), attachments=attachments,
                        components=body.get("components"),
                        message_reference=reference, referenced_message=referenced,
                        flags=int(body.get("flags") or 0), tts=bool(body.get("tts")))
        if webhook_id is not None:
            msg["webhook_id"] = webhook_id
            msg["application_id"] = self.app_id
        return self.store_message(msg)

    # -- files ---------------------------------------------------------------------------------------
    def add_attachment(self, filename: str, data: bytes,
                       content_type: str | None = "application/octet-stream") -> JSON:
        """Host ``data`` on the fake server and return a Discord attachment object pointing at it."""
        attachment_id = self.ids.next()
        path = f"/attachments/{attachment_id}/{filename}"
        self.files[path] = Page(data, content_type or "application/octet-stream")
        return p.attachment(attachment_id, filename, len(data), self.url(path), content_type)

    def attachment_by_id(self, attachment_id: str) -> JSON | None:
        for path, page in self.files.items():
            if path.startswith(f"/attachments/{attachment_id}/"):
                filename = path.rsplit("/", 1)[1]
                url = self.url(path)
                return p.attachment(attachment_id, filename, len(page.body), url, page.content_type)
        return None

    def add_page(self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8", *,
                 status: int = 200, headers: dict[str, str] | None = None) -> str:
        """Serve ``body`` at ``path`` (not under /api, /gateway or /attachments); returns the full URL."""
        if not path.startswith("/"):
            path = "/" + path
        if path.split("/")[1] in {"api", "gateway", "attachments"}:
            raise ValueError(f"path {path!r} collides with the fake Discord API")
        raw = body.encode() if isinstance(body, str) else body
        self.files[path] = Page(raw, content_type, status, dict(headers or {}))
        return self.url(path)

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` on the fake server (only known once it has started)."""
        if not self.base_url:
            raise RuntimeError("start the fake Discord server before creating URLs on it")
        return self.base_url + path

    # -- interactions --------------------------------------------------------------------------------
    def interaction_create(self, name: str, options: list[JSON] | None = None, *, member: UserRef = "alice",
                           channel_id: str | None = None, resolved: JSON | None = None,
                           command_guild_id: str | None = None, locale: str = "en-US") -> JSON:
        """Build and store an INTERACTION_CREATE payload for slash command ``name`` (not dispatched).

        ``resolved`` is filled in automatically for attachment (type 11), user (6), channel (7) and
        role (8) options whose value the server knows. ``locale`` is the member's client language; the
        guild's preferred locale goes in ``guild_locale``.
        """
        user_data = self.resolve_user(member)
        channel_id = channel_id or self.channel_ids["general"]
        channel = self.channels[channel_id]
        guild = self.guild_of(channel_id) or self.guild()
        options = list(options or [])
        perms = str(self.permissions_of(user_data["id"], guild.id))
        command_id = self._command_id(name, command_guild_id)
        data: JSON = {"id": command_id, "name": name, "type": 1, "options": options}
        if command_guild_id:
            data["guild_id"] = command_guild_id
        resolved = resolved if resolved is not None else self._resolve_options(options)
        if resolved:
            data["resolved"] = resolved
        interaction_id = self.ids.next()
        token = f"itok.{interaction_id}.{secrets.token_urlsafe(24)}"
        full_member = guild.members.get(user_data["id"]) or p.member(user_data, [])
        payload: JSON = {
            "id": interaction_id, "application_id": self.app_id, "type": 2, "token": token, "version": 1,
            "attachment_size_limit": 10 * 1024 * 1024, "data": data, "guild_id": guild.id,
            "channel_id": channel_id, "channel": {**channel, "permissions": perms},
            "member": {**full_member, "user": user_data, "permissions": perms},
            "app_permissions": str(self.permissions_of(self.app_id, guild.id)), "locale": locale,
            "guild_locale": guild.preferred_locale,
            "entitlements": [], "authorizing_integration_owners": {"0": guild.id}, "context": 0,
            "guild": {"id": guild.id, "locale": guild.preferred_locale, "features": []},
        }
        self.interactions[token] = InteractionRecord(payload)
        return payload

    def _command_id(self, name: str, guild_id: str | None) -> str:
        commands = self.guild_commands.get(guild_id, []) if guild_id else self.global_commands
        return next((c["id"] for c in commands if c.get("name") == name), None) or self.ids.next()

    def _resolve_options(self, options: list[JSON]) -> JSON:
        resolved: dict[str, dict[str, Any]] = {}
        for option in options:
            value, kind = option.get("value"), option.get("type")
            if kind in (1, 2):  # subcommand (group): resolve nested options
                for key, items in self._resolve_options(option.get("options", [])).items():
                    resolved.setdefault(key, {}).update(items)
            elif kind == 11 and (att := self.attachment_by_id(str(value))) is not None:
                resolved.setdefault("attachments", {})[str(value)] = att
            elif kind in (6, 9) and any(u["id"] == value for u in self.users.values()):
                resolved.setdefault("users", {})[str(value)] = self.resolve_user(str(value))
                if value in self.members:
                    perms = str(self.permissions_of(value))
                    resolved.setdefault("members", {})[value] = {
                        **p.partial_member(self.members[value]), "permissions": perms}
            elif kind in (8, 9) and value in self.roles:
                resolved.setdefault("roles", {})[value] = self.roles[value]
            elif kind == 7 and value in self.channels:
                ch = self.channels[value]
                resolved.setdefault("channels", {})[value] = {
                    k: ch.get(k) for k in ("id", "type", "name", "parent_id", "thread_metadata") if k in ch
                } | {"permissions": str(p.BOT_PERMISSIONS)}
        return resolved
