"""Tenancy: many guilds, each with its own stored article, served by one engine.

``python -m benchmarks.tenancy --guilds 1000 --shared 10000 --data DIR --cache-dir DIR`` (one process,
so memory figures are its own) prints one JSON object:

- guilds with distinct synthetic articles of 10-30 paragraphs are stored first (as moderators'
  loads would have left them, their vectors random unit rows beside the embedding cache: the
  model is not run over 60k synthetic texts); then a fresh engine brings every guild's library
  from the store into serving (**load**), the way questions after a restart do;
- questions are encoded by the real model: each guild's first answer, then warm answers in random
  guilds (index in memory, asked before),
  answers in guilds whose index was evicted (rebuilt from its vectors file), and in the same run the
  single-article p50: one of these guilds asked every time (and the bundled default article's);
- resident memory after loading, and its growth with ``--shared`` guilds on the default article;
- ``--cold`` measures one process from start to its first answer in a stored guild.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.compose import engine_service, make_engine, make_store, open_database
from bot.config import Settings
from bot.door import AsyncEngine, Place, new_version
from bot.storage import Database, Scope
from embeddings.answers import ArticleService, ReloadReport
from embeddings.text import Article, default_article_path, parse_text

from .common import QUESTIONS, ms, onnx_encoder, percentile, production, quiet_logs

log = logging.getLogger(__name__)

GUILD_BASE = 10**15  # synthetic guild ids


def rss_mb() -> float:
    """Resident memory now (MB), from /proc/self/statm."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def synthetic_article(number: int, rng: random.Random, sentences: Sequence[str]) -> str:
    """A distinct article of 10-30 paragraphs of two or three seed-article sentences each."""
    paragraphs = []
    for p in range(rng.randint(10, 30)):
        body = " ".join(rng.sample(list(sentences), rng.randint(2, 3)))
        paragraphs.append(f"Report {number}-{p}: {body}")
    return f"# Guild {number} briefing\n\n" + "\n\n".join(paragraphs) + "\n"


def seed_sentences() -> list[str]:
    article = parse_text(default_article_path().read_text(encoding="utf-8"))
    return [article.sentence_text(s) for p in article.paragraphs for s in p.sentences if len(s) > 0]


async def store_guilds(settings: Settings, guilds: int, seed: int = 7) -> None:
    """Store ``guilds`` distinct articles (one per guild) and their random unit vectors."""
    rng, vectors_rng = random.Random(seed), np.random.default_rng(seed)
    sentences = seed_sentences()
    database = open_database(settings)
    store = make_store(database)
    service = engine_service(settings, encoder=_IdentityOnly(settings))  # only for its vector paths
    try:
        for number in range(guilds):
            article = parse_text(synthetic_article(number, rng, sentences), source=f"synthetic:{number}")
            rows = len(article.paragraphs) + sum(len(p.sentences) for p in article.paragraphs)
            vectors = vectors_rng.standard_normal((rows, 384), dtype=np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            path = service.pool.vectors_path(article)
            assert path is not None
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, vectors)
            await store.replace(Scope(GUILD_BASE + number), new_version(article, "text", _report(article)),
                                "upload", 1)
    finally:
        database.close()


class _IdentityOnly:
    """The model's identity without the model (vector file names are keyed by it)."""

    def __init__(self, settings: Settings) -> None:
        self.identity = onnx_encoder(settings.cache_dir).identity

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        raise AssertionError("storing guilds encodes nothing")


def _report(article: Article) -> ReloadReport:
    from embeddings.answers import diff_articles

    return ReloadReport(article.source, article.title, len(article.paragraphs), diff_articles(None, article), 0, 0.0)


def engine_for(settings: Settings) -> tuple[AsyncEngine, ArticleService, Database]:
    """The bot's engine (one composition root), the real model behind the micro-batcher."""
    service = engine_service(settings, encoder=production(onnx_encoder(settings.cache_dir)))
    database = open_database(settings)
    return make_engine(service, make_store(database)), service, database


async def _ask(engine: AsyncEngine, guild: int | None, question: str) -> float:
    started = time.perf_counter()
    await engine.answer(question, place=Place(guild))
    return time.perf_counter() - started


