"""A real ArticleBot (real model, real discord.py) against the fake Discord server."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio

from bot.gateway import ArticleBot
from devtools.article_bot import make_bot
from devtools.discord_fake import FakeDiscord, RecordedRequest, running_bot

MESSAGES = r"/channels/\d+/messages"
CALLBACK = r"/interactions/\d+/[^/]+/callback"
EPHEMERAL = 1 << 6
MANAGE_GUILD = 1 << 5


@dataclass
class Discord:
    """The fake server, the running bot, and helpers to talk to it."""

    server: FakeDiscord
    bot: ArticleBot
    article_path: Path

    @property
    def ask_channel(self) -> str:
        return self.server.channel_ids["articles"]

    def mention(self, text: str) -> str:
        return f"<@{self.server.bot_user['id']}> {text}"

    async def reply_to(self, message: dict, timeout: float = 20.0) -> RecordedRequest:
        """The successful POST that replied to ``message``."""
        return await self.server.wait_for_request(
            "POST", MESSAGES,
            lambda r: r.status == 200
            and str((r.json or {}).get("message_reference", {}).get("message_id")) == message["id"],
            timeout=timeout,
        )

    async def final_reply(self, message: dict, timeout: float = 120.0) -> dict:
        """The body of the bot's answer to ``message`` as finally shown: its reply, or, when the reply said a
        better answer in the member's language is coming (the article's multilingual index being built),
        the reply's first edit."""
        reply = await self.reply_to(message, timeout=timeout)
        if reply.json.get("components"):  # buttons come with the final answer only
            return reply.json
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            edits = [e for e in self.server.edits if e["message_id"] == reply.response["id"]]
            if edits:
                return edits[0]["body"]
            await asyncio.sleep(0.05)
        raise AssertionError(f"the reply to {message['id']} was neither final nor edited within {timeout} s")

    async def command(
        self, name: str, options: list[dict] | None = None, *, member: str = "alice", channel: str | None = None,
        locale: str = "en-US",
    ) -> tuple[RecordedRequest, RecordedRequest | None]:
        """Send a slash command (from a client in ``locale``); returns its callback and (if deferred) its followup."""
        payload = await self.server.send_interaction(name, options or [], member=member, channel_id=channel,
                                                     locale=locale)
        token = payload["token"]
        callback = await self.server.wait_for_request(
            "POST", CALLBACK, lambda r: token in r.path, timeout=20
        )
        if callback.json["type"] != 5:
            return callback, None
        followup = await self.server.wait_for_request(
            "POST", rf"/webhooks/{self.server.app_id}/[^/]+", lambda r: token in r.path, timeout=20
        )
        return callback, followup

    async def stored(self, answer: dict) -> None:
        """Wait until the bot has stored the answer it sent (it stores just after sending)."""
        for _ in range(500):
            try:
                if await self.bot.database.answer_for_message(int(answer["id"])) is not None:
                    return
            except Exception:  # a test that broke the database on purpose
                return
            await asyncio.sleep(0.01)

    async def press(self, message: dict, custom_id: str, *, member: str = "bob",
                    locale: str = "en-US") -> RecordedRequest:
        """Press a button on a message the bot sent (from a client in ``locale``); returns the interaction callback."""
        payload = self.server.interaction_create("unused", member=member, channel_id=message["channel_id"],
                                                 locale=locale)
        payload["type"] = 3
        payload["data"] = {"custom_id": custom_id, "component_type": 2}
        payload["message"] = self.server.messages[message["id"]]
        await self.server.dispatch("INTERACTION_CREATE", payload)
        token = payload["token"]
        return await self.server.wait_for_request("POST", CALLBACK, lambda r: token in r.path, timeout=20)

    async def ask(self, question: str, channel: str | None = None, author: str = "bob") -> dict:
        """Ask in the ask channel (or ``channel``, as ``author``) and return the reply's first embed."""
        message = await self.server.send_message(question, author=author, channel_id=channel or self.ask_channel)
        return (await self.reply_to(message)).json["embeds"][0]


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A fresh Discord-compatible server on 127.0.0.1 with a Manage Server user, 'manager'."""
    async with FakeDiscord(heartbeat_interval_ms=250) as server:
        role = server._add_role("managers", MANAGE_GUILD)
        user = server.add_user("manager")
        server.add_member(user["id"], roles=[role])
        yield server


@pytest_asyncio.fixture
async def two_guilds(fake_discord: FakeDiscord) -> FakeDiscord:
    """The fake server with a second guild, "Second Guild": dave moderates the first guild and is a plain
    member of the second; erin is a member of the second only; boss has Manage Server there."""
    second = fake_discord.add_guild("Second Guild")
    dave, erin, boss = (fake_discord.add_user(name) for name in ("dave", "erin", "boss"))
    fake_discord.add_member(dave["id"], roles=["member", "moderator"])
    fake_discord.add_member(dave["id"], roles=["member"], guild_id=second.id)
    fake_discord.add_member(erin["id"], roles=["member"], guild_id=second.id)
    managers = fake_discord._add_role("managers", MANAGE_GUILD, guild_id=second.id)
    fake_discord.add_member(boss["id"], roles=[managers], guild_id=second.id)
    return fake_discord


@pytest.fixture
def start_discord(fake_discord: FakeDiscord, encoder, tmp_path: Path) -> Callable:
    """Start the real bot against the fake server; use as ``async with start_discord() as discord``."""
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def start(**overrides) -> AsyncIterator[Discord]:
        bot, article = make_bot(fake_discord, encoder, tmp_path, **overrides)
        async with running_bot(fake_discord, bot, ready_timeout=30) as task:
            discord = Discord(fake_discord, bot, article)
            discord.task = task
            yield discord

    return start


@pytest.fixture
def read_only_directory(tmp_path: Path) -> Iterator[Path]:
    """An existing directory nobody can create files in: chmod for a normal user; for root (who ignores
    modes) the immutable attribute, via chattr. Skips when neither makes it read-only here."""
    import os
    import subprocess

    directory = tmp_path / "read-only"
    directory.mkdir()
    immutable = False
    if os.geteuid() == 0:
        immutable = shutil.which("chattr") is not None and subprocess.run(
            ["chattr", "+i", str(directory)], capture_output=True, check=False
        ).returncode == 0
    else:
        directory.chmod(0o555)
    try:
        try:
            (directory / "probe").touch()
        except OSError:
            pass
        else:
            pytest.skip("cannot make a read-only directory on this machine")
        yield directory
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(directory)], check=False)
        directory.chmod(0o755)


def stored_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of a database (tables read from sqlite_master, so new ones are covered)."""
    with sqlite3.connect(path) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )]
        return {table: connection.execute(f'SELECT * FROM "{table}"').fetchall() for table in tables}


async def all_rows(database) -> dict[str, list[tuple]]:
    """Every row of every table, read through the store on SQLite or PostgreSQL (tables listed from the
    catalogue, so new ones are covered)."""
    from bot.storage.sql import dialect

    def work(connection) -> dict[str, list[tuple]]:
        listing = ("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                   if dialect(connection) == "sqlite" else
                   "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                   " AND table_name <> 'schema_version'")  # the schema's number (SQLite: PRAGMA user_version)
        tables = [row[0] for row in connection.execute(listing).fetchall()]
        return {table: [tuple(r) for r in connection.execute(f'SELECT * FROM "{table}"').fetchall()]
                for table in tables}

    return await database.run(work)


def rows_holding(rows: dict[str, list[tuple]], user_id: int, texts: list[str]) -> list[str]:
    """``table: row`` for every row holding the user's id (as number or text) or containing one of ``texts``."""
    found = []
    for table, table_rows in rows.items():
        for row in table_rows:
            if any(cell == user_id or cell == str(user_id)
                   or (isinstance(cell, str) and any(text in cell for text in texts)) for cell in row):
                found.append(f"{table}: {row}")
    return found
