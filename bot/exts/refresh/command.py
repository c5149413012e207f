"""/article refresh (the command itself is declared with the /article group) and the schedule lines of
/article list."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import discord
from discord import app_commands

from bot import i18n
from bot.gateway import interaction_place
from bot.i18n import ENGLISH, Language
from bot.pages import (
    MAX_INTERVAL,
    MIN_INTERVAL,
    DurationError,
    DurationRangeError,
    Rng,
    describe_interval,
    effective_interval,
    jittered,
    parse_every,
)
from bot.replies import escape
from bot.storage import OFF, RefreshState
from bot.terminal import shown
from embeddings.errors import ArticleBotError

from .clock import Clock
from .cog import Refresher


@runtime_checkable
class Scheduler(Protocol):
    """The loaded Refresher cog as this module needs it (extensions may be reloaded, so no isinstance on
    its class)."""

    clock: Clock
    rng: Rng

    def schedules_changed(self) -> None: ...

if TYPE_CHECKING:
    from bot.gateway import ArticleBot, Services

log = logging.getLogger(__name__)

DEFAULT = "default"
SETTING = "REFRESH_INTERVAL"  # the setting ``default`` stands for (named as is in every language)


class IntervalError(app_commands.AppCommandError, ArticleBotError):
    """``every`` is not ``off``, ``default`` or a duration from 15m to 7d; the message says so."""


class EveryTransformer(app_commands.Transformer):
    """``every:`` as stored: 0 for off, None for REFRESH_INTERVAL, else seconds (15m to 7d)."""

    async def transform(self, interaction: discord.Interaction, value: str, /) -> int | None:
        if value.strip().lower() == DEFAULT:
            return None
        try:
            seconds = parse_every(value)
        except DurationError as error:  # out of range (however long) or unreadable: the reply says what is accepted
            key = "every_out_of_range" if isinstance(error, DurationRangeError) else "every_not_a_duration"
            raise IntervalError(i18n.text(
                key, i18n.interaction_language(interaction), value=escape(shown(value.strip())),
                low=describe_interval(MIN_INTERVAL), high=describe_interval(MAX_INTERVAL),
            )) from None
        return OFF if seconds is None else seconds


def describe_schedule(state: RefreshState, default: int | None, language: Language = ENGLISH) -> str:
    """``refresh every 2h · next check <t:…:R>``, ``refresh off``, with a failure streak if any."""
    interval = effective_interval(state.every_seconds, default)
    if interval is None:
        return i18n.text("schedule_off", language)
    origin = f" ({SETTING})" if state.every_seconds is None else ""
    line = i18n.text("schedule_every", language, interval=describe_interval(interval)) + origin
    if state.next_check_at is not None:
        line += i18n.text("schedule_next", language, when=f"<t:{int(state.next_check_at)}:R>")
    if state.failures:
        line += i18n.text("schedule_failures", language, count=state.failures, error=escape(state.last_error or ""))
    return line


async def schedule_lines(bot: Services, guild_id: int, language: Language = ENGLISH) -> dict[str, str]:
    """Article id → its schedule line, for every URL article of the guild."""
    default = bot.settings.refresh_interval
    return {str(s.article_id): describe_schedule(s, default, language)
            for s in await bot.records.refresh.states(guild_id)}


async def set_refresh(bot: ArticleBot, interaction: discord.Interaction, article_id: str, every: int | None) -> str:
    """Store ``article_id``'s schedule (0: off, None: REFRESH_INTERVAL); returns the reply for the moderator.
    Only articles loaded from a URL can be refreshed."""
    assert interaction.guild is not None
    infos = await bot.engine.articles(interaction_place(interaction))
    info = next((i for i in infos if i.ref.id == article_id and i.scope is not None), None)
    language = i18n.interaction_language(interaction)
    if info is None:
        return i18n.text("refresh_no_article", language, id=repr(escape(article_id)))
    records = bot.records.refresh
    state = await records.url_article(interaction.guild.id, int(article_id)) if info.origin == "url" else None
    title = escape(info.ref.title)
    if state is None:
        return i18n.text("refresh_not_url", language, title=title)
    interval = effective_interval(every, bot.settings.refresh_interval)
    refresher = bot.get_cog("Refresher")
    scheduler = refresher if isinstance(refresher, Scheduler) else Refresher(bot)  # the cog's clock, if loaded
    now = scheduler.clock.now()
    next_check = None if interval is None else now + jittered(interval, scheduler.rng)
    await bot.records.refresh.set_interval(state, every, next_check)
    log.info("refresh of article %s set to %s by %s", article_id, every, interaction.user.id)
    scheduler.schedules_changed()
    if interval is None:
        return i18n.text("refresh_set_off", language, title=title)
    how = f"{SETTING}, " if every is None else ""
    return i18n.text("refresh_set_every", language, title=title, interval=how + describe_interval(interval),
                     when=f"<t:{int(next_check or now)}:R>")
