"""Questions through Discord: mentions, ask channels, follow-ups, /ask, safety, limits, cooldowns, threads."""

from __future__ import annotations

import asyncio
import itertools

from devtools.discord_fake.payloads import dm_channel
from tests.bot.conftest import EPHEMERAL, MESSAGES

QUESTION = "Who commands the Azov Regiment?"


async def test_mention_gets_a_cited_reply(start_discord):
    """An @mention is answered as a reply with a block-quoted excerpt and ¶n."""
    async with start_discord() as discord:
        message = await discord.server.send_message(discord.mention(QUESTION), author="bob")
        reply = await discord.reply_to(message)
        embed = reply.json["embeds"][0]
        assert "Prokopenko" in embed["description"] and "— ¶2" in embed["description"]
        assert embed["description"].startswith("> ")
        assert reply.json["allowed_mentions"] == {"parse": [], "replied_user": False}


async def test_message_in_ask_channel_is_answered(start_discord):
    """Any message in an ASK_CHANNEL_IDS channel is a question."""
    async with start_discord() as discord:
        embed = await discord.ask("How many people were evacuated?")
        assert "More than 300" in embed["description"] and "¶5" in embed["description"]


async def test_message_elsewhere_without_mention_is_ignored(start_discord):
    """Outside ask channels, a message without a mention gets no reply."""
    async with start_discord() as discord:
        await discord.server.send_message(QUESTION, author="bob")
        await discord.ask("How many people were evacuated?")  # a later answered question
        assert len(discord.server.find_requests("POST", MESSAGES)) == 1


async def test_unrelated_question_says_the_article_does_not_say(start_discord):
    """An unanswerable question gets the abstention, the words of it the article never uses, and the
    nearest paragraphs."""
    async with start_discord() as discord:
        embed = await discord.ask("What is the capital of France?")
        assert embed["description"] == "The article doesn't say. It never uses the words “capital” and “France”."
        assert embed["fields"][0]["name"] == "Nearest paragraphs" and "¶" in embed["fields"][0]["value"]


async def test_an_answer_names_the_words_the_article_never_uses(start_discord):
    """A question whose topic word is absent ("weather") still gets the closest passages, led by a note
    that the article never uses that word; a question the article words the same way gets none."""
    async with start_discord() as discord:
        embed = await discord.ask("What is the weather in Mariupol?")
        note = "*The article never uses the word “weather”; these are the closest passages.*"
        assert embed["description"].startswith(note + "\n\n> ") and "— ¶" in embed["description"]
        assert (await discord.ask(QUESTION))["description"].startswith("> ")


async def test_reply_to_an_answer_is_a_follow_up(start_discord):
    """'and from where?' replying to the evacuation answer is answered from the evacuation paragraphs."""
    async with start_discord() as discord:
        first = await discord.server.send_message(discord.mention("How many people were evacuated?"),
                                                  author="bob")
        answer = await discord.reply_to(first)
        follow = await discord.server.send_message(
            "and from where?", author="bob", message_reference={"message_id": answer.response["id"]}
        )
        embed = (await discord.reply_to(follow)).json["embeds"][0]
        assert embed["description"] != "The article doesn't say."
        assert any(f"¶{n}" in embed["description"] for n in (5, 7, 8))
        alone = await discord.ask("and from where?")
        assert alone["description"] != embed["description"]


async def test_bots_and_itself_are_ignored(start_discord):
    """Messages from other bots get no reply, even in the ask channel."""
    async with start_discord() as discord:
        await discord.server.send_message(discord.mention(QUESTION), author="otherbot",
                                          channel_id=discord.ask_channel)
        await discord.ask("How many people were evacuated?")
        replies = discord.server.find_requests("POST", MESSAGES)
        assert len(replies) == 1 and "More than 300" in replies[0].json["embeds"][0]["description"]


async def test_everyone_and_role_mentions_never_ping(start_discord):
    """A question containing @everyone and a role mention is echoed escaped, with no mentions allowed."""
    async with start_discord() as discord:
        role = discord.server.role_ids["member"]
        embed_request = await discord.server.send_message(
            f"@everyone <@&{role}> who commands the Azov Regiment?", author="bob",
            channel_id=discord.ask_channel,
        )
        reply = await discord.reply_to(embed_request)
        assert reply.json["allowed_mentions"]["parse"] == []
        assert "roles" not in reply.json["allowed_mentions"] and "users" not in reply.json["allowed_mentions"]
        title = reply.json["embeds"][0]["title"]
        assert "@everyone" not in title and f"<@&{role}>" not in title
        assert "everyone" in title


