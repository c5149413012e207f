"""Discord rendering of answers, summaries and reports: escaped, cited, within Discord's limits."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import discord

from embeddings.answer import Answer
from embeddings.article import Article
from embeddings.summary import Summary

from .text_format import NOT_ANSWERED
from .text_format import shorten as clip  # keeps newlines, unlike text_format.clip

CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000

ANSWER_COLOUR = discord.Colour.blurple()
ABSTAIN_COLOUR = discord.Colour.light_grey()
ALLOWED_MENTIONS = discord.AllowedMentions.none()

_MENTION = re.compile(r"<(@[!&]?|#)(\d{15,25})>")


def escape(text: str) -> str:
    """Escape Discord markdown and neutralise @everyone/@here and user/role/channel mentions."""
    text = discord.utils.escape_markdown(" ".join(text.split()))
    text = _MENTION.sub(lambda m: f"<{m.group(1)}\u200b{m.group(2)}>", text)
    return discord.utils.escape_mentions(text)


def quote_block(text: str, paragraph: int, limit: int) -> str:
    """An escaped block quote followed by ``— ¶n``, at most ``limit`` characters in all."""
    suffix = f"\n— ¶{paragraph}"
    return "> " + clip(escape(text), max(limit - len(suffix) - 2, 16)) + suffix


def _blocks(items: list[tuple[str, int]], budget: int) -> str:
    """Join quote blocks, sharing ``budget`` characters between them fairly."""
    separator = "\n\n"
    share = (budget - len(separator) * max(len(items) - 1, 0)) // max(len(items), 1)
    return separator.join(quote_block(text, paragraph, share) for text, paragraph in items)


def as_of(timestamp: float) -> str:
    """A short UTC time for footers: ``article as of 2026-11-24 22:10 UTC``."""
    moment = datetime.fromtimestamp(timestamp, tz=UTC)
    return f"article as of {moment:%Y-%m-%d %H:%M} UTC"


def answer_embed(answer: Answer, *, article_title: str, loaded_at: float) -> discord.Embed:
    """The reply to a question: cited excerpts, or the abstention with the nearest paragraphs."""
    title = clip(escape(answer.question), TITLE_LIMIT)
    footer = f"{clip(article_title, 200)} · {as_of(loaded_at)}"
    if answer.answered:
        items = [(c.quote, c.paragraph) for c in answer.citations]
        description = _blocks(items, DESCRIPTION_LIMIT - 64)
        embed = discord.Embed(title=title, description=description, colour=ANSWER_COLOUR)
    else:
        embed = discord.Embed(title=title, description=NOT_ANSWERED, colour=ABSTAIN_COLOUR)
        if answer.suggestions:
            lines = [f"¶{s.paragraph}: {clip(escape(s.context), 300)}" for s in answer.suggestions]
            value = clip("\n".join(lines), FIELD_LIMIT)
            embed.add_field(name="Nearest paragraphs", value=value, inline=False)
    embed.set_footer(text=footer)
    return fit_embed(embed)


def summary_embed(summary: Summary, *, article_title: str, loaded_at: float) -> discord.Embed:
    """An extractive summary: every sentence a cited quote, in article order."""
    heading = f"Summary: {summary.topic}" if summary.topic else "Summary"
    items = [(s.quote, s.paragraph) for s in summary.sentences]
    embed = discord.Embed(
        title=clip(escape(heading), TITLE_LIMIT),
        description=_blocks(items, DESCRIPTION_LIMIT - 64) or "No sentence to quote.",
        colour=ANSWER_COLOUR,
    )
    embed.set_footer(text=f"{clip(article_title, 200)} · {as_of(loaded_at)}")
    return fit_embed(embed)


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """Shrink the description until the whole embed is within 6000 characters."""
    excess = len(embed) - EMBED_TOTAL_LIMIT  # discord.py's len() counts what Discord counts
    if excess > 0 and embed.description:
        embed.description = clip(embed.description, len(embed.description) - excess - 1)
    return embed


def plain(text: str) -> str:
    """A plain message (errors, refusals), escaped and within the content limit."""
    return clip(text, CONTENT_LIMIT)


def context_embed(article: Article, cited: list[int], *, note: str | None = None) -> discord.Embed:
    """The cited paragraphs in full with their neighbours, shortened fairly to fit the limits."""
    count = len(article.paragraphs)
    shown = sorted({n + d for n in cited for d in (-1, 0, 1) if 1 <= n + d <= count})
    if not shown:
        return discord.Embed(title="More context", description="The cited paragraphs are no longer in the article.")
    separator = "\n\n"
    budget = (DESCRIPTION_LIMIT - 200 - len(separator) * (len(shown) - 1)) // len(shown)
    blocks = []
    for number in shown:
        label = f"**¶{number}** (cited)" if number in cited else f"¶{number}"
        text = clip(escape(article.paragraphs[number - 1].text), max(budget - len(label) - 3, 16))
        blocks.append(f"{label}\n> {text}")
    embed = discord.Embed(title="More context", description=separator.join(blocks), colour=ANSWER_COLOUR)
    if note:
        embed.set_footer(text=clip(note, 300))
    return fit_embed(embed)
