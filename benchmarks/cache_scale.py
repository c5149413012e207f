"""``python -m benchmarks.cache_scale``: one lookup adding an article to a large embedding cache.

Fills a cache directory with ``--entries`` vectors (random unit rows under the real model's identity),
then times ``EmbeddingCache.embed`` for one new ~30-paragraph article (paragraphs and sentences, all
new), and reports its seconds (total, and without the encoder's own time) and the bytes the process
read and wrote (``/proc/self/io`` rchar/wchar). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from embeddings.models import Encoder, SentenceTransformerEncoder
from embeddings.ranking import sentence_texts
from embeddings.text import default_article_path, parse_text
from embeddings.vectors import EmbeddingCache

from .common import TimedEncoder, median


class _RandomEncoder:
    """Random unit vectors under another encoder's identity (fills the cache without encoding)."""

    def __init__(self, identity: str, dim: int) -> None:
        self.identity, self.dim = identity, dim
        self.rng = np.random.default_rng(0)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        rows = self.rng.standard_normal((len(texts), self.dim)).astype(np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _io() -> tuple[int, int]:
    fields = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
    return int(fields["rchar"]), int(fields["wchar"])


def article_texts(tag: str, paragraphs: int = 30) -> list[str]:
    """Paragraph then sentence texts of a new article of ``paragraphs`` paragraphs (unique to ``tag``)."""
    seed = [p for p in default_article_path().read_text(encoding="utf-8").split("\n\n") if p.strip()]
    body = "\n\n".join(f"{seed[i % len(seed)].strip()} ({tag} {i})" for i in range(paragraphs))
    article = parse_text(body)
    return [p.text for p in article.paragraphs] + sentence_texts(article)


def _lookups(encoder: Encoder, workdir: Path, *, runs: int, one_object: bool, tag: str) -> dict:
    """Median cost of ``runs`` lookups each adding a new article (one cache object for all, or one each)."""
    shared = EmbeddingCache(workdir)
    shared.embed(encoder, ["warm up"])
    seconds, cache_seconds, read, written, encoded = [], [], [], [], 0
    for turn in range(runs):
        timed = TimedEncoder(encoder)
        new = article_texts(f"{tag} {turn}")
        before_io, started = _io(), time.perf_counter()
        _, stats = (shared if one_object else EmbeddingCache(workdir)).embed(timed, new)
        elapsed, after_io = time.perf_counter() - started, _io()
        encoded = stats.encoded
        seconds.append(elapsed)
        cache_seconds.append(elapsed - timed.spent)
        read.append(after_io[0] - before_io[0])
        written.append(after_io[1] - before_io[1])
    return {"texts_encoded": encoded, "lookup_s": round(median(seconds), 4),
            "lookup_without_encoding_s": round(median(cache_seconds), 4),
            "bytes_read": int(median(read)), "bytes_written": int(median(written))}


def run(encoder: Encoder, workdir: Path, *, entries: int, runs: int) -> dict:
    """Cost of one lookup adding a new article to a cache already holding ``entries`` vectors: from a new
    cache object (a new process), and from one kept across lookups (the bot)."""
    dim = encoder.encode(["warm up"]).shape[1]
    EmbeddingCache(workdir).embed(_RandomEncoder(encoder.identity, dim), [f"filler {i}" for i in range(entries)])
    report = {"entries_before": entries, "texts": len(article_texts("x")), "runs": runs,
              "new_cache_object": _lookups(encoder, workdir, runs=runs, one_object=False, tag="fresh"),
              "kept_cache_object": _lookups(encoder, workdir, runs=runs, one_object=True, tag="kept")}
    report["cache_bytes_on_disk"] = sum(p.stat().st_size for p in workdir.rglob("*") if p.is_file())
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run once, print JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cache_scale", description=__doc__)
    parser.add_argument("--entries", type=int, default=60_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    encoder = SentenceTransformerEncoder()
    encoder.load()
    with tempfile.TemporaryDirectory(prefix="cache-scale-") as workdir:
        report = run(encoder, Path(workdir), entries=args.entries, runs=args.runs)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
