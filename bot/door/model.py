"""The configured embedding model, apart from the engine: the command line starts loading it before it
imports the rest of the engine, so ONNX Runtime builds its session (which releases the GIL) meanwhile."""

from __future__ import annotations

from embeddings.models import Encoder, make_encoder

from ..engine_settings import EngineConfig


def make_model(settings: EngineConfig, *, preload: bool = False) -> Encoder:
    """The configured model (EMBEDDING_BACKEND, MODEL, CACHE_DIR), nothing loaded unless ``preload``."""
    inner = make_encoder(settings.embedding_backend, settings.model, settings.cache_dir)
    if settings.embedding_threads and hasattr(inner, "threads"):
        inner.threads = settings.embedding_threads  # type: ignore[attr-defined]  # ONNX Runtime's intra-op threads
    if preload and hasattr(inner, "preload"):
        inner.preload()  # type: ignore[attr-defined]
    return inner
