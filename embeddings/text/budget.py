"""A time limit and a stop signal for one parse, checked between pieces of work."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ..errors import ArticleTooComplexError, LoadCancelledError

PARSE_SECONDS = 30.0


class ParseBudget:
    """Raises from :meth:`check` once ``seconds`` have passed or ``stop`` is set (thread-safe to stop)."""

    def __init__(
        self,
        seconds: float = PARSE_SECONDS,
        *,
        stop: threading.Event | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seconds = seconds
        self.stop = stop
        self.clock = clock
        self.started = clock()
        self.deadline = self.started + seconds

    def elapsed(self) -> float:
        """Seconds since the parse started."""
        return self.clock() - self.started

    def check(self) -> None:
        """Raise LoadCancelledError when stopped, ArticleTooComplexError when out of time."""
        if self.stop is not None and self.stop.is_set():
            raise LoadCancelledError(key="load_cancelled")
        if self.clock() > self.deadline:
            raise ArticleTooComplexError(key="article_too_slow", seconds=f"{self.seconds:g}")
