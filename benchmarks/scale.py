"""Scale: a synthetic article of N paragraphs (two sentences each), indexed and queried.

The article is built directly (exact spans, no pysbd) and its texts get random unit vectors from
:class:`RandomEncoder`: encoding 100k paragraphs for real would take about an hour, so the build
figures exclude the model; the real encoding and pysbd parsing times are estimated from the seed
article's prose.
Questions are encoded by the real model. Each question is also asked of the bundled article (indexed
with the real model) in the same process, alternately, for ``p50_over_seed``, and of the same large
index without its int8 copy (:mod:`embeddings.vectors.approximate`): ``exact_p50_over_seed`` and
``answers_changed_by_int8`` (the JSON answers that differ).
Run one size per process: ``python -m benchmarks.scale``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from embeddings.answers import Answerer
from embeddings.models import Encoder, tune_blas_threads
from embeddings.ranking import build_index, scanned_rows
from embeddings.text import Article, Paragraph, Span, default_article_path, parse_text
from embeddings.vectors import EmbeddingCache

from .common import QUESTIONS, ms, onnx_encoder, percentile, production, quiet_logs

log = logging.getLogger(__name__)


class RandomEncoder:
    """Random unit vectors (d=384): stands in for the model when indexing huge synthetic articles."""

    identity = "random-384"

    def __init__(self, seed: int = 0) -> None:
        self.rng = np.random.default_rng(seed)
        self.seconds = 0.0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        started = time.perf_counter()
        vectors = self.rng.standard_normal((len(texts), 384), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        self.seconds += time.perf_counter() - started
        return vectors


def _vocabulary(rng: np.random.Generator, size: int) -> list[str]:
    """The seed article's words first, then made-up words: a Zipf draw favours the first."""
    words = list(dict.fromkeys(default_article_path().read_text(encoding="utf-8").lower().split()))
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    while len(words) < size:
        words.append("".join(rng.choice(letters, size=int(rng.integers(3, 11)))))
    return words


