"""The refresh scheduler: checks each due URL article (one at a time per guild) and tells the others.

The loop reads every URL article's schedule from the store, plans first checks, runs the due ones,
then sleeps on the injected clock until the next check (looking again at least every 15 minutes, so
newly added articles are planned, and at once when a moderator changes a schedule). A change sends
``ARTICLE_CHANGED``; the first failure of a streak sends ``REFRESH_FAILED``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import random
from typing import TYPE_CHECKING

from discord.ext import commands

from bot.door import ARTICLE_CHANGED, REFRESH_FAILED, ArticleChanged, RefreshFailed
from bot.operations import active_metrics
from bot.pages import (
    MIN_INTERVAL,
    Rng,
    Timing,
    Validators,
    by_guild,
    due,
    effective_interval,
    jittered,
    next_wake,
    public_part,
    unplanned,
)
from bot.storage import RefreshState, StorageError

from .check import CheckResult, after_check, check_article
from .clock import Clock, PassLoop, SystemClock

if TYPE_CHECKING:
    from bot.gateway import ArticleBot

log = logging.getLogger(__name__)

PARALLEL_CHECKS = 4  # guilds checked at once (each guild one article at a time)


class Refresher(commands.Cog):
    """Re-fetches URL articles on their schedules."""

    def __init__(self, bot: ArticleBot, clock: Clock | None = None, rng: Rng | None = None) -> None:
        self.bot = bot
        self.clock: Clock = clock or SystemClock()
        self.rng: Rng = rng or random.random
        self.checks = 0  # checks made since start
        self.schedule = PassLoop("refresh", self.clock, self.run_pass)
        self._checking = asyncio.Semaphore(PARALLEL_CHECKS)
        self._held: dict[int, float] = {}  # article id -> next check, when storing a check's outcome failed

    async def cog_load(self) -> None:
        self.schedule.start(self.bot.wait_until_ready, task_name="article-refresh")

    async def cog_unload(self) -> None:
        self.schedule.stop()

    def schedules_changed(self) -> None:
        """A moderator changed a schedule: look again now (what they chose replaces any hold)."""
        self._held.clear()
        self.schedule.wake()

    def timing(self, state: RefreshState) -> Timing:
        """The scheduling view of a stored state (its interval after REFRESH_INTERVAL applies)."""
        interval = effective_interval(state.every_seconds, self.bot.settings.refresh_interval)
        return Timing(state.article_id, state.guild_id, interval, state.next_check_at)


    async def run_pass(self) -> float:
        """Plan new articles' first checks, run every due check; returns when to look again."""
        states = await self._states()
        now = self.clock.now()
        timings = [self.timing(s) for s in states.values()]
        for timing in unplanned(timings):
            assert timing.interval is not None
            planned = dataclasses.replace(states[timing.article_id],
                                          next_check_at=now + jittered(timing.interval, self.rng))
            await self.bot.records.refresh.record_check(planned)
            states[timing.article_id] = planned
        groups = by_guild(due(timings, now))
        if groups:
            await asyncio.gather(*(self._check_in_turn([states[t.article_id] for t in group])
                                   for group in groups.values()))
            states = await self._states()
        upcoming = next_wake([self.timing(s) for s in states.values()])
        latest = self.clock.now() + MIN_INTERVAL
        return latest if upcoming is None else min(upcoming, latest)

    async def _states(self) -> dict[int, RefreshState]:
        """The URL articles of the guilds this connection serves (with several processes, each refreshes
        the guilds of its own shards), by article id; a check whose outcome could not be stored still
        holds its article's next check back (no re-fetch on every pass)."""
        states = {s.article_id: s for s in await self.bot.records.refresh.states()
                  if self.bot.get_guild(s.guild_id) is not None}
        for article_id, held in self._held.items():
            state = states.get(article_id)
            if state is not None and state.next_check_at is not None and state.next_check_at < held:
                states[article_id] = dataclasses.replace(state, next_check_at=held)
        return states

    async def _check_in_turn(self, states: list[RefreshState]) -> None:
        """One guild's due articles, one after the other."""
        for state in states:
            interval = self.timing(state).interval
            if interval is None:
                continue
            async with self._checking:
                result = await check_article(self.bot.engine, self.bot.settings, state)
            self.checks += 1
            if result.outcome == "gone":
                log.info("refresh: article %s left its library during the check", state.article_id)
                continue
            after = after_check(state, result, self.clock.now(), interval, self.rng)
            try:
                await self.bot.records.refresh.record_check(after)
            except StorageError as error:
                log.error("refresh: could not store the check of article %s: %s", state.article_id, error)
                self._held[state.article_id] = after.next_check_at or self.clock.now()
            except Exception as error:  # a value the store cannot hold: this check failed, and it backs off
                log.exception("refresh: could not store the check of article %s", state.article_id)
                result = CheckResult("failed", Validators(), result.update,
                                     f"The check's result could not be stored ({type(error).__name__}).")
                after = after_check(dataclasses.replace(state, etag=None, last_modified=None), result,
                                    self.clock.now(), interval, self.rng)
                self._held[state.article_id] = after.next_check_at or self.clock.now()
                try:
                    await self.bot.records.refresh.record_check(after)
                except Exception:
                    log.exception("refresh: could not store the failed check of article %s", state.article_id)
            else:
                self._held.pop(state.article_id, None)
            self._tell(state, after, result)

    def _tell(self, state: RefreshState, after: RefreshState, result: CheckResult) -> None:
        """Log the outcome; dispatch a change, or the first failure of a streak."""
        log.info("refresh of article %s (%s): %s%s", state.article_id, public_part(state.source), result.outcome,
                 f": {result.error}" if result.error else "")
        if (metrics := active_metrics()) is not None:
            metrics.refresh_checks.labels(result.outcome).inc()
        update = result.update
        if update is not None:
            self.bot.dispatch(ARTICLE_CHANGED, ArticleChanged(
                guild_id=state.guild_id, channel_id=state.channel_id, article_id=str(state.article_id),
                title=update.title, source=update.source, old_version=update.old_version,
                new_version=update.new_version, old_paragraphs=update.old_paragraphs,
                new_paragraphs=update.new_paragraphs, cause="refresh", by=None, at=update.at, diff=update.diff,
            ))
        if result.outcome == "failed" and after.failures == 1:
            self.bot.dispatch(REFRESH_FAILED, RefreshFailed(
                guild_id=state.guild_id, channel_id=state.channel_id, article_id=str(state.article_id),
                title=state.title, source=public_part(state.source), reason=result.error or "unknown error",
                failures=after.failures, next_try_at=after.next_check_at or self.clock.now(),
            ))
