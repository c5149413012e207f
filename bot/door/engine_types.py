"""What the async engine takes and returns: places, scopes' articles, load results and status."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Literal

from embeddings.answers import Answer, ArticleDiff, ArticleRef, LibraryEntry, ReloadReport
from embeddings.ranking import PoolStats
from embeddings.text import Article, ArticleKind, Paragraph, ParagraphDiff, Span, parse_text

from ..storage import NewVersion, Scope, StoredArticle

log = logging.getLogger(__name__)

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
    """What a load did: the report, where it was stored, how many articles that scope now holds, and
    the stored article's library id (one article loaded into a scope's library; else None)."""

    report: ReloadReport
    scope: Scope | None
    articles: int
    article_id: str | None = None
    reports: tuple[ReloadReport, ...] = ()  # each article's own report when ``report`` combines several

    def known_diffs(self) -> dict[tuple[str | None, str], ParagraphDiff]:
        """The paragraph diffs the load computed (in its worker thread), by (old version, new version)."""
        return {(r.previous, r.version): r.changes for r in (self.report, *self.reports) if r.changes is not None}

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


def article_structure(article: Article) -> str:
    """JSON of the article's paragraph and sentence spans: ``[[start, end, [[start, end], ...]], ...]``."""
    return json.dumps([[p.start, p.end, [[s.start, s.end] for s in p.sentences]] for p in article.paragraphs],
                      separators=(",", ":"))


def new_version(article: Article, kind: ArticleKind, report: ReloadReport) -> NewVersion:
    """What the store keeps of a loaded article: its parsed text and structure, provenance and diff."""
    diff = report.diff
    return NewVersion(article.digest, article.source, article.title, kind, article.text,
                      tuple(p.digest for p in article.paragraphs), diff.added, diff.removed, diff.changed,
                      article_structure(article))


def _from_structure(text: str, structure: str, source: str, title: str) -> Article:
    """The article rebuilt from its stored spans (no sentence splitting); ValueError when they do not fit."""
    paragraphs = []
    for number, (start, end, sentences) in enumerate(json.loads(structure), start=1):
        spans = tuple(Span(int(s), int(e)) for s, e in sentences)
        if not (0 <= start < end <= len(text)) or any(not (start <= s.start < s.end <= end) for s in spans):
            raise ValueError(f"paragraph {number} does not fit the text")
        paragraphs.append(Paragraph(number, int(start), int(end), text[start:end], spans))
    if not paragraphs:
        raise ValueError("no paragraphs")
    return Article(text, tuple(paragraphs), title, source, hashlib.sha256(text.encode("utf-8")).hexdigest())


def article_from_store(stored: StoredArticle) -> Article:
    """The stored article exactly as it was served, from its stored spans (else parsed again); no fetching."""
    if stored.structure:
        try:
            return _from_structure(stored.text, stored.structure, stored.source, stored.title)
        except (ValueError, TypeError) as error:
            log.warning("stored structure of %s is unusable (%s); parsing its text again", stored.source, error)
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
