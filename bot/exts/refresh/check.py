"""One scheduled check of one URL article: a polite fetch, then a new version only when paragraphs changed."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from bot.config import Settings
from bot.door import ArticleUpdate, AsyncEngine
from bot.i18n import refusal
from bot.pages import REFRESH_USER_AGENT, Rng, Validators, backoff_delay, fetch_article, jittered
from bot.storage import RefreshState, Scope, StorageError
from embeddings.answers import LibraryError
from embeddings.errors import ArticleBotError

log = logging.getLogger(__name__)

Outcome = Literal["not_modified", "unchanged", "changed", "failed", "gone"]  # gone: left the library meanwhile


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What one check found: the outcome, the validators to send next time, the update or the error."""

    outcome: Outcome
    validators: Validators
    update: ArticleUpdate | None = None
    error: str | None = None


def page_name(url: str) -> str:
    """A file name for a fetched page (its path's last part), to tell HTML from text."""
    return PurePosixPath(url.split("?", 1)[0]).name or "page.html"


async def check_article(engine: AsyncEngine, settings: Settings, state: RefreshState) -> CheckResult:
    """Fetch ``state``'s page conditionally and swap in a new version if its paragraphs changed.

    Never raises for a bad page, a network or store error: the outcome is ``failed`` with a one-line
    reason, and the serving version stays.
    """
    sent = Validators(state.etag, state.last_modified)
    try:
        page = await fetch_article(
            state.source, max_bytes=settings.reload_max_bytes, allow_private=settings.reload_allow_private_urls,
            validators=sent, user_agent=REFRESH_USER_AGENT,
        )
        if page.not_modified:
            kept = Validators(page.validators.etag or sent.etag, page.validators.last_modified or sent.last_modified)
            return CheckResult("not_modified", kept)
        article, kind = await engine.parse_page(page.data, name=page_name(page.url), source=state.source,
                                                content_type=page.content_type, max_bytes=settings.reload_max_bytes)
        scope = Scope(state.guild_id, state.channel_id)
        update = await engine.refresh_article(scope, str(state.article_id), article, kind)
    except LibraryError as error:  # removed or replaced while it was being fetched: nothing to report
        return CheckResult("gone", sent, error=one_line(str(error)))
    except (ArticleBotError, StorageError) as error:  # a wall or a page that lost the article fails too
        return CheckResult("failed", sent, error=one_line(refusal(error)))
    except Exception as error:  # the scheduler goes on; the traceback is for the logs only
        log.exception("refreshing article %s failed unexpectedly", state.article_id)
        return CheckResult("failed", sent, error=f"Unexpected error ({type(error).__name__}).")
    return CheckResult("changed" if update else "unchanged", page.validators, update)


def one_line(text: str, limit: int = 300) -> str:
    """``text`` on one line, at most ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def after_check(state: RefreshState, result: CheckResult, now: float, interval: int, rng: Rng) -> RefreshState:
    """The schedule after a check: success plans the next one an interval away (jittered) and ends any
    failure streak; a failure extends the streak and backs off exponentially."""
    if result.outcome != "failed":
        return dataclasses.replace(
            state, etag=result.validators.etag, last_modified=result.validators.last_modified,
            next_check_at=now + jittered(interval, rng), checked_at=now, failures=0, last_error=None,
        )
    failures = state.failures + 1
    return dataclasses.replace(
        state, next_check_at=now + jittered(backoff_delay(interval, failures), rng), checked_at=now,
        failures=failures, last_error=result.error,
    )
