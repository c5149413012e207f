"""Self-tests of the fake Discord harness, driving a minimal discord.py bot defined here."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest
import pytest_asyncio
from discord.ext import commands
from discord.http import Route

from devtools.discord_fake import FakeDiscord, RecordedRequest, assert_bot_alive, openapi, running_bot, start_bot

log = logging.getLogger(__name__)
pytestmark = pytest.mark.asyncio
MESSAGES = r"/channels/\d+/messages"


class EchoBot(commands.Bot):
    """Replies to "!echo ..." messages, answers /ping and /size (attachment) slash commands."""

    def __init__(self) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(command_prefix="!", intents=intents, guild_ready_timeout=0.1)
        self.seen: list[str] = []

        @self.tree.command(name="ping", description="Check the bot is alive")
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.followup.send("pong")

        @self.tree.command(name="size", description="Report an attachment's size")
        async def size(interaction: discord.Interaction, file: discord.Attachment) -> None:
            data = await file.read()
            await interaction.response.send_message(f"{file.filename}: {len(data)} bytes")

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:
            return
        self.seen.append(message.content)
        if message.content.startswith("!echo "):
            await message.reply(message.content.removeprefix("!echo "))
        elif message.content == "!file":
            await message.channel.send("here", file=discord.File(io.BytesIO(b"hello file"), "hello.txt"))


@pytest_asyncio.fixture
async def server() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(heartbeat_interval_ms=200) as fake:
        yield fake


@pytest_asyncio.fixture
async def bot(server: FakeDiscord) -> AsyncIterator[EchoBot]:
    echo = EchoBot()
    async with running_bot(server, echo):
        yield echo


async def test_login_ready_and_guild_cached(server: FakeDiscord, bot: EchoBot) -> None:
    """The bot logs in, receives READY and caches the guild with its channels, roles and members."""
    guild = bot.get_guild(int(server.guild_id))
    assert bot.user is not None and str(bot.user.id) == server.bot_user["id"]
    assert guild is not None and guild.me is not None
    assert {c.name for c in guild.text_channels} == set(server.channel_ids)
    assert guild.get_role(int(server.role_ids["moderator"])) is not None
    assert server.find_requests("GET", "/users/@me")
    assert server.find_requests("GET", "/oauth2/applications/@me")


async def test_message_reply_is_recorded_with_reference(server: FakeDiscord, bot: EchoBot) -> None:
    """A dispatched MESSAGE_CREATE answered with message.reply() arrives as a POST with message_reference."""
    sent = await server.send_message("!echo hello", author="bob")
    request = await server.wait_for_request("POST", MESSAGES)
    assert request.json["content"] == "hello"
    assert str(request.json["message_reference"]["message_id"]) == sent["id"]  # discord.py sends ints
    assert request.response["type"] == 19 and request.response["author"]["id"] == server.bot_user["id"]
    assert request.openapi_errors == []


async def test_slash_command_defer_then_followup(server: FakeDiscord, bot: EchoBot) -> None:
    """/ping: the interaction is deferred through the callback and answered with a followup."""
    interaction = await server.send_interaction("ping", member="alice")
    callback = await server.wait_for_request("POST", rf"/interactions/{interaction['id']}/[^/]+/callback")
    assert callback.json["type"] == 5 and callback.query.get("with_response") == "1"
    followup = await server.wait_for_request("POST", rf"/webhooks/{server.app_id}/[^/]+")
    assert followup.json["content"] == "pong" and followup.status == 200
    assert followup.response["channel_id"] == interaction["channel_id"]


async def test_attachment_option_is_resolved_and_served(server: FakeDiscord, bot: EchoBot) -> None:
    """An attachment option is resolved, the bot downloads it from the fake and answers in the callback."""
    attachment = server.add_attachment("notes.txt", b"x" * 42, "text/plain")
    await server.send_interaction("size", [{"name": "file", "type": 11, "value": attachment["id"]}])
    callback = await server.wait_for_request("POST", r"/interactions/\d+/[^/]+/callback")
    assert callback.json["type"] == 4 and callback.json["data"]["content"] == "notes.txt: 42 bytes"
    assert server.find_requests("GET", rf"/attachments/{attachment['id']}/notes\.txt")


async def test_rate_limited_message_is_retried(server: FakeDiscord, bot: EchoBot) -> None:
    """A 429 on message create is retried by discord.py and the message is delivered."""
    server.fail_next("POST", MESSAGES, status=429, retry_after=0.05)
    await server.send_message("!echo again")
    first = await server.wait_for_request("POST", MESSAGES)
    second = await server.wait_for_request("POST", MESSAGES)
    assert (first.status, second.status) == (429, 200)
    assert second.json["content"] == "again" and second.time - first.time >= 0.04


async def test_resume_after_dropped_gateway(server: FakeDiscord, bot: EchoBot) -> None:
    """After the websocket is dropped the bot RESUMEs and handles the next event."""
    await server.drop_gateway()
    await server.wait_resumed()
    await server.send_message("!echo after resume")
    request = await server.wait_for_request("POST", MESSAGES)
    assert request.json["content"] == "after resume"
    assert server.gateway.identify_count == 1
    assert server.gateway.connect_paths[-1].startswith("/gateway/resume")


async def test_resume_after_aborted_connection(server: FakeDiscord, bot: EchoBot) -> None:
    """After the TCP connection is aborted (no close frame) the bot also RESUMEs."""
    await server.drop_gateway(abnormal=True)
    await server.wait_resumed()
    await server.send_message("!echo still here")
    assert (await server.wait_for_request("POST", MESSAGES)).json["content"] == "still here"


async def test_heartbeats_flow(server: FakeDiscord, bot: EchoBot) -> None:
    """The client heartbeats at the HELLO interval (200 ms here)."""
    start = len(server.heartbeats)
    await asyncio.sleep(0.7)
    assert len(server.heartbeats) - start >= 2


async def test_missing_message_content_intent_blanks_content(server: FakeDiscord) -> None:
    """Like Discord, a bot without the message_content intent receives empty content."""
    plain = commands.Bot(command_prefix="!", intents=discord.Intents.default(), guild_ready_timeout=0.1)
    seen: list[str] = []

    async def record(message: discord.Message) -> None:
        seen.append(message.content)

    plain.add_listener(record, "on_message")
    async with running_bot(server, plain):
        await server.send_message("secret text")
        await server.send_message(f"hi <@{server.bot_user['id']}>")
        for _ in range(50):
            if len(seen) == 2:
                break
            await asyncio.sleep(0.02)
    assert seen == ["", f"hi <@{server.bot_user['id']}>"]


async def test_openapi_validation_flags_invalid_body(server: FakeDiscord) -> None:
    """A body violating Discord's OpenAPI spec is flagged; a valid one is not."""
    openapi.require_spec()
    bot = EchoBot()
    async with running_bot(server, bot, check_openapi=False):
        # Route builds its URL from Route.BASE at construction: create it once the endpoints are set.
        route = Route("POST", "/channels/{channel_id}/messages", channel_id=server.channel_ids["general"])
        await bot.http.request(route, json={"content": 123})
        await bot.http.request(route, json={"content": "fine"})
    bad: RecordedRequest = await server.wait_for_request("POST", MESSAGES)
    good: RecordedRequest = await server.wait_for_request("POST", MESSAGES)
    assert any("content" in error for error in bad.openapi_errors), bad.openapi_errors
    assert good.openapi_errors == []
    with pytest.raises(AssertionError, match="OpenAPI"):
        server.assert_valid_requests()


