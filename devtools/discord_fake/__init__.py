"""A Discord-compatible REST + gateway server on 127.0.0.1 for testing a real, unmodified discord.py bot.

Usage (ids are strings, recorded paths have no ``/api/v10`` prefix)::

    async with FakeDiscord() as server, running_bot(server, MyBot()):
        sent = await server.send_message("!echo hi", author="bob")
        reply = await server.wait_for_request("POST", r"/channels/\\d+/messages")
        assert str(reply.json["message_reference"]["message_id"]) == sent["id"]

Every API request is validated against Discord's OpenAPI spec (``openapi.SPEC_PATH``) when the file
exists; ``running_bot`` fails the test on violations, dead bot tasks and logged handler exceptions.
"""

from __future__ import annotations

from devtools.discord_fake import openapi
from devtools.discord_fake.harness import assert_bot_alive, running_bot, start_bot
from devtools.discord_fake.recording import FailRule, RecordedRequest, UploadedFile
from devtools.discord_fake.server import FakeDiscord

__all__ = [
    "FailRule",
    "FakeDiscord",
    "RecordedRequest",
    "UploadedFile",
    "assert_bot_alive",
    "openapi",
    "running_bot",
    "start_bot",
]
