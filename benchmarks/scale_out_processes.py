"""Answered questions/s with the bot's 2 shards in 1 process vs 2 processes, under the same offered load.

The local Discord-compatible server (devtools/discord_fake, in this process, OpenAPI checks off) hosts
``guilds`` guilds, half on each of SHARD_COUNT=2 shards. ``article-bot cluster --processes N`` runs
the real bot: N=1 one child with shards 0-1, N=2 one child per shard; children share one SQLite
DATA_DIR (every answer is recorded) and the ONNX export. The cluster gives each child
``cores // N`` ONNX Runtime and BLAS threads (EMBEDDING_THREADS, OMP/OPENBLAS/MKL_NUM_THREADS), so
2 processes × 1 thread do not oversubscribe 2 cores. The load is closed-loop and identical for both:
``askers`` members per guild each ask, wait for the reply, and ask again, for ``seconds`` after a
warm-up; the figure is replies per second (and their round-trip p50/p99). The CPU the bots used (all
threads, and their event-loop threads alone) and the whole machine's busy cores are reported with it:
on a machine other work keeps busy, the bots get what is left and the ratio says little.

``python -m benchmarks.scale_out_processes [--seconds S]`` prints the figure as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

from .common import QUESTIONS, ms, percentile

IDENTIFY_INTERVAL = "0.2"  # CLUSTER_IDENTIFY_INTERVAL: no need to wait Discord's 5 s on a local server
THREAD_SETTINGS = ("EMBEDDING_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


async def _load(processes: int, cache_dir: Path, work: Path, *, guilds: int, askers: int, seconds: float,
                warmup: int, threads: int | None = None) -> dict:
    """Start the cluster with ``processes`` children, offer the load, stop it; replies/s and round trips.

    ``threads`` sets each child's ONNX Runtime and BLAS threads (default: the cluster's cores // N)."""
    from benchmarks.discord_rt import ReplyWatcher
    from devtools.discord_fake import FakeDiscord
    from devtools.processes import BotProcess, bot_env, children_of

    async with FakeDiscord(heartbeat_interval_ms=5000, validate_openapi=False) as server:
        places = [server.add_guild(f"Guild {i}", shard=(i % 2, 2)) for i in range(guilds)]
        users = [server.add_user(f"asker{i}")["id"] for i in range(askers)]
        for guild in places:
            for user in users:
                server.add_member(user, roles=["member"], guild_id=guild.id)
        pinned = {name: str(threads) for name in THREAD_SETTINGS} if threads else {}
        env = bot_env(server, cache=cache_dir, data=work / f"data-{processes}-{threads}", SHARD_COUNT="2",
                      CLUSTER_IDENTIFY_INTERVAL=IDENTIFY_INTERVAL, LOG_LEVEL="WARNING", **pinned)
        cluster = await BotProcess(work / f"cluster-{processes}.log").start(
            ["cluster", "--processes", str(processes)], env)
        try:
            await server.wait_identified(2, timeout=300)
            watcher = ReplyWatcher(server)
            channels = [g.channel_ids["articles"] for g in places]
            for turn in range(warmup):  # every guild answered (both shards ready, caches warm)
                await asyncio.gather(*(watcher.round_trip(c, users[0], QUESTIONS[turn % len(QUESTIONS)])
                                       for c in channels))
            children = list(children_of(cluster.pid))
            cpu_before, machine_before = _cpu_seconds(children), _machine_busy()
            loop_before = _cpu_seconds([f"{pid}/task/{pid}" for pid in children])
            started = time.monotonic()
            end = started + seconds
            times: list[float] = []

            async def asker(channel: str, user: str, offset: int) -> None:
                turn = offset
                while time.monotonic() < end:
                    took = await watcher.round_trip(channel, user, QUESTIONS[turn % len(QUESTIONS)])
                    if time.monotonic() <= end:
                        times.append(took)
                    turn += 1

            await asyncio.gather(*(asker(c, u, i * 7 + j) for i, c in enumerate(channels)
                                   for j, u in enumerate(users)))
            elapsed = time.monotonic() - started
            bot_cores = (_cpu_seconds(children) - cpu_before) / elapsed
            loop_cores = (_cpu_seconds([f"{pid}/task/{pid}" for pid in children]) - loop_before) / elapsed
            busy = _machine_busy()
            machine_cores = (busy[0] - machine_before[0]) / (busy[1] - machine_before[1]) * (os.cpu_count() or 1)
        finally:
            if cluster.process is not None and cluster.process.returncode is None:
                await cluster.stop(signal.SIGTERM)
    return {"qps": round(len(times) / elapsed, 1), "answers": len(times),
            "p50_ms": ms(percentile(times, 50)), "p99_ms": ms(percentile(times, 99)),
            "bot_cpu_cores": round(bot_cores, 2), "event_loop_cpu_cores": round(loop_cores, 2),
            "machine_busy_cores": round(machine_cores, 2),
            "answers_per_bot_cpu_s": round(len(times) / elapsed / bot_cores, 1) if bot_cores else None,
            "load_average_1m": round(os.getloadavg()[0], 2)}


