"""Shared pieces of the benchmarks: sizes, questions, statistics and the engines under test."""

from __future__ import annotations

import logging
import os
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from embeddings.answers import ArticleService
from embeddings.models import BatchingEncoder, Encoder, OnnxEncoder, SentenceTransformerEncoder

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]

# Questions about the seed article (answered and unanswered ones), asked in rotation.
QUESTIONS = (
    "Who commands the Azov Regiment?",
    "How many people were evacuated?",
    "What did Zelensky accuse Moscow of?",
    "Where is the Azovstal steel plant?",
    "What support will the evacuees receive?",
    "Were civilians evacuated from the plant on Wednesday?",
    "What did the Ukrainian commander thank the world for?",
    "Which towns were people rescued from?",
    "What are the soldiers making a superhuman effort to do?",
    "Who declared victory over Mariupol?",
    "What was the second round of evacuations focused on?",
    "What did the rescued individuals carry?",
    "What is the capital of France?",
    "How tall is the steel plant's chimney?",
    "Who reported the heavy, bloody battles?",
    "Is the first round of evacuations considered a victory?",
)


@dataclass(frozen=True, slots=True)
class Plan:
    """How much work each benchmark does (``full`` for ``make bench``, ``quick``, ``tiny`` for tests)."""

    repeats: int
    cold_runs: int
    baseline_cold_runs: int
    latency_questions: int
    throughput_seconds: float
    askers: tuple[int, ...]
    discord_askers: int
    discord_rounds: int
    discord_think: float  # each paced asker waits a random 0..2*think seconds between questions
    reload_runs: int
    scale_sizes: tuple[int, ...]
    scale_questions: int
    tenancy_guilds: int = 1000
    tenancy_shared: int = 10_000
    tenancy_questions: int = 200
    tenancy_cold_runs: int = 5
    scale_out_seconds: float = 15.0  # closed-loop load per process count (scale_out_processes)


FULL = Plan(3, 5, 3, 300, 2.0, (1, 8, 64), 50, 6, 0.5, 15, (10_000, 100_000), 40)
QUICK = Plan(1, 2, 1, 100, 1.0, (1, 8, 64), 50, 3, 0.5, 5, (1_000, 10_000), 20, 200, 2_000, 60, 2, 5.0)
TINY = Plan(1, 1, 1, 10, 0.2, (1, 4), 4, 2, 0.01, 2, (200,), 5, 6, 20, 4, 1, 1.0)


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100) by linear interpolation."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    """The median, or NaN for no values."""
    return statistics.median(values) if values else float("nan")


def ms(seconds: float) -> float:
    """Seconds as milliseconds, rounded for the report."""
    return round(seconds * 1000, 2)


def ratio(baseline: float, ours: float) -> float:
    """How many times better ours is (baseline / ours), rounded."""
    return round(baseline / ours, 2) if ours > 0 else float("nan")


def onnx_encoder(cache_dir: Path) -> OnnxEncoder:
    """The shipped default: the bundled model on ONNX Runtime, export kept under ``cache_dir``."""
    encoder = OnnxEncoder(None, cache_dir)
    encoder.load()
    return encoder


def torch_encoder() -> SentenceTransformerEncoder:
    """The baseline: the bundled model through plain sentence-transformers."""
    encoder = SentenceTransformerEncoder()
    encoder.load()
    return encoder


def production(encoder: Encoder) -> Encoder:
    """What ``bot.compose.engine_service`` serves with: the encoder behind the micro-batcher."""
    return BatchingEncoder(encoder)


def seed_service(encoder: Encoder, workdir: Path) -> ArticleService:
    """A loaded service on a private copy of the seed article with its own embedding cache."""
    from bot.compose import engine_service
    from bot.config import Settings
    from embeddings.text import default_article_path

    workdir.mkdir(parents=True, exist_ok=True)
    article = workdir / "article.txt"
    article.write_bytes(default_article_path().read_bytes())
    service = engine_service(Settings(cache_dir=workdir / "cache", article_path=str(article)), encoder=encoder)
    service.reload()
    if service.answerer.second is not None:  # its second-opinion index, built at first need, built now
        service.answerer.second.indexes.build(service.index)
    return service


def quiet_logs() -> None:
    """Benchmarks print one JSON object: keep library logging to warnings."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class TimedEncoder:
    """An encoder that adds the seconds each call takes to ``spent``."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.spent = 0.0

    @property
    def identity(self) -> str:
        return self.inner.identity

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        started = time.perf_counter()
        try:
            return self.inner.encode(texts)
        finally:
            self.spent += time.perf_counter() - started
