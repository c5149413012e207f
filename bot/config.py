"""Typed settings from the environment and ``.env`` (python-dotenv); bad values fail fast."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

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
    cache_dir: Path = Path(".cache/article-bot")
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    reload_allow_private_urls: bool = False
    reload_max_bytes: int = 5 * 1024 * 1024
    log_level: str = "INFO"

    def redacted(self) -> dict[str, object]:
        """The settings with the token hidden, for logs and /status."""
        shown = {name: getattr(self, name) for name in self.__slots__}
        shown["discord_token"] = "set" if self.discord_token else "unset"
        return shown


def _int(name: str, value: str) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise SettingsError(f"{name} must be a number (a Discord id), got {value!r}.") from None
    if number <= 0:
        raise SettingsError(f"{name} must be a positive id, got {value!r}.")
    return number


def _ids(name: str, value: str) -> tuple[int, ...]:
    parts = [part for part in value.replace(";", ",").replace(" ", ",").split(",") if part]
    return tuple(_int(name, part) for part in parts)


def _bool(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"", "0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, got {value!r}.")


def _url(name: str, value: str, schemes: tuple[str, ...]) -> str:
    if not value.startswith(tuple(f"{scheme}://" for scheme in schemes)):
        raise SettingsError(f"{name} must start with {' or '.join(schemes)}://, got {value!r}.")
    return value.rstrip("/")


def settings_from(environ: Mapping[str, str]) -> Settings:
    """Parse settings from a mapping (the environment); raises SettingsError naming the setting."""

    def get(name: str) -> str | None:
        value = environ.get(name)
        return value.strip() if value and value.strip() else None

    level = (get("LOG_LEVEL") or "INFO").upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise SettingsError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {level!r}.")
    token = get("DISCORD_TOKEN")
    if token and (" " in token or len(token) < 20):
        raise SettingsError("DISCORD_TOKEN does not look like a bot token (check for spaces).")
    article = get("ARTICLE_PATH")
    if article and not Path(article).expanduser().is_file():
        raise SettingsError(f"ARTICLE_PATH {article!r} is not a readable file.")
    max_bytes = get("RELOAD_MAX_BYTES")
    api_base, gateway = get("DISCORD_API_BASE"), get("DISCORD_GATEWAY_URL")
    return Settings(
        discord_token=token,
        guild_ids=_ids("GUILD_ID", get("GUILD_ID") or ""),
        ask_channel_ids=frozenset(_ids("ASK_CHANNEL_IDS", get("ASK_CHANNEL_IDS") or "")),
        moderator_role_id=_int("MODERATOR_ROLE_ID", r) if (r := get("MODERATOR_ROLE_ID")) else None,
        article_path=str(Path(article).expanduser()) if article else None,
        model=get("MODEL"),
        cache_dir=Path(get("CACHE_DIR") or ".cache/article-bot").expanduser(),
        discord_api_base=_url("DISCORD_API_BASE", api_base, ("http", "https")) if api_base else None,
        discord_gateway_url=_url("DISCORD_GATEWAY_URL", gateway, ("ws", "wss")) if gateway else None,
        reload_allow_private_urls=_bool(
            "RELOAD_ALLOW_PRIVATE_URLS", get("RELOAD_ALLOW_PRIVATE_URLS") or ""
        ),
        reload_max_bytes=_int("RELOAD_MAX_BYTES", max_bytes) if max_bytes else 5 * 1024 * 1024,
        log_level=level,
    )


def load_settings(env_file: str | os.PathLike[str] | None = ".env") -> Settings:
    """Read ``.env`` (without overriding the real environment), then parse the environment."""
    from dotenv import load_dotenv

    if env_file and Path(env_file).is_file():
        load_dotenv(env_file, override=False)
    return settings_from(os.environ)
