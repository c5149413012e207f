"""Answers that correct themselves, end to end through the fake Discord server: /reload a changed file,
the answer citing the changed ¶ is edited (note + button, votes kept, quote unchanged), the other is not
touched, the log channel gets one report, the button shows the new text privately."""

from __future__ import annotations

import asyncio
import json
import sqlite3

from bot.exts.corrections.button import PREFIX
from bot.exts.feedback.views import CONTEXT, DOWN, UP
from bot.replies.correction_render import NOTE_FIELD
from tests.bot.conftest import EPHEMERAL, stored_rows

EVACUATED = "How many people were evacuated?"
AZOV = "Who commands the Azov Regiment?"
MESSAGES = r"/channels/\d+/messages"


async def answer(discord, question: str, author: str = "bob", channel: str | None = None) -> dict:
    """Ask in the ask channel; the bot's reply message once it is stored."""
    message = await discord.server.send_message(question, author=author, channel_id=channel or discord.ask_channel)
    sent = (await discord.reply_to(message)).response
    await discord.stored(sent)
    return sent


async def set_log_channel(discord, name: str = "off-topic") -> str:
    channel_id = discord.server.channel_ids[name]
    callback, _ = await discord.command("config", [{"name": "log-channel", "type": 1, "options": [
        {"name": "channel", "type": 7, "value": channel_id}]}], member="manager")
    assert "will be reported in" in callback.json["data"]["content"], callback.json
    return channel_id


async def reload_with(discord, old: str, new: str) -> None:
    """Edit the article file and /reload it as a moderator."""
    text = discord.article_path.read_text(encoding="utf-8")
    assert old in text
    discord.article_path.write_text(text.replace(old, new), encoding="utf-8")
    _, followup = await discord.command("reload", member="alice")
    assert "1 changed" in followup.json["content"], followup.json


async def corrections_done(discord, changes: int = 1) -> None:
    """Wait until ``changes`` article_changed events were handled and every queued edit has run."""
    cog = discord.bot.get_cog("Corrections")
    for _ in range(2000):
        if cog.changes_handled >= changes:
            break
        await asyncio.sleep(0.01)
    assert cog.changes_handled >= changes, "no article_changed event was handled"
    await cog.queue.join()


def cited_paragraphs(discord, message: dict) -> set[int]:
    with sqlite3.connect(discord.bot.database.path) as connection:
        row = connection.execute("SELECT cited FROM answers WHERE message_id = ?", (int(message["id"]),)).fetchone()
    return {int(p[0]) for p in json.loads(row[0])}


def edits_of(discord, message: dict) -> list[dict]:
    return [e for e in discord.server.edits if e["message_id"] == message["id"]]


def custom_ids(body: dict) -> list[str]:
    return [c["custom_id"] for row in body.get("components", []) for c in row["components"]]


async def test_reload_corrects_the_answer_citing_the_changed_paragraph_only(start_discord):
    """The answer quoting the changed ¶ is edited in place with the note and a "¶n now" button, its quote and
    vote buttons kept, no one pinged; the answer citing other ¶s gets no edit."""
    async with start_discord() as discord:
        evacuated, azov = await answer(discord, EVACUATED), await answer(discord, AZOV)
        assert not cited_paragraphs(discord, evacuated) & cited_paragraphs(discord, azov)
        await reload_with(discord, "More than 300", "More than 450")
        edit = await discord.server.wait_for_request("PATCH", rf"/channels/\d+/messages/{evacuated['id']}")
        await corrections_done(discord)
        embed = edit.json["embeds"][0]
        assert "More than 300" in embed["description"]  # the original quote stays
        note = next(f for f in embed["fields"] if f["name"] == NOTE_FIELD)
        assert "was updated at" in note["value"] and "may be out of date" in note["value"]
        ids = custom_ids(edit.json)
        assert {UP, DOWN, CONTEXT} <= set(ids) and any(i.startswith(PREFIX) for i in ids)
        assert edit.json["allowed_mentions"]["parse"] == []
        assert edit.status == 200 and not edit.openapi_errors
        assert edits_of(discord, azov) == []


