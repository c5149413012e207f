"""/insights queries: damaged rows are skipped and logged, never fatal."""

from __future__ import annotations

from bot.storage import Database
from bot.storage.insights import insight_report
from tests.bot.storage.conftest import damage, store_answer


async def test_damaged_answer_row_is_skipped_in_insights_and_logged(database: Database, caplog):
    """Bad JSON in answers.cited: insights skip that row, log it, and report the others."""
    await store_answer(database, 10, 5, "damaged?")
    await store_answer(database, 11, 5, "fine?")
    await database.record_vote(10, 6, -1)
    await database.record_vote(11, 6, -1)
    await damage(database, "UPDATE answers SET cited = ? WHERE message_id = 10", "[[3, \"d3\"")
    report = await insight_report(database, "all", guild_id=1)
    assert [v.answer.question for v in report.most_down] == ["fine?"]
    assert any("damaged answer" in r.getMessage() and r.levelname == "ERROR" for r in caplog.records)


async def test_damaged_newest_version_marks_nothing_stale(database: Database, caplog):
    """Bad JSON in versions.paragraph_digests: insights still build (nothing stale) and log it."""
    await database.record_version(digest="v1", source="s", title="t", loaded_by=None, added=1, removed=0,
                                  changed=0, paragraph_digests=["other"])
    await store_answer(database, 10, 5, "q?")
    await database.record_vote(10, 5, 1)
    await damage(database, "UPDATE versions SET paragraph_digests = 'nope'")
    report = await insight_report(database, "all", guild_id=1)
    assert report.stale == () and report.total_questions == 1
    assert any("damaged newest version" in r.getMessage() for r in caplog.records)
