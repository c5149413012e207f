"""Shared fixtures: the real bundled model (loaded once per session) and the seed article."""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from embeddings.answers import ArticleService
from embeddings.models import OnnxEncoder, SentenceTransformerEncoder, export_directory
from embeddings.text import Article, default_article_path, load_article
from embeddings.vectors import EmbeddingCache

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


class CountingEncoder:
    """Wraps the real encoder and records every batch it is asked to encode."""

    def __init__(self, inner: SentenceTransformerEncoder) -> None:
        self.inner = inner
        self.batches: list[list[str]] = []

    @property
    def identity(self) -> str:
        return self.inner.identity

    @property
    def encoded_texts(self) -> list[str]:
        return [text for batch in self.batches for text in batch]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.batches.append(list(texts))
        return self.inner.encode(texts)


@pytest.fixture(scope="session")
def encoder() -> SentenceTransformerEncoder:
    """The bundled all-MiniLM-L6-v2, loaded once for the whole session."""
    model = SentenceTransformerEncoder()
    model.load()
    return model


def copy_export(onnx_encoder: OnnxEncoder, cache: Path) -> Path:
    """Copy the session's ONNX export into another cache directory (so nothing re-exports)."""
    source = export_directory(onnx_encoder.cache_dir, onnx_encoder.identity)
    target = export_directory(cache, onnx_encoder.identity)
    shutil.copytree(source, target)
    return target


@pytest.fixture(scope="session")
def onnx_encoder(tmp_path_factory: pytest.TempPathFactory) -> OnnxEncoder:
    """The same model on ONNX Runtime, exported once for the session (into ``<tmp>/onnx-cache/onnx``)."""
    model = OnnxEncoder(None, tmp_path_factory.mktemp("onnx-cache"))
    model.load()
    return model


@pytest.fixture
def counting_encoder(encoder: SentenceTransformerEncoder) -> CountingEncoder:
    """The real encoder, with a record of what it encodes."""
    return CountingEncoder(encoder)


@pytest.fixture(scope="session")
def seed_article() -> Article:
    """The article the bot ships with."""
    return load_article(default_article_path())


@pytest.fixture(scope="session")
def seed_service(
    encoder: SentenceTransformerEncoder, tmp_path_factory: pytest.TempPathFactory
) -> ArticleService:
    """A service on the seed article with its own cache directory (shared by read-only tests)."""
    cache = EmbeddingCache(tmp_path_factory.mktemp("seed-cache"))
    service = ArticleService(encoder, cache, default_article_path())
    service.reload()
    return service


@pytest.fixture
def fresh_service(encoder: SentenceTransformerEncoder, tmp_path: Path) -> ArticleService:
    """A service on a copy of the seed article that a test may reload and edit."""
    article = tmp_path / "article.txt"
    article.write_bytes(default_article_path().read_bytes())
    service = ArticleService(encoder, EmbeddingCache(tmp_path / "cache"), article)
    service.reload()
    return service


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for the whole session (started on first use, stopped at the end).

    Fails (never skips) with the reason when PostgreSQL cannot be found or started."""
    from devtools.postgres_server import running_server

    with running_server() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """The URL of a fresh, empty database on the session's PostgreSQL server."""
    return postgres_server.fresh_url()
