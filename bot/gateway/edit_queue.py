"""Background writes to Discord (answer edits, thread notes) at most N per period, one at a time.

discord.py's HTTP client already waits out a 429 and retries; on top of that the queue sends one write
every ``period / per_period`` seconds at most (never more than ``per_period`` in any ``period``), so a
correction touching hundreds of answers trickles out instead of hammering the API.

The cap is global (one bot, one rate), but the slots are shared out fairly: each guild has its own
queue and the worker takes the guilds' writes in turn (round-robin), so a thousand corrections in one
server delay another server's by one slot, not by the thousand.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable

import discord

from ..operations import active_metrics

log = logging.getLogger(__name__)


def count_edit(result: str) -> None:
    """``article_bot_correction_edits_total{result}`` (done, gone, failed), when metrics are on."""
    if (metrics := active_metrics()) is not None:
        metrics.corrections.labels(result).inc()

Job = Callable[[], Awaitable[object]]


class RateCap:
    """At most ``per_period`` acquisitions in any ``period`` seconds, evenly spaced (one every
    ``period / per_period`` seconds: no bursts); the clock and sleep are injectable for tests."""

    def __init__(self, per_period: int, period: float = 60.0, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        self.per_period = max(1, per_period)
        self.period = period
        self.clock = clock
        self.sleep = sleep
        self._next: float | None = None  # clock time of the next free slot

    @property
    def interval(self) -> float:
        """Seconds between two acquisitions."""
        return self.period / self.per_period

    def wait_needed(self) -> float:
        """Seconds until one more acquisition fits (0: now)."""
        return 0.0 if self._next is None else max(0.0, self._next - self.clock())

    async def acquire(self) -> None:
        """Wait for the next free slot, then take it."""
        while (wait := self.wait_needed()) > 0:
            await self.sleep(wait)
        self._next = self.clock() + self.interval


class EditQueue:
    """Runs queued Discord writes in one background task, each after :meth:`RateCap.acquire`: in the order
    they were queued within a guild, and the guilds in turn (round-robin) for the slots."""

    def __init__(self, cap: RateCap) -> None:
        self.cap = cap
        self._queues: dict[int | None, deque[tuple[str, Job]]] = {}  # per guild (None: DMs), oldest first
        self._turns: deque[int | None] = deque()  # the guilds with queued writes, next turn first
        self._queued = asyncio.Event()  # set while any write is queued
        self._idle = asyncio.Event()  # set while nothing is queued or running
        self._idle.set()
        self._running = 0
        self._worker: asyncio.Task[None] | None = None
        self._between_writes = asyncio.Event()  # cleared while a write is being sent
        self._between_writes.set()
        self._closing = False
        self.done = 0
        self.failed = 0

    def put(self, what: str, job: Job, *, guild_id: int | None = None) -> None:
        """Queue ``job`` for ``guild_id``'s turn (``what`` names it in logs); starts the worker on first use."""
        queue = self._queues.get(guild_id)
        if queue is None:
            queue = self._queues[guild_id] = deque()
            self._turns.append(guild_id)  # a guild with nothing queued joins the end of the rotation
        queue.append((what, job))
        self._queued.set()
        self._idle.clear()
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._run(), name="answer-corrections")

    @property
    def pending(self) -> int:
        """Jobs not started yet."""
        return sum(len(queue) for queue in self._queues.values())

    async def join(self) -> None:
        """Wait until every queued job has run (tests, shutdown)."""
        await self._idle.wait()

    def _next(self) -> tuple[str, Job]:
        """The oldest write of the guild whose turn it is; that guild goes to the back of the rotation."""
        guild_id = self._turns.popleft()
        queue = self._queues[guild_id]
        taken = queue.popleft()
        if queue:
            self._turns.append(guild_id)
        else:
            del self._queues[guild_id]
        if not self._turns:
            self._queued.clear()
        return taken

    async def _run(self) -> None:
        while True:
            await self._queued.wait()
            self._running += 1
            what = "?"
            try:
                await self.cap.acquire()  # the slot first: a guild queuing meanwhile gets its turn in it
                if self._closing:
                    return
                what, job = self._next()
                self._between_writes.clear()
                await job()
                self.done += 1
                count_edit("done")
            except discord.NotFound:
                self.failed += 1
                count_edit("gone")
                log.info("correction skipped: %s is gone", what)
            except discord.HTTPException as error:  # 429s were already waited out and retried by discord.py
                self.failed += 1
                count_edit("failed")
                log.warning("correction failed: %s (%s %s)", what, error.status, error.text)
            except Exception:
                self.failed += 1
                count_edit("failed")
                log.exception("correction failed: %s", what)
            finally:
                self._between_writes.set()
                self._running -= 1
                if not self._running and not self._turns:
                    self._idle.set()

    async def finish_current(self, timeout: float) -> None:
        """Shutting down: let the write being sent now finish (up to ``timeout`` seconds), start no other, then
        stop the worker (the queued ones are resumed from the store at the next start)."""
        self._closing = True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._between_writes.wait(), timeout)
        self.close()

    def close(self) -> None:
        """Stop the worker (queued jobs are dropped)."""
        if self._worker is not None:
            self._worker.cancel()
