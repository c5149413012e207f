"""EMBEDDING_BACKEND: parsing, and the encoder make_service builds for it."""

from __future__ import annotations

import pytest

from bot.config import Settings, SettingsError, settings_from
from bot.engine import make_service
from embeddings.batching import BatchingEncoder
from embeddings.cache import EmbeddingCache
from embeddings.encoder import SentenceTransformerEncoder
from embeddings.onnx_encoder import OnnxEncoder


def test_backend_defaults_to_onnx_when_installed():
    """onnxruntime is a dependency, so the default backend is onnx."""
    assert settings_from({}).embedding_backend == "onnx"
    assert Settings().embedding_backend == "onnx"


@pytest.mark.parametrize(("value", "expected"), [("onnx", "onnx"), ("torch", "torch"), (" TORCH ", "torch")])
def test_backend_values(value, expected):
    """Both backends are accepted, case-insensitively."""
    assert settings_from({"EMBEDDING_BACKEND": value}).embedding_backend == expected


def test_bad_backend_names_the_setting():
    """An unknown backend fails with a message naming EMBEDDING_BACKEND and the choices."""
    with pytest.raises(SettingsError, match="EMBEDDING_BACKEND must be onnx or torch"):
        settings_from({"EMBEDDING_BACKEND": "tensorflow"})


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

    from embeddings.blas import SINGLE_THREAD_BELOW, tune_blas_threads

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
    from embeddings.article import ArticleRequirements

    service = make_service(Settings(cache_dir=tmp_path, article_min_words=7, article_min_sentences=2), preload=False)
    assert service.requirements == ArticleRequirements(7, 2)
