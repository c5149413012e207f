"""The scheduler's clock: what time it is and a way to wait until a time (injected; tests advance it)."""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

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
