"""Typed settings from the environment and ``.env`` (python-dotenv); bad values fail fast."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from embeddings.models import BACKENDS, Backend, default_backend

from . import terminal

log = logging.getLogger(__name__)


class SettingsError(ValueError):
    """A setting has an invalid value; the message names the setting."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting article-bot reads; see .env.example for what each one does."""

    discord_token: str | None = None
    guild_ids: tuple[int, ...] = ()
    ask_channel_ids: frozenset[int] = frozenset()
    moderator_role_id: int | None = None
    article_path: str | None = None
    model: str | None = None
    embedding_backend: Backend = field(default_factory=default_backend)
    cache_dir: Path = Path(".cache/article-bot")
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    reload_allow_private_urls: bool = False
    reload_max_bytes: int = 5 * 1024 * 1024
    log_level: str = "INFO"
    data_dir: Path = Path(".data/article-bot")
    answer_in_threads: bool = False
    user_cooldown: tuple[int, float] | None = (6, 60.0)
    channel_cooldown: tuple[int, float] | None = (30, 60.0)
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None  # SHARD_IDS: the shards this process runs (None: all)
    embedding_threads: int | None = None  # EMBEDDING_THREADS: ONNX Runtime threads per process (None: all cores)
    cluster_socket: str | None = None  # set by `article-bot cluster`: where its children get IDENTIFY permits
    max_articles_per_scope: int = 10
    index_memory_mb: int = 512
    guild_data_retention_days: int = 30
    article_min_words: int = 50
    article_min_sentences: int = 3
    correction_window_days: int = 7
    correction_edits_per_minute: int = 20
    versions_kept: int = 20  # VERSIONS_KEPT: newest versions kept per article, besides cited and current ones
    refresh_interval: int | None = None  # seconds between scheduled re-fetches of URL articles; None: off
    database_url: str | None = field(default=None, repr=False)  # None: SQLite in DATA_DIR
    second_opinion: bool = True  # SECOND_OPINION: uncertain questions also asked of multilingual-e5-small
    cross_lingual: bool = True  # CROSS_LINGUAL: other-language questions answered by multilingual-e5-small

    def redacted(self) -> dict[str, object]:
        """The settings with the token and the database password hidden, for logs and /status."""
        shown = {name: getattr(self, name) for name in self.__slots__}
        shown["discord_token"] = "set" if self.discord_token else "unset"
        shown["database_url"] = redacted_database_url(self.database_url) if self.database_url else None
        return shown


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


MAX_DISCORD_ID = 2**63 - 1  # Discord's snowflakes fit a signed 64-bit integer (and so SQLite's INTEGER)
MAX_SHARD_COUNT = 65_536
LARGEST_COUNT = 1_000_000_000  # any count setting without a bound of its own
# The ranges of the numeric settings (minimum, maximum), each named in its error message.
RANGES: dict[str, tuple[int, int]] = {
    "RELOAD_MAX_BYTES": (1, 1024**3),
    "SHARD_COUNT": (1, MAX_SHARD_COUNT),
    "EMBEDDING_THREADS": (1, 1024),
    "MAX_ARTICLES_PER_SCOPE": (1, 10_000),
    "INDEX_MEMORY_MB": (1, 1024**2),
    "GUILD_DATA_RETENTION_DAYS": (1, 36_500),
    "ARTICLE_MIN_WORDS": (0, 1_000_000),
    "ARTICLE_MIN_SENTENCES": (0, 1_000_000),
    "CORRECTION_WINDOW_DAYS": (0, 36_500),
    "CORRECTION_EDITS_PER_MINUTE": (1, 10_000),
}
MAX_COOLDOWN_COUNT = 1_000_000
MAX_COOLDOWN_SECONDS = 30 * 86_400


def _whole(name: str, value: str, what: str, low: int, high: int | None = None) -> int:
    """A whole number from ``low`` to ``high`` (RANGES[name], else LARGEST_COUNT); ``what`` says what it is."""
    high = high if high is not None else RANGES.get(name, (low, LARGEST_COUNT))[1]
    text = value.strip()
    try:
        number = int(text)
    except ValueError:
        if not text.lstrip("+-").isdigit():
            raise SettingsError(f"{name} must be {what}, got {terminal.shown(value)}.") from None
        number = high + 1  # more digits than int() reads: out of range
    if not low <= number <= high:
        raise SettingsError(f"{name} must be {what} from {low:,} to {high:,}, got {terminal.shown(value)}.")
    return number


def _positive(name: str, value: str, what: str) -> int:
    """A positive whole number; ``what`` says what the number is, for the error message."""
    return _whole(name, value, what, 1)


def _int(name: str, value: str) -> int:
    """A Discord id (a positive snowflake)."""
    return _whole(name, value, "a Discord id (a positive number)", 1, MAX_DISCORD_ID)


def _ids(name: str, value: str) -> tuple[int, ...]:
    parts = [part for part in value.replace(";", ",").replace(" ", ",").split(",") if part]
    return tuple(_int(name, part) for part in parts)


