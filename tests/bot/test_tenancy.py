"""Every server its own articles, end to end: two guilds on the fake Discord, the real bot and model."""

from __future__ import annotations

import asyncio
import os

import pytest

from devtools.article_bot import make_bot
from devtools.discord_fake import payloads as p
from devtools.discord_fake import running_bot
from tests.bot.conftest import EPHEMERAL, Discord
from tests.conftest import CountingEncoder
from tests.texts import CLUB, HARBOUR, LIGHTHOUSE

AZOV = "Who commands the Azov Regiment?"


def file_option(discord: Discord, name: str, text: str) -> dict:
    attachment = discord.server.add_attachment(name, text.encode(), "text/markdown")
    return {"name": "file", "type": 11, "value": attachment["id"]}


def sub(name: str, *options: dict) -> list[dict]:
    """A subcommand option (``/article add ...``)."""
    return [{"name": name, "type": 1, "options": list(options)}]


def channel_only() -> dict:
    return {"name": "channel_only", "type": 5, "value": True}


def second(discord: Discord):
    return next(g for g in discord.server.guilds.values() if g.name == "Second Guild")


async def load(discord: Discord, command: str, text: str, name: str, *, member: str = "alice",
               channel: str | None = None, extra: tuple[dict, ...] = ()) -> str:
    """Run /reload or /article add with a file; returns the moderator's (ephemeral) reply."""
    option = file_option(discord, name, text)
    options = sub("add", option, *extra) if command == "article add" else [option, *extra]
    _, followup = await discord.command(command.split()[0], options, member=member, channel=channel)
    assert followup is not None and followup.json["flags"] & EPHEMERAL
    return followup.json["content"]


async def article_list(discord: Discord, *, member: str = "bob", channel: str | None = None) -> str:
    callback, _ = await discord.command("article", sub("list"), member=member, channel=channel)
    assert callback.json["data"]["flags"] & EPHEMERAL
    return callback.json["data"]["embeds"][0]["description"]


async def test_reload_in_one_guild_leaves_the_other_on_its_article(two_guilds, start_discord):
    """Guild A's /reload answers A from the new article; guild B is still answered from the default."""
    async with start_discord() as discord:
        reply = await load(discord, "reload", HARBOUR, "harbour.md")
        assert "Harbour news" in reply and "This server now answers from 1 article" in reply
        assert "Ingrid Olsen" in (await discord.ask("Who is the harbour master?"))["description"]
        b = second(discord)
        embed = await discord.ask(AZOV, channel=b.channel_ids["articles"], author="erin")
        assert "Prokopenko" in embed["description"]
        embed = await discord.ask("Who is the harbour master?", channel=b.channel_ids["articles"], author="erin")
        assert "Ingrid Olsen" not in str(embed)


async def test_article_add_searches_both_and_cites_each(two_guilds, start_discord):
    """/article add twice: a question cites both articles by title; /article list shows them to anyone."""
    async with start_discord() as discord:
        await load(discord, "reload", HARBOUR, "harbour.md")
        reply = await load(discord, "article add", CLUB, "club.md")
        assert "now answers from 2 articles" in reply
        embed = await discord.ask("Who is Ingrid Olsen?")
        assert "Harbour news ¶1" in embed["description"] and "Rowing club ¶1" in embed["description"]
        assert "Harbour news" in embed["footer"]["text"] and "Rowing club" in embed["footer"]["text"]
        listing = await article_list(discord)
        assert "Harbour news" in listing and "Rowing club" in listing and "2 articles answer in this server" in listing
        assert "attachment:club.md" in listing


async def test_article_remove_stops_answering_from_it(two_guilds, start_discord):
    """/article remove takes one article out; the other keeps answering."""
    async with start_discord() as discord:
        await load(discord, "reload", HARBOUR, "harbour.md")
        await load(discord, "article add", LIGHTHOUSE, "lighthouse.md")
        listing = await article_list(discord)
        lighthouse_id = listing.split("**Lighthouse** (id ")[1].split(")")[0]
        _, followup = await discord.command("article", sub("remove", {"name": "article", "type": 3,
                                                                      "value": lighthouse_id}))
        assert "Removed “Lighthouse”" in followup.json["content"]
        assert "Lighthouse" not in await article_list(discord)
        embed = await discord.ask("Who is the lighthouse keeper?")
        assert "Mara Quill" not in embed.get("description", "") and "Lighthouse" not in embed["footer"]["text"]


