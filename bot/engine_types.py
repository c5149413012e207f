"""What the async engine takes and returns: places, scopes' articles, load results and status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from embeddings.article import Article, ArticleKind, parse_text
from embeddings.index_pool import PoolStats
from embeddings.library import LibraryEntry
from embeddings.provenance import ArticleRef
from embeddings.service import ArticleDiff, ReloadReport

from .storage.library import NewVersion, Scope, StoredArticle

LoadMode = Literal["replace", "add"]


@dataclass(frozen=True, slots=True)
class Place:
    """Where a question was asked: its guild (None in DMs) and channel (a thread's parent channel)."""

    guild_id: int | None = None
    channel_id: int | None = None

    def scopes(self) -> tuple[Scope, ...]:
        """The scopes that may hold its library, most specific first."""
        if self.guild_id is None:
            return ()
        guild = Scope(self.guild_id)
        return (Scope(self.guild_id, self.channel_id), guild) if self.channel_id is not None else (guild,)


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
    """What a load did: the report, where it was stored, and how many articles that scope now holds."""

    report: ReloadReport
    scope: Scope | None
    articles: int

    def describe(self) -> str:
        """One line for the moderator."""
        where = self.scope.describe() if self.scope else "the default article"
        return f"{self.report.describe()} {where.capitalize()} now answers from {self.articles} article(s)."


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


def new_version(article: Article, kind: ArticleKind, report: ReloadReport) -> NewVersion:
    """What the store keeps of a loaded article: its parsed text, provenance and diff."""
    diff = report.diff
    return NewVersion(article.digest, article.source, article.title, kind, article.text,
                      tuple(p.digest for p in article.paragraphs), diff.added, diff.removed, diff.changed)


def article_from_store(stored: StoredArticle) -> Article:
    """The stored parsed text, parsed again exactly as it was served (no fetching)."""
    return parse_text(stored.text, source=stored.source, title=stored.title)


def library_entry(stored: StoredArticle, article: Article) -> LibraryEntry:
    ref = ArticleRef(str(stored.id), article.title, article.source, article.digest, stored.loaded_at)
    return LibraryEntry(ref, article)


def combined_report(reports: list[ReloadReport]) -> ReloadReport:
    """One report for reloading several articles."""
    if len(reports) == 1:
        return reports[0]
    fields = ("added", "removed", "changed", "unchanged")
    diff = ArticleDiff(*(sum(getattr(r.diff, f) for r in reports) for f in fields))
    return ReloadReport(f"{len(reports)} sources", f"{len(reports)} articles",
                        sum(r.paragraphs for r in reports), diff, sum(r.encoded for r in reports),
                        sum(r.seconds for r in reports))
