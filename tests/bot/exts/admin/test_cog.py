"""/reload and /status through Discord: who may reload, what a reload reports, bad input."""

from __future__ import annotations

from tests.bot.conftest import EPHEMERAL

AZOV = "Who commands the Azov Regiment?"
HARBOUR = (
    "# Harbour news\n\nThe harbour master is Ingrid Olsen. She has run the port of Vestvik for eleven years "
    "and knows every captain by name.\n\nBoats arrive at dawn every day with the night's catch, and the fish "
    "market opens an hour later on the quay, where buyers from three towns wait for the auction to begin.\n"
)


def _attachment(discord, name: str, data: bytes, content_type: str = "text/plain") -> list[dict]:
    attachment = discord.server.add_attachment(name, data, content_type)
    return [{"name": "file", "type": 11, "value": attachment["id"]}]


async def _still_answers_azov(discord) -> None:
    embed = await discord.ask(AZOV)
    assert "Prokopenko" in embed["description"]


async def test_moderator_reload_reports_diff_and_serves_new_text(start_discord):
    """A moderator's /reload re-reads ARTICLE_PATH, reports 1 changed, and answers from the edit."""
    async with start_discord() as discord:
        text = discord.article_path.read_text(encoding="utf-8")
        discord.article_path.write_text(text.replace("More than 300", "More than 450"), encoding="utf-8")
        callback, followup = await discord.command("reload", member="alice")
        assert callback.json["data"]["flags"] & EPHEMERAL and followup.json["flags"] & EPHEMERAL
        assert "0 added, 0 removed, 1 changed, 8 unchanged" in followup.json["content"]
        embed = await discord.ask("How many people were evacuated?")
        assert "More than 450" in embed["description"]


async def test_manage_server_member_may_reload_a_file(start_discord):
    """A member with Manage Server reloads from an attachment; the new article answers."""
    async with start_discord() as discord:
        options = _attachment(discord, "harbour.md", HARBOUR.encode(), "text/markdown")
        _, followup = await discord.command("reload", options, member="manager")
        assert "Harbour news" in followup.json["content"] and "2 added" in followup.json["content"]
        embed = await discord.ask("Who is the harbour master?")
        assert "Ingrid Olsen" in embed["description"]


async def test_member_without_rights_is_refused(start_discord):
    """bob (no Manage Server, no moderator role) gets an ephemeral refusal; the article is unchanged."""
    async with start_discord() as discord:
        options = _attachment(discord, "harbour.md", HARBOUR.encode())
        callback, _ = await discord.command("reload", options, member="bob")
        assert callback.json["type"] == 4 and callback.json["data"]["flags"] & EPHEMERAL
        assert "Only moderators" in callback.json["data"]["content"]
        await _still_answers_azov(discord)


async def test_reload_is_hidden_from_members_by_default(start_discord):
    """The synced /reload carries default_member_permissions = Manage Server."""
    async with start_discord() as discord:
        commands = discord.server.guild_commands[discord.server.guild_id]
        reload = next(c for c in commands if c["name"] == "reload")
        assert str(reload["default_member_permissions"]) == str(1 << 5)


async def test_binary_file_is_refused_and_old_article_serves(start_discord):
    """A binary upload gets a clear ephemeral error and the old article keeps answering."""
    async with start_discord() as discord:
        options = _attachment(discord, "image.txt", b"\x89PNG\x00\x00\x01" * 20)
        _, followup = await discord.command("reload", options)
        assert followup.json["flags"] & EPHEMERAL and "binary" in followup.json["content"]
        await _still_answers_azov(discord)


async def test_empty_file_is_refused_and_old_article_serves(start_discord):
    """An empty upload gets a clear error and the old article keeps answering."""
    async with start_discord() as discord:
        _, followup = await discord.command("reload", _attachment(discord, "empty.txt", b"\n\n"))
        assert "no text" in followup.json["content"]
        await _still_answers_azov(discord)


async def test_unsupported_file_type_is_refused(start_discord):
    """A .docx upload is refused before download."""
    async with start_discord() as discord:
        _, followup = await discord.command("reload", _attachment(discord, "doc.docx", b"PK\x03\x04"))
        assert "Unsupported file type .docx" in followup.json["content"]


async def test_oversized_file_is_refused(start_discord):
    """An attachment over RELOAD_MAX_BYTES is refused with the limit."""
    async with start_discord() as discord:
        _, followup = await discord.command("reload", _attachment(discord, "big.txt", b"word " * 30_000))
        assert "limit is 100,000 bytes" in followup.json["content"]
        await _still_answers_azov(discord)


HARBOUR_PAGE = "<html><head><title>Harbour</title></head><body><article>{}</article></body></html>".format(
    "".join(
        f"<p>The harbour master Ingrid Olsen said boats number {i} arrive at dawn every day.</p>" for i in range(5)
    )
)


