"""The rate cap of correction edits (clock injected, no real waiting)."""

from __future__ import annotations

import asyncio

import discord

from bot.edit_queue import EditQueue, RateCap


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def test_no_window_holds_more_than_the_cap():
    """50 acquisitions at 10 per 60 s: evenly spaced 6 s apart, so no 60 s window holds more than 10."""
    clock = Clock()
    cap = RateCap(10, 60.0, clock=clock.time, sleep=clock.sleep)
    times = []
    for _ in range(50):
        await cap.acquire()
        times.append(clock.now)
    assert times[:3] == [0.0, 6.0, 12.0]
    assert all(times[i + 10] - times[i] >= 60.0 for i in range(40))
    assert times[-1] == 49 * 6.0


async def test_a_failing_job_does_not_stop_the_queue():
    """An HTTP error on one edit is logged and the next queued edit still runs."""
    clock = Clock()
    queue = EditQueue(RateCap(5, 60.0, clock=clock.time, sleep=clock.sleep))
    ran = []

    async def fails() -> None:
        raise discord.DiscordServerError(type("R", (), {"status": 500, "reason": "x"})(), "boom")

    async def works() -> None:
        ran.append(True)

    queue.put("bad", fails)
    queue.put("good", works)
    await asyncio.wait_for(queue.join(), 5)
    assert ran == [True] and (queue.done, queue.failed) == (1, 1)
    queue.close()
