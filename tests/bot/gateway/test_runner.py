"""`article-bot run` as a real process against the local Discord-compatible server."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from devtools.discord_fake import FakeDiscord
from tests.bot.conftest import CALLBACK, MESSAGES
from tests.conftest import copy_export

ROOT = Path(__file__).resolve().parents[3]


@asynccontextmanager
async def _running(server: FakeDiscord, tmp_path: Path, command: str = "run", **extra: str
                   ) -> AsyncIterator[asyncio.subprocess.Process]:
    """`article-bot COMMAND` as a process against ``server``; killed on the way out if still running."""
    process = await _start(server, tmp_path, command, **extra)
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def _until_ready(server: FakeDiscord) -> None:
    """Until the bot has identified, synced its commands and had READY and GUILD_CREATE."""
    await server.wait_identified(timeout=60)
    await server.wait_for_request("PUT", r"/applications/\d+/guilds/\d+/commands", timeout=60)
    await asyncio.sleep(0.3)  # READY and GUILD_CREATE


async def _output(process: asyncio.subprocess.Process, timeout: float = 60) -> str:
    """Everything the process printed, once it has exited."""
    output, _ = await asyncio.wait_for(process.communicate(), timeout=timeout)
    return output.decode()


async def _start(server: FakeDiscord, tmp_path: Path, command: str = "run", **extra: str
                 ) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if k not in {"ARTICLE_PATH", "GUILD_ID", "ASK_CHANNEL_IDS"}}
    env.update({
        "DISCORD_TOKEN": server.token, "DISCORD_API_BASE": server.api_base,
        "DISCORD_GATEWAY_URL": server.gateway_url, "GUILD_ID": server.guild_id,
        "ASK_CHANNEL_IDS": server.channel_ids["articles"], "CACHE_DIR": str(tmp_path / "cache"),
        "DATA_DIR": str(tmp_path / "data"), "HF_HUB_OFFLINE": "1", "LOG_LEVEL": "INFO",
        "EMBEDDING_BACKEND": "onnx", **extra,
    })
    return await asyncio.create_subprocess_exec(
        sys.executable, "-X", "importtime", "-m", "bot.cli", command, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )


async def test_run_answers_and_stops_clearly_without_content_intent(onnx_encoder, tmp_path: Path):
    """`article-bot run` logs in, answers without importing torch, and on close code 4014 exits 1 naming the intent."""
    copy_export(onnx_encoder, tmp_path / "cache")
    async with FakeDiscord() as server, _running(server, tmp_path) as process:
        await _until_ready(server)
        message = await server.send_message("Who commands the Azov Regiment?", author="bob",
                                            channel_id=server.channel_ids["articles"])
        reply = await server.wait_for_request(
            "POST", MESSAGES, lambda r: r.json["message_reference"]["message_id"] in (message["id"],
                                                                                     int(message["id"])),
            timeout=60,
        )
        assert "Prokopenko" in reply.json["embeds"][0]["description"]
        await server.drop_gateway(code=4014)
        text = await _output(process)
    modules = {line.rsplit("|", 1)[-1].strip() for line in text.splitlines() if line.startswith("import time:")}
    assert "onnxruntime" in modules and "discord" in modules
    assert not {m for m in modules if m.split(".")[0] in {"torch", "sentence_transformers", "transformers"}}
    assert process.returncode == 1, text
    assert "MESSAGE CONTENT intent" in text
    assert server.token not in text


async def test_token_is_redacted_from_every_log_line_of_run(onnx_encoder, tmp_path: Path):
    """`article-bot run` (the production logging and redaction): an error whose text carries the token is
    logged with the token replaced by [redacted], and no output line contains the token."""
    copy_export(onnx_encoder, tmp_path / "cache")
    async with FakeDiscord() as server, _running(server, tmp_path, LOG_LEVEL="DEBUG") as process:
        await _until_ready(server)
        server.fail_next("POST", CALLBACK, status=400, times=1,
                         body={"message": f"Invalid Form Body: token {server.token}", "code": 50035})
        payload = await server.send_interaction("status", member="alice")
        await server.wait_for_request("POST", CALLBACK, lambda r: payload["token"] in r.path and r.status == 200,
                                      timeout=60)
        await server.drop_gateway(code=4014)
        text = await _output(process)
    assert "error in /status" in text and "Invalid Form Body: token [redacted]" in text, text
    assert server.token not in text


async def test_sync_exits_1_naming_the_refused_guild(onnx_encoder, tmp_path: Path):
    """`article-bot sync` when Discord refuses the commands: a clear log line and exit status 1, no traceback."""
    copy_export(onnx_encoder, tmp_path / "cache")
    async with FakeDiscord() as server:
        server.fail_next("PUT", r"/applications/\d+/guilds/\d+/commands", status=403,
                         body={"message": "Missing Access", "code": 50001})
        async with _running(server, tmp_path, "sync") as process:
            text = await _output(process, timeout=120)
    assert process.returncode == 1, text
    assert f"not synced to: {server.guild_id}" in text and "Missing Access" in text
    assert "Traceback" not in text
