"""Scale-out storage: SQLite vs PostgreSQL (a real local server, PostgreSQL's durable defaults).

- **storage**: one answer written per transaction, then answers and a guild's library read back,
  p50/p99 per backend;
- **answer latency**: the same questions answered from a guild library held in each store, interleaved,
  each answer's record written after it as the bot does (off the answer's critical path), p50 per store;
- **fresh process**: a guild's article is loaded by this process into PostgreSQL; a new process with an
  empty CACHE_DIR (only the ONNX export linked in) serves that guild: seconds from spawn to its first
  answer, with the embedding vectors read from PostgreSQL and without (everything encoded again), and
  the encode vs read cost of the article's texts inside it.

``python -m benchmarks.scale_out --serve URL --cache-dir DIR [--no-shared-vectors]`` is the fresh process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import subprocess
import sys
import time
from pathlib import Path

from bot.compose import engine_service, make_database, make_engine, make_store
from bot.config import Settings
from bot.door import Place
from bot.storage import CitedParagraph, Database, Scope
from embeddings.models import Encoder

from .common import QUESTIONS, ROOT, median, ms, percentile, quiet_logs

GUILD = 4242
SQUAD = ROOT.parent / "shared" / "data" / "squad-dev-v1.1-part-a.json"


def guild_article(paragraphs: int = 20) -> tuple[bytes, str]:
    """A typical multi-paragraph article unlike the bundled one, and a question it answers: a SQuAD
    article's first paragraphs (synthetic numbered paragraphs when the data is not there)."""
    if SQUAD.is_file():
        article = json.loads(SQUAD.read_text(encoding="utf-8"))["data"][0]
        body = "\n\n".join(p["context"] for p in article["paragraphs"][:paragraphs])
        question = article["paragraphs"][0]["qas"][0]["question"]
        return f"# {article['title'].replace('_', ' ')}\n\n{body}\n".encode(), question
    body = "\n\n".join(f"Paragraph {n} tells how the harbour of town {n} grew. Boats came every day. "
                       f"Trade rose by {n} percent." for n in range(paragraphs))
    return f"# Harbours\n\n{body}\n".encode(), "How did the harbour of town 3 grow?"


def _stats(seconds: list[float]) -> dict:
    return {"p50_ms": ms(percentile(seconds, 50)), "p99_ms": ms(percentile(seconds, 99))}


async def _storage(database: Database, count: int) -> dict:
    """Write ``count`` answers one transaction each, then read answers and a library back."""
    writes, reads, library = [], [], []
    base = random.randrange(10**12)
    for n in range(count):
        started = time.perf_counter()
        await database.record_answer(message_id=base + n, user_id=7, guild_id=GUILD, channel_id=1,
                                     question=f"question {n}?", answered=True, confidence=0.5,
                                     cited=[CitedParagraph(1, "d", "1", "v")], version_id=None)
        writes.append(time.perf_counter() - started)
    store = make_store(database)
    for _ in range(count):
        started = time.perf_counter()
        await database.answer_for_message(base + random.randrange(count))
        reads.append(time.perf_counter() - started)
        started = time.perf_counter()
        await store.articles(Scope(GUILD))
        library.append(time.perf_counter() - started)
    return {"writes": count, "write": _stats(writes), "read_answer": _stats(reads), "read_library": _stats(library)}


async def _answer_latency(encoder: Encoder, databases: dict[str, Database], work: Path, count: int) -> dict:
    """Answer p50 per store, the stores' questions interleaved so both see the same machine load."""
    engines = {}
    for name, database in databases.items():
        service = engine_service(Settings(cache_dir=work / f"answer-cache-{name}"), encoder=encoder)
        engine = make_engine(service, make_store(database))
        await engine.start()
        await engine.load_bytes(guild_article()[0], name="article.md", source="bench:article", content_type=None,
                                max_bytes=10**7, scope=Scope(GUILD), origin="upload")
        engines[name] = engine
    times: dict[str, list[float]] = {name: [] for name in engines}
    pending: list[asyncio.Task] = []
    for n in range(count):
        for name, engine in engines.items():
            started = time.perf_counter()
            answer = await engine.answer(QUESTIONS[n % len(QUESTIONS)], place=Place(GUILD))
            times[name].append(time.perf_counter() - started)
            pending.append(asyncio.ensure_future(databases[name].record_answer(
                message_id=10**15 + n, user_id=7, guild_id=GUILD, channel_id=1, question=answer.question,
                answered=answer.answered, confidence=answer.confidence, cited=[], version_id=None)))
    await asyncio.gather(*pending)
    for engine in engines.values():
        engine.close()
    p50 = {name: ms(median(values)) for name, values in times.items()}
    return {"questions": count, "sqlite_p50_ms": p50["sqlite"], "postgresql_p50_ms": p50["postgresql"],
            "postgresql_vs_sqlite": round(p50["postgresql"] / p50["sqlite"], 3)}


