"""PDF articles through Discord: uploaded or fetched by URL, answered with the page and the paragraph on it, stored
with their pages; an encrypted PDF is refused and the article serving before keeps serving."""

from __future__ import annotations

from bot.door import Place
from bot.door.versions import article_from_store
from bot.storage import Scope
from tests.pdfs import KEEPER, report_pdf


def add(option: dict) -> list[dict]:
    """``/article add`` with one option."""
    return [{"name": "add", "type": 1, "options": [option]}]


async def stored_rows(discord) -> list:
    return await discord.bot.engine.store.articles(Scope(int(discord.server.guild_id)))


async def test_an_uploaded_pdf_answers_with_its_page(start_discord):
    """/article add file: report.pdf → the keeper's question is answered from p. 2 ¶1 (the article's ¶3) with
    the sentence as the PDF has it; the stored version keeps its kind and pages."""
    async with start_discord() as discord:
        attachment = discord.server.add_attachment("report.pdf", report_pdf(), "application/pdf")
        _, followup = await discord.command("article", add({"name": "file", "type": 11, "value": attachment["id"]}))
        assert "failed" not in followup.json["content"], followup.json["content"]
        embed = await discord.ask("Who is the new lighthouse keeper?")
        assert KEEPER in embed["description"]
        assert "¶3 (p. 2 ¶1)" in embed["description"]
        [row] = await stored_rows(discord)
        assert row.kind == "pdf"
        article = article_from_store(row)
        assert [(p.page, p.page_paragraph) for p in article.paragraphs] == [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1)]


async def test_a_pdf_url_loads_by_its_content_type(start_discord):
    """/reload url: a page served as application/pdf under a name without .pdf loads as a PDF."""
    async with start_discord() as discord:
        url = discord.server.add_page("/reports/latest", report_pdf(), "application/pdf")
        _, followup = await discord.command("reload", [{"name": "url", "type": 3, "value": url}])
        assert "added" in followup.json["content"] and "failed" not in followup.json["content"]
        [info] = await discord.bot.engine.articles(Place(int(discord.server.guild_id)))
        assert info.ref.title == "Skerry Point harbour board: the year in review"


async def test_an_encrypted_pdf_is_refused_and_nothing_changes(start_discord):
    """/reload file: a password-protected PDF gets the encrypted-PDF message; the article before still answers."""
    async with start_discord() as discord:
        before = await discord.bot.engine.articles(Place(int(discord.server.guild_id)))
        attachment = discord.server.add_attachment("secret.pdf", report_pdf(user_password="pw"), "application/pdf")
        _, followup = await discord.command("reload", [{"name": "file", "type": 11, "value": attachment["id"]}])
        assert "encrypted" in followup.json["content"], followup.json["content"]
        after = await discord.bot.engine.articles(Place(int(discord.server.guild_id)))
        assert [i.ref for i in after] == [i.ref for i in before]


async def test_a_new_version_of_a_pdf_is_stored_with_its_pages(start_discord):
    """/reload file: the report, then a version whose last page changed: one paragraph changed, both versions
    stored with their pages (a PDF's structure is stored whole, not as a delta), the keeper still p. 2 ¶1."""
    from tests.pdfs import REPORT_PAGES, REPORT_TITLE, article_pdf

    edited = (*REPORT_PAGES[:2], (REPORT_PAGES[2][0], REPORT_PAGES[2][1].replace("forty-two", "forty-three")))
    async with start_discord() as discord:
        for data in (report_pdf(), article_pdf(edited, title=REPORT_TITLE)):
            attachment = discord.server.add_attachment("report.pdf", data, "application/pdf")
            _, followup = await discord.command("reload", [{"name": "file", "type": 11, "value": attachment["id"]}])
        assert "1 changed" in followup.json["content"], followup.json["content"]
        [row] = await stored_rows(discord)
        article = article_from_store(row)
        assert "forty-three calls" in article.paragraphs[4].text
        assert [(p.page, p.page_paragraph) for p in article.paragraphs] == [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1)]
        embed = await discord.ask("Who is the new lighthouse keeper?")
        assert KEEPER in embed["description"] and "¶3 (p. 2 ¶1)" in embed["description"]