def synthetic_article(paragraphs: int, seed: int = 0) -> Article:
    """An article of ``paragraphs`` paragraphs of two sentences, with exact spans."""
    rng = np.random.default_rng(seed)
    vocabulary = _vocabulary(rng, 30_000)
    ranks = np.minimum(rng.zipf(1.3, size=paragraphs * 2 * 24), len(vocabulary)) - 1
    lengths = rng.integers(8, 25, size=paragraphs * 2)
    parts: list[str] = []
    built: list[Paragraph] = []
    offset = cursor = 0
    for number in range(1, paragraphs + 1):
        spans, sentences = [], []
        for _ in range(2):
            length = int(lengths[len(spans) + 2 * (number - 1)])
            words = [vocabulary[r] for r in ranks[cursor : cursor + length]]
            cursor += 24
            sentence = f"{' '.join(words).capitalize()} (item {number}-{len(spans)})."
            start = offset + sum(len(s) + 1 for s in sentences)
            spans.append(Span(start, start + len(sentence)))
            sentences.append(sentence)
        text = " ".join(sentences)
        built.append(Paragraph(number, offset, offset + len(text), text, tuple(spans)))
        parts.append(text)
        offset += len(text) + 2
    full = "\n\n".join(parts)
    digest = hashlib.sha256(full.encode("utf-8")).hexdigest()
    return Article(full, tuple(built), f"Synthetic article ({paragraphs} paragraphs)", "<synthetic>", digest)


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(paragraphs: int, encoder: Encoder, *, questions: int) -> dict:
    """Build, rebuild from cache and query a synthetic article of ``paragraphs`` paragraphs."""
    started = time.perf_counter()
    article = synthetic_article(paragraphs)
    generate = time.perf_counter() - started
    seed = parse_text(default_article_path().read_text(encoding="utf-8"))
    started = time.perf_counter()
    parse_text("\n\n".join([p.text for p in seed.paragraphs] * 20))  # real news prose, not the synthetic words
    parse_per_paragraph = (time.perf_counter() - started) / (len(seed.paragraphs) * 20)
    sentences = [seed.sentence_text(span) for p in seed.paragraphs for span in p.sentences]
    probe = ([p.text for p in seed.paragraphs] + sentences) * 8
    started = time.perf_counter()
    encoder.encode(probe)
    encode_per_text = (time.perf_counter() - started) / len(probe)
    texts = paragraphs * 3
    before = _rss_mb()
    random_encoder, cache = RandomEncoder(), EmbeddingCache(None)
    started = time.perf_counter()
    index = build_index(article, random_encoder, cache)
    first_build = time.perf_counter() - started
    del index
    started = time.perf_counter()
    index = build_index(article, random_encoder, cache)  # every text cached: what a reload costs
    warm_build = time.perf_counter() - started
    held = _rss_mb() - before
    seed_index = build_index(seed, encoder, EmbeddingCache(None))
    rows, seed_rows = scanned_rows(index), scanned_rows(seed_index)
    threads = tune_blas_threads(rows)  # as the bot does
    answerer = Answerer(encoder)
    for question in QUESTIONS[:3]:
        answerer.answer(index, question)
        answerer.answer(seed_index, question)
    exact = replace(index, approximate=None)  # the same index scored by the full float32 products
    times, seed_times, exact_times, changed = [], [], [], 0
    for i in range(questions):  # the bundled article alternately, so both see the same load
        question = QUESTIONS[i % len(QUESTIONS)]
        tune_blas_threads(rows)
        began = time.perf_counter()
        answer = answerer.answer(index, question)
        times.append(time.perf_counter() - began)
        began = time.perf_counter()
        changed += answerer.answer(exact, question).to_json() != answer.to_json()
        exact_times.append(time.perf_counter() - began)
        tune_blas_threads(seed_rows)
        began = time.perf_counter()
        answerer.answer(seed_index, question)
        seed_times.append(time.perf_counter() - began)
    return {
        "paragraphs": paragraphs,
        "sentences": index.sentence_count,
        "generate_s": round(generate, 2),
        "build_s": round(first_build, 2),
        "build_random_vectors_s": round(random_encoder.seconds, 2),
        "rebuild_warm_cache_s": round(warm_build, 2),
        "real_encode_estimate_s": round(encode_per_text * texts, 1),
        "pysbd_parse_estimate_s": round(parse_per_paragraph * paragraphs, 1),
        "index_vectors_mb": round((index.paragraph_vectors.nbytes + index.sentence_vectors.nbytes) / 2**20, 1),
        "rss_growth_mb": round(held, 1),
        "peak_rss_mb": round(_peak_mb(), 1),
        "blas_threads": threads,
        "answer_p50_ms": ms(percentile(times, 50)),
        "answer_p99_ms": ms(percentile(times, 99)),
        "seed_answer_p50_ms": ms(percentile(seed_times, 50)),
        "p50_over_seed": round(percentile(times, 50) / percentile(seed_times, 50), 2),
        "questions": questions,
        "int8_copy_mb": round(index.approximate.nbytes / 2**20, 1) if index.approximate is not None else None,
        "exact_answer_p50_ms": ms(percentile(exact_times, 50)),
        "exact_p50_over_seed": round(percentile(exact_times, 50) / percentile(seed_times, 50), 2),
        "answers_changed_by_int8": changed,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.scale --paragraphs N --cache-dir DIR``: one JSON object on stdout."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale")
    parser.add_argument("--paragraphs", type=int, required=True)
    parser.add_argument("--cache-dir", type=Path, required=True, help="where the ONNX export is")
    parser.add_argument("--questions", type=int, default=40)
    args = parser.parse_args(argv)
    quiet_logs()
    encoder = production(onnx_encoder(args.cache_dir))
    print(json.dumps(measure(args.paragraphs, encoder, questions=args.questions)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
