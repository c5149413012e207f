"""Answers in the member's language: /ask follows the interaction's locale, messages the server's
preferred locale; the quoted article text is never translated."""

from __future__ import annotations

from embeddings.text import default_article_path

UNANSWERED = "What is the capital of France?"


def _ask(question: str) -> list[dict]:
    return [{"name": "question", "type": 3, "value": question}]


def _verbatim(value: str) -> bool:
    """Every "¶n: text" line of a Nearest paragraphs field is the article's own (English) text."""
    article = " ".join(default_article_path().read_text(encoding="utf-8").split())
    excerpts = [line.split(": ", 1)[1].rstrip("…").replace("\\", "") for line in value.splitlines()]
    return bool(excerpts) and all(e in article for e in excerpts)


async def test_ukrainian_ask_gets_ukrainian_texts_around_verbatim_paragraphs(start_discord):
    """/ask from a Ukrainian client: the abstention, the absent-word note and the field name are Ukrainian;
    the question's words and the nearest paragraphs stay as written."""
    async with start_discord() as discord:
        _, followup = await discord.command("ask", _ask(UNANSWERED), member="bob", locale="uk")
        embed = followup.json["embeds"][0]
        assert embed["description"] == ("У статті про це не сказано. "
                                        "Слова «capital» і «France» у ній ніде не трапляються.")
        field = embed["fields"][0]
        assert field["name"] == "Найближчі абзаци" and _verbatim(field["value"])


async def test_english_ask_keeps_the_english_texts(start_discord):
    """/ask from an en-US client reads exactly as before."""
    async with start_discord() as discord:
        _, followup = await discord.command("ask", _ask(UNANSWERED), member="bob", locale="en-US")
        embed = followup.json["embeds"][0]
        assert embed["description"] == "The article doesn't say. It never uses the words “capital” and “France”."
        assert embed["fields"][0]["name"] == "Nearest paragraphs"


async def test_a_mention_in_a_german_server_is_answered_in_german(fake_discord, start_discord):
    """Messages carry no member locale: a server whose preferred locale is German gets German texts."""
    fake_discord.guild().preferred_locale = "de"
    async with start_discord() as discord:
        message = await discord.server.send_message(discord.mention(UNANSWERED), author="bob")
        embed = (await discord.reply_to(message)).json["embeds"][0]
        assert embed["description"] == ("Das steht nicht im Artikel. "
                                        "Die Wörter „capital“ und „France“ kommen darin nicht vor.")
        assert embed["fields"][0]["name"] == "Nächstliegende Absätze" and _verbatim(embed["fields"][0]["value"])


async def test_a_ukrainian_mention_is_answered_from_the_english_article_in_ukrainian(start_discord):
    """A question in Ukrainian, in a server with no preferred locale: the quote is the article's English
    text, verbatim, from ¶5; the bot's own words (the button) are Ukrainian, the question's language."""
    async with start_discord() as discord:
        message = await discord.server.send_message(discord.mention("Скільки людей евакуювали?"), author="bob")
        reply = await discord.final_reply(message)
        description = reply["embeds"][0]["description"]
        assert "More than 300 people were evacuated" in description and "¶5" in description
        labels = [c.get("label") for row in reply["components"] for c in row["components"] if c.get("label")]
        assert labels == ["Більше контексту"]


async def test_an_out_of_scope_russian_mention_is_declined_in_russian(start_discord):
    async with start_discord() as discord:
        message = await discord.server.send_message(discord.mention("Какая погода будет завтра в Париже?"),
                                                    author="bob")
        embed = (await discord.final_reply(message))["embeds"][0]
        assert embed["description"].startswith("В статье об этом не сказано.")
        assert embed["fields"][0]["name"] == "Ближайшие абзацы" and _verbatim(embed["fields"][0]["value"])


async def test_an_over_long_question_in_a_german_server_is_refused_in_german(fake_discord, start_discord):
    """The engine's refusal of a question (an error with a message id) is worded in the server's language."""
    fake_discord.guild().preferred_locale = "de"
    async with start_discord() as discord:
        message = await discord.server.send_message("why " * 150, author="bob", channel_id=discord.ask_channel)
        reply = await discord.reply_to(message)
        assert reply.json["content"] == "Ihre Frage hat 599 Zeichen; die Grenze liegt bei 500. Bitte kürzen Sie sie."


async def test_a_blank_slash_question_is_refused_in_the_members_language(start_discord):
    """/ask with a blank question from a Polish client: the one error path words the engine's error in Polish."""
    async with start_discord() as discord:
        _, followup = await discord.command("ask", _ask("   "), member="bob", locale="pl")
        assert followup.json["content"] == "Zadaj pytanie: tekst był pusty."
