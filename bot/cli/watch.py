"""``article-bot watch URL --every 10m``: fetch a page on a schedule and print what changed, paragraph by
paragraph (conditional requests, the same guard and size cap as /reload; no Discord, no model)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import TextIO

from embeddings.errors import ArticleBotError
from embeddings.text import Article, ArticleRequirements, check_article, kind_for_name, paragraph_diff, parse_bytes

from ..config import Settings
from ..pages import describe_interval
from ..terminal import terminal_text

WATCH_PURPOSE = "(command-line watch)"
SHOWN_CHARS = 400


def _clip(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SHOWN_CHARS else flat[: SHOWN_CHARS - 1] + "…"


def _show_change(old: tuple[str, ...], new: tuple[str, ...], say: Callable[[str], None], stamp: str) -> None:
    """The counts as /reload reports them (same diff), then one line per changed, removed, added ¶."""
    diff = paragraph_diff(old, new)
    added, removed, changed, _ = diff.counts
    say(f"{stamp} changed: {added} added, {removed} removed, {changed} changed")
    for fate in diff.fates:
        if fate.kind == "changed" and fate.new is not None:
            say(f"  ~ ¶{fate.new} changed: {_clip(new[fate.new - 1])}")
        elif fate.kind == "removed":
            say(f"  - ¶{fate.old} removed: {_clip(old[fate.old - 1])}")
    for number in diff.added:
        say(f"  + ¶{number} added: {_clip(new[number - 1])}")


async def watch(url: str, every: float, count: int | None, settings: Settings, out: TextIO) -> None:
    """Check ``url`` every ``every`` seconds (``count`` times, or forever), printing one line per check."""

    def say(line: str) -> None:
        print(terminal_text(line), file=out, flush=True)

    import asyncio  # like aiohttp below: not imported by the other commands (article-bot ask)

    from ..pages import BOT_VERSION, Validators, fetch_article, public_part

    user_agent = f"article-bot/{BOT_VERSION} {WATCH_PURPOSE}"
    requirements = ArticleRequirements(settings.article_min_words, settings.article_min_sentences)
    validators: Validators | None = None
    paragraphs: tuple[str, ...] | None = None
    checks = 0
    while count is None or checks < count:
        if checks:
            await asyncio.sleep(every)
        checks += 1
        stamp = time.strftime("%H:%M:%S")
        try:
            page = await fetch_article(url, max_bytes=settings.reload_max_bytes, validators=validators,
                                       allow_private=settings.reload_allow_private_urls, user_agent=user_agent)
            if page.not_modified:
                say(f"{stamp} not modified (304)")
                continue
            article: Article = parse_bytes(page.data, source=url, max_bytes=settings.reload_max_bytes,
                                           kind=kind_for_name(page.url.split("?", 1)[0], page.content_type),
                                           content_type=page.content_type)
            check_article(article, requirements)
        except ArticleBotError as error:
            say(f"{stamp} error: {' '.join(str(error).split())}")
            continue
        validators = page.validators
        new = article.paragraph_texts
        if paragraphs is None:
            say(f"{stamp} “{article.title}” from {public_part(url)}: {len(new)} paragraphs; "
                f"checking every {describe_interval(every) if every >= 1 else f'{every:g}s'}")
        elif new == paragraphs:
            say(f"{stamp} unchanged")
        else:
            _show_change(paragraphs, new, say, stamp)
        paragraphs = new


def run_watch(args: argparse.Namespace, settings: Settings, out: TextIO | None = None) -> int:
    """Run :func:`watch` until ``--count`` checks are done or Ctrl-C (both exit 0)."""
    import asyncio

    try:
        asyncio.run(watch(args.url, args.every, args.count, settings, out or sys.stdout))
    except KeyboardInterrupt:
        return 0
    return 0
