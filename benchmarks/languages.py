"""Questions across languages: English latency with and without routing, cross-lingual latency, the e5
index build per paragraph, and memory with both models and indexes loaded."""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
import time
from pathlib import Path

from embeddings.answers import Answerer, ArticleService
from embeddings.evaluation import SquadArticle, build_article
from embeddings.ranking import build_second_index, sentence_texts
from embeddings.vectors import EmbeddingCache

from .coldstart import cli_environment, measured_run
from .common import QUESTIONS, ROOT, median, ms

log = logging.getLogger(__name__)

# The seed article's questions, asked in Ukrainian and Russian (the cross-lingual route).
ACROSS = (
    "Хто командує полком Азов?",
    "Скільки людей евакуювали?",
    "У чому Зеленський звинуватив Москву?",
    "Де знаходиться завод Азовсталь?",
    "Яку допомогу отримають евакуйовані?",
    "Кто командует полком Азов?",
    "Сколько людей эвакуировали?",
    "Что несли с собой спасённые люди?",
    "Из каких городов спасали людей?",
    "Кто объявил о победе над Мариуполем?",
)


def _answer_times(service: ArticleService, questions: tuple[str, ...], count: int) -> list[float]:
    """Seconds per answer, ``count`` questions in rotation; none of them remembered by the second opinion (a
    question asked again would skip its e5 call)."""
    second = service.answerer.second
    for question in questions:  # warm-up
        service.answer(question)
    times = []
    for i in range(count):
        if second is not None:
            second.forget_queries()
        started = time.perf_counter()
        service.answer(questions[i % len(questions)])
        times.append(time.perf_counter() - started)
    return times


def _paired_times(service: ArticleService, unrouted: Answerer, count: int) -> tuple[list[float], list[float]]:
    """Seconds per English answer with ``service``'s answerer and with ``unrouted`` (routing off), the two
    alternating question by question so both see the same machine."""
    routed = service.answerer
    times: tuple[list[float], list[float]] = ([], [])
    for question in QUESTIONS:  # warm-up
        service.answer(question)
    for i in range(2 * count):
        service.answerer = routed if i % 2 == 0 else unrouted
        started = time.perf_counter()
        service.answer(QUESTIONS[(i // 2) % len(QUESTIONS)])
        times[i % 2].append(time.perf_counter() - started)
    service.answerer = routed
    return times


def _news_paragraphs_build(encoder, work: Path, repeats: int) -> dict:
    """e5 seconds per paragraph (with its sentences) of XQuAD's first 24 English paragraphs (Wikipedia,
    ~140 tokens each, longer than the seed article's), when ``../shared/data`` is beside the project."""
    source = ROOT.parent / "shared" / "data" / "xquad-part-a" / "xquad.en.json"
    if not source.exists():
        return {}
    contexts = [p["context"] for item in json.loads(source.read_text(encoding="utf-8"))["data"]
                for p in item["paragraphs"]][:24]
    article = build_article(SquadArticle("xquad", tuple(contexts), ()))
    texts = [p.text for p in article.paragraphs] + sentence_texts(article)
    seconds = []
    for attempt in range(repeats):
        started = time.perf_counter()
        EmbeddingCache(work / f"e5-xquad-{attempt}").embed(encoder, texts)
        seconds.append(time.perf_counter() - started)
    return {"e5_build_s_per_xquad_paragraph": round(median(seconds) / len(contexts), 4),
            "e5_build_xquad_rows": len(texts)}


def _cold_asks(cache_dir: Path, question: str, runs: int) -> tuple[float, float]:
    """Median wall seconds and peak RSS (MB) of ``article-bot ask QUESTION`` in a new process (warm caches)."""
    command = [sys.executable, "-m", "bot.cli", "ask", question, "--json"]
    environment = cli_environment(cache_dir, "onnx")
    measured_run(command, environment)  # warm-up: embeddings (and the e5 index) cached
    done = [measured_run(command, environment) for _ in range(runs)]
    return median([r.seconds for r in done]), median([r.peak_mb for r in done])


def run(service: ArticleService, work: Path, cli_cache: Path, *, count: int, repeats: int, runs: int) -> dict:
    """Figures of the loaded seed-article ``service`` (its e5 index already built); ``cli_cache``: a
    CACHE_DIR holding the ONNX export, for the command-line runs."""
    answerer = service.answerer
    unrouted_answerer = Answerer(answerer.encoder, dataclasses.replace(answerer.settings, cross_lingual=False),
                                 answerer.second)
    routed, unrouted, across = [], [], []
    for _ in range(repeats):
        both = _paired_times(service, unrouted_answerer, count)  # routing on and off, question by question
        routed.append(median(both[0]))
        unrouted.append(median(both[1]))
        across.append(median(_answer_times(service, ACROSS, count)))
    second = answerer.second
    assert second is not None
    index = service.index
    build = []
    for attempt in range(repeats):  # an empty cache each time: every row encoded
        started = time.perf_counter()
        build_second_index(index, second.indexes.encoder, EmbeddingCache(work / f"e5-build-{attempt}"))
        build.append(time.perf_counter() - started)
    news = _news_paragraphs_build(second.indexes.encoder, work, repeats)
    english_s, english_mb = _cold_asks(cli_cache, QUESTIONS[0], runs)
    across_s, across_mb = _cold_asks(cli_cache, ACROSS[5], runs)
    paragraphs = len(index.article.paragraphs)
    english, plain = median(routed), median(unrouted)
    return {
        "english_p50_ms": ms(english),
        "english_without_routing_p50_ms": ms(plain),
        "english_over_unrouted": round(english / plain, 3),
        "cross_lingual_p50_ms": ms(median(across)),
        "e5_build_s_per_paragraph": round(median(build) / paragraphs, 4),
        "e5_build_rows": paragraphs + index.sentence_count,
        **news,
        "cold_start_english_s": round(english_s, 3),
        "cold_start_cross_lingual_s": round(across_s, 3),
        "peak_rss_mb_english": round(english_mb, 1),
        "peak_rss_mb_both_models": round(across_mb, 1),
    }
