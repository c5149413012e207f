"""What the door returns: answers with the scope that gave them, the articles serving a place, what a load or a
refresh did (with the ``article_changed`` events it caused) and /status's facts.
Data only: the bot's replies render them in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from embeddings.answers import Answer, ArticleDiff, ArticleRef, ReloadReport
from embeddings.ranking import PoolStats
from embeddings.text import ParagraphDiff

from ..storage import Scope
from .events import ArticleChanged

LoadMode = Literal["replace", "add"]


@dataclass(frozen=True, slots=True)
class ServedAnswer:
    """An answer and the scope whose library gave it (None: the default article), for corrections."""

    answer: Answer
    scope: Scope | None


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """One article serving a place, for /article list and autocomplete."""

    ref: ArticleRef
    paragraphs: int
    loaded_by: int | None
    origin: str
    scope: Scope | None  # None: the default article


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What a load did: the report, where it was stored, how many articles that scope now holds, the stored
    article's library id (one article loaded into a scope's library; else None), and the ``article_changed``
    events of the articles whose paragraphs it changed (computed under the scope's lock, in the load thread,
    from what served before and after the swap: send them with ``bot.dispatch``)."""

    report: ReloadReport
    scope: Scope | None
    articles: int
    article_id: str | None = None
    reports: tuple[ReloadReport, ...] = ()  # each article's own report when ``report`` combines several
    changes: tuple[ArticleChanged, ...] = ()
    retired: tuple[str, ...] = ()  # library ids a feed load took out of the scope's library (oldest first)


@dataclass(frozen=True, slots=True)
class ArticleUpdate:
    """What a refresh swapped in: both versions' digests, titles and paragraph texts, and the report."""

    old_version: str
    new_version: str
    title: str
    source: str
    old_paragraphs: tuple[str, ...]
    new_paragraphs: tuple[str, ...]
    report: ReloadReport
    at: float
    diff: ParagraphDiff  # computed with the load, in the load thread


@dataclass(frozen=True, slots=True)
class EngineStatus:
    """What /status shows."""

    title: str
    source: str
    paragraphs: int
    sentences: int
    model: str
    loaded_at: float
    articles: int
    cache_hits: int
    cache_encoded: int
    cache_rebuilt: bool
    pool: PoolStats


def combined_report(reports: list[ReloadReport]) -> ReloadReport:
    """One report for reloading several articles."""
    if len(reports) == 1:
        return reports[0]
    fields = ("added", "removed", "changed", "unchanged")
    diff = ArticleDiff(*(sum(getattr(r.diff, f) for r in reports) for f in fields))
    return ReloadReport(f"{len(reports)} sources", f"{len(reports)} articles",
                        sum(r.paragraphs for r in reports), diff, sum(r.encoded for r in reports),
                        sum(r.seconds for r in reports))
