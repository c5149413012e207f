"""Discord round trip through the local Discord-compatible server (devtools/discord_fake).

The real ArticleBot (discord.py, cogs, storage) connects to the fake server over 127.0.0.1; a
round trip is from the MESSAGE_CREATE dispatch of a question to the server receiving the reply
POST. Server and bot share one process and event loop, as in the tests.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import time
from pathlib import Path

from embeddings.models import Encoder

from .common import QUESTIONS, median, ms, percentile

log = logging.getLogger(__name__)

MESSAGES = r"/channels/\d+/messages"


class ReplyWatcher:
    """Resolves a future per question when the server records the bot's reply to it.

    (``FakeDiscord.wait_for_request`` rescans every request for every waiter: fine for tests,
    quadratic with 50 concurrent askers, so the benchmark watches new requests itself.)
    """

    def __init__(self, server) -> None:
        self.server = server
        self.waiting: dict[str, asyncio.Future] = {}
        record = server.log.add

        async def add(request) -> None:
            await record(request)
            self._seen(request)

        server.log.add = add

    def _seen(self, request) -> None:
        if request.method != "POST" or not re.fullmatch(MESSAGES, request.path):
            return
        reference = (request.json or {}).get("message_reference") or {}
        future = self.waiting.pop(str(reference.get("message_id")), None)
        if future is not None and not future.done():
            future.set_result(request)

    async def round_trip(self, channel: str, author: str, question: str) -> float:
        """Seconds from dispatching the question to the server receiving the reply."""
        message = self.server.message_create(question, author=author, channel_id=channel)
        future = asyncio.get_running_loop().create_future()
        self.waiting[message["id"]] = future
        sent = time.monotonic()
        await self.server.dispatch("MESSAGE_CREATE", message)
        reply = await asyncio.wait_for(future, timeout=120)
        if reply.status != 200:
            raise RuntimeError(f"reply failed: {reply}")
        return reply.time - sent


async def _scenarios(encoder: Encoder, workdir: Path, *, askers: int, rounds: int, think: float,
                     repeats: int) -> dict[str, list[list[float]]]:
    from devtools.article_bot import make_bot
    from devtools.discord_fake import FakeDiscord, running_bot

    results: dict[str, list[list[float]]] = {"one_asker": [], "paced": [], "burst": []}
    async with FakeDiscord(heartbeat_interval_ms=5000, validate_openapi=False) as server:
        users = [server.add_user(f"asker{i}")["id"] for i in range(askers)]
        for user in users:
            server.add_member(user)
        workdir.mkdir(parents=True, exist_ok=True)
        bot, _ = make_bot(server, encoder, workdir)
        async with running_bot(server, bot, ready_timeout=120, check_openapi=False):
            watcher = ReplyWatcher(server)
            _round_trip = watcher.round_trip
            channel = server.channel_ids["articles"]
            for question in QUESTIONS:  # warm-up
                await _round_trip(channel, users[0], question)
            rng = random.Random(5)

            async def paced(slot: int) -> list[float]:
                await asyncio.sleep(rng.uniform(0, 2 * think))
                times = []
                for turn in range(rounds):
                    times.append(await _round_trip(channel, users[slot], QUESTIONS[(slot + turn) % 16]))
                    await asyncio.sleep(rng.uniform(0, 2 * think))
                return times

            for _ in range(repeats):
                results["one_asker"].append(
                    [await _round_trip(channel, users[0], QUESTIONS[i % 16]) for i in range(rounds * 10)]
                )
                per_asker = await asyncio.gather(*(paced(slot) for slot in range(askers)))
                results["paced"].append([t for times in per_asker for t in times])
                burst: list[float] = []
                for turn in range(rounds):
                    burst += await asyncio.gather(*(
                        _round_trip(channel, users[slot], QUESTIONS[(slot + turn) % 16])
                        for slot in range(askers)
                    ))
                    await asyncio.sleep(0.2)
                results["burst"].append(burst)
    return results


def run(encoder: Encoder, workdir: Path, *, askers: int, rounds: int, think: float, repeats: int) -> dict:
    """p50/p99 round trips (median over repeats) for one asker, paced askers and simultaneous bursts."""
    results = asyncio.run(
        _scenarios(encoder, workdir, askers=askers, rounds=rounds, think=think, repeats=repeats)
    )
    labels = {
        "one_asker": "1 asker, one question after another",
        "paced": f"{askers} askers, each waiting for its reply then 0-{2 * think:g} s (random) before the next",
        "burst": f"{askers} askers sending at the same instant",
    }
    figure: dict = {"repeats": repeats}
    for name, runs in results.items():
        figure[name] = {
            "p50_ms": ms(median([percentile(r, 50) for r in runs])),
            "p99_ms": ms(median([percentile(r, 99) for r in runs])),
            "samples": sum(len(r) for r in runs),
            "what": labels[name],
        }
    return figure
