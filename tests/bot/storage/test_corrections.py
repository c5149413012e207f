"""The corrections store: posted answers found by what they cite, corrections never repeated, the log
channel per guild, and nothing left behind by a guild purge."""

from __future__ import annotations

import time

from bot.storage.corrections import (
    corrected_answers,
    log_channel,
    posted_answers,
    record_corrections,
    set_log_channel,
    store_posted,
)
from bot.storage.guilds import mark_guild_left, purge_departed_guilds
from bot.storage.library import Scope
from bot.storage.records import CitedParagraph
from tests.bot.conftest import all_rows
from tests.bot.storage.conftest import damage


async def _posted(database, message_id: int, guild_id: int | None = 1, article_id: str = "7", *, channel: int = 2,
                  served: Scope | str | None = "guild") -> int:
    """A posted answer citing ``article_id`` asked in ``channel``, served by ``served`` (the default "guild":
    its guild's library; None: the default article; "legacy": stored before the scope was kept)."""
    answer_id = await database.record_answer(
        message_id=message_id, user_id=5, guild_id=guild_id, channel_id=channel, question=f"q{message_id}",
        answered=True, confidence=0.5, cited=[CitedParagraph(3, "d3", article_id, "v1")], version_id=None)
    scope = Scope(guild_id) if served == "guild" and guild_id is not None else served
    await store_posted(database, answer_id, channel_id=channel, thread_id=None, embed={"title": "q"},
                       served=None if isinstance(scope, str) else scope, place_channel_id=channel)
    if served == "legacy":
        await damage(database, "UPDATE answers SET served_by = NULL WHERE id = ?", answer_id)
    return answer_id


async def _found(database, served: Scope | None, asked_in: Scope | None = None, mentioning: str = "7") -> list[int]:
    answers = await posted_answers(database, since=time.time() - 60, served=served, asked_in=asked_in,
                                   mentioning=mentioning)
    return [a.message_id for a in answers]


async def test_posted_answers_are_found_by_the_article_they_cite_in_their_guild(database):
    """Only answers citing article 7, in guild 1, since the cutoff, come back (with their embed)."""
    await _posted(database, 100)
    await _posted(database, 101, article_id="8")
    await _posted(database, 102, guild_id=9)
    found = await posted_answers(database, since=time.time() - 60, served=Scope(1), mentioning="7")
    assert [a.message_id for a in found] == [100] and found[0].embed == {"title": "q"}
    assert await posted_answers(database, since=time.time() + 60, served=Scope(1), mentioning="7") == []


async def test_posted_answers_are_found_by_the_scope_that_served_them(database):
    """Guild 1's library served answers in channels 2 and 3, channel 3's own library one in 3, the default
    article one in guild 1 and one in a DM: each scope gets its own answers only, and ``asked_in`` keeps
    those asked in one channel (or one guild)."""
    await _posted(database, 100, channel=2)
    await _posted(database, 101, channel=3)
    await _posted(database, 102, channel=3, served=Scope(1, 3))
    await _posted(database, 103, channel=4, served=None)
    await _posted(database, 104, guild_id=None, channel=5, served=None)
    assert await _found(database, Scope(1)) == [100, 101]
    assert await _found(database, Scope(1), asked_in=Scope(1, 3)) == [101]
    assert await _found(database, Scope(1, 3)) == [102]
    assert await _found(database, Scope(1, 2)) == []
    assert await _found(database, None) == [103, 104]
    assert await _found(database, None, asked_in=Scope(1)) == [103]
    assert await _found(database, None, asked_in=Scope(1, 3)) == []


async def test_an_answer_stored_before_scopes_were_kept_counts_for_any_scope_of_its_guild(database):
    """A row without its serving scope (stored before migration 8) is found as before, by guild and
    citation, and still only in the channel it was asked in when ``asked_in`` names one."""
    await _posted(database, 100, channel=3, served="legacy")
    assert await _found(database, Scope(1)) == [100]
    assert await _found(database, Scope(1, 3)) == [100]
    assert await _found(database, Scope(1), asked_in=Scope(1, 2)) == []
    assert await _found(database, Scope(9)) == []


async def test_a_correction_is_recorded_once_per_version(database):
    """The same answer, paragraph and version again records nothing new; a new version does."""
    answer_id = await _posted(database, 100)
    assert len(await record_corrections(database, answer_id, [(3, "changed", 3)], version="v2", at=1.0)) == 1
    assert await record_corrections(database, answer_id, [(3, "changed", 3)], version="v2", at=2.0) == []
    assert len(await record_corrections(database, answer_id, [(3, "removed", None)], version="v3", at=3.0)) == 1
    count, latest = await corrected_answers(database, 1, 0.0)
    assert count == 1 and latest[0].message_id == 100 and latest[0].paragraphs == (3,)


async def test_log_channel_is_set_and_cleared_per_guild(database):
    """Set for guild 1 only; cleared with None."""
    await set_log_channel(database, 1, 44)
    assert (await log_channel(database, 1), await log_channel(database, 2)) == (44, None)
    await set_log_channel(database, 1, None)
    assert await log_channel(database, 1) is None


async def test_purging_a_departed_guild_removes_its_corrections_and_log_channel(database):
    """After the retention period no table holds the guild's corrections or settings."""
    answer_id = await _posted(database, 100)
    await record_corrections(database, answer_id, [(3, "changed", 3)], version="v2", at=1.0)
    await set_log_channel(database, 1, 44)
    await mark_guild_left(database, 1, when=0.0)
    await purge_departed_guilds(database, 30, now=31 * 86_400.0)
    rows = await all_rows(database)
    assert rows["corrections"] == [] and rows["answers"] == [] and rows["guild_settings"] == []
