"""The micro-batching encoder: concurrent calls coalesce, each caller gets its own rows."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from embeddings.batching import BatchingEncoder


def vector(text: str) -> np.ndarray:
    """A deterministic unit vector per text."""
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
    row = np.random.default_rng(seed).standard_normal(8).astype(np.float32)
    return row / np.linalg.norm(row)


class SlowEncoder:
    """Takes ``delay`` seconds per call (like a model) and records every batch."""

    identity = "slow-test-encoder"

    def __init__(self, delay: float = 0.02, fail_on: str | None = None) -> None:
        self.delay = delay
        self.fail_on = fail_on
        self.batches: list[list[str]] = []
        self.active = 0
        self.most_active = 0
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            self.batches.append(list(texts))
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        time.sleep(self.delay)
        with self._lock:
            self.active -= 1
        if self.fail_on is not None and self.fail_on in texts:
            raise RuntimeError("model failed")
        return np.stack([vector(text) for text in texts]) if texts else np.zeros((0, 8), np.float32)


def ask_concurrently(encoder: BatchingEncoder, requests: list[list[str]]) -> list[np.ndarray]:
    start = threading.Barrier(len(requests))

    def call(texts: list[str]) -> np.ndarray:
        start.wait()
        return encoder.encode(texts)

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(call, requests))


def test_concurrent_encodes_coalesce_and_each_caller_gets_its_rows():
    """32 simultaneous callers need far fewer model calls, and each gets exactly its own vectors."""
    inner = SlowEncoder(delay=0.05)
    encoder = BatchingEncoder(inner, max_batch=64, max_wait=0.002)
    requests = [[f"question {i}"] if i % 3 else [f"question {i}", f"earlier {i}"] for i in range(32)]
    results = ask_concurrently(encoder, requests)
    for texts, result in zip(requests, results, strict=True):
        assert result.shape == (len(texts), 8)
        np.testing.assert_array_equal(result, np.stack([vector(t) for t in texts]))
    assert len(inner.batches) <= 8  # typically 2: the first caller alone, then everyone who queued
    assert sorted(t for batch in inner.batches for t in batch) == sorted(t for r in requests for t in r)
    assert inner.most_active == 1  # the model is never called concurrently through the queue
    stats = encoder.stats
    assert stats.requests == 32 and stats.batches == len(inner.batches)
    assert stats.texts == sum(len(r) for r in requests) and stats.largest_batch > 1


def test_a_lone_call_does_not_wait():
    """An idle encoder runs a single call at once, whatever ``max_wait`` is."""
    inner = SlowEncoder(delay=0.0)
    encoder = BatchingEncoder(inner, max_wait=5.0)
    started = time.perf_counter()
    for i in range(5):
        np.testing.assert_array_equal(encoder.encode([f"q{i}"])[0], vector(f"q{i}"))
    assert time.perf_counter() - started < 1.0
    assert len(inner.batches) == 5


def test_batches_never_exceed_max_batch():
    """Queued calls are split into model calls of at most ``max_batch`` texts."""
    inner = SlowEncoder()
    encoder = BatchingEncoder(inner, max_batch=4, max_wait=0.0)
    requests = [[f"a{i}", f"b{i}"] for i in range(12)]
    results = ask_concurrently(encoder, requests)
    assert all(len(batch) <= 4 for batch in inner.batches)
    for texts, result in zip(requests, results, strict=True):
        np.testing.assert_array_equal(result, np.stack([vector(t) for t in texts]))


def test_large_and_empty_calls_go_straight_through():
    """Indexing-sized calls (over ``max_batch``) and empty calls bypass the queue."""
    inner = SlowEncoder(delay=0.0)
    encoder = BatchingEncoder(inner, max_batch=4)
    texts = [f"paragraph {i}" for i in range(10)]
    np.testing.assert_array_equal(encoder.encode(texts), np.stack([vector(t) for t in texts]))
    assert encoder.encode([]).shape == (0, 8)
    assert inner.batches == [texts, []]
    assert encoder.stats.requests == 0


def test_a_failure_reaches_every_caller_in_the_batch_and_the_encoder_recovers():
    """When the model raises, every caller batched with the failing text gets the error; later calls work."""
    inner = SlowEncoder(fail_on="bad")
    encoder = BatchingEncoder(inner, max_wait=0.01)
    outcomes = []

    def call(texts: list[str]) -> None:
        try:
            outcomes.append(encoder.encode(texts))
        except RuntimeError as error:
            outcomes.append(error)

    threads = [threading.Thread(target=call, args=([text],)) for text in ("first", "bad", "other", "more")]
    for thread in threads:
        thread.start()
        time.sleep(0.002)
    for thread in threads:
        thread.join(timeout=10)
    assert any(isinstance(o, RuntimeError) for o in outcomes) and len(outcomes) == 4
    np.testing.assert_array_equal(encoder.encode(["later"])[0], vector("later"))


def test_identity_and_validation():
    """The wrapper keeps the inner identity (same cache key) and rejects nonsense settings."""
    assert BatchingEncoder(SlowEncoder()).identity == "slow-test-encoder"
    with pytest.raises(ValueError):
        BatchingEncoder(SlowEncoder(), max_batch=0)


def test_real_model_rows_are_the_same_batched_or_alone(onnx_encoder):
    """With the ONNX model, a question batched with others embeds as it does alone."""
    encoder = BatchingEncoder(onnx_encoder)
    questions = [f"Who commands the Azov Regiment, question {i}?" for i in range(16)]
    results = ask_concurrently(encoder, [[q] for q in questions])
    alone = onnx_encoder.encode(questions[:1])
    np.testing.assert_allclose(results[0], alone, atol=1e-5)
    for question, result in zip(questions, results, strict=True):
        np.testing.assert_allclose(result, onnx_encoder.encode([question]), atol=1e-5)