def _fresh_process(url: str, cache_dir: Path, onnx: Path, shared: bool) -> dict:
    """Spawn a process with an empty CACHE_DIR (ONNX export linked in); seconds to its first guild answer."""
    cache_dir.mkdir(parents=True)
    (cache_dir / "onnx").symlink_to(onnx, target_is_directory=True)
    command = [sys.executable, "-m", "benchmarks.scale_out", "--serve", url, "--cache-dir", str(cache_dir)]
    started = time.perf_counter()
    result = subprocess.run(command + ([] if shared else ["--no-shared-vectors"]), capture_output=True, text=True,
                            cwd=ROOT, timeout=600)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"scale_out fresh process failed: {result.stderr[-2000:]}")
    inside = json.loads(result.stdout.strip().splitlines()[-1])
    return {"spawn_to_first_answer_s": round(elapsed, 3), **inside}


async def _serve(url: str, cache_dir: Path, shared: bool) -> dict:
    """The fresh process: build the engine as the bot does, answer once in the stored guild."""
    started = time.perf_counter()
    settings = Settings(cache_dir=cache_dir, database_url=url, embedding_backend="onnx")
    database = make_database(cache_dir / "data", url=url)
    service = engine_service(settings, database=database, shared_vectors=shared)
    engine = make_engine(service, make_store(database))
    await engine.start()
    ready = time.perf_counter()
    answer = await engine.answer(guild_article()[1], place=Place(GUILD))
    done = time.perf_counter()
    status = await engine.status(Place(GUILD))
    engine.close()
    database.close()
    return {"engine_start_ms": ms(ready - started), "first_guild_answer_ms": ms(done - ready),
            "guild_texts_encoded": status.cache_encoded, "answered": answer.answered}


async def _measure(encoder: Encoder, work: Path, sqlite: Database, postgres: Database, count: int) -> dict:
    figure = {"storage": {"sqlite": await _storage(sqlite, count), "postgresql": await _storage(postgres, count)}}
    figure["answer_latency"] = await _answer_latency(encoder, {"sqlite": sqlite, "postgresql": postgres}, work,
                                                     count)
    return figure


def run(encoder: Encoder, onnx_dir: Path, work: Path, *, count: int, fresh_runs: int) -> dict:
    """Every scale-out storage figure, on a PostgreSQL server started for the run."""
    from devtools.postgres_server import PostgresServer

    server = PostgresServer(durable=True).start()
    try:
        sqlite = make_database(work / "sqlite")
        postgres = make_database(work / "unused", url=server.fresh_url())
        try:
            figure = asyncio.run(_measure(encoder, work, sqlite, postgres, count))
        finally:
            sqlite.close()
            postgres.close()
        url = server.fresh_url()
        asyncio.run(_load_elsewhere(url, work / "loader-cache", onnx_dir))
        runs: dict[str, list[dict]] = {"shared_vectors": [], "encoded_again": []}
        for turn in range(fresh_runs):
            for name, shared in (("encoded_again", False), ("shared_vectors", True)):
                runs[name].append(_fresh_process(url, work / f"fresh-{name}-{turn}", onnx_dir, shared))
        figure["fresh_process"] = {
            name: {key: median([r[key] for r in found]) for key in found[0] if key != "answered"}
            | {"answered": all(r["answered"] for r in found)}
            for name, found in runs.items()
        }
        return figure
    finally:
        server.cleanup()


async def _load_elsewhere(url: str, cache_dir: Path, onnx_dir: Path) -> None:
    """This process loads the guild's article into PostgreSQL (its vectors shared), as a moderator would."""
    cache_dir.mkdir(parents=True)
    (cache_dir / "onnx").symlink_to(onnx_dir, target_is_directory=True)
    database = make_database(cache_dir / "data", url=url)
    service = engine_service(Settings(cache_dir=cache_dir, embedding_backend="onnx"), database=database,
                             shared_vectors=True)
    engine = make_engine(service, make_store(database))
    await engine.start()
    await engine.load_bytes(guild_article()[0], name="article.md", source="bench:article", content_type=None,
                            max_bytes=10**7, scope=Scope(GUILD), origin="upload")
    engine.close()
    database.close()


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale_out")
    parser.add_argument("--serve", required=True, help="DATABASE_URL holding the guild")
    parser.add_argument("--cache-dir", type=Path, required=True)
    parser.add_argument("--no-shared-vectors", action="store_true")
    args = parser.parse_args()
    quiet_logs()
    print(json.dumps(asyncio.run(_serve(args.serve, args.cache_dir, not args.no_shared_vectors))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
