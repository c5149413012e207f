"""DATABASE_URL, checked once: ``sqlite:///file`` or ``postgresql://user:password@host:port/database``.

:class:`DatabaseUrl` is still the URL's text (psycopg and the SQLite store take it as it is), but it knows
what it names (:attr:`~DatabaseUrl.is_sqlite`, :attr:`~DatabaseUrl.sqlite_path`) and never shows its
password: its ``repr``, :attr:`~DatabaseUrl.redacted` and :func:`redacted` put ``***`` in its place.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from .setting_values import Refused

SCHEMES = ("sqlite", "postgresql", "postgres")
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def redacted(text: str) -> str:
    """``text`` (a URL, or an error message quoting one) with every URL's password replaced by ``***``."""
    return _PASSWORD.sub(r"\1***@", text)


class DatabaseUrl(str):
    """A database URL that has been checked (:meth:`parse`) and hides its password when shown."""

    __slots__ = ()

    @classmethod
    def parse(cls, value: str) -> DatabaseUrl:
        """The URL ``value``, or :class:`~bot.setting_values.Refused` saying what is wrong (password hidden)."""
        scheme, separator, rest = value.partition("://")
        shown = redacted(value)
        if not separator or scheme.lower() not in SCHEMES:
            raise Refused(f" must start with sqlite:/// or postgresql://, got {shown!r}.")
        if scheme.lower() == "sqlite" and (not rest.startswith("/") or len(rest) < 2):
            raise Refused(f" for SQLite looks like sqlite:///path/to/file.sqlite3, got {shown!r}.")
        if scheme.lower() != "sqlite":
            host = rest.split("/", 1)[0].rsplit("@", 1)[-1]
            if not host and "host=" not in rest:
                raise Refused(f" names no PostgreSQL host, got {shown!r}.")
            if "/" not in rest or not rest.split("/", 1)[1].split("?", 1)[0]:
                raise Refused(f" names no database (…/DATABASE at the end), got {shown!r}.")
        return cls(value)

    @property
    def is_sqlite(self) -> bool:
        """True for ``sqlite:`` URLs, False for PostgreSQL."""
        return self.lower().startswith("sqlite://")

    @property
    def sqlite_path(self) -> Path:
        """The file of a ``sqlite:///relative/file`` or ``sqlite:////absolute/file`` URL."""
        path = self[len("sqlite://"):]
        if not self.is_sqlite or not path.startswith("/") or len(path) < 2:
            raise ValueError(f"a SQLite URL looks like sqlite:///path/to/file.sqlite3, got {self.redacted!r}")
        return Path(path[1:]).expanduser()

    @property
    def password(self) -> str | None:
        """The password in the URL, if any (to keep it out of logs)."""
        return urlsplit(str(self)).password

    @property
    def redacted(self) -> str:
        """The URL with its password replaced by ``***``, for logs and /status."""
        return redacted(str(self))

    def __repr__(self) -> str:
        return repr(self.redacted)