async def test_new_text_button_shows_the_changed_paragraph_privately(start_discord):
    """Pressing "¶n now" on a corrected answer replies ephemerally with the paragraph's new text."""
    async with start_discord() as discord:
        evacuated = await answer(discord, EVACUATED)
        await reload_with(discord, "More than 300", "More than 450")
        edit = await discord.server.wait_for_request("PATCH", rf"/channels/\d+/messages/{evacuated['id']}")
        await corrections_done(discord)
        button = next(i for i in custom_ids(edit.json) if i.startswith(PREFIX))
        callback = await discord.press(evacuated, button, member="carol")
        data = callback.json["data"]
        assert data["flags"] & EPHEMERAL
        assert "More than 450" in data["embeds"][0]["description"]


async def test_log_channel_gets_one_report_of_the_change(start_discord):
    """/config log-channel, then a /reload that changes a ¶ cited by one answer: one report there, with the
    counts, the new text of the changed ¶ and "1 posted answer(s)"."""
    async with start_discord() as discord:
        log_channel = await set_log_channel(discord)
        await answer(discord, EVACUATED)
        await reload_with(discord, "More than 300", "More than 450")
        report = await discord.server.wait_for_request("POST", rf"/channels/{log_channel}/messages")
        await corrections_done(discord)
        embed = report.json["embeds"][0]
        assert embed["title"].startswith("Article updated")
        assert "0 added, 0 removed, 1 changed" in embed["description"]
        assert "More than 450" in embed["description"] and "1 posted answer(s)" in embed["description"]
        assert len(discord.server.find_requests("POST", rf"/channels/{log_channel}/messages")) == 1


async def test_answer_older_than_the_window_is_not_edited(start_discord):
    """An answer asked longer ago than CORRECTION_WINDOW_DAYS keeps its message as it was."""
    async with start_discord(correction_window_days=7) as discord:
        evacuated = await answer(discord, EVACUATED)
        with sqlite3.connect(discord.bot.database.path) as connection:
            connection.execute("UPDATE answers SET asked_at = asked_at - 8 * 86400")
        await reload_with(discord, "More than 300", "More than 450")
        await corrections_done(discord)
        assert edits_of(discord, evacuated) == []


async def test_a_429_is_waited_out_and_the_edit_still_lands(start_discord):
    """Discord answering the edit with 429 once: the bot waits and retries, and the note arrives."""
    async with start_discord() as discord:
        evacuated = await answer(discord, EVACUATED)
        path = rf"/channels/\d+/messages/{evacuated['id']}"
        discord.server.fail_next("PATCH", path, status=429, retry_after=0.2)
        await reload_with(discord, "More than 300", "More than 450")
        refused = await discord.server.wait_for_request("PATCH", path)
        landed = await discord.server.wait_for_request("PATCH", path)
        await corrections_done(discord)
        assert (refused.status, landed.status) == (429, 200)
        fields = discord.server.messages[evacuated["id"]]["embeds"][0]["fields"]
        assert any(f["name"] == NOTE_FIELD for f in fields)


async def test_insights_lists_corrected_answers_with_links(start_discord):
    """/insights counts the answers corrected in place and links the latest."""
    async with start_discord() as discord:
        evacuated = await answer(discord, EVACUATED)
        await reload_with(discord, "More than 300", "More than 450")
        await corrections_done(discord)
        _, followup = await discord.command("insights", [{"name": "window", "type": 3, "value": "week"}])
        description = followup.json["embeds"][0]["description"]
        assert "Answers corrected after an article changed__: 1" in description
        assert f"/{evacuated['channel_id']}/{evacuated['id']}" in description


async def test_forget_me_removes_the_corrections_of_the_users_answers(start_discord):
    """After /forget-me by the asker, no correction row of their answers is left."""
    async with start_discord() as discord:
        await answer(discord, EVACUATED, author="bob")
        await reload_with(discord, "More than 300", "More than 450")
        await corrections_done(discord)
        assert len(stored_rows(discord.bot.database.path)["corrections"]) == 1
        await discord.command("forget-me", member="bob")
        assert stored_rows(discord.bot.database.path)["corrections"] == []


