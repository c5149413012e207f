"""The composition root: the one place the store, the engine, the door and the bot are put together.

``article-bot run``/``sync`` (:func:`run`), the command line's ``ask``/``summary``/``console``
(:func:`cli_service`), ``eval`` (:func:`make_model`), devtools' bot for the fake Discord server, the tests and
every benchmark build through these functions; nothing else constructs a ``Database``, a ``LibraryStore`` or
an ``AsyncEngine``. A layer of its own: above the gateway (it builds the bot), below the command line.

Importing this module imports only the lazy faces: the engine, discord.py and the database drivers are
imported when a function first needs them, so ``article-bot ask`` stays lean.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from embeddings.answers import ArticleService
    from embeddings.models import Encoder
    from embeddings.vectors import EmbeddingCache

    from .config import Settings
    from .door import AsyncEngine
    from .engine_settings import EngineConfig
    from .gateway import ArticleBot, ShardedArticleBot
    from .storage import Database, LibraryStore, Records, Retention

__all__ = [
    "build_bot", "cli_service", "engine_service", "make_database", "make_engine", "make_model", "make_records",
    "make_store", "open_database", "run",
]


# The store.


def make_database(directory: Path, *, url: str | None = None, busy_timeout: float = 2.0,
                  retry_for: float = 10.0) -> Database:
    """The database in ``directory`` (SQLite), or the one ``url`` names (PostgreSQL or ``sqlite:///``)."""
    from .storage import Database

    return Database(directory, busy_timeout=busy_timeout, url=url, retry_for=retry_for)


def open_database(settings: Settings, *, busy_timeout: float = 2.0) -> Database:
    """The configured database: DATABASE_URL, else ``DATA_DIR/article-bot.sqlite3`` (nothing opened yet)."""
    return make_database(settings.data_dir, url=settings.database_url, busy_timeout=busy_timeout)


def make_records(database: Database) -> Records:
    """The store's operations by idea over ``database``, as the bot and its cogs use them."""
    from .storage import Records

    return Records(database)


def make_store(database: Database, settings: Settings | None = None, *,
               retention: Retention | None = None) -> LibraryStore:
    """The scopes' libraries and their versions in ``database``, kept as ``settings`` say (VERSIONS_KEPT,
    CORRECTION_WINDOW_DAYS; ``retention`` instead, or the defaults without either)."""
    from .storage import LibraryStore, Retention

    if retention is None and settings is not None:
        retention = Retention(settings.versions_kept, settings.correction_window_days)
    return LibraryStore(database) if retention is None else LibraryStore(database, retention)


# The engine and its door.


def make_model(settings: EngineConfig, *, preload: bool = False) -> Encoder:
    """The configured embedding model (EMBEDDING_BACKEND, MODEL, CACHE_DIR)."""
    from .door import make_model as door_model

    return door_model(settings, preload=preload)


def engine_service(
    settings: EngineConfig, *, database: Database | None = None, article: str | None = None,
    encoder: Encoder | None = None, cache: EmbeddingCache | None = None, shared_vectors: bool | None = None,
    preload: bool = True, second_opinion_waits: bool = False,
) -> ArticleService:
    """The answering engine for ``settings``; with a PostgreSQL ``database`` its embeddings are shared with
    the other processes through the store (``shared_vectors``: force that choice; ``cache``: the cache as is)."""
    from .door import make_service

    if cache is None and database is not None:
        from embeddings.vectors import EmbeddingCache

        from .storage import DatabaseVectors

        share = database.backend.dialect == "postgresql" if shared_vectors is None else shared_vectors
        cache = EmbeddingCache(settings.cache_dir, shared=DatabaseVectors(database) if share else None)
    return make_service(settings, article=article, preload=preload, encoder=encoder, cache=cache,
                        second_opinion_waits=second_opinion_waits)


def make_engine(service: ArticleService, store: LibraryStore | None = None) -> AsyncEngine:
    """The door over ``service``, serving the libraries ``store`` keeps (None: the configured article only)."""
    from .door import AsyncEngine

    return AsyncEngine(service, service.source, store=store)


def cli_service(settings: EngineConfig, articles: Iterable[str], model: Encoder) -> ArticleService:
    """``ask``/``summary``/``console``: the engine on ``model`` (already loading) with ``articles`` added,
    the second opinion answered at once (one asker)."""
    from embeddings.models import BatchingEncoder

    articles = list(articles)
    service = engine_service(settings, article=articles[0] if articles else None, encoder=BatchingEncoder(model),
                             second_opinion_waits=True)
    for extra in articles[1:]:
        service.add(extra)
    return service


# The bot.


def build_bot(
    settings: Settings, *, force_sync: bool = False, guild_ready_timeout: float = 2.0,
    service: ArticleService | None = None, busy_timeout: float = 2.0,
) -> ArticleBot | ShardedArticleBot:
    """The bot with its engine, records and store injected (nothing loaded yet), for ``article-bot run`` and
    the tests (which pass a ``service`` on their model)."""
    from .gateway import ArticleBot, ShardedArticleBot, SyncState

    database = open_database(settings, busy_timeout=busy_timeout)
    if service is None:
        service = engine_service(settings, database=database)
    engine = make_engine(service, make_store(database, settings))
    bot_class = ShardedArticleBot if settings.shard_count else ArticleBot
    return bot_class(
        settings=settings,
        engine=engine,
        records=make_records(database),
        sync_state=SyncState(settings.cache_dir / "command-sync.json"),
        force_sync=force_sync,
        guild_ready_timeout=guild_ready_timeout,
    )


def run(settings: Settings, *, sync_only: bool = False) -> int:
    """``article-bot run`` (or ``sync``): build the bot and run it until interrupted; the exit status."""
    from .gateway import run_bot

    return run_bot(settings, lambda: build_bot(settings, force_sync=sync_only), sync_only=sync_only)