async def measure(settings: Settings, guilds: int, shared: int, questions: int) -> dict:
    """Load every stored guild, then time warm, evicted and single-article answers; memory figures."""
    engine, service, database = engine_for(settings)
    await database.open()
    await engine.start()
    for question in QUESTIONS:  # warm the model and the default article
        await engine.answer(question)
    before_load = rss_mb()
    started = time.perf_counter()
    for number in range(guilds):
        await engine.status(Place(GUILD_BASE + number))  # reads the library, builds (or reuses) the index
    load_seconds = time.perf_counter() - started
    loaded_rss = rss_mb()
    pool = (await engine.status()).pool
    rng = random.Random(3)
    held = [GUILD_BASE + n for n in range(guilds)][-max(1, pool.indexes - 1):]  # most recently used
    # Each guild's first question (its index in memory, the answerer's per-sentence caches still cold).
    first = [await _ask(engine, guild, QUESTIONS[i % len(QUESTIONS)]) for i, guild in enumerate(held)]
    # Interleaved, so both see the same machine load: one article served alone (the same guild asked
    # every time: the single-article figure) and warm answers in random guilds.
    single, warm = [], []
    for i in range(2 * questions):
        question = QUESTIONS[i % len(QUESTIONS)]
        single.append(await _ask(engine, held[-1], question))
        warm.append(await _ask(engine, rng.choice(held), question))
    default = [await _ask(engine, None, QUESTIONS[i % len(QUESTIONS)]) for i in range(questions)]
    # Room for 2% of the guilds: round-robin guilds are always evicted before they are asked again.
    service.pool.resize(pool.bytes / max(pool.indexes, 1) * max(1, guilds // 50) / 2**20)
    evicted, builds = [], service.pool.stats().builds
    for i in range(questions):
        guild = GUILD_BASE + (i * 37) % guilds
        evicted.append(await _ask(engine, guild, QUESTIONS[i % len(QUESTIONS)]))
    rebuilds = service.pool.stats().builds - builds
    service.pool.resize(settings.index_memory_mb)
    shared_before = rss_mb()
    for number in range(shared):
        await engine.articles(Place(2 * GUILD_BASE + number))  # stores nothing: the default article
    for i in range(questions):
        await _ask(engine, 2 * GUILD_BASE + i, QUESTIONS[i % len(QUESTIONS)])
    shared_growth = rss_mb() - shared_before
    engine.close()
    database.close()
    single_all = single
    return {
        "guilds": guilds,
        "load_s": round(load_seconds, 2),
        "rss_before_load_mb": round(before_load, 1),
        "rss_loaded_mb": round(loaded_rss, 1),
        "rss_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "index_memory_mb": settings.index_memory_mb,
        "pool": {"indexes": pool.indexes, "mb": round(pool.bytes / 2**20, 1), "evictions": pool.evictions},
        "single_p50_ms": ms(percentile(single_all, 50)),
        "default_article_p50_ms": ms(percentile(default, 50)),
        "first_answer_p50_ms": ms(percentile(first, 50)),
        "first_answer_p99_ms": ms(percentile(first, 99)),
        "warm_p50_ms": ms(percentile(warm, 50)),
        "warm_p99_ms": ms(percentile(warm, 99)),
        "warm_vs_single": round(percentile(warm, 50) / percentile(single_all, 50), 3),
        "evicted_p50_ms": ms(percentile(evicted, 50)),
        "evicted_p99_ms": ms(percentile(evicted, 99)),
        "evicted_rebuilds": rebuilds,
        "shared_guilds": shared,
        "shared_growth_mb": round(shared_growth, 1),
    }


async def cold(settings: Settings, guild: int) -> None:
    """Start as the bot does (database, default article) and answer one question in a stored guild;
    the caller times the whole process."""
    engine, _, database = engine_for(settings)
    await database.open()
    await engine.start()
    await engine.answer(QUESTIONS[0], place=Place(guild))
    engine.close()
    database.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tenancy", description=__doc__)
    parser.add_argument("--guilds", type=int, default=1000)
    parser.add_argument("--shared", type=int, default=10_000)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--data", type=Path, required=True, help="DATA_DIR (the guilds are stored there)")
    parser.add_argument("--cache-dir", type=Path, required=True, help="CACHE_DIR (ONNX export, vectors)")
    parser.add_argument("--store-only", action="store_true", help="only store the guilds, then exit")
    parser.add_argument("--cold", action="store_true", help="time start to first answer, then exit")
    parser.add_argument("--memory-mb", type=int, default=Settings().index_memory_mb)
    args = parser.parse_args(argv)
    quiet_logs()
    settings = Settings(data_dir=args.data, cache_dir=args.cache_dir, index_memory_mb=args.memory_mb,
                        embedding_backend="onnx")
    if args.store_only:
        asyncio.run(store_guilds(settings, args.guilds))
        return 0
    if args.cold:
        asyncio.run(cold(settings, GUILD_BASE))
        print(json.dumps({"ok": True}))
        return 0
    print(json.dumps(asyncio.run(measure(settings, args.guilds, args.shared, args.questions))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
