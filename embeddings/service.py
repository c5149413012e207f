"""The article service: holds the current index, answers, summarises, and reloads atomically."""

from __future__ import annotations

import difflib
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .answer import Answer, Answerer, AnswerSettings
from .article import Article, ArticleRequirements, check_article, load_article
from .budget import ParseBudget
from .cache import EmbeddingCache
from .encoder import Encoder
from .errors import LoadCancelledError
from .index import ArticleIndex, build_index
from .summary import DEFAULT_SENTENCES, Summarizer, Summary, SummarySettings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ArticleDiff:
    """Paragraph-level differences between two versions of an article."""

    added: int
    removed: int
    changed: int
    unchanged: int


@dataclass(frozen=True, slots=True)
class ReloadReport:
    """What a reload did: the new article, the paragraph diff, work done and time taken."""

    source: str
    title: str
    paragraphs: int
    diff: ArticleDiff
    encoded: int
    seconds: float

    def describe(self) -> str:
        """One human line, e.g. for a moderator's reply."""
        d = self.diff
        return (
            f"Loaded “{self.title}” ({self.paragraphs} paragraphs): {d.added} added, "
            f"{d.removed} removed, {d.changed} changed, {d.unchanged} unchanged; "
            f"{self.encoded} texts encoded in {self.seconds:.2f} s."
        )


def _similar(old: str, new: str) -> bool:
    """True when ``new`` reads as an edit of ``old`` rather than a different paragraph."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return matcher.real_quick_ratio() >= 0.5 and matcher.quick_ratio() >= 0.5 and matcher.ratio() >= 0.5


def diff_articles(old: Article | None, new: Article) -> ArticleDiff:
    """Count paragraphs added, removed, changed (edited in place) and unchanged from ``old`` to ``new``."""
    before = old.paragraphs if old else ()
    after = new.paragraphs
    added = removed = changed = unchanged = 0
    matcher = difflib.SequenceMatcher(
        a=[p.digest for p in before], b=[p.digest for p in after], autojunk=False
    )
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            unchanged += a1 - a0
            continue
        pairs = min(a1 - a0, b1 - b0) if tag == "replace" else 0
        edited = sum(_similar(before[a0 + i].text, after[b0 + i].text) for i in range(pairs))
        changed += edited
        removed += (a1 - a0) - edited
        added += (b1 - b0) - edited
    return ArticleDiff(added, removed, changed, unchanged)


class StoppableEncoder:
    """The encoder as indexing uses it: large calls go in chunks, and stop between chunks once
    ``stopping`` is set (shutdown does not wait minutes for a big article to be embedded)."""

    def __init__(self, inner: Encoder, stopping: threading.Event, *, chunk: int = 256) -> None:
        self.inner = inner
        self.stopping = stopping
        self.chunk = chunk

    @property
    def identity(self) -> str:
        return self.inner.identity

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(n, d) rows of ``texts``; raises LoadCancelledError before a chunk once stopping is set."""
        texts = list(texts)
        parts = []
        for low in range(0, max(len(texts), 1), self.chunk):
            if self.stopping.is_set():
                raise LoadCancelledError("Loading the article was stopped: the bot is shutting down.")
            parts.append(np.asarray(self.inner.encode(texts[low : low + self.chunk]), dtype=np.float32))
        return parts[0] if len(parts) == 1 else np.concatenate(parts)


class ArticleService:
    """Serves one article at a time; ``reload`` builds the new index fully, then swaps it in."""

    def __init__(
        self,
        encoder: Encoder,
        cache: EmbeddingCache,
        source: str | Path,
        *,
        answer_settings: AnswerSettings | None = None,
        summary_settings: SummarySettings | None = None,
        requirements: ArticleRequirements | None = None,
    ) -> None:
        self.encoder = encoder
        self.cache = cache
        self.source = str(source)
        self.answerer = Answerer(encoder, answer_settings)
        self.summarizer = Summarizer(encoder, summary_settings)
        self.requirements = requirements or ArticleRequirements()
        self._index: ArticleIndex | None = None
        self._reload_lock = threading.Lock()
        self.stopping = threading.Event()  # set by stop(): a parse in progress gives up at once

    @property
    def index(self) -> ArticleIndex:
        """The index now serving (loads the configured source on first use)."""
        index = self._index
        if index is None:
            self.reload()
            index = self._index
        assert index is not None
        return index

    @property
    def loaded(self) -> bool:
        """True once an article is serving."""
        return self._index is not None

    def answer(self, question: str, *, follow_up_of: str | None = None) -> Answer:
        """Answer from the article now serving."""
        return self.answerer.answer(self.index, question, follow_up_of=follow_up_of)

    def summarize(self, sentences: int = DEFAULT_SENTENCES, topic: str | None = None) -> Summary:
        """Summarise the article now serving."""
        return self.summarizer.summarize(self.index, sentences, topic)

    def parse_budget(self) -> ParseBudget:
        """The time budget of one parse, cut short by :meth:`stop`."""
        return ParseBudget(stop=self.stopping)

    def stop(self) -> None:
        """Make a load in progress (parsing or embedding) and any later one stop with LoadCancelledError
        (shutdown)."""
        self.stopping.set()

    def reload(self, source: str | Path | None = None) -> ReloadReport:
        """Load a file (default: the configured source) and swap it in; errors keep the old one."""
        path = str(source) if source is not None else self.source
        report = self.reload_article(load_article(path, budget=self.parse_budget()))
        if source is None or Path(path) == Path(self.source):
            return report
        self.source = path
        return report

    def reload_article(self, article: Article) -> ReloadReport:
        """Index an already parsed article and swap it in; on any error (including a text too thin
        to be an article) the old index serves."""
        check_article(article, self.requirements)
        with self._reload_lock:
            started = time.perf_counter()
            old = self._index
            new = build_index(article, StoppableEncoder(self.encoder, self.stopping), self.cache)
            self._index = new  # the swap: one assignment
            report = ReloadReport(
                source=article.source,
                title=article.title,
                paragraphs=len(article.paragraphs),
                diff=diff_articles(old.article if old else None, article),
                encoded=new.cache.encoded,
                seconds=time.perf_counter() - started,
            )
        log.info("reloaded %s: %s", article.source, report.describe())
        return report