async def test_file_upload_is_recorded(server: FakeDiscord, bot: EchoBot) -> None:
    """A multipart upload is recorded with its payload_json and file bytes, and served back."""
    await server.send_message("!file")
    request = await server.wait_for_request("POST", MESSAGES)
    assert request.json["content"] == "here" and request.json["attachments"][0]["filename"] == "hello.txt"
    assert [(f.filename, f.data) for f in request.files] == [("hello.txt", b"hello file")]
    url = request.response["attachments"][0]["url"]
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert await response.read() == b"hello file"


async def test_command_sync_is_recorded_and_valid(server: FakeDiscord, bot: EchoBot) -> None:
    """tree.sync() (global and guild) is accepted, stored with ids and valid against the spec."""
    synced = await bot.tree.sync()
    guild = discord.Object(int(server.guild_id))
    bot.tree.copy_global_to(guild=guild)
    await bot.tree.sync(guild=guild)
    assert sorted(c.name for c in synced) == ["ping", "size"]
    assert {c["name"] for c in server.guild_commands[server.guild_id]} == {"ping", "size"}
    request = await server.wait_for_request("PUT", rf"/applications/{server.app_id}/commands")
    assert request.openapi_errors == []


async def test_wrong_token_is_rejected(server: FakeDiscord) -> None:
    """Login with another token gets a 401, and assert_bot_alive reports the dead task."""
    bot = EchoBot()
    task = start_bot(server, bot, token="not-the-token")
    with pytest.raises(discord.LoginFailure):
        await asyncio.wait_for(asyncio.shield(task), timeout=5)
    await bot.close()  # Client.start leaves its HTTP session open when login fails
    with pytest.raises(AssertionError, match="LoginFailure"):
        assert_bot_alive(task)
    assert (await server.wait_for_request("GET", "/users/@me")).status == 401


