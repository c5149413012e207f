"""Getting the database back after it was unavailable at start."""

from __future__ import annotations

import asyncio
import logging

from .database import Database
from .errors import StorageError

log = logging.getLogger(__name__)


async def reconnect(database: Database, first_delay: float = 1.0, max_delay: float = 60.0) -> None:
    """Open the database again with exponential backoff until it works (then log it and return).

    Meanwhile every storage call fails fast with StorageError, so the bot answers from what it has."""
    delay = first_delay
    while True:
        await asyncio.sleep(delay)
        try:
            await database.open()
        except StorageError as error:
            log.warning("database still unavailable (%s); next try in %.0f s", error, min(delay * 2, max_delay))
            delay = min(delay * 2, max_delay)
            continue
        log.info("database available again: %s", database.describe())
        return