async def test_channel_override_answers_only_in_that_channel(two_guilds, start_discord):
    """/reload channel_only in one channel: questions there use it; the rest of the guild does not."""
    async with start_discord() as discord:
        override = discord.server.channel_ids["off-topic"]
        reply = await load(discord, "reload", LIGHTHOUSE, "lighthouse.md", channel=override, extra=(channel_only(),))
        assert "This channel now answers" in reply
        embed = await discord.ask(discord.mention("Who is the lighthouse keeper?"), channel=override)
        assert "Mara Quill" in embed["description"]
        assert "Prokopenko" in (await discord.ask(AZOV))["description"]
        assert "Lighthouse" in await article_list(discord, channel=override)
        assert "default article" in await article_list(discord)


async def test_guild_b_never_sees_guild_a_articles_questions_or_insights(two_guilds, start_discord):
    """After A loads an article and its members ask, B's list, answers and /insights show none of it."""
    async with start_discord() as discord:
        await load(discord, "reload", HARBOUR, "harbour.md")
        await discord.ask("Who is the harbour master?")
        await discord.ask("What is the secret launch code of guild A?")
        b = second(discord)
        assert "Harbour" not in await article_list(discord, member="erin", channel=b.channel_ids["general"])
        _, followup = await discord.command("insights", member="boss", channel=b.channel_ids["general"])
        report = followup.json["embeds"][0]["description"]
        assert "0 question(s)" in report and "launch code" not in report and "harbour" not in report.lower()
        _, own = await discord.command("insights", member="alice")
        assert "launch code" in own.json["embeds"][0]["description"]


async def test_moderator_of_one_guild_has_no_rights_in_the_other(two_guilds, start_discord):
    """dave moderates guild A (its moderator role) but is a plain member of B: B refuses his /reload."""
    async with start_discord() as discord:
        b = second(discord)
        option = file_option(discord, "harbour.md", HARBOUR)
        callback, _ = await discord.command("reload", [option], member="dave", channel=b.channel_ids["general"])
        assert callback.json["type"] == 4 and "Only moderators" in callback.json["data"]["content"]
        reply = await load(discord, "reload", HARBOUR, "harbour.md", member="dave")
        assert "Harbour news" in reply


async def test_config_moderator_role_is_per_guild(two_guilds, start_discord):
    """B's Manage Server member sets B's moderator role; its holders may then /reload in B, not in A."""
    async with start_discord() as discord:
        b = second(discord)
        role = b.role_ids["member"]
        _, _ = await discord.command("config", [{"name": "moderator-role", "type": 1, "options": [
            {"name": "role", "type": 8, "value": role}]}], member="boss", channel=b.channel_ids["general"])
        reply = await load(discord, "reload", CLUB, "club.md", member="erin", channel=b.channel_ids["general"])
        assert "Rowing club" in reply
        callback, _ = await discord.command("reload", [file_option(discord, "c.md", CLUB)], member="bob")
        assert "Only moderators" in callback.json["data"]["content"]
        refused, _ = await discord.command("config", [{"name": "moderator-role", "type": 1, "options": [
            {"name": "role", "type": 8, "value": role}]}], member="erin", channel=b.channel_ids["general"])
        assert "Manage Server" in refused.json["data"]["content"]


async def test_restart_keeps_every_scope_library_without_fetching(two_guilds, start_discord):
    """A URL loaded for guild A and a file for one channel serve again after a restart, the page gone."""
    async with start_discord() as discord:
        html = "<html><head><title>Harbour</title></head><body><article>" + "".join(
            f"<p>The harbour master Ingrid Olsen said boats number {i} arrive at dawn every day.</p>"
            for i in range(5)) + "</article></body></html>"
        url = discord.server.add_page("/news/harbour.html", html)
        _, followup = await discord.command("reload", [{"name": "url", "type": 3, "value": url}])
        assert "5 added" in followup.json["content"]
        override = discord.server.channel_ids["off-topic"]
        await load(discord, "reload", LIGHTHOUSE, "lighthouse.md", channel=override, extra=(channel_only(),))
    del discord.server.files["/news/harbour.html"]
    fetches = len(discord.server.find_requests("GET", r"/news/harbour\.html"))
    async with start_discord() as restarted:
        assert "Ingrid Olsen" in (await restarted.ask("Who is the harbour master?"))["description"]
        embed = await restarted.ask(restarted.mention("Who is the lighthouse keeper?"), channel=override)
        assert "Mara Quill" in embed["description"]
        b = second(restarted)
        assert "Prokopenko" in (await restarted.ask(AZOV, channel=b.channel_ids["articles"], author="erin"))[
            "description"]
    assert len(discord.server.find_requests("GET", r"/news/harbour\.html")) == fetches


