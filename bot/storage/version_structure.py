"""Every stored version keeps its paragraph structure, so nothing reads a stored article by parsing it again.

Versions are written with their structure (the paragraph and sentence spans the load parsed). A version
stored whole without it (written before the structure was always stored, or by a caller that had none) gets
it once from :func:`backfill_structure`, which the composition root runs after opening the store with the
engine's parser (the store itself never parses article text: :mod:`embeddings` decides paragraphs). Migration
10 indexes exactly those rows, so the check costs nothing once they are done.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from .database import Database
from .sql import Connection

__all__ = ["StructureOf", "backfill_structure", "unstructured_versions"]

log = logging.getLogger(__name__)

# an article text → its structure JSON ``[[start, end, [[start, end], ...]], ...]``, as a load parses it
StructureOf = Callable[[str], str]

_UNSTRUCTURED = "SELECT id FROM versions WHERE text IS NOT NULL AND structure IS NULL ORDER BY id"


async def unstructured_versions(database: Database) -> list[int]:
    """The ids of the versions stored whole without their structure (migration 10's index holds just these)."""
    return await database.run(lambda connection: [int(row[0]) for row in connection.execute(_UNSTRUCTURED)])


async def backfill_structure(database: Database, structure_of: StructureOf) -> int:
    """Give every version stored whole without its structure the structure ``structure_of`` finds in its text
    (parsed in a worker thread, one version at a time, never on the event loop or inside a transaction);
    returns how many were filled. A text that no longer parses is logged and left as it is."""
    filled = 0
    for version_id in await unstructured_versions(database):
        row = await database.run(lambda connection, v=version_id: connection.execute(
            "SELECT text FROM versions WHERE id = ? AND structure IS NULL", (v,)).fetchone())
        if row is None or row[0] is None:
            continue  # filled or deleted meanwhile (another process)
        try:
            structure = await asyncio.to_thread(structure_of, str(row[0]))
        except Exception as error:  # the parser's refusal of a stored text (e.g. it changed since)
            log.warning("stored version %s has no structure and its text does not parse: %s", version_id, error)
            continue

        def write(connection: Connection, v: int = version_id, s: str = structure) -> None:
            with connection:
                connection.execute("UPDATE versions SET structure = ? WHERE id = ? AND structure IS NULL", (s, v))

        await database.run(write)
        filled += 1
    if filled:
        log.info("stored the paragraph structure of %d version(s) kept without it", filled)
    return filled
