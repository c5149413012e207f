"""/summary through Discord."""

from __future__ import annotations


async def test_summary_quotes_cited_sentences(start_discord):
    """/summary sentences:2 defers, then sends two block-quoted sentences with ¶n."""
    async with start_discord() as discord:
        callback, followup = await discord.command("summary", [{"name": "sentences", "type": 4, "value": 2}])
        assert callback.json["type"] == 5
        description = followup.json["embeds"][0]["description"]
        assert description.count("— ¶") == 2 and description.startswith("> ")


async def test_summary_on_a_topic(start_discord):
    """/summary topic:evacuation focuses the sentences on evacuation."""
    async with start_discord() as discord:
        _, followup = await discord.command(
            "summary", [{"name": "sentences", "type": 4, "value": 2},
                        {"name": "topic", "type": 3, "value": "evacuation of civilians"}]
        )
        embed = followup.json["embeds"][0]
        assert embed["title"].startswith("Summary: evacuation")
        assert embed["description"].count("evacua") >= 2