@pytest.mark.parametrize("command", ["reload", "article add"])
async def test_bad_load_changes_nothing(two_guilds, start_discord, command):
    """A binary upload (replace or add) is refused with the reason; the guild's library is unchanged."""
    async with start_discord() as discord:
        await load(discord, "reload", HARBOUR, "harbour.md")
        before = await article_list(discord)
        option = {"name": "file", "type": 11,
                  "value": discord.server.add_attachment("x.txt", b"\x89PNG\x00\x00" * 30, "text/plain")["id"]}
        options = sub("add", option) if command == "article add" else [option]
        _, followup = await discord.command(command.split()[0], options)
        assert "binary" in followup.json["content"]
        assert await article_list(discord) == before
        assert "Ingrid Olsen" in (await discord.ask("Who is the harbour master?"))["description"]


def padded(text: str, topic: str) -> str:
    """``text`` plus 150 distinct filler paragraphs, so its index takes about half a megabyte."""
    filler = "".join(f"\n{topic} note {i}: the {topic} committee met on day {i} and discussed item {i * 7}.\n"
                     for i in range(150))
    return text + filler


async def test_evicted_index_is_rebuilt_without_encoding(two_guilds, encoder, tmp_path):
    """With INDEX_MEMORY_MB=1 the guilds' indexes evict each other; asking again encodes only the question."""
    counting = CountingEncoder(encoder)
    bot, _ = make_bot(two_guilds, counting, tmp_path, index_memory_mb=1)
    async with running_bot(two_guilds, bot, ready_timeout=60):
        discord = Discord(two_guilds, bot, tmp_path / "article.txt")
        b = second(discord)
        await load(discord, "reload", padded(HARBOUR, "harbour"), "harbour.md")
        await load(discord, "reload", padded(CLUB, "club"), "club.md", member="boss", channel=b.channel_ids["general"])
        await discord.ask("Who is the harbour master?")
        await discord.ask("Who chairs the club?", channel=b.channel_ids["articles"], author="erin")
        assert (await bot.engine.status()).pool.evictions >= 1
        counting.batches.clear()
        embed = await discord.ask("Who is the harbour master?")
        assert "Ingrid Olsen" in embed["description"]
        assert all(len(batch) <= 3 for batch in counting.batches)  # the question (and its parts) only
        assert not any("took office in March" in text for text in counting.encoded_texts)


async def test_removal_from_a_guild_starts_its_retention_period(two_guilds, start_discord):
    """When the bot is removed from guild B, B is marked as left (its data goes after the retention period)."""
    async with start_discord() as discord:
        b = second(discord)
        await load(discord, "reload", CLUB, "club.md", member="boss", channel=b.channel_ids["general"])
        await discord.server.remove_bot_from_guild(b.id)

        async def left_at() -> float | None:
            row = await discord.bot.database.run(lambda c: c.execute(
                "SELECT left_at FROM guild_settings WHERE guild_id = ?", (int(b.id),)).fetchone())
            return row[0] if row else None

        for _ in range(200):
            if await left_at() is not None:
                break
            await asyncio.sleep(0.02)
        assert await left_at() is not None
        assert (await discord.bot.database.run(lambda c: c.execute(
            "SELECT left_at FROM guild_settings WHERE guild_id = ?", (int(discord.server.guild_id),)).fetchone())) \
            in (None, (None,))


async def test_summary_article_option_autocompletes_and_chooses(two_guilds, start_discord):
    """/summary's article option autocompletes this server's titles; choosing one summarises it."""
    async with start_discord() as discord:
        await load(discord, "reload", HARBOUR, "harbour.md")
        await load(discord, "article add", CLUB, "club.md")
        payload = discord.server.interaction_create("summary", [
            {"name": "article", "type": 3, "value": "harb", "focused": True}])
        payload["type"] = 4
        await discord.server.dispatch("INTERACTION_CREATE", payload)
        callback = await discord.server.wait_for_request(
            "POST", r"/interactions/\d+/[^/]+/callback", lambda r: payload["token"] in r.path, timeout=20)
        choices = callback.json["data"]["choices"]
        assert callback.json["type"] == 8 and [c["name"].split(" (")[0] for c in choices] == ["Harbour news"]
        _, latest = await discord.command("summary", [{"name": "sentences", "type": 4, "value": 1}], member="bob")
        assert latest.json["embeds"][0]["footer"]["text"].startswith("Rowing club")
        _, chosen = await discord.command("summary", [{"name": "article", "type": 3, "value": choices[0]["value"]}],
                                          member="bob")
        assert chosen.json["embeds"][0]["footer"]["text"].startswith("Harbour news")


