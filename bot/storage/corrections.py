"""Answers as posted (to re-render them), the corrections made to them, and each guild's log channel.

Portable SQL (SQLite and PostgreSQL): ``?`` placeholders, ``RETURNING id``, ``ON CONFLICT``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .database import Database, StorageError, answer_from_row
from .guilds import guild_id_setting, set_guild_id_setting
from .library import Scope
from .records import CitedParagraph
from .sql import Connection
from .version_history import stored_paragraph

log = logging.getLogger(__name__)

ServedBy = Literal["default", "guild", "channel"]


def served_by(scope: Scope | None) -> ServedBy:
    """How a scope is stored with the answers its library served (None: the default article)."""
    return "default" if scope is None else "guild" if scope.channel_id is None else "channel"


@dataclass(frozen=True, slots=True)
class PostedAnswer:
    """An answer the bot posted, with what it needs to edit it: where it is and the embed it showed."""

    id: int
    message_id: int
    channel_id: int
    thread_id: int | None  # a thread the bot opened for it (it gets one short note on a correction)
    guild_id: int | None
    cited: tuple[CitedParagraph, ...]
    embed: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Correction:
    """One cited paragraph of one answer that a new version changed or removed."""

    id: int
    answer_id: int
    paragraph: int  # the number the answer cited
    kind: str  # "changed" or "removed"
    at: float
    version: str  # the article digest that changed it
    new_paragraph: int | None  # its number in that version (None: removed)


@dataclass(frozen=True, slots=True)
class CorrectedAnswer:
    """An answer corrected in place, for /insights."""

    question: str
    guild_id: int | None
    channel_id: int
    message_id: int
    paragraphs: tuple[int, ...]
    at: float


CORRECTION_COLUMNS = "id, answer_id, paragraph, kind, at, version, new_paragraph"


def _correction(row: tuple) -> Correction:
    return Correction(int(row[0]), int(row[1]), int(row[2]), str(row[3]), float(row[4]), str(row[5]),
                      None if row[6] is None else int(row[6]))


async def store_posted(
    database: Database, answer_id: int, *, channel_id: int, thread_id: int | None, embed: Mapping[str, object],
    served: Scope | None, place_channel_id: int | None,
) -> None:
    """Remember where an answer was posted, the embed it showed (corrections re-render from it), the scope
    whose library served it (None: the default article) and the channel whose library applies where it
    was asked (a thread's parent; None in DMs)."""
    posted = json.dumps({"embed": embed}, separators=(",", ":"))

    def work(connection: Connection) -> None:
        with connection:
            connection.execute(
                "UPDATE answers SET message_channel_id = ?, thread_id = ?, posted = ?, served_by = ?,"
                " place_channel_id = ? WHERE id = ?",
                (channel_id, thread_id, posted, served_by(served), place_channel_id, answer_id))

    await database.run(work)


async def posted_answers(database: Database, *, since: float, served: Scope | None, asked_in: Scope | None = None,
                         mentioning: str) -> list[PostedAnswer]:
    """Answers posted since ``since`` that the library of ``served`` answered (None: the default article,
    in any guild or DM), only those asked where ``asked_in`` applies when given (a guild, or one channel
    and its threads), whose citations mention ``mentioning`` (an article id or version digest; the caller
    checks exactly). An answer stored before its scope was kept counts as served by any scope of its guild."""
    where = "a.asked_at >= ? AND a.posted IS NOT NULL AND a.message_id IS NOT NULL AND a.cited LIKE ?"
    params: list[Any] = [since, f'%"{mentioning}"%']
    kind = served_by(served)
    if served is None:
        where += " AND (a.served_by = ? OR a.served_by IS NULL)"
        params += [kind]
    elif served.channel_id is None:
        where += " AND a.guild_id = ? AND (a.served_by = ? OR a.served_by IS NULL)"
        params += [served.guild_id, kind]
    else:
        where += " AND a.guild_id = ? AND ((a.served_by = ? AND a.place_channel_id = ?) OR a.served_by IS NULL)"
        params += [served.guild_id, kind, served.channel_id]
    if asked_in is not None:
        where += " AND a.guild_id = ?"
        params += [asked_in.guild_id]
        if asked_in.channel_id is not None:
            where += " AND a.place_channel_id = ?"
            params += [asked_in.channel_id]

    def work(connection: Connection) -> list[PostedAnswer]:
        rows = connection.execute(f"SELECT {POSTED_COLUMNS} FROM answers a WHERE {where} ORDER BY a.asked_at",
                                  params).fetchall()
        return _posted_rows(rows)

    return await database.run(work)


POSTED_COLUMNS = ("a.id, a.message_id, a.user_id, a.question, a.answered, a.cited, a.version_id, a.asked_at,"
                  " a.message_channel_id, a.thread_id, a.guild_id, a.posted")


def _posted_rows(rows: list[tuple]) -> list[PostedAnswer]:
    found = []
    for row in rows:
        try:
            record = answer_from_row(row[:8])
            embed = json.loads(row[11])["embed"]
        except (StorageError, ValueError, KeyError, TypeError) as error:
            log.error("corrections: skipping a damaged answer row %s: %s", row[0], error)
            continue
        found.append(PostedAnswer(record.id, int(row[1]), int(row[8]), row[9], row[10], record.cited, embed))
    return found


async def record_corrections(
    database: Database, answer_id: int, items: list[tuple[int, str, int | None]], *, version: str, at: float
) -> list[int]:
    """Record (paragraph, kind, new paragraph) corrections of an answer by ``version``; returns the ids of
    the new ones (a correction already recorded for this answer, paragraph and version is not repeated)."""

    def work(connection: Connection) -> list[int]:
        ids = []
        with connection:
            for paragraph, kind, new_paragraph in items:
                row = connection.execute(
                    "INSERT INTO corrections (answer_id, paragraph, kind, at, version, new_paragraph)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (answer_id, paragraph, version) DO NOTHING RETURNING id",
                    (answer_id, paragraph, kind, at, version, new_paragraph)).fetchone()
                if row is not None:
                    ids.append(int(row[0]))
        return ids

    return await database.run(work)


async def mark_edited(database: Database, answer_id: int, at: float) -> None:
    """The answer's message now shows all its corrections."""

    def work(connection: Connection) -> None:
        with connection:
            connection.execute("UPDATE corrections SET edited_at = ? WHERE answer_id = ? AND edited_at IS NULL",
                               (at, answer_id))

    await database.run(work)


async def unedited_answers(database: Database, since: float) -> list[PostedAnswer]:
    """Answers with a correction recorded since ``since`` but not shown yet (e.g. the bot stopped first)."""

    def work(connection: Connection) -> list[PostedAnswer]:
        rows = connection.execute(
            f"SELECT {POSTED_COLUMNS} FROM answers a WHERE a.posted IS NOT NULL AND a.message_id IS NOT NULL"
            " AND a.id IN (SELECT answer_id FROM corrections WHERE edited_at IS NULL AND at >= ?) ORDER BY a.id",
            (since,)).fetchall()
        return _posted_rows(rows)

    return await database.run(work)


async def corrections_of(database: Database, answer_id: int) -> list[Correction]:
    """Every correction of an answer, oldest first."""

    def work(connection: Connection) -> list[Correction]:
        rows = connection.execute(f"SELECT {CORRECTION_COLUMNS} FROM corrections WHERE answer_id = ? ORDER BY id",
                                  (answer_id,)).fetchall()
        return [_correction(row) for row in rows]

    return await database.run(work)


async def correction(database: Database, correction_id: int) -> tuple[Correction, int | None] | None:
    """A correction and the guild of its answer (None when it is gone, e.g. after /forget-me)."""

    def work(connection: Connection) -> tuple[Correction, int | None] | None:
        row = connection.execute(
            f"SELECT {', '.join('c.' + c for c in CORRECTION_COLUMNS.split(', '))}, a.guild_id FROM corrections c"
            " JOIN answers a ON a.id = c.answer_id WHERE c.id = ?", (correction_id,)).fetchone()
        return (_correction(row[:7]), row[7]) if row else None

    return await database.run(work)


async def paragraph_text(database: Database, version: str, number: int) -> str | None:
    """Paragraph ¶``number`` of the stored article version ``version``, cut by its stored structure (None when
    not stored, or stored without a usable structure: never parsed again, see :mod:`.version_structure`)."""

    def work(connection: Connection) -> str | None:
        row = connection.execute(
            "SELECT id, text, structure, base_id FROM versions WHERE digest = ?"
            " AND (text IS NOT NULL OR delta IS NOT NULL) ORDER BY id DESC LIMIT 1", (version,)).fetchone()
        if row is None:
            return None
        if row[3] is not None:  # stored as a delta: the paragraph comes straight from its rebuilt pieces
            return stored_paragraph(connection, int(row[0]), number)
        text, structure = row[1], row[2]
        if not structure:
            log.warning("stored version %s has no paragraph structure (not yet backfilled)", row[0])
            return None
        try:
            spans = json.loads(structure)
            if not 0 < number <= len(spans):
                return None
            start, end = int(spans[number - 1][0]), int(spans[number - 1][1])
        except (ValueError, TypeError, IndexError) as error:
            log.warning("stored version %s has an unusable paragraph structure: %s", row[0], error)
            return None
        return text[start:end]

    return await database.run(work)


async def corrected_answers(
    database: Database, guild_id: int | None, since: float, limit: int = 5
) -> tuple[int, list[CorrectedAnswer]]:
    """How many of a guild's answers were corrected since ``since``, and the latest ``limit`` of them."""

    def work(connection: Connection) -> tuple[int, list[CorrectedAnswer]]:
        where = "a.guild_id IS NULL" if guild_id is None else "a.guild_id = ?"
        scope: tuple = () if guild_id is None else (guild_id,)
        count = connection.execute(
            f"SELECT count(DISTINCT c.answer_id) FROM corrections c JOIN answers a ON a.id = c.answer_id"
            f" WHERE {where} AND c.at >= ?", (*scope, since)).fetchone()[0]
        rows = connection.execute(
            "SELECT a.id, a.question, a.guild_id, a.message_channel_id, a.message_id, max(c.at)"
            f" FROM corrections c JOIN answers a ON a.id = c.answer_id WHERE {where} AND c.at >= ?"
            " GROUP BY a.id, a.question, a.guild_id, a.message_channel_id, a.message_id"
            " ORDER BY max(c.at) DESC LIMIT ?", (*scope, since, limit)).fetchall()
        latest = []
        for answer_id, question, guild, channel_id, message_id, at in rows:
            numbers = tuple(int(r[0]) for r in connection.execute(
                "SELECT DISTINCT paragraph FROM corrections WHERE answer_id = ? ORDER BY paragraph", (answer_id,)))
            latest.append(CorrectedAnswer(question, guild, int(channel_id or 0), int(message_id or 0), numbers,
                                          float(at)))
        return int(count), latest

    return await database.run(work)


async def log_channel(database: Database, guild_id: int) -> int | None:
    """The moderator log channel a guild set with /config log-channel (None: none)."""
    return await guild_id_setting(database, guild_id, "log_channel_id")


async def set_log_channel(database: Database, guild_id: int, channel_id: int | None) -> None:
    """Set (or with None, clear) a guild's log channel."""
    await set_guild_id_setting(database, guild_id, "log_channel_id", channel_id)
