"""numpy's BLAS thread pool sized to the index being searched.

A question's dense scores are matrix-vector products over every paragraph and sentence vector.
Below ~200k rows one thread is faster: waking a second BLAS thread costs milliseconds when the
other core is busy (measured: 8 ms per product at 30k rows with 2 threads, 1.6 ms with one), and
concurrent questions use the cores anyway. Above it, memory bandwidth wins and all cores help.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache

log = logging.getLogger(__name__)

SINGLE_THREAD_BELOW = 200_000  # vector rows (paragraphs + sentences)


def blas_threads_for(rows: int) -> int:
    """BLAS threads for searching ``rows`` vectors."""
    return 1 if rows < SINGLE_THREAD_BELOW else max(1, os.cpu_count() or 1)


@lru_cache(maxsize=1)
def _controller():
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # optional: without it BLAS keeps its default threads
        return None
    return ThreadpoolController()


def tune_blas_threads(rows: int) -> int | None:
    """Set numpy's BLAS threads for ``rows`` vectors (process-wide); None when it cannot be set."""
    controller = _controller()
    if controller is None:
        return None
    threads = blas_threads_for(rows)
    controller.limit(limits=threads, user_api="blas")
    log.debug("BLAS threads set to %d for %d vectors", threads, rows)
    return threads
