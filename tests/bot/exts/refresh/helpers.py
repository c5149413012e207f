"""Talking to the bot about URL articles: add one, set its schedule, read /article list."""

from __future__ import annotations

from bot.door import Place

from .conftest import Refreshing


def sub(name: str, *options: dict) -> list[dict]:
    """A subcommand option (``/article add ...``)."""
    return [{"name": name, "type": 1, "options": list(options)}]


def text(name: str, value: str) -> dict:
    return {"name": name, "type": 3, "value": value}


async def add_url_article(refreshing: Refreshing, url: str) -> str:
    """/article add url: as a moderator; returns the new article's library id."""
    discord = refreshing.discord
    _, followup = await discord.command("article", sub("add", text("url", url)))
    assert followup is not None and "Loaded" in followup.json["content"], followup.json
    infos = await discord.bot.engine.articles(Place(int(discord.server.guild_id)))
    return next(info.ref.id for info in infos if info.origin == "url")


async def refresh(refreshing: Refreshing, article_id: str, every: str, *, member: str = "alice",
                  settle: bool = True) -> str:
    """/article refresh article: every:; returns the reply (the callback's when refused before deferring)."""
    passes = refreshing.refresher.schedule.passes
    callback, followup = await refreshing.discord.command(
        "article", sub("refresh", text("article", article_id), text("every", every)), member=member)
    if followup is None:
        return callback.json["data"]["content"]
    if settle:
        await refreshing.settle(passes)
    return followup.json["content"]


async def article_list(refreshing: Refreshing, member: str = "bob") -> str:
    callback, _ = await refreshing.discord.command("article", sub("list"), member=member)
    return callback.json["data"]["embeds"][0]["description"]
