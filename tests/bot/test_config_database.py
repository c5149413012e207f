"""DATABASE_URL: SQLite or PostgreSQL, validated, and never shown with its password."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import SettingsError, settings_from
from bot.storage import Database


@pytest.mark.parametrize("url", ["postgresql://bot:pw@db.example:5432/articles", "postgres://bot@127.0.0.1/bot",
                                 "sqlite:///data/bot.sqlite3", "sqlite:////var/lib/bot.sqlite3"])
def test_database_url_accepts_sqlite_and_postgres(url: str):
    """sqlite:///… and postgresql:// or postgres:// URLs are kept as given; unset is None (SQLite in DATA_DIR)."""
    assert settings_from({"DATABASE_URL": url}).database_url == url
    assert settings_from({}).database_url is None


@pytest.mark.parametrize(("url", "message"), [
    ("mysql://bot:hunter2@h/db", "must start with"),
    ("db.example:5432", "must start with"),
    ("sqlite://relative.db", "looks like sqlite:///"),
    ("postgresql://bot:hunter2@/articles", "no PostgreSQL host"),
    ("postgresql://bot:hunter2@db.example", "names no database"),
])
def test_bad_database_url_is_a_clear_error_without_the_password(url: str, message: str):
    """A wrong DATABASE_URL fails naming the setting and the problem, with the password hidden."""
    with pytest.raises(SettingsError, match=message) as raised:
        settings_from({"DATABASE_URL": url})
    assert "DATABASE_URL" in str(raised.value) and "hunter2" not in str(raised.value)


def test_settings_never_show_the_database_password():
    """Neither repr(settings) nor the redacted view (logs, /status) holds the password."""
    settings = settings_from({"DATABASE_URL": "postgresql://bot:hunter2@db.example/articles"})
    assert "hunter2" not in repr(settings)
    assert settings.redacted()["database_url"] == "postgresql://bot:***@db.example/articles"


async def test_sqlite_url_puts_the_database_in_that_file(tmp_path: Path):
    """DATABASE_URL=sqlite:///FILE stores in FILE, not in DATA_DIR."""
    target = tmp_path / "elsewhere" / "bot.sqlite3"
    db = Database(tmp_path / "data", url=f"sqlite:///{target}")
    try:
        await db.record_version(digest="d", source="s", title="t", loaded_by=None, added=0, removed=0, changed=0,
                                paragraph_digests=[])
    finally:
        db.close()
    assert target.is_file() and not (tmp_path / "data").exists()