class FakeClock:
    """Minutes pass at once: ``sleep`` advances the clock instead of waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.acquired: list[float] = []

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def copy_answer(discord, original: dict, count: int) -> list[str]:
    """``count`` more posted answers like ``original`` (same citations, each its own message)."""
    from benchmarks.corrections import copy_answer as copy

    return copy(discord.server, discord.bot.database.path, original, count)


async def test_the_edit_cap_holds_for_a_200_answer_correction(start_discord):
    """200 answers to correct with a cap of 20 edits a minute (clock injected): every answer is edited, and
    no 60 s window holds more than 20 edits."""
    from bot.gateway import RateCap

    async with start_discord(correction_edits_per_minute=20) as discord:
        evacuated = await answer(discord, EVACUATED)
        copies = copy_answer(discord, evacuated, 199)
        clock = FakeClock()
        cap = RateCap(20, 60.0, clock=clock.time, sleep=clock.sleep)
        acquire = cap.acquire

        async def counted() -> None:
            await acquire()
            clock.acquired.append(clock.now)

        cap.acquire = counted  # type: ignore[method-assign]
        discord.bot.get_cog("Corrections").queue.cap = cap
        await reload_with(discord, "More than 300", "More than 450")
        await corrections_done(discord)
        edited = {e["message_id"] for e in discord.server.edits}
        assert edited == {evacuated["id"], *copies}
        times = clock.acquired
        assert len(times) == 200
        assert all(times[i + 20] - times[i] >= 60.0 for i in range(len(times) - 20))
        assert times[-1] >= 9 * 60.0  # 200 edits at 20 a minute: at least 9 minutes after the first


async def test_an_answer_in_a_bot_thread_gets_one_short_note_there(start_discord):
    """With answers in threads, the corrected answer is edited in its thread and the thread gets one note."""
    async with start_discord(answer_in_threads=True) as discord:
        server = discord.server
        question = await server.send_message(discord.mention(EVACUATED), author="bob")
        created = await server.wait_for_request("POST", rf"/channels/\d+/messages/{question['id']}/threads")
        thread_id = created.response["id"]
        sent = (await server.wait_for_request("POST", rf"/channels/{thread_id}/messages")).response
        await discord.stored(sent)
        await reload_with(discord, "More than 300", "More than 450")
        await server.wait_for_request("PATCH", rf"/channels/{thread_id}/messages/{sent['id']}")
        note = await server.wait_for_request("POST", rf"/channels/{thread_id}/messages")
        await corrections_done(discord)
        assert "may be out of date" in note.json["content"] and note.json["allowed_mentions"]["parse"] == []
        assert len(server.find_requests("POST", rf"/channels/{thread_id}/messages")) == 2  # answer + one note


async def test_a_failed_refresh_posts_one_line_in_the_log_channel(start_discord):
    """An article_refresh_failed event puts one line, with the reason, in the guild's log channel."""
    import time

    from bot.door import REFRESH_FAILED, RefreshFailed

    async with start_discord() as discord:
        log_channel = await set_log_channel(discord)
        event = RefreshFailed(guild_id=int(discord.server.guild_id), channel_id=None, article_id="1",
                              title="Harbour news", source="https://example.org/harbour", reason="HTTP 503",
                              failures=3, next_try_at=time.time() + 600)
        discord.bot.dispatch(REFRESH_FAILED, event)
        posted = await discord.server.wait_for_request("POST", rf"/channels/{log_channel}/messages")
        assert "Harbour news" in posted.json["content"] and "HTTP 503" in posted.json["content"]


async def test_log_channel_can_be_cleared(start_discord):
    """/config log-channel without a channel stops the reports."""
    async with start_discord() as discord:
        log_channel = await set_log_channel(discord)
        callback, _ = await discord.command("config", [{"name": "log-channel", "type": 1, "options": []}],
                                            member="manager")
        assert "no longer be reported" in callback.json["data"]["content"]
        await answer(discord, EVACUATED)
        await reload_with(discord, "More than 300", "More than 450")
        await corrections_done(discord)
        assert discord.server.find_requests("POST", rf"/channels/{log_channel}/messages") == []


