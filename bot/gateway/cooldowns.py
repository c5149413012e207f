"""Per-user and per-channel question rate limits (sliding windows)."""

from __future__ import annotations

import logging
import time
from collections import defaultdict, deque
from collections.abc import Callable

log = logging.getLogger(__name__)


class SlidingWindow:
    """At most ``count`` hits per ``seconds`` for each key."""

    def __init__(self, count: int, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.count = count
        self.seconds = seconds
        self.clock = clock
        self._hits: defaultdict[int, deque[float]] = defaultdict(deque)

    def retry_after(self, key: int) -> float:
        """Seconds until ``key`` may go again (0 when it may go now)."""
        now = self.clock()
        hits = self._hits[key]
        while hits and now - hits[0] >= self.seconds:
            hits.popleft()
        return 0.0 if len(hits) < self.count else self.seconds - (now - hits[0])

    def hit(self, key: int) -> None:
        """Record one use by ``key``."""
        self._hits[key].append(self.clock())


class Cooldowns:
    """Checks a question against the user's and the channel's limits; records it only if allowed."""

    def __init__(
        self, user: tuple[int, float] | None, channel: tuple[int, float] | None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.user = SlidingWindow(*user, clock=clock) if user else None
        self.channel = SlidingWindow(*channel, clock=clock) if channel else None

    def check(self, user_id: int, channel_id: int) -> float:
        """0 and the question counts, or the seconds to wait (nothing recorded)."""
        waits = [
            window.retry_after(key)
            for window, key in ((self.user, user_id), (self.channel, channel_id))
            if window is not None
        ]
        wait = max(waits, default=0.0)
        if wait > 0:
            return wait
        for window, key in ((self.user, user_id), (self.channel, channel_id)):
            if window is not None:
                window.hit(key)
        return 0.0