def _positive_count(name: str, value: str | None, default: int) -> int:
    """A positive whole number, or ``default`` when unset."""
    return default if value is None else _whole(name, value, "a whole number", 1)


def _bool(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"", "0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, got {terminal.shown(value)}.")


def _url(name: str, value: str, schemes: tuple[str, ...]) -> str:
    if not value.startswith(tuple(f"{scheme}://" for scheme in schemes)):
        raise SettingsError(f"{name} must start with {' or '.join(schemes)}://, got {terminal.shown(value)}.")
    return value.rstrip("/")


def _rate(name: str, value: str) -> tuple[int, float] | None:
    """``"5/60"`` (5 questions per 60 s) → (5, 60.0); ``"off"`` or ``"0"`` → None."""
    if value.strip().lower() in {"off", "0", "none"}:
        return None
    count, _, seconds = value.partition("/")
    try:
        parsed = (int(count), float(seconds))
    except ValueError:
        raise SettingsError(
            f"{name} must look like 5/60 (questions per seconds) or off, got {terminal.shown(value)}."
        ) from None
    if not 1 <= parsed[0] <= MAX_COOLDOWN_COUNT or not 0 < parsed[1] <= MAX_COOLDOWN_SECONDS:  # nan fails too
        raise SettingsError(
            f"{name} needs a whole count from 1 to {MAX_COOLDOWN_COUNT:,} and a period of more than 0 and at most "
            f"{MAX_COOLDOWN_SECONDS:,} seconds (like 5/60), got {terminal.shown(value)}."
        )
    return parsed


def _count(name: str, value: str) -> int:
    """A whole number ≥ 0 (a minimum that 0 turns off)."""
    return _whole(name, value, "a whole number", 0)


def parse_shard_ids(value: str, shard_count: int | None) -> tuple[int, ...]:
    """``"0-3"``, ``"4,5"`` or mixed (``"0-2,7"``) → sorted distinct shard ids, each below ``shard_count``."""
    if shard_count is None:
        raise SettingsError("SHARD_IDS needs SHARD_COUNT (the total number of shards of the bot).")
    ids: set[int] = set()
    for part in (p.strip() for p in value.replace(";", ",").split(",")):
        if not part:
            continue
        first, dash, last = part.partition("-")
        try:
            low, high = int(first), int(last) if dash else int(first)
        except ValueError:
            raise SettingsError(
                f"SHARD_IDS must list shard numbers and ranges like 0-3,5, got {terminal.shown(value)}."
            ) from None
        if low < 0 or high < low:
            raise SettingsError(f"SHARD_IDS range {terminal.shown(part)} must go from a smaller to a larger "
                                "shard number (0 or more).")
        if high >= shard_count:
            raise SettingsError(
                f"SHARD_IDS {terminal.shown(part)} names shard {high}, but SHARD_COUNT={shard_count} means shards "
                f"0-{shard_count - 1}."
            )
        ids.update(range(low, high + 1))
    if not ids:
        raise SettingsError(f"SHARD_IDS names no shard, got {terminal.shown(value)}.")
    return tuple(sorted(ids))


def _refresh_interval(value: str | None) -> int | None:
    """REFRESH_INTERVAL: off (default) or 15m to 7d."""
    from .refresh_timing import DurationError, parse_every

    try:
        return parse_every(value or "off")
    except DurationError as error:
        raise SettingsError(f"REFRESH_INTERVAL: {error}") from None


DATABASE_SCHEMES = ("sqlite", "postgresql", "postgres")


def redacted_database_url(url: str) -> str:
    """A database URL with its password replaced by ``***``."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _database_url(value: str | None) -> str | None:
    """DATABASE_URL: ``sqlite:///file`` or ``postgresql://user:password@host:port/database``."""
    if value is None:
        return None
    scheme, separator, rest = value.partition("://")
    shown = redacted_database_url(value)
    if not separator or scheme.lower() not in DATABASE_SCHEMES:
        raise SettingsError(f"DATABASE_URL must start with sqlite:/// or postgresql://, got {shown!r}.")
    if scheme.lower() == "sqlite" and (not rest.startswith("/") or len(rest) < 2):
        raise SettingsError(f"DATABASE_URL for SQLite looks like sqlite:///path/to/file.sqlite3, got {shown!r}.")
    if scheme.lower() != "sqlite":
        host = rest.split("/", 1)[0].rsplit("@", 1)[-1]
        if not host and "host=" not in rest:
            raise SettingsError(f"DATABASE_URL names no PostgreSQL host, got {shown!r}.")
        if "/" not in rest or not rest.split("/", 1)[1].split("?", 1)[0]:
            raise SettingsError(f"DATABASE_URL names no database (…/DATABASE at the end), got {shown!r}.")
    return value


