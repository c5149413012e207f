"""In-process answering: per-answer latency, and sustained questions/s with concurrent askers."""

from __future__ import annotations

import logging
import threading
import time

from embeddings.service import ArticleService

from .common import QUESTIONS, median, ms, percentile, ratio

log = logging.getLogger(__name__)


def latencies(service: ArticleService, count: int) -> list[float]:
    """Seconds per ``service.answer`` for ``count`` questions in rotation (one asker)."""
    for question in QUESTIONS:  # warm-up
        service.answer(question)
    times = []
    for i in range(count):
        started = time.perf_counter()
        service.answer(QUESTIONS[i % len(QUESTIONS)])
        times.append(time.perf_counter() - started)
    return times


def latency(ours: ArticleService, baseline: ArticleService | None, *, count: int, repeats: int) -> dict:
    """p50/p99 answer latency (median over repeats), ours and baseline measured alternately."""
    runs: dict[str, list[list[float]]] = {"ours": [], "baseline": []}
    for _ in range(repeats):
        runs["ours"].append(latencies(ours, count))
        if baseline is not None:
            runs["baseline"].append(latencies(baseline, count))
    figure: dict = {"questions": count, "repeats": repeats}
    for name, samples in runs.items():
        if samples:
            figure[f"{name}_p50_ms"] = ms(median([percentile(s, 50) for s in samples]))
            figure[f"{name}_p99_ms"] = ms(median([percentile(s, 99) for s in samples]))
    if baseline is not None:
        figure["p50_speedup"] = ratio(figure["baseline_p50_ms"], figure["ours_p50_ms"])
    return figure


def questions_per_second(service: ArticleService, askers: int, seconds: float) -> float:
    """Answers per second with ``askers`` threads each asking in a loop for ``seconds``."""
    done = [0] * askers
    start = threading.Barrier(askers + 1)
    stop = threading.Event()

    def ask(slot: int) -> None:
        start.wait()
        i = slot
        while not stop.is_set():
            service.answer(QUESTIONS[i % len(QUESTIONS)])
            i += 1
            done[slot] += 1

    threads = [threading.Thread(target=ask, args=(slot,), daemon=True) for slot in range(askers)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - began)


def throughput(
    ours: ArticleService, baseline: ArticleService | None, *, askers: tuple[int, ...], seconds: float, repeats: int
) -> dict:
    """Sustained questions/s per number of concurrent askers (median over repeats)."""
    figure: dict = {"seconds": seconds, "repeats": repeats}
    for count in askers:
        mine, theirs = [], []
        for _ in range(repeats):
            mine.append(questions_per_second(ours, count, seconds))
            if baseline is not None:
                theirs.append(questions_per_second(baseline, count, seconds))
        entry = {"ours_qps": round(median(mine), 1)}
        if theirs:
            entry |= {"baseline_qps": round(median(theirs), 1), "speedup": ratio(median(mine), median(theirs))}
        figure[f"askers_{count}"] = entry
    return figure
