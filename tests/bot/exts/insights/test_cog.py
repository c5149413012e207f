"""/insights and /forget-me, stale answers, cooldowns, threads, and a broken database."""

from __future__ import annotations

import sqlite3

from bot.exts.feedback.views import DOWN, UP
from tests.bot.conftest import EPHEMERAL, MESSAGES


async def _answer(discord, question: str, author: str = "bob") -> dict:
    message = await discord.server.send_message(question, author=author, channel_id=discord.ask_channel)
    answer = (await discord.reply_to(message)).response
    await discord.stored(answer)
    return answer


async def _insights(discord, window: str = "all") -> str:
    _, followup = await discord.command("insights", [{"name": "window", "type": 3, "value": window}])
    assert followup.json["flags"] & EPHEMERAL
    return followup.json["embeds"][0]["description"]


async def test_insights_groups_abstained_questions(start_discord):
    """Two phrasings of an unanswerable question appear once, counted twice, under Not answered."""
    async with start_discord() as discord:
        await _answer(discord, "What is the capital of France?")
        await _answer(discord, "What's the capital city of France?")
        await _answer(discord, "Who commands the Azov Regiment?")
        report = await _insights(discord)
        not_answered = report.split("__Not answered__")[1].split("__Most 👎__")[0]
        assert "France" in not_answered and "×2" in not_answered and "Azov" not in not_answered
        assert "**3 question(s)**" in report


async def test_insights_is_for_moderators_only(start_discord):
    """bob cannot run /insights."""
    async with start_discord() as discord:
        callback, _ = await discord.command("insights", member="bob")
        assert "Only moderators" in callback.json["data"]["content"]


async def test_reload_after_vote_marks_answer_stale(start_discord):
    """A 👎 answer citing a paragraph that a later reload changed is marked stale."""
    async with start_discord() as discord:
        answer = await _answer(discord, "How many people were evacuated?")
        await discord.press(answer, DOWN)
        assert "stale" not in (await _insights(discord)).split("__Stale voted answers__")[1]
        text = discord.article_path.read_text(encoding="utf-8")
        discord.article_path.write_text(text.replace("More than 300", "More than 450"), encoding="utf-8")
        await discord.command("reload")
        report = await _insights(discord)
        assert "👎 1" in report.split("__Most 👎__")[1]
        stale = report.split("__Stale voted answers__")[1]
        assert "How many people were evacuated" in stale and "**stale**" in stale


async def test_forget_me_deletes_questions_and_votes(start_discord):
    """/forget-me removes the user's stored questions and votes, and nobody else's."""
    async with start_discord() as discord:
        answer = await _answer(discord, "Who commands the Azov Regiment?")
        await discord.press(answer, UP, member="bob")
        await discord.press(answer, UP, member="carol")
        await _answer(discord, "Who is Zelensky?", author="carol")
        callback, _ = await discord.command("forget-me", member="bob")
        assert "deleted 1 question(s) and 1 vote(s)" in callback.json["data"]["content"]
        path = discord.bot.settings.data_dir / "article-bot.sqlite3"
        with sqlite3.connect(path) as connection:
            bob = int(discord.server.users["bob"]["id"])
            assert connection.execute("SELECT count(*) FROM answers WHERE user_id = ?", (bob,)).fetchone() == (0,)
            assert connection.execute("SELECT count(*) FROM votes WHERE user_id = ?", (bob,)).fetchone() == (0,)
            assert connection.execute("SELECT count(*) FROM answers").fetchone() == (1,)


async def test_cooldown_refuses_with_wait_time(start_discord):
    """Over USER_COOLDOWN a user is told when to try again, in the channel and on /ask."""
    async with start_discord(user_cooldown=(2, 60.0)) as discord:
        await _answer(discord, "Who commands the Azov Regiment?")
        await _answer(discord, "How many people were evacuated?")
        message = await discord.server.send_message("Who is Zelensky?", author="bob", channel_id=discord.ask_channel)
        reply = await discord.reply_to(message)
        assert "try again in" in reply.json["content"] and not reply.json.get("embeds")
        callback, _ = await discord.command("ask", [{"name": "question", "type": 3, "value": "x?"}], member="bob")
        assert callback.json["data"]["flags"] & EPHEMERAL and "try again in" in callback.json["data"]["content"]
        other = await _answer(discord, "Who is Zelensky?", author="carol")
        assert other["embeds"]


async def test_questions_open_threads_when_enabled(start_discord):
    """With ANSWER_IN_THREADS a question opens a thread; later messages there are answered without mention."""
    async with start_discord(answer_in_threads=True) as discord:
        server = discord.server
        question = await server.send_message(discord.mention("How many people were evacuated?"), author="bob")
        created = await server.wait_for_request("POST", rf"/channels/\d+/messages/{question['id']}/threads")
        assert created.json["name"] == "How many people were evacuated?"
        thread_id = created.response["id"]
        first = await server.wait_for_request("POST", rf"/channels/{thread_id}/messages")
        assert "More than 300" in first.json["embeds"][0]["description"]
        follow = await server.send_message("and from where?", author="bob", channel_id=thread_id)
        reply = await discord.reply_to(follow)
        assert reply.json["embeds"][0]["description"] != "The article doesn't say."


async def test_corrupt_database_gives_clear_error_while_answering_works(start_discord, tmp_path):
    """A garbage database file: questions are still answered; /insights explains the problem."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "article-bot.sqlite3").write_bytes(b"this is not a database" * 100)
    async with start_discord() as discord:
        answer = await _answer(discord, "Who commands the Azov Regiment?")
        assert "Prokopenko" in answer["embeds"][0]["description"]
        _, followup = await discord.command("insights")
        assert "database" in followup.json["content"] and followup.json["flags"] & EPHEMERAL


async def test_locked_database_gives_clear_error_while_answering_works(start_discord):
    """While another process holds an exclusive lock, votes fail clearly and answers still arrive."""
    async with start_discord() as discord:
        answer = await _answer(discord, "Who commands the Azov Regiment?")
        locker = sqlite3.connect(discord.bot.settings.data_dir / "article-bot.sqlite3", isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
        try:
            callback = await discord.press(answer, UP)
            assert "busy" in callback.json["data"]["content"]
            again = await _answer(discord, "How many people were evacuated?")
            assert "More than 300" in again["embeds"][0]["description"]
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        assert len(discord.server.find_requests("POST", MESSAGES)) == 2