async def test_auto_sharded_bot_uses_gateway_bot(server: FakeDiscord) -> None:
    """An AutoShardedBot asks GET /gateway/bot and gets READY with its shard."""
    intents = discord.Intents.default()
    sharded = commands.AutoShardedBot(command_prefix="!", intents=intents, guild_ready_timeout=0.1)
    async with running_bot(server, sharded):
        assert sharded.get_guild(int(server.guild_id)) is not None
    assert (await server.wait_for_request("GET", "/gateway/bot")).status == 200


async def test_pages_are_served(server: FakeDiscord) -> None:
    """add_page serves arbitrary content (for URL-fetch tests) and records the fetch."""
    url = server.add_page("/articles/one.html", "<html><body>Hi</body></html>")
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert response.status == 200 and response.content_type == "text/html"
        assert await response.text() == "<html><body>Hi</body></html>"
    assert server.find_requests("GET", "/articles/one.html", lambda r: not r.api)


async def test_parser_crash_is_reported(server: FakeDiscord) -> None:
    """A payload that makes a discord.py parser raise ends the connect task; assert_bot_alive reports it."""
    bot = EchoBot()
    task = start_bot(server, bot)
    try:
        await asyncio.wait_for(bot.wait_until_ready(), timeout=10)
        assert_bot_alive(task)
        broken = server.message_create("no id")
        del broken["id"]
        await server.dispatch("MESSAGE_CREATE", broken)
        with pytest.raises(KeyError):
            await asyncio.wait_for(asyncio.shield(task), timeout=5)
        with pytest.raises(AssertionError, match="KeyError"):
            assert_bot_alive(task)
    finally:
        await bot.close()


async def test_handler_exception_fails_running_bot(server: FakeDiscord) -> None:
    """An exception discord.py only logs (here from an on_message listener) makes running_bot fail."""
    bot = EchoBot()

    async def explode(message: discord.Message) -> None:
        raise RuntimeError("listener exploded")

    bot.add_listener(explode, "on_message")
    with pytest.raises(AssertionError, match="listener exploded"):
        async with running_bot(server, bot):
            await server.send_message("anything")
            while not bot.seen:
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.05)


async def test_unknown_route_gets_discord_404(server: FakeDiscord, bot: EchoBot) -> None:
    """An endpoint the fake does not implement answers Discord's 404 JSON error and is recorded."""
    with pytest.raises(discord.NotFound) as caught:
        await bot.http.request(Route("GET", "/guilds/{guild_id}/bans", guild_id=server.guild_id))
    assert caught.value.code == 0 and caught.value.text == "Unknown"
    assert (await server.wait_for_request("GET", r"/guilds/\d+/bans")).status == 404


async def test_two_guilds_have_their_own_channels_members_and_roles() -> None:
    """A second guild arrives in READY with its own channels, roles and members; messages and
    interactions there carry its id and that guild's member and permissions."""
    async with FakeDiscord(heartbeat_interval_ms=200) as server:
        second = server.add_guild("Second Guild")
        dave = server.add_user("dave")
        server.add_member(dave["id"], ["member"], guild_id=second.id)
        server.add_member(server.users["alice"]["id"], ["member"], guild_id=second.id)  # no moderator role there
        echo = EchoBot()
        async with running_bot(server, echo):
            first, other = echo.get_guild(int(server.guild_id)), echo.get_guild(int(second.id))
            assert first is not None and other is not None
            assert {c.id for c in other.text_channels} == {int(c) for c in second.channel_ids.values()}
            assert not {c.id for c in first.text_channels} & {c.id for c in other.text_channels}
            assert dave["id"] in second.members and dave["id"] not in server.members
            assert other.get_role(int(second.role_ids["moderator"])) is not None
            assert first.get_role(int(second.role_ids["moderator"])) is None
            sent = await server.send_message("!echo hi", author="dave", channel_id=second.channel_ids["general"])
            assert sent["guild_id"] == second.id and sent["member"]["roles"] == [second.role_ids["member"]]
            payload = server.interaction_create("ping", member="alice", channel_id=second.channel_ids["general"])
            assert payload["guild_id"] == second.id
            alice_there = server.permissions_of(server.users["alice"]["id"], second.id)
            assert int(payload["member"]["permissions"]) == alice_there
            assert payload["member"]["roles"] == [second.role_ids["member"]]
