"""The micro-batching encoder: concurrent calls coalesce, each caller gets its own rows."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from embeddings.models.batching import BatchingEncoder


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
    encoder = BatchingEncoder(inner, max_batch=64, max_wait=0.002, in_flight=2)
    requests = [[f"question {i}"] if i % 3 else [f"question {i}", f"earlier {i}"] for i in range(32)]
    results = ask_concurrently(encoder, requests)
    for texts, result in zip(requests, results, strict=True):
        assert result.shape == (len(texts), 8)
        np.testing.assert_array_equal(result, np.stack([vector(t) for t in texts]))
    assert len(inner.batches) <= 8  # typically 3: the first two callers alone, then everyone who queued
    assert sorted(t for batch in inner.batches for t in batch) == sorted(t for r in requests for t in r)
    assert inner.most_active <= 2  # never more model calls at once than ``in_flight``
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


def test_a_text_repeated_in_one_call_is_encoded_once():
    """A call holding the same text twice (a question that is its own unmatched text) sends it to the
    model once and still gets one row per text, in order."""
    inner = SlowEncoder(delay=0.0)
    encoder = BatchingEncoder(inner)
    texts = ["What is the capital of France?", "other", "What is the capital of France?"]
    np.testing.assert_array_equal(encoder.encode(texts), np.stack([vector(t) for t in texts]))
    assert inner.batches == [["What is the capital of France?", "other"]]


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


class GatedEncoder:
    """Holds its first call until ``release`` is set, so later callers queue into one batch."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.release = threading.Event()
        self.batches: list[list[str]] = []
        self._first = True

    @property
    def identity(self) -> str:
        return self.inner.identity

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.batches.append(list(texts))
        if self._first:
            self._first = False
            assert self.release.wait(60)
        return self.inner.encode(texts)


def wait_until(condition, timeout: float = 60.0) -> None:
    """Poll ``condition`` until it holds; fail (rather than hang) after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never held"
        time.sleep(0.001)


def ask_in_one_batch(gate: GatedEncoder, encoder: BatchingEncoder, requests: list[list[str]]) -> list:
    """Each caller's rows or exception: the first request holds the model until all the others are queued."""
    outcomes: list = [None] * len(requests)

    def call(i: int) -> None:
        try:
            outcomes[i] = encoder.encode(requests[i])
        except Exception as error:
            outcomes[i] = error

    threads = [threading.Thread(target=call, args=(0,))]
    threads[0].start()
    wait_until(lambda: gate.batches)  # the first caller is inside the model
    threads += [threading.Thread(target=call, args=(i,)) for i in range(1, len(requests))]
    for thread in threads[1:]:
        thread.start()
    wait_until(lambda: len(encoder._pending) == len(requests) - 1)  # every other caller is queued
    gate.release.set()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_a_bad_text_fails_only_its_own_caller():
    """When a batch fails because of one caller's text, only that caller gets the error; the others
    batched with it get their own rows, and later calls work."""
    inner = SlowEncoder(delay=0.0, fail_on="bad")
    gate = GatedEncoder(inner)
    encoder = BatchingEncoder(gate, max_wait=0.0, in_flight=1)
    requests = [["first"], ["other"], ["bad"], ["more", "and more"]]
    outcomes = ask_in_one_batch(gate, encoder, requests)
    assert sorted(map(len, gate.batches))[-1] == 4  # "other", "bad" and "more" were tried as one batch
    assert isinstance(outcomes[2], RuntimeError)
    for i in (0, 1, 3):
        np.testing.assert_array_equal(outcomes[i], np.stack([vector(t) for t in requests[i]]))
    np.testing.assert_array_equal(encoder.encode(["later"])[0], vector("later"))


def test_a_model_that_always_fails_fails_every_caller():
    """When the model fails whatever the texts, every caller in the batch gets the error."""

    class Broken(SlowEncoder):
        def encode(self, texts):
            raise RuntimeError("model is broken")

    gate = GatedEncoder(Broken())
    encoder = BatchingEncoder(gate, max_wait=0.0, in_flight=1)
    outcomes = ask_in_one_batch(gate, encoder, [["a"], ["b"], ["c"], ["d"]])
    assert all(isinstance(outcome, RuntimeError) for outcome in outcomes)