PAGE = "<html><head><title>Harbour</title></head><body><article>{}</article></body></html>"
HARBOUR = [
    "The harbour master is Ingrid Olsen. She has run the port of Vestvik for eleven years and knows every captain.",
    "Boats arrive at dawn every day with the night's catch, and the fish market opens an hour later on the quay.",
    "Buyers from three towns wait on the quay for the auction to begin, as they have done for many decades now.",
]


def page(paragraphs: list[str]) -> str:
    return PAGE.format("".join(f"<p>{p}</p>" for p in paragraphs))


async def test_a_servers_own_url_article_reloaded_corrects_its_answers(start_discord):
    """A server's library article (a URL) fetched again with one ¶ edited: the answer citing it, by its
    library id, is edited; the report names the server's article."""
    async with start_discord() as discord:
        server = discord.server
        log_channel = await set_log_channel(discord)
        url = server.add_page("/news/harbour.html", page(HARBOUR))
        _, followup = await discord.command("reload", [{"name": "url", "type": 3, "value": url}])
        assert "3 added" in followup.json["content"], followup.json
        market = await answer(discord, "When does the fish market open?")
        server.add_page("/news/harbour.html", page([HARBOUR[0], HARBOUR[1].replace("an hour", "two hours"),
                                                    HARBOUR[2]]))
        _, followup = await discord.command("reload", member="alice")
        assert "1 changed" in followup.json["content"], followup.json
        edit = await server.wait_for_request("PATCH", rf"/channels/\d+/messages/{market['id']}")
        report = await server.wait_for_request("POST", rf"/channels/{log_channel}/messages")
        await corrections_done(discord)
        assert "was updated at" in edit.json["embeds"][0]["fields"][-1]["value"]
        assert "two hours later" in report.json["embeds"][0]["description"]


async def test_a_correction_interrupted_by_a_stop_is_made_after_the_restart(fake_discord, start_discord, tmp_path):
    """A correction stored but not yet shown (the bot stopped first) is edited in once the bot is back."""
    import time

    from bot.storage import CitedParagraph, Database
    from bot.storage.corrections import record_corrections, store_posted

    channel = fake_discord.channel_ids["articles"]
    message = fake_discord.bot_message(channel, {"embeds": [{"title": "q", "description": "> More than 300"}]})
    database = Database(tmp_path / "data")
    await database.open()
    answer_id = await database.record_answer(
        message_id=int(message["id"]), user_id=5, guild_id=int(fake_discord.guild_id), channel_id=int(channel),
        question="q", answered=True, confidence=0.5, cited=[CitedParagraph(6, "d6", None, "v1")], version_id=None)
    await store_posted(database, answer_id, channel_id=int(channel), thread_id=None,
                       embed={"title": "q", "description": "> More than 300"}, served=None,
                       place_channel_id=int(channel))
    await record_corrections(database, answer_id, [(6, "changed", 6)], version="v2", at=time.time())
    database.close()
    async with start_discord() as discord:
        edit = await discord.server.wait_for_request("PATCH", rf"/channels/{channel}/messages/{message['id']}")
        await discord.bot.get_cog("Corrections").queue.join()
        assert edit.json["embeds"][0]["description"] == "> More than 300"
        assert "¶6 was updated" in edit.json["embeds"][0]["fields"][0]["value"]
        rows = stored_rows(discord.bot.database.path)["corrections"]
        assert rows and all(row[-1] is not None for row in rows)  # edited_at: not made again at the next start


async def test_a_log_channel_the_bot_cannot_post_in_is_refused(fake_discord, start_discord):
    """/config log-channel on a channel where the bot's role is denied Send Messages: refused, not stored."""
    channel = fake_discord.channel_ids["off-topic"]
    bot_role = fake_discord.role_ids["bot"]
    fake_discord.channels[channel]["permission_overwrites"] = [
        {"id": bot_role, "type": 0, "allow": "0", "deny": str(1 << 11)}]
    async with start_discord() as discord:
        callback, _ = await discord.command("config", [{"name": "log-channel", "type": 1, "options": [
            {"name": "channel", "type": 7, "value": channel}]}], member="manager")
        assert "I can't post in" in callback.json["data"]["content"]
        from bot.storage.corrections import log_channel

        assert await log_channel(discord.bot.database, int(fake_discord.guild_id)) is None
