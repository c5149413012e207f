"""Buttons on answers: votes (persisted, changeable, surviving restarts) and More context."""

from __future__ import annotations

import sqlite3

from bot.exts.feedback.views import CONTEXT, DOWN, UP
from tests.bot.conftest import EPHEMERAL


def _votes(discord) -> list[tuple[int, int]]:
    with sqlite3.connect(discord.bot.settings.data_dir / "article-bot.sqlite3") as connection:
        return connection.execute("SELECT user_id, vote FROM votes").fetchall()


async def _answer(discord, question: str) -> dict:
    message = await discord.server.send_message(question, author="bob", channel_id=discord.ask_channel)
    answer = (await discord.reply_to(message)).response
    await discord.stored(answer)
    return answer


async def test_every_answer_carries_the_three_buttons(start_discord):
    """An answer is sent with 👍, 👎 and More context buttons."""
    async with start_discord() as discord:
        answer = await _answer(discord, "Who commands the Azov Regiment?")
        ids = [c["custom_id"] for row in answer["components"] for c in row["components"]]
        assert ids == [UP, DOWN, CONTEXT]


async def test_vote_is_recorded_changeable_and_survives_restart(start_discord):
    """bob's 👍 is stored; after a restart with the same data dir his 👎 replaces it."""
    async with start_discord() as discord:
        answer = await _answer(discord, "Who commands the Azov Regiment?")
        callback = await discord.press(answer, UP)
        assert callback.json["data"]["flags"] & EPHEMERAL and "👍 is recorded" in callback.json["data"]["content"]
        bob = int(discord.server.users["bob"]["id"])
        assert _votes(discord) == [(bob, 1)]
    async with start_discord() as discord:
        callback = await discord.press(answer, DOWN)
        assert "👎 is recorded" in callback.json["data"]["content"]
        assert _votes(discord) == [(bob, -1)]


async def test_votes_are_one_per_user(start_discord):
    """Two users voting gives two rows; the same user voting twice still one."""
    async with start_discord() as discord:
        answer = await _answer(discord, "How many people were evacuated?")
        await discord.press(answer, UP, member="bob")
        await discord.press(answer, UP, member="bob")
        await discord.press(answer, DOWN, member="carol")
        assert sorted(v for _, v in _votes(discord)) == [-1, 1]


async def test_more_context_shows_cited_paragraph_and_neighbours(start_discord):
    """More context: the cited paragraph in full plus the paragraphs before and after, ephemeral."""
    async with start_discord() as discord:
        answer = await _answer(discord, "How many people were evacuated?")
        callback = await discord.press(answer, CONTEXT)
        data = callback.json["data"]
        description = data["embeds"][0]["description"]
        assert data["flags"] & EPHEMERAL
        assert "**¶5** (cited)" in description and "¶4" in description and "¶6" in description
        assert "Zelensky also slammed Moscow" in description


async def test_a_russian_answer_labels_its_button_in_russian(start_discord):
    """/ask from a Russian client: the "More context" button reads in Russian; its custom_id is the same,
    so the persistent view registered at start still handles it."""
    async with start_discord() as discord:
        _, followup = await discord.command(
            "ask", [{"name": "question", "type": 3, "value": "How many people were evacuated?"}], member="bob",
            locale="ru",
        )
        buttons = [c for row in followup.json["components"] for c in row["components"]]
        assert [(b["custom_id"], b.get("label")) for b in buttons] == [
            (UP, None), (DOWN, None), (CONTEXT, "Больше контекста"),
        ]


async def test_a_vote_is_confirmed_in_the_voters_language(start_discord):
    """The confirmation follows the presser's locale, not the language the answer was sent in."""
    async with start_discord() as discord:
        answer = await _answer(discord, "Who commands the Azov Regiment?")
        callback = await discord.press(answer, UP, locale="ru")
        assert callback.json["data"]["content"] == "Спасибо, ваш 👍 учтён. Чтобы изменить его, нажмите другую кнопку."
