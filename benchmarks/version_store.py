"""Version storage: what each re-fetch of a 1 MB page adds to the store, and what reading versions costs.

A 1 MB article (2,000 paragraphs) is stored, then ``--versions`` more versions, each with one word changed
(``same``: always in the same paragraph, like a "last updated" line; ``spread``: each time in another
paragraph), through ``LibraryStore.update`` as a scheduled refresh does, on SQLite and on PostgreSQL:

- growth per version: the bytes of the versions table's text columns, and its size on disk (SQLite:
  pages in use; PostgreSQL: ``pg_total_relation_size``) from each version to the next;
- write time per version (p50), read time of the serving article (``LibraryStore.articles``), and of one
  paragraph of the oldest version kept (``paragraph_text``, as a correction button reads it).

``python -m benchmarks.version_store [--versions 30]``; prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from bot.compose import make_database, make_records, make_store
from bot.storage import Database, NewVersion, Scope
from embeddings.text import Article, article_structure, parse_text

GUILD = Scope(4242)
SOURCE = "https://news.example/long-read"


def paragraphs(seed: int = 1, count: int = 2000) -> list[str]:
    chooser = random.Random(seed)
    words = ["".join(chooser.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(chooser.randint(2, 9)))
             for _ in range(5000)]
    return [" ".join(" ".join(chooser.choice(words) for _ in range(12)).capitalize() + "." for _ in range(7))
            for _ in range(count)]


def version(article: Article) -> NewVersion:
    return NewVersion(article.digest, article.source, article.title, "text", article.text,
                      tuple(p.digest for p in article.paragraphs), 0, 0, 1, article_structure(article))


def edited(base: list[str], round_: int, pattern: str) -> Article:
    changed = list(base)
    index = 7 if pattern == "same" else (round_ * 397) % len(changed)
    changed[index] = changed[index].replace(" ", f" edit{round_} ", 1)
    return parse_text("\n\n".join(changed), source=SOURCE, title="The long read")


async def text_bytes(database: Database) -> int:
    rows = await database.run(lambda connection: connection.execute("SELECT * FROM versions").fetchall())
    return sum(len(value.encode()) for row in rows for value in row if isinstance(value, str))


async def disk_bytes(database: Database) -> int:
    def work(connection) -> int:
        if database.backend.dialect == "postgresql":
            return int(connection.execute("SELECT pg_total_relation_size('versions')").fetchone()[0])
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        free = connection.execute("PRAGMA freelist_count").fetchone()[0]
        return int((pages - free) * connection.execute("PRAGMA page_size").fetchone()[0])

    return await database.run(work)


async def measure(database: Database, articles: list[Article]) -> dict:
    store = make_store(database)
    stored = await store.add(GUILD, version(articles[0]), "url", 1)
    sizes = [(await text_bytes(database), await disk_bytes(database))]
    writes = []
    for article in articles[1:]:
        started = time.perf_counter()
        stored = await store.update(stored, version(article), None)
        writes.append(time.perf_counter() - started)
        sizes.append((await text_bytes(database), await disk_bytes(database)))
    reads = []
    for _ in range(5):
        started = time.perf_counter()
        assert (await store.articles(GUILD))[0].text == articles[-1].text
        reads.append(time.perf_counter() - started)
    oldest = await database.run(lambda connection: connection.execute(
        "SELECT digest FROM versions ORDER BY id LIMIT 1 OFFSET 1").fetchone()[0])
    old_reads = []
    for _ in range(5):
        started = time.perf_counter()
        assert await make_records(database).corrections.paragraph_text(oldest, 1001)
        old_reads.append(time.perf_counter() - started)
    growth_text = [b[0] - a[0] for a, b in itertools.pairwise(sizes)]
    growth_disk = [b[1] - a[1] for a, b in itertools.pairwise(sizes)]
    versions = await database.run(lambda connection: connection.execute("SELECT count(*) FROM versions").fetchone()[0])
    return {
        "first_version_text_bytes": sizes[0][0],
        "growth_per_version_text_bytes_mean": round(statistics.mean(growth_text)),
        "growth_per_version_text_bytes_max": max(growth_text),
        "growth_per_version_disk_bytes_mean": round(statistics.mean(growth_disk)),
        "store_text_bytes_at_end": sizes[-1][0],
        "versions_stored_at_end": int(versions),
        "write_p50_ms": round(statistics.median(writes) * 1000, 1),
        "read_serving_p50_ms": round(statistics.median(reads) * 1000, 1),
        "read_oldest_kept_paragraph_p50_ms": round(statistics.median(old_reads) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.version_store", description=__doc__)
    parser.add_argument("--versions", type=int, default=30, help="versions after the first (default 30)")
    args = parser.parse_args()
    from devtools.postgres_server import running_server

    base = paragraphs()
    report: dict = {"article_bytes": len("\n\n".join(base).encode())}
    with running_server() as server, tempfile.TemporaryDirectory() as work:
        for pattern in ("same", "spread"):
            articles = [edited(base, n, pattern) for n in range(args.versions + 1)]
            for backend in ("sqlite", "postgresql"):
                url = server.fresh_url() if backend == "postgresql" else None
                database = make_database(Path(work) / f"{pattern}-{backend}", url=url)
                try:
                    report[f"{pattern}/{backend}"] = asyncio.run(measure(database, articles))
                finally:
                    database.close()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
