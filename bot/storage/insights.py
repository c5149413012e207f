"""Queries behind /insights: unanswered, disliked, popular and stale answers in a time window."""

from __future__ import annotations

import logging
import time

from .database import ANSWER_COLUMNS, WINDOWS, Database, StorageError, Window, answer_from_row
from .library import current_paragraph_digests
from .records import AskedQuestion, InsightReport, VotedAnswer
from .sql import Connection, dialect

log = logging.getLogger(__name__)


def _since(window: Window) -> float:
    span = WINDOWS[window]
    return 0.0 if span is None else time.time() - span


def _voted(
    connection: Connection, guild_id: int | None, since: float, current: set[str] | None
) -> list[VotedAnswer]:
    columns = ", ".join(f"a.{c.strip()}" for c in ANSWER_COLUMNS.split(","))
    rows = connection.execute(
        f"SELECT {columns}, sum(CASE WHEN v.vote = 1 THEN 1 ELSE 0 END), sum(CASE WHEN v.vote = -1 THEN 1 ELSE 0 END)"
        " FROM answers a JOIN votes v ON v.answer_id = a.id"
        " WHERE a.guild_id IS NOT DISTINCT FROM ? AND a.asked_at >= ? GROUP BY a.id",
        (guild_id, since),
    ).fetchall()
    voted = []
    for row in rows:
        try:
            answer = answer_from_row(row[:8])
        except StorageError as error:
            log.error("insights: skipping a damaged answer row: %s", error)
            continue
        stale = current is not None and any(c.digest not in current for c in answer.cited)
        voted.append(VotedAnswer(answer, int(row[8] or 0), int(row[9] or 0), stale))
    return voted


def build_report(
    connection: Connection, window: Window, limit: int = 25, *, guild_id: int | None = None
) -> InsightReport:
    """Everything /insights shows for ``window`` (day, week or all), from one guild's answers only."""
    since = _since(window)
    abstained = tuple(
        row[0] for row in connection.execute(
            "SELECT question FROM answers WHERE guild_id IS NOT DISTINCT FROM ? AND answered = 0 AND asked_at >= ?"
            " ORDER BY asked_at DESC LIMIT 500",
            (guild_id, since),
        )
    )
    trimmed = "btrim(question, ' ?!.')" if dialect(connection) == "postgresql" else "trim(question, ' ?!.')"
    most_asked = tuple(
        AskedQuestion(row[0], int(row[1])) for row in connection.execute(
            "SELECT min(question), count(*) AS n FROM answers WHERE guild_id IS NOT DISTINCT FROM ? AND asked_at >= ?"
            f" GROUP BY lower({trimmed}) ORDER BY n DESC, max(asked_at) DESC LIMIT ?",
            (guild_id, since, limit),
        )
    )
    voted = _voted(connection, guild_id, since, current_paragraph_digests(connection, guild_id))
    most_down = tuple(sorted((v for v in voted if v.down), key=lambda v: (-v.down, v.up))[:limit])
    stale = tuple(v for v in voted if v.stale)[:limit]
    total = connection.execute("SELECT count(*) FROM answers WHERE guild_id IS NOT DISTINCT FROM ? AND asked_at >= ?",
                               (guild_id, since)).fetchone()[0]
    return InsightReport(window, abstained, most_down, most_asked, stale, int(total))


async def insight_report(database: Database, window: Window, guild_id: int | None = None) -> InsightReport:
    """Build one guild's report on the database thread."""
    if window not in WINDOWS:
        raise ValueError(f"window must be one of {', '.join(WINDOWS)}")
    return await database.run(lambda connection: build_report(connection, window, guild_id=guild_id))
