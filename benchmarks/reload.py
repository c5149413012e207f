"""``/reload`` cost: the same article again (nothing to encode), and after one edited paragraph."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from embeddings.answers import ArticleService
from embeddings.models import Encoder
from embeddings.text import default_article_path
from embeddings.vectors import EmbeddingCache

from .common import median, ms, ratio

log = logging.getLogger(__name__)


def _timed_reload(service: ArticleService) -> tuple[float, int]:
    started = time.perf_counter()
    report = service.reload()
    return time.perf_counter() - started, report.encoded


def run(encoder: Encoder, workdir: Path, *, runs: int) -> dict:
    """Median wall time of ``service.reload()`` (parse, diff, index, swap) per scenario."""
    workdir.mkdir(parents=True, exist_ok=True)
    article = workdir / "article.txt"
    original = default_article_path().read_text(encoding="utf-8")
    article.write_text(original, encoding="utf-8")
    cold: list[float] = []
    for turn in range(runs):  # reference: indexing with an empty cache (everything encoded)
        service = ArticleService(encoder, EmbeddingCache(workdir / f"empty-{turn}"), article)
        cold.append(_timed_reload(service)[0])
    service = ArticleService(encoder, EmbeddingCache(workdir / "cache"), article)
    service.reload()
    same = [_timed_reload(service) for _ in range(runs)]
    paragraphs = original.split("\n\n")
    edited = []
    for turn in range(runs):
        changed = list(paragraphs)
        changed[1] = changed[1].replace("Mariupol", f"Mariupol (edit {turn})", 1)
        article.write_text("\n\n".join(changed), encoding="utf-8")
        edited.append(_timed_reload(service))
    article.write_text(original, encoding="utf-8")
    return {
        "runs": runs,
        "unchanged_ms": ms(median([t for t, _ in same])),
        "unchanged_encoded": max(n for _, n in same),
        "one_edited_paragraph_ms": ms(median([t for t, _ in edited])),
        "one_edited_paragraph_encoded": median([n for _, n in edited]),
        "empty_cache_ms": ms(median(cold)),
        "unchanged_speedup_vs_empty_cache": ratio(median(cold), median([t for t, _ in same])),
    }
