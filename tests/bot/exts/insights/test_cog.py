"""/insights and /forget-me, stale answers, damaged rows, and a broken database."""

from __future__ import annotations

import sqlite3

from bot.exts.feedback.views import DOWN, UP
from tests.bot.conftest import EPHEMERAL, MESSAGES, rows_holding, stored_rows


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


async def test_forget_me_leaves_nothing_of_theirs_anywhere(start_discord):
    """After /forget-me no table holds alice's id or question text (her thread questions and the version she
    loaded included) and the bot's memory of her questions is gone; bob's rows stay."""
    async with start_discord(answer_in_threads=True) as discord:
        server = discord.server
        alice, bob = int(server.users["alice"]["id"]), int(server.users["bob"]["id"])
        question = await server.send_message(discord.mention("How many people were evacuated?"), author="alice")
        created = await server.wait_for_request("POST", rf"/channels/\d+/messages/{question['id']}/threads")
        thread_id = created.response["id"]
        first = (await server.wait_for_request("POST", rf"/channels/{thread_id}/messages")).response
        await discord.stored(first)
        follow = await server.send_message("and from where?", author="alice", channel_id=thread_id)
        await discord.stored((await discord.reply_to(follow)).response)
        theirs = await server.send_message(discord.mention("Who commands the Azov Regiment?"), author="bob")
        bob_thread = (await server.wait_for_request(
            "POST", rf"/channels/\d+/messages/{theirs['id']}/threads")).response["id"]
        bob_answer = (await server.wait_for_request("POST", rf"/channels/{bob_thread}/messages")).response
        await discord.stored(bob_answer)
        await discord.press(first, DOWN, member="bob")
        await discord.press(bob_answer, UP, member="alice")
        await discord.command("reload")
        texts = ["How many people were evacuated?", "and from where?"]
        path = discord.bot.settings.data_dir / "article-bot.sqlite3"
        before = {line.split(":")[0] for line in rows_holding(stored_rows(path), alice, texts)}
        assert before == {"answers", "votes", "threads", "versions"}  # the check sees every kind of row
        asking = discord.bot.get_cog("Asking")
        assert asking.answered.question_for(int(first["id"])) == texts[0]
        callback, _ = await discord.command("forget-me", member="alice")
        assert "deleted 2 question(s) and 1 vote(s)" in callback.json["data"]["content"]
        rows = stored_rows(path)
        assert rows_holding(rows, alice, texts) == []
        assert {line.split(":")[0] for line in rows_holding(rows, bob, ["Who commands the Azov Regiment?"])} == {
            "answers", "threads"}
        assert asking.answered.forget_user(alice) == 0 and asking.threads == {}
        bob_question = asking.answered.question_for(int(bob_answer["id"]))
        assert bob_question == "Who commands the Azov Regiment?"


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


async def test_damaged_row_is_skipped_and_logged_by_insights(start_discord, caplog):
    """An answer whose stored citations are not JSON: /insights still reports the others and logs the bad row."""
    async with start_discord() as discord:
        damaged = await _answer(discord, "Who commands the Azov Regiment?")
        fine = await _answer(discord, "How many people were evacuated?")
        await discord.press(damaged, DOWN)
        await discord.press(fine, DOWN)
        with sqlite3.connect(discord.bot.settings.data_dir / "article-bot.sqlite3") as connection:
            connection.execute("UPDATE answers SET cited = '[[2, \"' WHERE message_id = ?", (int(damaged["id"]),))
        disliked = (await _insights(discord)).split("__Most 👎__")[1].split("__Most asked__")[0]
        assert "How many people were evacuated" in disliked and "Azov" not in disliked
    assert any("damaged answer" in r.getMessage() for r in caplog.records if r.levelname == "ERROR")


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
