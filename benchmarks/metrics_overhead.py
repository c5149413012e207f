"""What METRICS_ADDR costs: answer p50 (one asker) and 64 simultaneous askers' throughput through the local
Discord-compatible server, with the metrics server off and on, after a discarded warm-up run, in alternating
order (off then on, on then off, …, so drift of the shared machine falls on both); and what importing
prometheus_client costs a fresh interpreter (``article-bot run`` pays it only when METRICS_ADDR is set; ``ask``
and ``console`` never).
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from embeddings.models import Encoder

from .common import QUESTIONS, median, ms, percentile
from .discord_rt import ReplyWatcher

TARGET_RATIO = 1.03  # metrics on may cost at most 3 % of p50 and of throughput


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _one_setting(encoder: Encoder, workdir: Path, metrics_addr: str | None, *, questions: int, askers: int,
                       rounds: int) -> dict:
    from devtools.article_bot import make_bot
    from devtools.discord_fake import FakeDiscord, running_bot

    async with FakeDiscord(heartbeat_interval_ms=5000, validate_openapi=False) as server:
        users = [server.add_user(f"asker{i}")["id"] for i in range(askers)]
        for user in users:
            server.add_member(user)
        workdir.mkdir(parents=True, exist_ok=True)
        bot, _ = make_bot(server, encoder, workdir, metrics_addr=metrics_addr)
        async with running_bot(server, bot, ready_timeout=120, check_openapi=False):
            watcher = ReplyWatcher(server)
            channel = server.channel_ids["articles"]
            for question in QUESTIONS:  # warm-up
                await watcher.round_trip(channel, users[0], question)
            one = [await watcher.round_trip(channel, users[0], QUESTIONS[i % 16]) for i in range(questions)]
            started = time.perf_counter()
            for turn in range(rounds):
                await asyncio.gather(*(watcher.round_trip(channel, users[slot], QUESTIONS[(slot + turn) % 16])
                                       for slot in range(askers)))
            seconds = time.perf_counter() - started
            scraped = None
            if metrics_addr:  # the answers were counted (a scrape, as Prometheus would make)
                text = await asyncio.to_thread(
                    lambda: urllib.request.urlopen(f"http://{metrics_addr}/metrics", timeout=5).read().decode())
                scraped = len(text)
    return {"p50": percentile(one, 50), "throughput": askers * rounds / seconds, "scrape_bytes": scraped}


def import_cost(runs: int = 5) -> float:
    """Median seconds ``import prometheus_client`` takes in a fresh interpreter (``-X importtime``'s cumulative
    figure for it: what it adds to the start of ``article-bot run`` with METRICS_ADDR set)."""
    def once() -> float:
        result = subprocess.run([sys.executable, "-X", "importtime", "-c", "import prometheus_client"],
                                capture_output=True, text=True, check=True)
        line = next(line for line in result.stderr.splitlines() if line.rstrip().endswith("| prometheus_client"))
        return int(line.split("|")[1]) / 1e6  # microseconds

    return median([once() for _ in range(runs)])


def instrumentation_cost(answers: int = 20_000) -> float:
    """Seconds of metric updates one answer makes (its answer count and latency, the engine's latency, three
    store transactions' latency and wait), timed in a loop: the part of the on/off difference that is ours,
    free of the shared machine's noise."""
    from bot.operations import Metrics

    metrics = Metrics()
    engine, store, wait = (metrics.engine_seconds.labels("fast"), metrics.store_seconds.labels("sqlite"),
                           metrics.store_wait_seconds.labels("sqlite"))
    started = time.perf_counter()
    for _ in range(answers):
        metrics.answer("answered", "fast", 0.02)
        engine.observe(0.01)
        for _ in range(3):
            store.observe(0.001)
            wait.observe(0.0001)
    return (time.perf_counter() - started) / answers


def run(encoder: Encoder, workdir: Path, *, questions: int, askers: int = 64, rounds: int = 3,
        repeats: int = 1) -> dict:
    """Off and on alternated ``repeats`` times; medians over repeats; the on/off ratios against the target."""
    runs: dict[str, list[dict]] = {"off": [], "on": []}
    asyncio.run(_one_setting(encoder, workdir / "warm-up", None, questions=16, askers=askers, rounds=1))  # discarded
    for repeat in range(repeats):
        for setting in ("off", "on") if repeat % 2 == 0 else ("on", "off"):
            address = f"127.0.0.1:{free_port()}" if setting == "on" else None
            runs[setting].append(asyncio.run(_one_setting(
                encoder, workdir / f"{setting}-{repeat}", address, questions=questions, askers=askers,
                rounds=rounds)))
    figure: dict = {"repeats": repeats, "questions": questions, "askers": askers, "rounds": rounds}
    for setting, results in runs.items():
        figure[setting] = {
            "answer_p50_ms": ms(median([r["p50"] for r in results])),
            "askers_per_s": round(median([r["throughput"] for r in results]), 1),
        }
    figure["p50_ratio"] = round(figure["on"]["answer_p50_ms"] / figure["off"]["answer_p50_ms"], 3)
    figure["throughput_ratio"] = round(figure["off"]["askers_per_s"] / figure["on"]["askers_per_s"], 3)
    figure["target_ratio"] = TARGET_RATIO
    figure["import_prometheus_client_ms"] = ms(import_cost())
    figure["instrumentation_us_per_answer"] = round(instrumentation_cost() * 1e6, 1)
    figure["what"] = ("one asker's round-trip p50 and 64 simultaneous askers' answers per second, metrics "
                      "server off vs on (ratios: on/off for p50, off/on for throughput; 1.0 = no cost)")
    return figure
