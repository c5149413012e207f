"""Micro-batching: concurrent small encode calls from worker threads share one model call.

No extra thread: a caller that finds fewer than ``in_flight`` batches running encodes at once (a
lone question pays no wait). Callers arriving while ``in_flight`` batches run queue up; when a batch
ends, the oldest queued caller becomes the next leader, waits at most ``max_wait`` for the queue to
reach ``max_batch`` texts, and encodes everything queued in one call. Everyone else blocks until its
own rows are ready, so throughput rises with load while single-question latency stays low.

One batch in flight is the default: on the benchmarks' 2-core CPU two (``in_flight=2``) gave about
8 % fewer answers/s with 64 askers at load average 4-5 (smaller batches: ~15 texts per model call
instead of ~50); they gained only when other processes crowded the cores (README, Performance).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .encoder import Encoder

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BatchingStats:
    """Counts since creation: encode calls queued, model calls made for them, largest batch."""

    requests: int
    batches: int
    texts: int
    largest_batch: int


class _Request:
    __slots__ = ("done", "error", "event", "result", "texts")

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.event: threading.Event | None = None  # made when the request queues (a lone leader needs none)
        self.done = False
        self.result: np.ndarray | None = None
        self.error: BaseException | None = None


class BatchingEncoder:
    """Wraps an encoder so concurrent small ``encode`` calls are coalesced (thread-safe).

    Up to ``in_flight`` batches are encoded at once (the inner encoder must then tolerate concurrent
    calls, as both shipped encoders do); calls with more than ``max_batch`` texts (indexing an
    article) go straight to the inner encoder.
    """

    def __init__(
        self, inner: Encoder, *, max_batch: int = 64, max_wait: float = 0.001, in_flight: int = 1
    ) -> None:
        if max_batch < 1 or max_wait < 0 or in_flight < 1:
            raise ValueError("max_batch and in_flight must be >= 1 and max_wait >= 0")
        self.inner = inner
        self.max_batch = max_batch
        self.max_wait = max_wait
        self.in_flight = in_flight
        self._cond = threading.Condition()
        self._pending: deque[_Request] = deque()
        self._running = 0  # batches being encoded (or gathered by their leader) now
        self._counts = [0, 0, 0, 0]  # requests, batches, texts, largest batch

    @property
    def identity(self) -> str:
        return self.inner.identity

    @property
    def stats(self) -> BatchingStats:
        """A snapshot of the counters."""
        with self._cond:
            return BatchingStats(*self._counts)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts or len(texts) > self.max_batch:
            return self.inner.encode(texts)
        rows = {text: row for row, text in enumerate(dict.fromkeys(texts))}
        if len(rows) < len(texts):  # a text repeated in one call (a question that is its own unmatched text)
            return self._encode_queued(list(rows))[[rows[text] for text in texts]]
        return self._encode_queued(texts)

    def _encode_queued(self, texts: list[str]) -> np.ndarray:
        """(n, d) rows of ``texts`` (distinct, at most ``max_batch``), encoded in the next batch."""
        request = _Request(texts)
        with self._cond:
            queued = self._running >= self.in_flight
            if queued:
                request.event = threading.Event()
                self._pending.append(request)
                self._cond.notify_all()  # a leader gathering its batch may now have enough
            else:  # a model slot is free: lead a batch at once
                self._running += 1
        if request.event is not None:
            request.event.wait()  # set when our rows are ready, or when the lead is passed to us
        if not request.done:
            self._lead(request, promoted=queued)
        if request.error is not None:
            raise request.error
        assert request.result is not None
        return request.result

    def _encode_alone(self, request: _Request) -> None:
        """Encode one request's texts in a model call of their own; its error stays its own."""
        try:
            request.result = np.array(self.inner.encode(request.texts), dtype=np.float32)
        except Exception as caught:
            request.error = caught

    def _queued_texts(self) -> int:
        return sum(len(r.texts) for r in self._pending)

    def _take_batch(self, first: _Request, promoted: bool) -> list[_Request]:
        """``first`` and the oldest queued requests after it, up to ``max_batch`` texts; under load
        (``promoted``: the lead was passed on) it first waits up to ``max_wait`` for the queue to fill."""
        with self._cond:
            room = self.max_batch - len(first.texts)
            if promoted and self.max_wait > 0:
                deadline = time.monotonic() + self.max_wait
                while self._queued_texts() < room and (left := deadline - time.monotonic()) > 0:
                    self._cond.wait(left)
            batch = [first]
            while self._pending and len(self._pending[0].texts) <= room:
                request = self._pending.popleft()
                batch.append(request)
                room -= len(request.texts)
            return batch

    def _lead(self, first: _Request, *, promoted: bool) -> None:
        """Encode one batch (``first``'s texts first in it), hand results out, then pass the lead on."""
        batch = self._take_batch(first, promoted)
        texts = [text for request in batch for text in request.texts]
        calls = 1
        try:
            vectors = self.inner.encode(texts)
        except Exception as caught:  # one bad text must not fail the others: retry each request alone
            if len(batch) == 1:
                batch[0].error = caught
            else:
                log.warning("a batch of %d requests failed (%s); encoding each alone", len(batch), caught)
                calls += len(batch)
                for request in batch:
                    self._encode_alone(request)
        except BaseException as caught:  # KeyboardInterrupt and the like: every caller gets it
            for request in batch:
                request.error = caught
        else:
            start = 0
            for request in batch:
                request.result = np.array(vectors[start : start + len(request.texts)], dtype=np.float32)
                start += len(request.texts)
        for request in batch:
            request.done = True
        with self._cond:
            counts = self._counts
            counts[0] += len(batch)
            counts[1] += calls
            counts[2] += len(texts)
            counts[3] = max(counts[3], len(texts))
            for request in batch:
                if request.event is not None:
                    request.event.set()
            if self._pending:  # the lead passes on to the oldest queued caller; the slot stays taken
                passed = self._pending.popleft().event
                assert passed is not None  # every queued request has its event
                passed.set()
            else:
                self._running -= 1