def settings_from(environ: Mapping[str, str]) -> Settings:
    """Parse settings from a mapping (the environment); raises SettingsError naming the setting."""

    def get(name: str) -> str | None:
        value = environ.get(name)
        return value.strip() if value and value.strip() else None

    level = (get("LOG_LEVEL") or "INFO").upper()
    if level not in LOG_LEVELS:
        raise SettingsError(
            f"LOG_LEVEL must be {', '.join(LOG_LEVELS[:-1])} or {LOG_LEVELS[-1]}, got {terminal.shown(level)}."
        )
    token = get("DISCORD_TOKEN")
    if token and (" " in token or len(token) < 20):
        raise SettingsError("DISCORD_TOKEN does not look like a bot token (check for spaces).")
    article = get("ARTICLE_PATH")
    if article and not Path(article).expanduser().is_file():
        raise SettingsError(f"ARTICLE_PATH {article!r} is not a readable file.")
    max_bytes = get("RELOAD_MAX_BYTES")
    backend = (get("EMBEDDING_BACKEND") or default_backend()).lower()
    if backend not in BACKENDS:
        raise SettingsError(f"EMBEDDING_BACKEND must be {' or '.join(BACKENDS)}, got {terminal.shown(backend)}.")
    api_base, gateway = get("DISCORD_API_BASE"), get("DISCORD_GATEWAY_URL")
    return Settings(
        discord_token=token,
        guild_ids=_ids("GUILD_ID", get("GUILD_ID") or ""),
        ask_channel_ids=frozenset(_ids("ASK_CHANNEL_IDS", get("ASK_CHANNEL_IDS") or "")),
        moderator_role_id=_int("MODERATOR_ROLE_ID", r) if (r := get("MODERATOR_ROLE_ID")) else None,
        article_path=str(Path(article).expanduser()) if article else None,
        model=get("MODEL"),
        embedding_backend=backend,
        cache_dir=Path(get("CACHE_DIR") or ".cache/article-bot").expanduser(),
        discord_api_base=_url("DISCORD_API_BASE", api_base, ("http", "https")) if api_base else None,
        discord_gateway_url=_url("DISCORD_GATEWAY_URL", gateway, ("ws", "wss")) if gateway else None,
        reload_allow_private_urls=_bool(
            "RELOAD_ALLOW_PRIVATE_URLS", get("RELOAD_ALLOW_PRIVATE_URLS") or ""
        ),
        reload_max_bytes=(
            _positive("RELOAD_MAX_BYTES", max_bytes, "a number of bytes") if max_bytes else 5 * 1024 * 1024
        ),
        log_level=level,
        data_dir=Path(get("DATA_DIR") or ".data/article-bot").expanduser(),
        answer_in_threads=_bool("ANSWER_IN_THREADS", get("ANSWER_IN_THREADS") or ""),
        user_cooldown=_rate("USER_COOLDOWN", get("USER_COOLDOWN") or "6/60"),
        channel_cooldown=_rate("CHANNEL_COOLDOWN", get("CHANNEL_COOLDOWN") or "30/60"),
        shard_count=_shard_count(get),
        cluster_socket=get("ARTICLE_BOT_CLUSTER_SOCKET"),
        embedding_threads=(
            _positive("EMBEDDING_THREADS", t, "a number of threads") if (t := get("EMBEDDING_THREADS")) else None
        ),
        shard_ids=parse_shard_ids(ids, _shard_count(get)) if (ids := get("SHARD_IDS")) else None,
        max_articles_per_scope=_positive_count("MAX_ARTICLES_PER_SCOPE", get("MAX_ARTICLES_PER_SCOPE"), 10),
        index_memory_mb=_positive_count("INDEX_MEMORY_MB", get("INDEX_MEMORY_MB"), 512),
        guild_data_retention_days=_positive_count("GUILD_DATA_RETENTION_DAYS", get("GUILD_DATA_RETENTION_DAYS"), 30),
        article_min_words=_count("ARTICLE_MIN_WORDS", get("ARTICLE_MIN_WORDS") or "50"),
        article_min_sentences=_count("ARTICLE_MIN_SENTENCES", get("ARTICLE_MIN_SENTENCES") or "3"),
        correction_window_days=_count("CORRECTION_WINDOW_DAYS", get("CORRECTION_WINDOW_DAYS") or "7"),
        correction_edits_per_minute=_positive_count(
            "CORRECTION_EDITS_PER_MINUTE", get("CORRECTION_EDITS_PER_MINUTE"), 20
        ),
        versions_kept=_positive_count("VERSIONS_KEPT", get("VERSIONS_KEPT"), 20),
        refresh_interval=_refresh_interval(get("REFRESH_INTERVAL")),
        database_url=_database_url(get("DATABASE_URL")),
        second_opinion=_bool("SECOND_OPINION", get("SECOND_OPINION") or "true"),
        cross_lingual=_bool("CROSS_LINGUAL", get("CROSS_LINGUAL") or "true"),
    )


def _shard_count(get: Callable[[str], str | None]) -> int | None:
    shards = get("SHARD_COUNT")
    return _positive("SHARD_COUNT", shards, "a number of shards") if shards else None


def load_settings(env_file: str | os.PathLike[str] | None = ".env") -> Settings:
    """Read ``.env`` (without overriding the real environment), then parse the environment."""
    from dotenv import load_dotenv

    if env_file and Path(env_file).is_file():
        load_dotenv(env_file, override=False)
    return settings_from(os.environ)
