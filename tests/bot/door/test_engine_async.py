"""The engine seen from the event loop: shutting down stops a parse in progress."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bot.door.engine_async import AsyncEngine
from embeddings.errors import LoadCancelledError
from embeddings.text import ParseBudget


async def test_closing_the_engine_stops_a_parse_in_progress(fresh_service):
    """close() (shutdown) makes an upload being parsed give up with LoadCancelledError, so exiting does
    not wait for it; the old article is still the one loaded."""
    before = fresh_service.index
    engine = AsyncEngine(fresh_service, fresh_service.source)
    started, closed = threading.Event(), threading.Event()

    def clock() -> float:  # the parse starts, then waits here until the engine has been closed
        started.set()
        closed.wait(60)
        return 0.0

    fresh_service.parse_budget = lambda: ParseBudget(stop=fresh_service.stopping, clock=clock)
    upload = asyncio.ensure_future(engine.load_bytes(
        b"A sentence of the upload. " * 1000, name="a.txt", source="upload", content_type=None, max_bytes=10**6
    ))
    assert await asyncio.to_thread(started.wait, 60)
    engine.close()
    closed.set()
    with pytest.raises(LoadCancelledError):
        await upload
    assert fresh_service.index is before