def _cpu_seconds(pids: list[int] | list[str]) -> float:
    """User + system CPU seconds the processes (or ``pid/task/tid`` threads) have used so far (from /proc)."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU time of the whole machine so far, from /proc/stat (other users' work included)."""
    values = [float(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def run(cache_dir: Path, work: Path, *, guilds: int = 4, askers: int = 8, seconds: float = 15.0,
        warmup: int = 3) -> dict:
    """Replies/s with 1 and 2 processes (same guilds, askers and seconds) and their ratios: against one
    process given every core (``speedup``), and against one process set up like each of the two, one
    ONNX/BLAS thread (``speedup_same_process``: what adding a process adds).

    ``cache_dir`` must hold the ONNX export (``cache_dir/onnx``); each run gets its own CACHE_DIR
    linking to it, and its own DATA_DIR.
    """
    figure: dict = {
        "what": f"{guilds} guilds on 2 shards, {askers} askers per guild asking in a closed loop for {seconds:g} s",
        "threads_per_process": {str(n): max(1, (os.cpu_count() or 1) // n) for n in (1, 2)},
        "cpus": os.cpu_count(),
    }
    runs = {"processes_1": (1, None), "processes_1_one_thread": (1, 1), "processes_2": (2, None)}
    for name, (processes, threads) in runs.items():
        cache = work / f"cache-{processes}"
        cache.mkdir(parents=True, exist_ok=True)
        if not (cache / "onnx").exists():
            (cache / "onnx").symlink_to(Path(cache_dir).resolve() / "onnx", target_is_directory=True)
        figure[name] = asyncio.run(_load(processes, cache, work, guilds=guilds, askers=askers, seconds=seconds,
                                         warmup=warmup, threads=threads))
    one, alike, two = (figure[name]["qps"] for name in runs)
    figure["speedup"] = round(two / one, 3) if one else None  # against one process using every core
    figure["speedup_same_process"] = round(two / alike, 3) if alike else None  # N alike processes: 2 vs 1
    return figure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale_out_processes", description=__doc__)
    parser.add_argument("--cache-dir", type=Path, default=Path(".cache/article-bot"),
                        help="where the ONNX export is (default: the bot's CACHE_DIR default)")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--guilds", type=int, default=4)
    parser.add_argument("--askers", type=int, default=8, help="askers per guild")
    args = parser.parse_args(argv)
    from .common import onnx_encoder, quiet_logs

    quiet_logs()
    onnx_encoder(args.cache_dir.resolve())  # exported once if missing
    with tempfile.TemporaryDirectory(prefix="article-bot-scale-out-") as temp:
        figure = run(args.cache_dir, Path(temp), guilds=args.guilds, askers=args.askers, seconds=args.seconds)
    print(json.dumps(figure))
    return 0


if __name__ == "__main__":
    sys.exit(main())
