"""Refresh schedules of URL articles: each one's interval, HTTP validators and failure streak.

``every_seconds``: NULL follows REFRESH_INTERVAL, 0 is off, otherwise the article's own interval. A
schedule row belongs to one library article and goes with it (ON DELETE CASCADE).
"""

from __future__ import annotations

from dataclasses import dataclass

from .database import Database
from .sql import Connection

OFF = 0  # every_seconds of an article whose refresh a moderator switched off


@dataclass(frozen=True, slots=True)
class RefreshState:
    """One URL article of a library with its refresh schedule (defaults when none is stored)."""

    article_id: int
    guild_id: int
    channel_id: int | None
    source: str
    title: str
    every_seconds: int | None  # None: REFRESH_INTERVAL; 0: off
    etag: str | None = None
    last_modified: str | None = None
    next_check_at: float | None = None
    checked_at: float | None = None
    failures: int = 0
    last_error: str | None = None


_SELECT = (
    "SELECT la.id, la.guild_id, la.channel_id, v.source, v.title, rs.every_seconds, rs.etag, rs.last_modified,"
    " rs.next_check_at, rs.checked_at, rs.failures, rs.last_error"
    " FROM library_articles la JOIN versions v ON v.id = la.version_id"
    " LEFT JOIN refresh_schedules rs ON rs.article_id = la.id"
    " WHERE la.origin = 'url'"
    " AND la.guild_id NOT IN (SELECT guild_id FROM guild_settings WHERE left_at IS NOT NULL)"
)


def _state(row: tuple) -> RefreshState:
    article_id, guild_id, channel_id, source, title, every, etag, modified, next_at, checked, failures, error = row
    return RefreshState(
        int(article_id), int(guild_id), None if channel_id is None else int(channel_id), source, title,
        None if every is None else int(every), etag, modified, None if next_at is None else float(next_at),
        None if checked is None else float(checked), int(failures or 0), error,
    )


async def refresh_states(database: Database, guild_id: int | None = None) -> list[RefreshState]:
    """Every URL article of every present guild (or of ``guild_id``) with its schedule, by article id."""

    def work(connection: Connection) -> list[RefreshState]:
        if guild_id is None:
            rows = connection.execute(_SELECT + " ORDER BY la.id").fetchall()
        else:
            rows = connection.execute(_SELECT + " AND la.guild_id = ? ORDER BY la.id", (guild_id,)).fetchall()
        return [_state(row) for row in rows]

    return await database.run(work)


async def url_article(database: Database, guild_id: int, article_id: int) -> RefreshState | None:
    """One URL article of the guild with its schedule (None: no such article, or not loaded from a URL)."""

    def work(connection: Connection) -> RefreshState | None:
        row = connection.execute(_SELECT + " AND la.guild_id = ? AND la.id = ?", (guild_id, article_id)).fetchone()
        return _state(row) if row else None

    return await database.run(work)


async def set_interval(database: Database, state: RefreshState, every_seconds: int | None,
                       next_check_at: float | None) -> None:
    """A moderator's choice for one article (None: follow REFRESH_INTERVAL, 0: off) and its next check;
    the validators are kept, the failure streak starts over."""

    def work(connection: Connection) -> None:
        with connection:
            connection.execute(
                "INSERT INTO refresh_schedules (article_id, guild_id, every_seconds, next_check_at, failures)"
                " VALUES (?, ?, ?, ?, 0) ON CONFLICT (article_id) DO UPDATE SET"
                " every_seconds = excluded.every_seconds, next_check_at = excluded.next_check_at,"
                " failures = 0, last_error = NULL",
                (state.article_id, state.guild_id, every_seconds, next_check_at),
            )

    await database.run(work)


async def remember_validators(database: Database, article_id: int, guild_id: int, etag: str | None,
                              last_modified: str | None) -> None:
    """Keep the validators of the page an article was just loaded from, so its first scheduled check is
    conditional too (the schedule itself is left to the refresher: interval and next check untouched)."""

    def work(connection: Connection) -> None:
        with connection:
            if connection.execute("SELECT 1 FROM library_articles WHERE id = ?", (article_id,)).fetchone():
                connection.execute(
                    "INSERT INTO refresh_schedules (article_id, guild_id, etag, last_modified, failures)"
                    " VALUES (?, ?, ?, ?, 0) ON CONFLICT (article_id) DO UPDATE SET etag = excluded.etag,"
                    " last_modified = excluded.last_modified", (article_id, guild_id, etag, last_modified))

    await database.run(work)


async def record_check(database: Database, state: RefreshState) -> None:
    """Store what a check (or planning the first one) left: validators, next check, failure streak.

    ``every_seconds`` is written only for a new row (a moderator's later choice is never overwritten);
    nothing is written when the article has left the library meanwhile.
    """

    def work(connection: Connection) -> None:
        with connection:
            if connection.execute("SELECT 1 FROM library_articles WHERE id = ?", (state.article_id,)).fetchone():
                connection.execute(
                    "INSERT INTO refresh_schedules (article_id, guild_id, every_seconds, etag, last_modified,"
                    " next_check_at, checked_at, failures, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (article_id) DO UPDATE SET etag = excluded.etag,"
                    " last_modified = excluded.last_modified, next_check_at = excluded.next_check_at,"
                    " checked_at = excluded.checked_at, failures = excluded.failures, last_error = excluded.last_error",
                    (state.article_id, state.guild_id, state.every_seconds, state.etag, state.last_modified,
                     state.next_check_at, state.checked_at, state.failures, state.last_error),
                )

    await database.run(work)
