"""``article-bot cluster --processes N``: the bot's shards split between N child processes on one machine.

The supervisor learns the shard count (SHARD_COUNT, else Discord's recommendation from GET
/gateway/bot) and ``max_concurrency``, starts N ``article-bot start`` children with SHARD_COUNT and
their SHARD_IDS, and hands out IDENTIFY permits over a Unix socket: one IDENTIFY per rate-limit key
(``shard_id % max_concurrency``) per IDENTIFY_INTERVAL across every child, as Discord requires. A
child that exits is restarted after an exponential backoff (reset once it has run a while); SIGTERM
or Ctrl-C stops every child (SIGTERM, which drains it, SHUTDOWN_GRACE + 5 s, then SIGKILL) and exits 0. With
METRICS_ADDR set, child i serves /metrics on port + 1 + i and the supervisor serves them merged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Settings
from ..terminal import shown
from .sharding import CLUSTER_SOCKET_ENV, describe_shards

if TYPE_CHECKING:
    from ..operations import OperationsServer

log = logging.getLogger(__name__)

IDENTIFY_INTERVAL = 5.0  # seconds between IDENTIFYs of one rate-limit key (Discord's rule)
IDENTIFY_INTERVAL_ENV = "CLUSTER_IDENTIFY_INTERVAL"  # for tests only: a shorter interval
MAX_IDENTIFY_INTERVAL = 60.0
BACKOFF_FIRST, BACKOFF_MAX = 1.0, 60.0  # seconds before restarting a child that exited, doubling per crash
STABLE_AFTER = 60.0  # a child that ran this long restarts with the first backoff again
STOP_GRACE = 15.0  # seconds a child gets to close after SIGTERM before SIGKILL (`cluster`: SHUTDOWN_GRACE + 5)
STOP_MARGIN = 5.0  # seconds beyond a child's SHUTDOWN_GRACE before the supervisor kills it
DEFAULT_API = "https://discord.com/api/v10"


class ClusterError(RuntimeError):
    """The cluster cannot start (no token, Discord's gateway information unavailable)."""


def split_shards(shard_count: int, processes: int) -> list[tuple[int, ...]]:
    """Contiguous slices of ``range(shard_count)`` for ``processes`` children (at most one per shard),
    sizes differing by at most one: ``split_shards(5, 2) == [(0, 1, 2), (3, 4)]``."""
    processes = max(1, min(processes, shard_count))
    size, extra = divmod(shard_count, processes)
    slices, start = [], 0
    for index in range(processes):
        end = start + size + (1 if index < extra else 0)
        slices.append(tuple(range(start, end)))
        start = end
    return slices


def shard_ids_setting(shard_ids: Sequence[int]) -> str:
    """SHARD_IDS for a contiguous slice (``0-3``) or any list (``4,6``)."""
    ids = list(shard_ids)
    if len(ids) > 1 and ids == list(range(ids[0], ids[-1] + 1)):
        return f"{ids[0]}-{ids[-1]}"
    return ",".join(str(i) for i in ids)


async def gateway_limits(settings: Settings) -> tuple[int, int]:
    """Discord's recommended shard count and ``session_start_limit.max_concurrency`` (GET /gateway/bot)."""
    import aiohttp

    url = (settings.discord_api_base or DEFAULT_API) + "/gateway/bot"
    headers = {"Authorization": f"Bot {settings.discord_token}"}
    try:
        async with aiohttp.ClientSession() as session, session.get(url, headers=headers) as response:
            if response.status != 200:
                raise ClusterError(f"GET /gateway/bot answered HTTP {response.status}; check DISCORD_TOKEN")
            body = await response.json()
    except aiohttp.ClientError as error:
        raise ClusterError(f"cannot reach Discord for the shard count ({error}); set SHARD_COUNT") from error
    return int(body["shards"]), int(body.get("session_start_limit", {}).get("max_concurrency", 1))


class IdentifyPermits:
    """One IDENTIFY per rate-limit key (``shard_id % max_concurrency``) per ``interval`` seconds."""

    def __init__(self, max_concurrency: int, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_concurrency = max(1, max_concurrency)
        self.interval = interval
        self.clock = clock
        self._last: dict[int, float] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self.granted: list[tuple[int, float]] = []  # (shard id, clock()) of every permit

    async def acquire(self, shard_id: int) -> None:
        """Wait until ``shard_id`` may IDENTIFY, and count it as identifying now."""
        key = shard_id % self.max_concurrency
        async with self._locks.setdefault(key, asyncio.Lock()):
            last = self._last.get(key)
            if last is not None:
                await asyncio.sleep(max(0.0, last + self.interval - self.clock()))
            self._last[key] = self.clock()
            self.granted.append((shard_id, self._last[key]))

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """One child's request: ``<shard_id>\\n`` answered with ``ok\\n`` once it may IDENTIFY."""
        try:
            line = await reader.readline()
            shard_id = int(line.strip())
            await self.acquire(shard_id)
            writer.write(b"ok\n")
            await writer.drain()
        except (ValueError, ConnectionError) as error:
            log.warning("bad IDENTIFY permit request: %s", error)
        finally:
            writer.close()


@dataclass
class Child:
    """One child process and its shards; ``crashes`` in a row decide its restart backoff."""

    shard_ids: tuple[int, ...]
    process: asyncio.subprocess.Process | None = None
    started: float = 0.0
    crashes: int = 0
    restarts: int = 0
    label: str = field(init=False)

    def __post_init__(self) -> None:
        self.label = describe_shards(self.shard_ids, None)


class Supervisor:
    """Runs the children, restarts the ones that exit, and stops them all on SIGTERM/SIGINT."""

    def __init__(self, shard_count: int, slices: list[tuple[int, ...]], permits: IdentifyPermits, *,
                 command: Sequence[str] | None = None, environ: dict[str, str] | None = None,
                 metrics_addr: str | None = None, stop_grace: float = STOP_GRACE) -> None:
        self.shard_count = shard_count
        self.children = [Child(s) for s in slices]
        self.permits = permits
        self.command = list(command or [sys.executable, "-m", "bot.cli", "start"])
        self.environ = dict(os.environ if environ is None else environ)
        self.stopping = asyncio.Event()
        self.socket_path = ""
        self.metrics_addr = metrics_addr  # the supervisor's /metrics; child i serves on port + 1 + i
        self.stop_grace = stop_grace

    def child_metrics_addresses(self) -> list[str]:
        from ..operations import child_address

        return [child_address(self.metrics_addr, i) for i in range(len(self.children))] if self.metrics_addr else []

    def _child_env(self, child: Child) -> dict[str, str]:
        env = {**self.environ, "SHARD_COUNT": str(self.shard_count), "SHARD_IDS": shard_ids_setting(child.shard_ids),
               CLUSTER_SOCKET_ENV: self.socket_path}
        addresses = self.child_metrics_addresses()
        env["METRICS_ADDR"] = addresses[self.children.index(child)] if addresses else "off"
        threads = str(max(1, (os.cpu_count() or 1) // len(self.children)))
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "EMBEDDING_THREADS"):
            env.setdefault(name, threads)  # N processes share the cores: no oversubscription
        return env

    async def _start(self, child: Child) -> None:
        child.process = await asyncio.create_subprocess_exec(*self.command, env=self._child_env(child))
        child.started = time.monotonic()
        log.info("started %s (pid %d)", child.label, child.process.pid)

    async def _watch(self, child: Child) -> None:
        """Keep ``child`` running until the cluster stops: restart it with backoff whenever it exits."""
        while not self.stopping.is_set():
            await self._start(child)
            assert child.process is not None
            code = await child.process.wait()
            if self.stopping.is_set():
                return
            child.crashes = 1 if time.monotonic() - child.started >= STABLE_AFTER else child.crashes + 1
            delay = min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** (child.crashes - 1))
            log.error("%s (pid %d) exited with code %s; restarting in %.0f s", child.label, child.process.pid,
                      code, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), delay)
            child.restarts += 1

    async def _stop_children(self) -> None:
        running = [c.process for c in self.children if c.process is not None and c.process.returncode is None]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        for process in running:
            try:
                await asyncio.wait_for(process.wait(), self.stop_grace)
            except TimeoutError:
                log.warning("pid %d did not stop within %.0f s; killing it", process.pid, self.stop_grace)
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()

    async def run(self) -> int:
        """Serve permits and run the children until SIGTERM/SIGINT; returns 0 once all have stopped."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self.stopping.set)
        with tempfile.TemporaryDirectory(prefix="article-bot-cluster-") as directory:
            self.socket_path = str(Path(directory) / "identify.sock")
            server = await asyncio.start_unix_server(self.permits.serve, self.socket_path)
            log.info("cluster: %d shard(s) over %d process(es), max_concurrency %d, %s s between IDENTIFYs",
                     self.shard_count, len(self.children), self.permits.max_concurrency, self.permits.interval)
            watchers = [asyncio.create_task(self._watch(c), name=f"watch {c.label}") for c in self.children]
            operations = self._serve_operations(loop)
            await self.stopping.wait()
            if operations is not None:
                operations.stop()
            log.info("cluster stopping: SIGTERM to every child")
            await self._stop_children()
            for watcher in watchers:
                watcher.cancel()
            await asyncio.gather(*watchers, return_exceptions=True)
            server.close()
            await server.wait_closed()
        log.info("cluster stopped")
        return 0


    def _serve_operations(self, loop: asyncio.AbstractEventLoop) -> OperationsServer | None:
        """The supervisor's /metrics (the children's, merged), /healthz (its loop) and /readyz (every child's)."""
        if not self.metrics_addr:
            return None
        from ..operations import ClusterMetrics, OperationsServer, Probes, children_not_ready
        from .operating import loop_answers

        addresses = self.child_metrics_addresses()
        probes = Probes(alive=lambda: loop_answers(loop), not_ready=lambda: children_not_ready(addresses))
        server = OperationsServer(self.metrics_addr, probes, ClusterMetrics(addresses))
        try:
            server.start()
        except OSError as error:
            log.error("cannot serve /metrics on %s (%s): running without", self.metrics_addr, error)
            return None
        return server


def identify_interval(environ: dict[str, str] | os._Environ[str]) -> float:
    """IDENTIFY_INTERVAL, or CLUSTER_IDENTIFY_INTERVAL seconds (only for tests: Discord needs 5 s)."""
    value = environ.get(IDENTIFY_INTERVAL_ENV)
    try:
        seconds = float(value) if value else IDENTIFY_INTERVAL
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds <= MAX_IDENTIFY_INTERVAL:  # nan and inf too
        raise ClusterError(f"{IDENTIFY_INTERVAL_ENV} must be a number of seconds from 0 to "
                           f"{MAX_IDENTIFY_INTERVAL:g}, got {shown(value or '')}")
    return seconds


async def run_cluster_async(settings: Settings, processes: int) -> int:
    if not settings.discord_token:
        raise ClusterError("DISCORD_TOKEN is not set: put it in .env or the environment (see .env.example)")
    try:
        recommended, max_concurrency = await gateway_limits(settings)
    except ClusterError as error:
        if not settings.shard_count:
            raise
        log.warning("%s; using SHARD_COUNT=%d and max_concurrency 1", error, settings.shard_count)
        recommended, max_concurrency = settings.shard_count, 1
    shard_count = settings.shard_count or recommended
    permits = IdentifyPermits(max_concurrency, identify_interval(os.environ))
    return await Supervisor(shard_count, split_shards(shard_count, processes), permits,
                            metrics_addr=settings.metrics_addr,
                            stop_grace=settings.shutdown_grace + STOP_MARGIN).run()


def run_cluster(settings: Settings, processes: int) -> int:
    """``article-bot cluster``: run until SIGTERM/Ctrl-C; exit status 0 after a clean stop, 2 if it cannot start."""
    try:
        return asyncio.run(run_cluster_async(settings, processes))
    except ClusterError as error:
        log.error("%s", error)
        return 2