async def test_bare_mention_gets_usage_hint(start_discord):
    """A mention with no question gets a short how-to-ask reply."""
    async with start_discord() as discord:
        message = await discord.server.send_message(discord.mention(""), author="bob")
        reply = await discord.reply_to(message)
        assert "Ask me a question" in reply.json["content"]


async def test_over_long_question_is_refused_politely(start_discord):
    """A 600-character question gets a clear refusal, not silence."""
    async with start_discord() as discord:
        message = await discord.server.send_message("why " * 150, author="bob", channel_id=discord.ask_channel)
        reply = await discord.reply_to(message)
        assert "limit is 500" in reply.json["content"]


async def test_answer_that_would_exceed_limits_is_shortened(start_discord):
    """Quotes from a giant one-sentence paragraph are shortened to fit 4096/6000 characters."""
    async with start_discord() as discord:
        giants = [
            f"The council budget {topic} " + "includes funding for roads and schools and parks " * 200 + "."
            for topic in ("for the city", "for the county", "for the region")
        ]
        discord.article_path.write_text("\n\n".join(giants) + "\n")
        await discord.command("reload")
        embed = await discord.ask("What does the council budget include funding for?")
        total = len(embed["title"]) + len(embed["description"]) + len(embed["footer"]["text"]) + sum(
            len(f["name"]) + len(f["value"]) for f in embed.get("fields", [])
        )
        assert len(embed["description"]) <= 4096 and total <= 6000
        assert "…" in embed["description"] and "— ¶1" in embed["description"]


async def test_slash_ask_defers_then_follows_up(start_discord):
    """/ask is deferred at once (type 5) and answered by a followup with the cited excerpt."""
    async with start_discord() as discord:
        callback, followup = await discord.command(
            "ask", [{"name": "question", "type": 3, "value": "What did the evacuees bring with them?"}],
            member="bob",
        )
        assert callback.json["type"] == 5
        assert "clothes" in followup.json["embeds"][0]["description"]
        assert followup.json["allowed_mentions"] == {"parse": []}


async def test_slash_ask_blank_question_gets_ephemeral_error(start_discord):
    """/ask with only spaces reaches the error handler: a short ephemeral message."""
    async with start_discord() as discord:
        _, followup = await discord.command("ask", [{"name": "question", "type": 3, "value": "   "}])
        assert followup.json["flags"] & EPHEMERAL
        assert "empty" in followup.json["content"]


async def test_fifty_concurrent_questions_keep_heartbeats_flowing(start_discord):
    """50 questions at once are all answered while the gateway heartbeat keeps its rhythm."""
    async with start_discord() as discord:
        server = discord.server
        started = asyncio.get_running_loop().time()
        questions = ["Who commands the Azov Regiment?", "How many people were evacuated?",
                     "What did the evacuees bring with them?", "What is the capital of France?"]
        sent = await asyncio.gather(*(
            server.send_message(questions[i % 4], author="bob", channel_id=discord.ask_channel)
            for i in range(50)
        ))
        replies = await asyncio.gather(*(discord.reply_to(m, timeout=60) for m in sent))
        assert len(replies) == 50
        assert all(r.json["embeds"][0]["description"] for r in replies)
        await asyncio.sleep(0.6)  # let the beat after the burst arrive
        beats = [b for b in server.heartbeats if b >= started - 0.25]
        gaps = [b - a for a, b in itertools.pairwise(beats)]
        assert len(beats) >= 3 and max(gaps) < 0.25 * 3


