"""Records: the store's operations by idea over one database, as the bot and its cogs use them."""

from __future__ import annotations

from bot.storage import CitedParagraph, Database, LibraryStore, NewVersion, Records, Scope

GUILD = 10


def version(source: str, digest: str) -> NewVersion:
    return NewVersion(digest, source, "Title " + digest, "html", "Some text.", ("p1",), 1, 0, 0)


async def test_answers_votes_and_threads_round_trip(database: Database):
    """An answer recorded through ``answers`` is found by its message, voted on, and forgotten with its user."""
    records = Records(database)
    answer_id = await records.answers.record(
        message_id=501, user_id=7, guild_id=GUILD, channel_id=2, question="Who?", answered=True, confidence=0.5,
        cited=[CitedParagraph(3, "d3")], version_id=None)
    found = await records.answers.for_message(501)
    assert found is not None and (found.id, found.question) == (answer_id, "Who?")
    assert found.cited == (CitedParagraph(3, "d3"),)
    assert (await records.answers.vote(501, 8, 1)) == found
    await records.answers.remember_thread(900, "Who?", 7, GUILD)
    assert await records.answers.thread_question(900) == "Who?"
    assert await records.answers.forget_user(7) == (0, 1)
    assert await records.answers.for_message(501) is None


async def test_guild_settings_and_the_log_channel_are_per_guild(database: Database):
    """The moderator role and the log channel set for one guild are that guild's only."""
    records = Records(database)
    await records.guilds.set_moderator_role(GUILD, 55)
    await records.corrections.set_log_channel(GUILD, 66)
    assert (await records.guilds.moderator_role(GUILD), await records.corrections.log_channel(GUILD)) == (55, 66)
    assert (await records.guilds.moderator_role(GUILD + 1), await records.corrections.log_channel(GUILD + 1)) == (
        None, None)


async def test_refresh_schedules_of_url_articles(database: Database):
    """A URL article has a schedule; a moderator's interval set through ``refresh`` is read back."""
    records = Records(database)
    url = await LibraryStore(database).add(Scope(GUILD), version("https://example.org/news", "b"), "url", 1)
    [state] = await records.refresh.states(GUILD)
    assert state.article_id == url.id and await records.refresh.url_article(GUILD, url.id) == state
    await records.refresh.set_interval(state, 7200, 1000.0)
    [after] = await records.refresh.states()
    assert (after.every_seconds, after.next_check_at) == (7200, 1000.0)
    assert await records.refresh.states(GUILD + 1) == []


async def test_the_records_report_the_databases_state_and_close_it(database: Database):
    """``error``, ``describe`` and ``close`` are the database's; the insights report reads the same rows."""
    records = Records(database)
    assert records.error is None and records.describe() == database.describe()
    report = await records.insights.report("all", guild_id=GUILD)
    assert report.total_questions == 0
    records.close()
    records.close()  # twice is safe
