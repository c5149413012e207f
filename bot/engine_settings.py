"""The few settings the one-shot command line reads (``article-bot ask``, ``summary``, ``console``), without
pydantic: importing it costs those commands' cold start some 300 ms. Same environment names, defaults and
rules as :class:`bot.config.Settings` (the readers are shared, :mod:`bot.setting_values`; a test holds the
two equal field by field); the engine is built from either (:class:`EngineConfig`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from embeddings.defaults import DEFAULT_MAX_ARTICLES, DEFAULT_MEMORY_MB, MIN_SENTENCES, MIN_WORDS
from embeddings.models import Backend, default_backend

from .setting_values import (
    ARTICLES,
    DEFAULT_CACHE_DIR,
    DEFAULT_LOG_LEVEL,
    MEGABYTES,
    MINIMUM,
    THREADS,
    Refused,
    article_path,
    backend,
    directory,
    flag,
    log_level,
    present,
)


class EngineConfig(Protocol):
    """What building the model and the engine reads (:func:`bot.door.make_model`, :func:`bot.door.make_service`)."""

    @property
    def article_path(self) -> str | None: ...
    @property
    def model(self) -> str | None: ...
    @property
    def embedding_backend(self) -> Backend: ...
    @property
    def cache_dir(self) -> Path: ...
    @property
    def embedding_threads(self) -> int | None: ...
    @property
    def index_memory_mb(self) -> int: ...
    @property
    def max_articles_per_scope(self) -> int: ...
    @property
    def article_min_words(self) -> int: ...
    @property
    def article_min_sentences(self) -> int: ...
    @property
    def second_opinion(self) -> bool: ...
    @property
    def cross_lingual(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """The settings of :class:`EngineConfig` and LOG_LEVEL; each read from the field's name in capitals."""

    log_level: str = DEFAULT_LOG_LEVEL
    article_path: str | None = None
    model: str | None = None
    embedding_backend: Backend = field(default_factory=default_backend)
    cache_dir: Path = DEFAULT_CACHE_DIR
    embedding_threads: int | None = None
    index_memory_mb: int = DEFAULT_MEMORY_MB
    max_articles_per_scope: int = DEFAULT_MAX_ARTICLES
    article_min_words: int = MIN_WORDS
    article_min_sentences: int = MIN_SENTENCES
    second_opinion: bool = True
    cross_lingual: bool = True


READERS: dict[str, Callable[[str], object]] = {
    "log_level": log_level, "article_path": article_path, "model": str, "embedding_backend": backend,
    "cache_dir": directory, "embedding_threads": THREADS.read, "index_memory_mb": MEGABYTES.read,
    "max_articles_per_scope": ARTICLES.read, "article_min_words": MINIMUM.read,
    "article_min_sentences": MINIMUM.read, "second_opinion": flag, "cross_lingual": flag,
}


def engine_settings_from(environ: Mapping[str, str]) -> EngineSettings:
    """The engine's settings from a mapping (the environment); raises SettingsError naming the setting."""
    values: dict[str, object] = {}
    for name, read in READERS.items():
        text = present(environ, name.upper())
        if text is not None:
            try:
                values[name] = read(text)
            except Refused as error:
                raise error.named(name.upper()) from None
    return EngineSettings(**values)  # type: ignore[arg-type]  # each reader returns its field's type


def load_environment(env_file: str | os.PathLike[str] | None = ".env") -> None:
    """Read ``.env`` into the environment, without overriding what the environment already says."""
    if env_file and Path(env_file).is_file():
        from dotenv import load_dotenv

        load_dotenv(env_file, override=False)


def load_engine_settings(env_file: str | os.PathLike[str] | None = ".env") -> EngineSettings:
    """Read ``.env`` (without overriding the real environment), then the engine's settings."""
    load_environment(env_file)
    return engine_settings_from(os.environ)
