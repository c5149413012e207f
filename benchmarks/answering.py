"""In-process answering: per-answer latency, and sustained questions/s with concurrent askers."""

from __future__ import annotations

import logging
import threading
import time

from embeddings.answers import ArticleService
from embeddings.models import BatchingEncoder, Encoder
from embeddings.ranking import match_question

from .common import QUESTIONS, median, ms, percentile, ratio

log = logging.getLogger(__name__)

ENCODE_BATCH = 32  # the pure-encoding ceiling for many askers: batches of 32 questions


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


def paired_latencies(
    service: ArticleService, encoder: Encoder, count: int, texts: list[list[str]]
) -> tuple[list[float], list[float], list[float]]:
    """Per question in rotation, back to back: seconds of ``service.answer``, of a pure encode of the
    question, and of a pure encode of ``texts`` (what answering it encodes); neighbours share the load."""
    for question in QUESTIONS:  # warm-up
        service.answer(question)
        encoder.encode([question])
    answers, questions, answer_texts_ = [], [], []
    for i in range(count):
        question = QUESTIONS[i % len(QUESTIONS)]
        started = time.perf_counter()
        service.answer(question)
        answers.append(time.perf_counter() - started)
        started = time.perf_counter()
        encoder.encode([question])
        questions.append(time.perf_counter() - started)
        started = time.perf_counter()
        encoder.encode(texts[i % len(texts)])
        answer_texts_.append(time.perf_counter() - started)
    return answers, questions, answer_texts_


def latency(
    ours: ArticleService, baseline: ArticleService | None, *, count: int, repeats: int, encoder: Encoder | None = None
) -> dict:
    """p50/p99 answer latency (median over repeats); ours and pure encoding question by question, the baseline after.

    ``encoder`` (ours without the service around it) gives ``encode_p50_ms``, one pure encode of the
    question, and ``p50_over_encode``: what answering costs beyond the model; ``encode_answer_texts``
    encodes what answering does (the question with its unmatched words, :func:`answer_texts`).
    """
    runs: dict[str, list[list[float]]] = {"ours": [], "encode": [], "encode_answer_texts": [], "baseline": []}
    texts = answer_texts(ours)
    for _ in range(repeats):
        if encoder is None:
            runs["ours"].append(latencies(ours, count))
        else:
            for name, times in zip(runs, paired_latencies(ours, encoder, count, texts), strict=False):
                runs[name].append(times)
        if baseline is not None:
            runs["baseline"].append(latencies(baseline, count))
    figure: dict = {"questions": count, "repeats": repeats}
    if encoder is not None:
        figure["texts_per_answer"] = round(sum(map(len, answer_texts(ours))) / len(QUESTIONS), 2)
    for name, samples in runs.items():
        if samples:
            figure[f"{name}_p50_ms"] = ms(median([percentile(s, 50) for s in samples]))
            figure[f"{name}_p99_ms"] = ms(median([percentile(s, 99) for s in samples]))
    if encoder is not None:
        figure["p50_over_encode"] = round(figure["ours_p50_ms"] / figure["encode_p50_ms"], 2)
        figure["p50_over_answer_texts_encode"] = round(figure["ours_p50_ms"] / figure["encode_answer_texts_p50_ms"], 2)
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


def answer_texts(service: ArticleService) -> list[list[str]]:
    """What answering each of QUESTIONS encodes: the question, and its words the article lacks (if any,
    found in the question as rewritten for matching; not again when they are the whole question)."""
    index, answerer = service.index, service.answerer
    texts = []
    for question in QUESTIONS:
        _, unmatched = match_question(question, index.sentence_lexical, answerer.settings.rewrite)
        texts.append([question] if unmatched in (None, question) else [question, unmatched])
    return texts


