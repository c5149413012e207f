"""The scheduler's clock: what time it is and a way to wait until a time (injected; tests advance it), and the
loop of passes the schedulers (refresh checks, feed polls) run on it."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.storage import StorageError

log = logging.getLogger(__name__)

LONGEST_SLEEP = 3600.0  # the wall clock may jump: look again at least hourly


class Clock(Protocol):
    """Unix time now, and an awaitable that returns at (or after) a given unix time."""

    def now(self) -> float: ...

    async def sleep_until(self, when: float) -> None: ...


class SystemClock:
    """The real clock: ``time.time`` and ``asyncio.sleep`` (never more than an hour at once)."""

    def now(self) -> float:
        return time.time()

    async def sleep_until(self, when: float) -> None:
        await asyncio.sleep(min(max(0.0, when - time.time()), LONGEST_SLEEP))


RETRY_AFTER_ERROR = 60.0  # a pass that failed (the store unavailable, a bug) is tried again a minute later


class PassLoop:
    """A scheduler's loop (the refresh checks', the feed polls'): run a pass, which returns when to look again,
    then sleep until then or until :meth:`wake`; a failed pass is logged and tried again in a minute, so neither
    an unavailable store nor a bug ends the schedule. ``passes`` and ``sleeping_until`` let tests wait on it."""

    def __init__(self, name: str, clock: Clock, run_pass: Callable[[], Awaitable[float]]) -> None:
        self.name = name
        self.clock = clock
        self.run_pass = run_pass
        self.passes = 0  # completed passes
        self.sleeping_until: float | None = None  # set while the loop waits for its next pass
        self.changed = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    def start(self, ready: Callable[[], Awaitable[object]], *, task_name: str) -> None:
        """Run the loop in a task of its own, once ``ready()`` returns (the bot's gateway is ready)."""

        async def after_ready() -> None:
            await ready()
            await self.run()

        self.task = asyncio.create_task(after_ready(), name=task_name)

    def stop(self) -> None:
        """Cancel the loop's task (the cog is unloading)."""
        if self.task is not None:
            self.task.cancel()

    def wake(self) -> None:
        """Something the schedule depends on changed: look again now."""
        self.changed.set()

    async def run(self) -> None:
        """Pass after pass, until cancelled."""
        while True:
            self.changed.clear()  # a change made during the pass is seen by the next one
            try:
                wake = await self.run_pass()
            except StorageError as error:
                log.error("%s: the store is unavailable (%s); trying again in a minute", self.name, error)
                wake = self.clock.now() + RETRY_AFTER_ERROR
            except Exception:  # a bug must not end the schedule for good
                log.exception("%s: a pass failed; trying again in a minute", self.name)
                wake = self.clock.now() + RETRY_AFTER_ERROR
            self.passes += 1
            await self.sleep_until(wake)

    async def sleep_until(self, wake: float) -> None:
        self.sleeping_until = wake
        sleeping = asyncio.ensure_future(self.clock.sleep_until(wake))
        changed = asyncio.ensure_future(self.changed.wait())
        try:
            await asyncio.wait({sleeping, changed}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeping.cancel()
            changed.cancel()
            self.sleeping_until = None
