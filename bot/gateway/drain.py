"""Graceful drain: on SIGTERM the bot stops taking new questions, finishes the answers in flight (up to
SHUTDOWN_GRACE), then closes. A question that arrives meanwhile is told to ask again in a moment only if the
drain outlasts :data:`NOTICE_AFTER` seconds (a quick restart says nothing)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterator

log = logging.getLogger(__name__)

NOTICE_AFTER = 5.0  # seconds of drain after which a new question gets the "restarting" reply


class Drain:
    """Counts the questions in flight; once :meth:`begin` is called, refuses new ones."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.in_flight = 0
        self.started: float | None = None  # clock() when the drain began
        self._idle = asyncio.Event()
        self._idle.set()
        self._hurry = asyncio.Event()  # a second SIGTERM: stop waiting

    @property
    def draining(self) -> bool:
        return self.started is not None

    @contextlib.contextmanager
    def question(self) -> Iterator[None]:
        """Around answering one question (taken before the drain began)."""
        self.in_flight += 1
        self._idle.clear()
        try:
            yield
        finally:
            self.in_flight -= 1
            if not self.in_flight:
                self._idle.set()

    def begin(self) -> None:
        if self.started is None:
            self.started = self.clock()

    def hurry(self) -> None:
        """Stop waiting for the answers in flight (a second SIGTERM)."""
        self._hurry.set()

    async def wait(self, grace: float) -> bool:
        """Wait (up to ``grace`` seconds, or until :meth:`hurry`) for the answers in flight; True when all
        finished."""
        idle, hurry = asyncio.ensure_future(self._idle.wait()), asyncio.ensure_future(self._hurry.wait())
        try:
            await asyncio.wait([idle, hurry], timeout=grace, return_when=asyncio.FIRST_COMPLETED)
        finally:
            idle.cancel()
            hurry.cancel()
        return not self.in_flight

    async def refuse(self, notice: Callable[[], Awaitable[object]]) -> None:
        """A question arrived during the drain: send ``notice`` once the drain has lasted NOTICE_AFTER seconds
        (the process usually closes first, and then nothing is sent)."""
        assert self.started is not None
        await asyncio.sleep(max(0.0, self.started + NOTICE_AFTER - self.clock()))
        await notice()
