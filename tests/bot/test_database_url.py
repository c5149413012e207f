"""DATABASE_URL parsed once: what it names, and never its password when shown."""

from __future__ import annotations

from pathlib import Path

from bot.config import settings_from
from bot.database_url import DatabaseUrl, redacted
from bot.storage import Database


def test_the_repr_and_the_redacted_form_hide_the_password():
    """repr (logs, tracebacks) and .redacted put *** where the password was; the text is the URL itself."""
    url = DatabaseUrl.parse("postgresql://bot:hunter2@db:5432/articles")
    assert url == "postgresql://bot:hunter2@db:5432/articles" and url.password == "hunter2"
    assert "hunter2" not in repr(url) and url.redacted == "postgresql://bot:***@db:5432/articles"


def test_an_error_message_quoting_the_url_is_redacted():
    """redacted() hides the password inside any text (a driver's error message)."""
    assert redacted('connection to "postgresql://u:pw@h/d" failed') == 'connection to "postgresql://u:***@h/d" failed'


def test_sqlite_urls_name_their_file():
    """sqlite:///relative and sqlite:////absolute name a file; no password."""
    assert DatabaseUrl.parse("sqlite:///data/x.sqlite3").sqlite_path == Path("data/x.sqlite3")
    assert DatabaseUrl.parse("sqlite:////var/x.sqlite3").sqlite_path == Path("/var/x.sqlite3")
    assert DatabaseUrl.parse("sqlite:////var/x.sqlite3").password is None


async def test_a_capitalised_sqlite_scheme_stores_in_that_file(tmp_path: Path):
    """DATABASE_URL=SQLite:///FILE passes the settings' check (schemes are case-insensitive), so the store
    uses that SQLite file too (it took it for PostgreSQL once)."""
    target = tmp_path / "bot.sqlite3"
    url = settings_from({"DATABASE_URL": f"SQLite:///{target}"}).database_url
    database = Database(tmp_path / "data", url=url)
    try:
        await database.open()
    finally:
        database.close()
    assert target.is_file() and not (tmp_path / "data").exists()