def test_a_lone_surrogate_fails_only_its_question_with_the_real_model(onnx_encoder):
    """With the ONNX model, a question holding a lone surrogate (the tokenizer rejects it) batched with
    15 innocent questions fails alone; the 15 embed as they do alone."""
    gate = GatedEncoder(onnx_encoder)
    encoder = BatchingEncoder(gate, max_wait=0.0, in_flight=1)
    questions = [f"Who commands the Azov Regiment, question {i}?" for i in range(16)]
    questions[5] = "Who commands the \ud800 regiment?"
    outcomes = ask_in_one_batch(gate, encoder, [[q] for q in questions])
    assert any(len(batch) == 15 for batch in gate.batches)
    assert isinstance(outcomes[5], Exception)
    for i, question in enumerate(questions):
        if i != 5:
            np.testing.assert_allclose(outcomes[i], onnx_encoder.encode([question]), atol=1e-5)


def test_identity_and_validation():
    """The wrapper keeps the inner identity (same cache key) and rejects nonsense settings."""
    assert BatchingEncoder(SlowEncoder()).identity == "slow-test-encoder"
    with pytest.raises(ValueError):
        BatchingEncoder(SlowEncoder(), max_batch=0)
    with pytest.raises(ValueError):
        BatchingEncoder(SlowEncoder(), in_flight=0)


class TwoGates:
    """Holds its first two calls until ``release`` is set; records every batch."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.release = threading.Event()
        self.batches: list[list[str]] = []
        self._lock = threading.Lock()

    @property
    def identity(self) -> str:
        return self.inner.identity

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            self.batches.append(list(texts))
            held = len(self.batches) <= 2
        if held:
            assert self.release.wait(60)
        return self.inner.encode(texts)


def test_a_second_batch_runs_while_the_first_does_and_a_third_waits():
    """With ``in_flight=2`` a call arriving while one batch runs is sent to the model at once, in a
    second batch; calls arriving while two run queue, and go in one batch when a slot frees."""
    gate = TwoGates(SlowEncoder(delay=0.0))
    encoder = BatchingEncoder(gate, max_wait=0.0, in_flight=2)
    outcomes: dict[str, np.ndarray] = {}

    def call(text: str) -> None:
        outcomes[text] = encoder.encode([text])

    threads = [threading.Thread(target=call, args=(text,)) for text in ("one", "two", "three", "four")]
    threads[0].start()
    wait_until(lambda: len(gate.batches) == 1)
    threads[1].start()
    wait_until(lambda: len(gate.batches) == 2)  # "two" reached the model while "one" is still inside it
    for thread in threads[2:]:
        thread.start()
    wait_until(lambda: len(encoder._pending) == 2)  # both slots are taken: "three" and "four" queue
    assert len(gate.batches) == 2
    gate.release.set()
    for thread in threads:
        thread.join(timeout=60)
    assert gate.batches[:2] == [["one"], ["two"]]
    assert sorted(map(sorted, gate.batches[2:])) in ([["four", "three"]], [["four"], ["three"]])
    for text in ("one", "two", "three", "four"):
        np.testing.assert_array_equal(outcomes[text][0], vector(text))


def test_real_model_rows_are_the_same_batched_or_alone(onnx_encoder):
    """With the ONNX model, a question batched with others embeds as it does alone."""
    encoder = BatchingEncoder(onnx_encoder)
    questions = [f"Who commands the Azov Regiment, question {i}?" for i in range(16)]
    results = ask_concurrently(encoder, [[q] for q in questions])
    alone = onnx_encoder.encode(questions[:1])
    np.testing.assert_allclose(results[0], alone, atol=1e-5)
    for question, result in zip(questions, results, strict=True):
        np.testing.assert_allclose(result, onnx_encoder.encode([question]), atol=1e-5)
