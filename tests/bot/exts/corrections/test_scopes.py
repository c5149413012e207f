"""Corrections follow the scope that served the answer, end to end on the fake Discord server (SQLite and
PostgreSQL): a channel's own article never corrects the answers the server's article gave elsewhere, and
a server load never corrects the answers a channel's own article gave."""

from __future__ import annotations

import pytest

from bot.exts.corrections.button import PREFIX
from bot.replies.correction_render import NOTE_FIELD
from tests.bot.conftest import EPHEMERAL, Discord
from tests.bot.test_tenancy import channel_only, load
from tests.texts import HARBOUR

from .test_cog import EVACUATED, answer, corrections_done, custom_ids, edits_of

MASTER = "Who is the harbour master?"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    """None (SQLite in DATA_DIR) or a fresh PostgreSQL database's URL."""
    return None if request.param == "sqlite" else request.getfixturevalue("postgres_url")


async def cited(discord: Discord, message: dict) -> set[tuple[str | None, str | None]]:
    """(article id, version) of every paragraph the stored answer cites."""
    record = await discord.bot.database.answer_for_message(int(message["id"]))
    assert record is not None
    return {(c.article_id, c.version) for c in record.cited}


async def test_a_channel_only_reload_corrects_only_that_channels_answers(start_discord, database_url):
    """The server's article answered in #articles and in #off-topic; /reload channel_only in #off-topic with
    an edited version: the #off-topic answer is corrected (its "¶n now" shows the channel's new text), the
    #articles answer, still served by the unchanged server article, is not touched."""
    async with start_discord(database_url=database_url) as discord:
        other = discord.server.channel_ids["off-topic"]
        await load(discord, "reload", HARBOUR, "harbour.md")
        here = await answer(discord, MASTER)
        there = await answer(discord, discord.mention(MASTER), channel=other)
        assert await cited(discord, here) == await cited(discord, there)  # both from the server's article
        handled = discord.bot.get_cog("Corrections").changes_handled
        reply = await load(discord, "reload", HARBOUR.replace("in March", "in April"), "harbour.md", channel=other,
                           extra=(channel_only(),))
        assert "This channel now answers" in reply
        edit = await discord.server.wait_for_request("PATCH", rf"/channels/{other}/messages/{there['id']}")
        await corrections_done(discord, handled + 1)
        assert any(f["name"] == NOTE_FIELD for f in edit.json["embeds"][0]["fields"])
        assert edits_of(discord, here) == []
        button = next(i for i in custom_ids(edit.json) if i.startswith(PREFIX))
        data = (await discord.press(there, button, member="carol")).json["data"]
        assert data["flags"] & EPHEMERAL and "in April" in data["embeds"][0]["description"]
        assert "Harbour news" in (await discord.ask(MASTER))["footer"]["text"]  # the server's article still serves


async def test_a_server_reload_does_not_correct_a_channel_articles_answers(start_discord, database_url):
    """#off-topic has its own copy of the default article (same version), #articles answers from the
    default article; a server-wide /reload of an edited version corrects the #articles answer only."""
    async with start_discord(database_url=database_url) as discord:
        other = discord.server.channel_ids["off-topic"]
        text = discord.article_path.read_text(encoding="utf-8")
        reply = await load(discord, "reload", text, "article.txt", channel=other, extra=(channel_only(),))
        assert "This channel now answers" in reply
        here = await answer(discord, EVACUATED)
        there = await answer(discord, discord.mention(EVACUATED), channel=other)
        # the same version, and even the same id ("1": the default article's, and the channel's first library
        # row's): only the scope stored with each answer tells them apart
        assert {v for _, v in await cited(discord, here)} == {v for _, v in await cited(discord, there)}
        handled = discord.bot.get_cog("Corrections").changes_handled
        reply = await load(discord, "reload", text.replace("More than 300", "More than 450"), "article.txt")
        assert "This server now answers" in reply
        edit = await discord.server.wait_for_request("PATCH", rf"/channels/\d+/messages/{here['id']}")
        await corrections_done(discord, handled + 1)
        assert any(f["name"] == NOTE_FIELD for f in edit.json["embeds"][0]["fields"])
        assert edits_of(discord, there) == []
