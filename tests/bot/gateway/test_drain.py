"""Graceful drain: SIGTERM lets the answers in flight be posted, then the process exits 0 within
SHUTDOWN_GRACE; a second SIGTERM exits at once; a question during a long drain is told to ask again."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from pathlib import Path

from bot.gateway.drain import NOTICE_AFTER, Drain
from devtools.discord_fake import FakeDiscord
from devtools.processes import BotProcess, bot_env
from tests.bot.conftest import MESSAGES
from tests.conftest import copy_export

QUESTIONS = ["Who commands the Azov Regiment?", "How many people were evacuated?", "Who is Denys Prokopenko?",
             "Where were the evacuees taken?", "What is the capital of France?"]
GRACE = 20


def replies_to(server: FakeDiscord, message: dict) -> list:
    return server.find_requests("POST", MESSAGES, lambda r: r.status == 200 and str(
        (r.json or {}).get("message_reference", {}).get("message_id")) == message["id"])


async def started(server: FakeDiscord, tmp_path: Path, onnx_encoder) -> BotProcess:
    copy_export(onnx_encoder, tmp_path / "cache")
    env = bot_env(server, cache=tmp_path / "cache", data=tmp_path / "data", LOG_FORMAT="json",
                  LOG_LEVEL="DEBUG", SHUTDOWN_GRACE=str(GRACE))
    bot = await BotProcess(tmp_path / "bot.log").start(["start"], env)
    await bot.wait_for_output("connected as", timeout=180)
    return bot


async def test_sigterm_posts_the_answers_in_flight_and_exits_0_within_the_grace(onnx_encoder, tmp_path: Path):
    """Five answers ready, their replies held by Discord's 429 (the first retried after 3 s, the others queued
    behind it in its bucket) when SIGTERM arrives: all five are posted, a question asked during the drain is not
    answered, the process exits 0 within SHUTDOWN_GRACE, and every log line (JSON) parses and holds no token."""
    async with FakeDiscord(heartbeat_interval_ms=1000) as server:
        bot = await started(server, tmp_path, onnx_encoder)
        try:
            server.fail_next("POST", MESSAGES, status=429, retry_after=3.0)
            channel = server.channel_ids["articles"]
            asked = [await server.send_message(q, author="bob", channel_id=channel) for q in QUESTIONS]
            await bot.wait_for_output("engine answered", count=len(QUESTIONS), timeout=60)
            assert server.find_requests("POST", MESSAGES, lambda r: r.status == 429)
            assert not any(replies_to(server, m) for m in asked)  # all five in flight
            stopped_at = time.monotonic()
            assert bot.process is not None
            bot.process.send_signal(signal.SIGTERM)
            await bot.wait_for_output("SIGTERM: closing", timeout=10)
            late = await server.send_message("Who is Denys Prokopenko?", author="bob", channel_id=channel)
            status = await asyncio.wait_for(bot.process.wait(), GRACE + 10)
            took = time.monotonic() - stopped_at
        finally:
            await bot.kill()
        assert status == 0, bot.output()[-3000:]
        assert took < GRACE
        assert all(len(replies_to(server, m)) == 1 for m in asked)
        assert not replies_to(server, late)
        token = server.token
    lines = [json.loads(line) for line in bot.output().splitlines() if line.strip()]
    assert any(line["message"].startswith("draining: 5 answer(s) in flight") for line in lines)
    assert token not in bot.output()


async def test_a_second_sigterm_exits_at_once(onnx_encoder, tmp_path: Path):
    """A reply held for 60 s by a 429: the first SIGTERM waits for it, the second closes at once."""
    async with FakeDiscord(heartbeat_interval_ms=1000) as server:
        bot = await started(server, tmp_path, onnx_encoder)
        try:
            server.fail_next("POST", MESSAGES, status=429, retry_after=60.0)
            await server.send_message(QUESTIONS[0], author="bob", channel_id=server.channel_ids["articles"])
            async with asyncio.timeout(60):
                while not server.find_requests("POST", MESSAGES, lambda r: r.status == 429):
                    await asyncio.sleep(0.05)
            assert bot.process is not None
            bot.process.send_signal(signal.SIGTERM)
            await bot.wait_for_output("draining: 1 answer", timeout=10)
            second = time.monotonic()
            bot.process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(bot.process.wait(), 10)
            took = time.monotonic() - second
        finally:
            await bot.kill()
    assert took < 5, bot.output()[-3000:]


async def test_a_question_during_a_long_drain_is_told_to_ask_again():
    """Within NOTICE_AFTER seconds of the drain nothing is said; after, the notice goes out at once."""
    sent: list[str] = []

    async def notice() -> None:
        sent.append("restarting")

    fresh = Drain()
    fresh.begin()
    waiting = asyncio.create_task(fresh.refuse(notice))
    await asyncio.sleep(0.2)
    assert not sent and not waiting.done()
    waiting.cancel()
    now = time.monotonic()
    long = Drain(clock=lambda: now)
    long.started = now - NOTICE_AFTER - 1
    await asyncio.wait_for(long.refuse(notice), 1)
    assert sent == ["restarting"]


async def test_the_drain_waits_for_questions_in_flight_and_stops_when_hurried():
    """wait() returns True once the last question is done; hurry() ends the wait with one still in flight."""
    drain = Drain()
    with drain.question():
        drain.begin()
        assert not await drain.wait(0.1)
        hurried = asyncio.create_task(drain.wait(30))
        drain.hurry()
        assert await asyncio.wait_for(hurried, 1) is False
    assert await drain.wait(0.1) and drain.draining


async def test_closing_lets_an_answer_in_flight_post_and_record_first(start_discord):
    """close() (tests, benchmarks, the end of a drain) while a reply waits out a 429: the reply is posted and
    recorded before the store closes, so no handler fails on a closed store (the harness checks)."""
    async with start_discord() as discord:
        server = discord.server
        server.fail_next("POST", MESSAGES, status=429, retry_after=0.5)
        message = await server.send_message(QUESTIONS[0], author="bob", channel_id=discord.ask_channel)
        async with asyncio.timeout(30):
            while not server.find_requests("POST", MESSAGES, lambda r: r.status == 429):
                await asyncio.sleep(0.02)
    assert len(replies_to(server, message)) == 1
