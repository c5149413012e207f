"""A Discord-compatible REST + gateway server on 127.0.0.1 for testing a real, unmodified discord.py bot.

Usage::

    async with FakeDiscord() as server, running_bot(server, bot):
        await server.send_message("hello <@%s>" % server.bot_user["id"])
        reply = await server.wait_for_request("POST", r"/channels/\\d+/messages")
        assert reply.json["message_reference"]["message_id"]

Recorded paths are without the ``/api/v10`` prefix. Every API request body is validated against
Discord's OpenAPI spec (``openapi.SPEC_PATH``) when it is available; ``running_bot`` asserts validity.
"""

from __future__ import annotations

from tests.discord_fake import openapi
from tests.discord_fake.harness import assert_bot_alive, running_bot, start_bot
from tests.discord_fake.recording import FailRule, RecordedRequest, UploadedFile
from tests.discord_fake.server import FakeDiscord

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
