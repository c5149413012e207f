"""make_service: the encoder it builds for EMBEDDING_BACKEND, and BLAS sizing after a reload."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.door.engine import make_service
from embeddings.models import BatchingEncoder, OnnxEncoder, SentenceTransformerEncoder
from embeddings.vectors import EmbeddingCache


@pytest.mark.parametrize(("backend", "kind"), [("onnx", OnnxEncoder), ("torch", SentenceTransformerEncoder)])
def test_make_service_serves_the_backend_behind_the_batcher(tmp_path, backend, kind):
    """make_service wraps the configured backend in the micro-batcher; nothing is loaded yet."""
    settings = Settings(embedding_backend=backend, cache_dir=tmp_path)
    service = make_service(settings, preload=False)
    assert isinstance(service.encoder, BatchingEncoder) and isinstance(service.encoder.inner, kind)
    assert not service.encoder.inner.loaded and not service.loaded


def test_served_article_sizes_blas_threads(tmp_path, onnx_encoder):
    """After a reload the service sets BLAS to one thread for a small article like the seed."""
    from threadpoolctl import threadpool_info

    from embeddings.models import SINGLE_THREAD_BELOW, tune_blas_threads

    settings = Settings(embedding_backend="onnx", cache_dir=onnx_encoder.cache_dir)
    service = make_service(settings, preload=False)
    service.cache = EmbeddingCache(tmp_path)
    try:
        tune_blas_threads(SINGLE_THREAD_BELOW)
        service.reload()
        assert {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"} == {1}
        assert service.answer("Who commands the Azov Regiment?").answered
    finally:
        tune_blas_threads(SINGLE_THREAD_BELOW)


def test_make_service_applies_the_article_minimums(tmp_path):
    """The service make_service builds refuses texts below the configured minimums."""
    from embeddings.text import ArticleRequirements

    service = make_service(Settings(cache_dir=tmp_path, article_min_words=7, article_min_sentences=2), preload=False)
    assert service.requirements == ArticleRequirements(7, 2)


@pytest.mark.parametrize(("second", "across"), [(True, True), (False, True), (True, False), (False, False)])
def test_make_service_switches_the_second_opinion_and_the_cross_lingual_route_apart(tmp_path, second, across):
    """SECOND_OPINION and CROSS_LINGUAL each switch their own use of e5; e5 is loaded when either needs it."""
    service = make_service(Settings(cache_dir=tmp_path, second_opinion=second, cross_lingual=across), preload=False)
    settings = service.answerer.settings
    assert (settings.cascade, settings.cross_lingual) == (second, across)
    assert (service.answerer.second is not None) == (second or across)