async def test_reload_from_url(start_discord):
    """/reload url: fetches an HTML page, extracts the article, and answers from it."""
    async with start_discord() as discord:
        url = discord.server.add_page("/news/harbour.html", HARBOUR_PAGE)
        _, followup = await discord.command("reload", [{"name": "url", "type": 3, "value": url}])
        assert "5 added" in followup.json["content"]
        embed = await discord.ask("Who is the harbour master?")
        assert "Ingrid Olsen" in embed["description"]


async def test_unreachable_url_keeps_old_article(start_discord):
    """An unreachable URL gets a clear error and the old article keeps answering."""
    async with start_discord() as discord:
        options = [{"name": "url", "type": 3, "value": "http://127.0.0.1:9/article.html"}]
        _, followup = await discord.command("reload", options)
        assert "Reload failed: Could not connect" in followup.json["content"]
        await _still_answers_azov(discord)


async def test_private_url_refused_unless_allowed(start_discord):
    """With RELOAD_ALLOW_PRIVATE_URLS off, a loopback URL is refused."""
    async with start_discord(reload_allow_private_urls=False) as discord:
        url = discord.server.add_page("/a.html", "<p>x</p>")
        _, followup = await discord.command("reload", [{"name": "url", "type": 3, "value": url}])
        assert "non-public address" in followup.json["content"] or "not a public" in followup.json["content"]
        await _still_answers_azov(discord)


async def test_status_reports_article_and_cache(start_discord):
    """/status shows the title, paragraph count, model and cache state, ephemerally."""
    async with start_discord() as discord:
        callback, _ = await discord.command("status", member="bob")
        data = callback.json["data"]
        assert data["flags"] & EPHEMERAL
        fields = {f["name"]: f["value"] for f in data["embeds"][0]["fields"]}
        assert fields["Paragraphs"] == "9" and fields["Model"].startswith("all-MiniLM-L6-v2-")
        assert "encoded" in fields["Embedding cache"]


async def test_status_hides_url_query_from_members_but_not_moderators(start_discord):
    """A URL source's query string (tokens, signatures) is shown to moderators only."""
    async with start_discord() as discord:
        url = discord.server.add_page("/news/harbour.html", HARBOUR_PAGE) + "?token=s3cr3t"
        _, followup = await discord.command("reload", [{"name": "url", "type": 3, "value": url}])
        assert "5 added" in followup.json["content"]

        async def source_shown_to(member: str) -> str:
            callback, _ = await discord.command("status", member=member)
            return {f["name"]: f["value"] for f in callback.json["data"]["embeds"][0]["fields"]}["Source"]

        member_source = await source_shown_to("bob")
        moderator_source = await source_shown_to("alice")
        assert "s3cr3t" not in member_source and member_source.endswith("/news/harbour.html")
        assert "token=s3cr3t" in moderator_source


async def test_status_shows_members_the_default_articles_file_name_not_its_directories(start_discord):
    """The default article's path on the bot's machine is for moderators; members see its file name."""
    async with start_discord() as discord:
        async def source_shown_to(member: str) -> str:
            callback, _ = await discord.command("status", member=member)
            return {f["name"]: f["value"] for f in callback.json["data"]["embeds"][0]["fields"]}["Source"]

        member_source, moderator_source = await source_shown_to("bob"), await source_shown_to("alice")
        assert "/" in moderator_source and moderator_source.endswith(member_source)
        assert "/" not in member_source and member_source.endswith(".txt")


async def test_a_page_without_an_article_is_refused(start_discord):
    """/reload url of a soft 404 page gets a clear refusal and the old article keeps answering."""
    async with start_discord() as discord:
        html = ("<html><head><title>Not found</title></head><body><main><h1>Page not found</h1>"
                "<p>Sorry, the page you are looking for does not exist.</p></main></body></html>")
        url = discord.server.add_page("/gone.html", html)
        _, followup = await discord.command("reload", [{"name": "url", "type": 3, "value": url}])
        assert "Reload failed" in followup.json["content"]
        assert "does not look like an article" in followup.json["content"]
        await _still_answers_azov(discord)


async def test_status_is_worded_in_the_members_language(start_discord):
    """/status from a German client: its field names and cache state are German; the facts are unchanged."""
    async with start_discord() as discord:
        callback, _ = await discord.command("status", member="bob", locale="de")
        fields = {f["name"]: f["value"] for f in callback.json["data"]["embeds"][0]["fields"]}
        assert fields["Absätze"] == "9" and fields["Modell"].startswith("all-MiniLM-L6-v2-")
        assert "kodiert" in fields["Embedding-Cache"] and "Artikelstand" in fields["Geladen"]


async def test_a_refused_upload_is_worded_in_the_moderators_language(start_discord):
    """A .docx /reload from a Ukrainian client: why it failed and that the old article keeps answering, in
    Ukrainian."""
    async with start_discord() as discord:
        _, followup = await discord.command("reload", _attachment(discord, "doc.docx", b"PK\x03\x04"), locale="uk")
        assert followup.json["content"] == ("Не вдалося перезавантажити: Непідтримуваний тип файлу .docx: "
                                            "використовуйте .txt, .md, .html або .pdf. "
                                            "Поточна стаття й далі відповідає.")
        await _still_answers_azov(discord)