async def test_withheld_content_is_logged_once(start_discord, caplog):
    """A question arriving with empty content logs a clear MESSAGE CONTENT intent warning."""
    async with start_discord() as discord:
        await discord.server.send_message("", author="bob", channel_id=discord.ask_channel)
        await discord.ask("Who commands the Azov Regiment?")
    warnings = [r for r in caplog.records if "MESSAGE CONTENT intent" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelname == "WARNING"


async def test_direct_message_is_answered_without_mention(start_discord):
    """In a DM every message is a question."""
    async with start_discord() as discord:
        bob = discord.server.users["bob"]
        channel = dm_channel(discord.server.ids.next(), bob)
        discord.server.channels[channel["id"]] = channel
        message = await discord.server.send_message("How many people were evacuated?", author="bob",
                                                    channel_id=channel["id"])
        reply = await discord.reply_to(message)
        assert "More than 300" in reply.json["embeds"][0]["description"]


async def _stored_answer(discord, question: str, author: str = "bob") -> dict:
    message = await discord.server.send_message(question, author=author, channel_id=discord.ask_channel)
    answer = (await discord.reply_to(message)).response
    await discord.stored(answer)
    return answer


async def test_cooldown_refuses_with_wait_time(start_discord):
    """Over USER_COOLDOWN a user is told when to try again, in the channel and on /ask."""
    async with start_discord(user_cooldown=(2, 60.0)) as discord:
        await _stored_answer(discord, "Who commands the Azov Regiment?")
        await _stored_answer(discord, "How many people were evacuated?")
        message = await discord.server.send_message("Who is Zelensky?", author="bob", channel_id=discord.ask_channel)
        reply = await discord.reply_to(message)
        assert "try again in" in reply.json["content"] and not reply.json.get("embeds")
        callback, _ = await discord.command("ask", [{"name": "question", "type": 3, "value": "x?"}], member="bob")
        assert callback.json["data"]["flags"] & EPHEMERAL and "try again in" in callback.json["data"]["content"]
        other = await _stored_answer(discord, "Who is Zelensky?", author="carol")
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


async def test_refused_threads_fall_back_to_plain_replies_logged_once_per_channel(start_discord, caplog):
    """With ANSWER_IN_THREADS, when Discord refuses thread creation (403 in one channel, 400 in another) every
    question still gets a plain reply, the bot stops asking in those channels, and logs once per channel."""
    async with start_discord(answer_in_threads=True) as discord:
        server = discord.server
        general, off_topic = server.channel_ids["general"], server.channel_ids["off-topic"]
        server.fail_next("POST", rf"/channels/{general}/messages/\d+/threads", status=403, times=10,
                         body={"message": "Missing Permissions", "code": 50013})
        server.fail_next("POST", rf"/channels/{off_topic}/messages/\d+/threads", status=400, times=10,
                         body={"message": "Cannot execute action on this channel type", "code": 50024})
        for channel in (general, general, off_topic, off_topic):
            message = await server.send_message(discord.mention("How many people were evacuated?"), author="bob",
                                                channel_id=channel)
            reply = await discord.reply_to(message)
            assert "More than 300" in reply.json["embeds"][0]["description"]
        refused = server.find_requests("POST", r"/channels/\d+/messages/\d+/threads")
        assert [r.status for r in refused] == [403, 400]
    refusals = [r.getMessage() for r in caplog.records if "refused to open a thread" in r.getMessage()]
    assert len(refusals) == 2 and general in refusals[0] and off_topic in refusals[1]


async def test_thread_that_refuses_the_answer_falls_back_to_a_plain_reply(start_discord, caplog):
    """With ANSWER_IN_THREADS, when the thread opens but Discord refuses the answer in it (403), the question
    still gets a plain reply, the refusal is logged once, and later questions there skip threads."""
    async with start_discord(answer_in_threads=True) as discord:
        server = discord.server
        general = server.channel_ids["general"]
        known = "|".join(server.channel_ids.values())
        server.fail_next("POST", rf"/channels/(?!(?:{known})/)\d+/messages", status=403, times=1,
                         body={"message": "Missing Permissions", "code": 50013})
        for _ in range(2):
            message = await server.send_message(discord.mention("How many people were evacuated?"), author="bob",
                                                channel_id=general)
            reply = await discord.reply_to(message)
            assert "More than 300" in reply.json["embeds"][0]["description"]
        assert len(server.find_requests("POST", r"/channels/\d+/messages/\d+/threads")) == 1
        assert [r.status for r in server.find_requests("POST", rf"/channels/(?!(?:{known})/)\d+/messages")] == [403]
    refusals = [r.getMessage() for r in caplog.records if "refused to open a thread" in r.getMessage()]
    assert len(refusals) == 1 and general in refusals[0]
