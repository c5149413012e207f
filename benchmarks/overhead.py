"""The answer path's own work: what ``ArticleService.answer`` costs beyond the model, on the seed article.

``python -m benchmarks.overhead [ANSWERS]`` prints one JSON object, medians over the benchmark's 16
questions in rotation:

- ``beyond_model_us``: each answer's time minus the time its one call into the ONNX session took
  (real model, through the micro-batcher as the bot serves): Python before and after the encode,
  the micro-batcher, scoring, cues, confidence, quotes and provenance;
- ``warm_us`` and ``after_model_us``: the whole answer with the question's vectors from a dictionary
  (no model run in it), asked back to back, and asked right after an unrelated model run (the model's
  90 MB has then been through the caches, as in a bot between questions).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from embeddings.models import BatchingEncoder, Encoder

from .common import QUESTIONS, TimedEncoder, onnx_encoder, quiet_logs, seed_service


class RememberingEncoder:
    """An encoder that encodes each distinct call once and then answers it from a dictionary."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.known: dict[tuple[str, ...], np.ndarray] = {}

    @property
    def identity(self) -> str:
        return self.inner.identity

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        key = tuple(texts)
        if key not in self.known:
            self.known[key] = np.asarray(self.inner.encode(list(texts)), dtype=np.float32)
        return self.known[key]


def overhead(encoder: Encoder, workdir: Path, answers: int) -> dict:
    """Median microseconds per answer beyond the model, and without it (warm, after a model run)."""
    timed = TimedEncoder(encoder)
    served = seed_service(BatchingEncoder(timed), workdir / "timed")
    remembered = seed_service(BatchingEncoder(RememberingEncoder(encoder)), workdir / "remembered")
    for question in QUESTIONS:  # warm-up; every question's vectors remembered
        served.answer(question)
        remembered.answer(question)
    beyond, warm, after_model = [], [], []
    for i in range(answers):
        question = QUESTIONS[i % len(QUESTIONS)]
        timed.spent = 0.0
        started = time.perf_counter()
        served.answer(question)
        beyond.append(time.perf_counter() - started - timed.spent)
        started = time.perf_counter()
        remembered.answer(question)
        warm.append(time.perf_counter() - started)
        encoder.encode([QUESTIONS[(i + 7) % len(QUESTIONS)]])  # another question: the model runs
        started = time.perf_counter()
        remembered.answer(question)
        after_model.append(time.perf_counter() - started)
    return {
        "answers": answers,
        "beyond_model_us": round(statistics.median(beyond) * 1e6, 1),
        "warm_us": round(statistics.median(warm) * 1e6, 1),
        "after_model_us": round(statistics.median(after_model) * 1e6, 1),
    }


def main(argv: list[str]) -> int:
    """Print the figures for ``argv[0]`` answers (default 2,000)."""
    quiet_logs()
    answers = int(argv[0]) if argv else 2000
    with tempfile.TemporaryDirectory() as workdir:
        print(json.dumps(overhead(onnx_encoder(Path(workdir) / "cache"), Path(workdir), answers)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
