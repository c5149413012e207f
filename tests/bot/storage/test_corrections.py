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
from bot.storage.records import CitedParagraph
from tests.bot.conftest import all_rows


async def _posted(database, message_id: int, guild_id: int = 1, article_id: str = "7") -> int:
    answer_id = await database.record_answer(
        message_id=message_id, user_id=5, guild_id=guild_id, channel_id=2, question=f"q{message_id}", answered=True,
        confidence=0.5, cited=[CitedParagraph(3, "d3", article_id, "v1")], version_id=None)
    await store_posted(database, answer_id, channel_id=2, thread_id=None, embed={"title": "q"})
    return answer_id


async def test_posted_answers_are_found_by_the_article_they_cite_in_their_guild(database):
    """Only answers citing article 7, in guild 1, since the cutoff, come back (with their embed)."""
    await _posted(database, 100)
    await _posted(database, 101, article_id="8")
    await _posted(database, 102, guild_id=9)
    found = await posted_answers(database, since=time.time() - 60, guild_id=1, any_guild=False, mentioning="7")
    assert [a.message_id for a in found] == [100] and found[0].embed == {"title": "q"}
    assert await posted_answers(database, since=time.time() + 60, guild_id=1, any_guild=False, mentioning="7") == []


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