async def test_thread_follows_its_parent_channel_library(two_guilds, start_discord):
    """A question in a thread of a channel with its own article is answered from that article."""
    async with start_discord() as discord:
        override = discord.server.channel_ids["off-topic"]
        await load(discord, "reload", LIGHTHOUSE, "lighthouse.md", channel=override, extra=(channel_only(),))
        thread = p.thread_channel(discord.server.ids.next(), "keeper talk", discord.server.channels[override],
                                  discord.server.users["bob"]["id"])
        discord.server.channels[thread["id"]] = thread
        await discord.server.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
        embed = await discord.ask(discord.mention("Who is the lighthouse keeper?"), channel=thread["id"])
        assert "Mara Quill" in embed["description"]


async def test_reload_without_file_refetches_url_articles_of_the_scope(two_guilds, start_discord):
    """/reload with no file or URL in a guild with a URL article fetches it again and serves the edit."""
    async with start_discord() as discord:
        def page(keeper: str) -> str:
            body = "".join(f"<p>{sentence}</p>" for sentence in LIGHTHOUSE.split("\n\n")[1:])
            return f"<html><head><title>Lighthouse</title></head><body><article>{body.replace('Mara Quill', keeper)}" \
                   "</article></body></html>"

        url = discord.server.add_page("/news/lighthouse.html", page("Mara Quill"))
        _, followup = await discord.command("reload", [{"name": "url", "type": 3, "value": url}])
        assert "Lighthouse" in followup.json["content"]
        discord.server.add_page("/news/lighthouse.html", page("Tobias Wren"))
        _, again = await discord.command("reload")
        assert "1 changed" in again.json["content"]
        assert "Tobias Wren" in (await discord.ask("Who is the lighthouse keeper?"))["description"]
        assert "Lighthouse" in await article_list(discord)


async def test_retention_removes_vectors_files_of_replaced_articles_only(two_guilds, encoder, tmp_path):
    """The clean-up deletes the day-old vectors file of a replaced article, keeping the current and default ones."""
    bot, _ = make_bot(two_guilds, encoder, tmp_path, index_memory_mb=0)
    async with running_bot(two_guilds, bot, ready_timeout=60):
        discord = Discord(two_guilds, bot, tmp_path / "article.txt")
        folder = tmp_path / "cache" / "indexes"
        default = set(folder.iterdir())
        await load(discord, "reload", padded(HARBOUR, "harbour"), "harbour.md")
        replaced = set(folder.iterdir()) - default
        await load(discord, "reload", padded(CLUB, "club"), "club.md")
        await discord.ask("Who is the harbour master?", channel=second(discord).channel_ids["articles"],
                          author="erin")  # the pool now holds only the default article's index
        current = set(folder.iterdir()) - default - replaced
        assert default and len(replaced) == 1 and len(current) == 1
        for path in folder.iterdir():
            os.utime(path, (0, 0))
        assert await bot.engine.remove_unused_vectors() == 1
        assert set(folder.iterdir()) == default | current


async def test_article_list_and_remove_are_worded_in_the_members_language(start_discord):
    """/article list from a Polish client counts the articles with Polish plural forms; /article remove answers
    in Polish too (titles and sources stay as loaded)."""
    async with start_discord() as discord:
        await load(discord, "reload", HARBOUR, "harbour.md")
        await load(discord, "article add", LIGHTHOUSE, "lighthouse.md")
        callback, _ = await discord.command("article", sub("list"), member="bob", locale="pl")
        embed = callback.json["data"]["embeds"][0]
        assert embed["title"] == "Artykuły"
        assert embed["description"].startswith("2 artykuły odpowiadają na tym serwerze:")
        assert "Harbour news" in embed["description"] and " ¶ · wersja " in embed["description"]
        article_id = embed["description"].split("(id ", 1)[1].split(")", 1)[0]
        _, followup = await discord.command(
            "article", sub("remove", {"name": "article", "type": 3, "value": article_id}), locale="pl")
        assert followup is not None
        assert followup.json["content"].endswith("Ten serwer: odpowiada teraz z 1 artykułu.")
