"""The request id: one per question, set when its gateway event arrives and carried (a context variable) into
the tasks it starts and the engine's worker threads, so its log lines can be told apart from the others'."""

from __future__ import annotations

import itertools
import os
import time
from contextvars import ContextVar
from dataclasses import dataclass

__all__ = ["Request", "current_request", "new_request"]


@dataclass(frozen=True, slots=True)
class Request:
    """One question's id (``<pid hex>-<n>``: unique across a cluster's processes) and when its event came."""

    id: str
    started: float  # time.perf_counter() at the gateway event

    def elapsed(self) -> float:
        """Seconds since the gateway event."""
        return time.perf_counter() - self.started


CURRENT: ContextVar[Request | None] = ContextVar("request", default=None)
_numbers = itertools.count(1)
_PREFIX = f"{os.getpid():x}"


def new_request() -> Request:
    """Start a request in the current context (its tasks and the engine calls it makes inherit it)."""
    request = Request(f"{_PREFIX}-{next(_numbers)}", time.perf_counter())
    CURRENT.set(request)
    return request


def current_request() -> Request | None:
    """The request the running code serves (None outside one)."""
    return CURRENT.get()