def encodes_per_second(
    encoder: Encoder, batch: int, seconds: float, texts: list[list[str]] | None = None, callers: int = 1
) -> float:
    """Questions/s of pure encoding, ``batch`` questions per model call (as the micro-batcher calls the model),
    by ``callers`` threads at once (the micro-batcher keeps up to ``in_flight`` calls running).

    ``texts`` gives each question's texts (default: the question alone), e.g. :func:`answer_texts`.
    """
    texts = texts or [[question] for question in QUESTIONS]
    done = [0] * callers
    start = threading.Barrier(callers)
    ends: list[float] = []

    def encode(slot: int) -> None:
        i = slot * batch
        start.wait()
        began = time.perf_counter()
        while time.perf_counter() - began < seconds:
            encoder.encode([text for k in range(batch) for text in texts[(i + k) % len(texts)]])
            i += batch * callers
            done[slot] += batch
        ends.append(time.perf_counter() - began)

    threads = [threading.Thread(target=encode, args=(slot,)) for slot in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / max(ends)


def best_encoding(encoder: Encoder, shapes: list[tuple[int, int]], seconds: float,
                  texts: list[list[str]] | None = None) -> tuple[float, tuple[int, int]]:
    """The best questions/s of pure encoding over ``shapes`` (batch, callers), and the shape that gave it."""
    rates = {shape: encodes_per_second(encoder, shape[0], seconds, texts, shape[1]) for shape in shapes}
    best = max(rates, key=rates.__getitem__)
    return rates[best], best


def throughput(
    ours: ArticleService, baseline: ArticleService | None, *, askers: tuple[int, ...], seconds: float, repeats: int,
    encoder: Encoder | None = None,
) -> dict:
    """Sustained questions/s per number of concurrent askers (median over repeats).

    With ``encoder`` (ours without the service), each entry also has, measured alternately, pure
    encoding: ``encode_qps``, the questions alone, the best of ``min(askers, ENCODE_BATCH)`` and
    ``min(askers, max_batch)`` questions per call (the micro-batcher sends up to ``max_batch`` texts;
    ``texts_per_model_call`` says how many it did) by one caller and by ``min(askers, in_flight)``
    callers at once (the micro-batcher runs up to ``in_flight`` calls at once); ``encode_shape`` says
    which [batch, callers] was best, and ``encode_answer_texts_qps`` encodes each question with its
    unmatched words, as answering does, in that shape; and ours as a share of each.
    """
    figure: dict = {"seconds": seconds, "repeats": repeats}
    texts = answer_texts(ours)
    batcher = ours.encoder if isinstance(ours.encoder, BatchingEncoder) else None
    for count in askers:
        mine, theirs, pure, pure_texts, batched = [], [], [], [], []
        batches = sorted({min(count, ENCODE_BATCH), min(count, batcher.max_batch if batcher else ENCODE_BATCH)})
        callers = sorted({1, min(count, batcher.in_flight if batcher else 1)})
        shapes = [(batch, slots) for batch in batches for slots in callers]
        best_shapes = []
        for _ in range(repeats):
            before = batcher.stats if batcher else None
            mine.append(questions_per_second(ours, count, seconds))
            if batcher and before:
                after = batcher.stats
                batched.append((after.texts - before.texts) / max(after.batches - before.batches, 1))
            if encoder is not None:
                # The ceiling: the best of the batch sizes the micro-batcher can send (32 and its max_batch),
                # by one caller or as many at once as the micro-batcher runs.
                rate, shape = best_encoding(encoder, shapes, seconds)
                pure.append(rate)
                best_shapes.append(shape)
                pure_texts.append(encodes_per_second(encoder, shape[0], seconds, texts, shape[1]))
            if baseline is not None:
                theirs.append(questions_per_second(baseline, count, seconds))
        entry = {"ours_qps": round(median(mine), 1)}
        if batched:
            entry["texts_per_model_call"] = round(median(batched), 1)
        if pure:
            entry |= {"encode_batch": batches[-1] if len(batches) == 1 else batches,
                      "encode_callers": callers[-1] if len(callers) == 1 else callers,
                      "encode_shape": list(max(set(best_shapes), key=best_shapes.count)),
                      "encode_qps": round(median(pure), 1),
                      "share_of_encode": round(median(mine) / median(pure), 2),
                      "encode_answer_texts_qps": round(median(pure_texts), 1),
                      "share_of_answer_texts_encode": round(median(mine) / median(pure_texts), 2)}
        if theirs:
            entry |= {"baseline_qps": round(median(theirs), 1), "speedup": ratio(median(mine), median(theirs))}
        figure[f"askers_{count}"] = entry
    return figure
