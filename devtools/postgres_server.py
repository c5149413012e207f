"""A real PostgreSQL server for the tests and benchmarks: initdb'd in a temporary directory, listening
on a free 127.0.0.1 port (its socket in that directory too), trust authentication, stopped at exit.

PostgreSQL refuses to run as root: as root, the server runs as the ``postgres`` user (``runuser``),
with the temporary directory given to it. When it cannot be found or started, ``PostgresUnavailable``
says why (tests then fail with that message; they never skip).
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SERVER_USER = "postgres"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server could be started; the message says why and how to fix it."""


def find_bin(name: str) -> str:
    """``initdb``/``pg_ctl``: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return candidates[-1]
    raise PostgresUnavailable(
        f"PostgreSQL's {name} was not found (PATH or /usr/lib/postgresql/*/bin): run `make postgres-server`"
        " or `apt-get install postgresql`"
    )


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One throw-away PostgreSQL cluster; ``url(name)`` for a database in it, ``fresh_url()`` for a new one."""

    def __init__(self, *, durable: bool = False) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="article-bot-pg-"))
        self.data = self.directory / "data"
        self.log = self.directory / "server.log"
        self.port = free_port()
        self.durable = durable  # False: fsync off (tests); True: PostgreSQL's defaults (benchmarks)
        self._names = itertools.count(1)
        self._as_root = os.geteuid() == 0
        self._started = False

    def _command(self, *args: str) -> list[str]:
        if not self._as_root:
            return list(args)
        runuser = shutil.which("runuser") or shutil.which("setpriv")
        if runuser is None:
            raise PostgresUnavailable("running as root, and neither runuser nor setpriv is there to drop to postgres")
        if runuser.endswith("setpriv"):
            entry = pwd.getpwnam(SERVER_USER)
            return [runuser, f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--init-groups", *args]
        return [runuser, "-u", SERVER_USER, "--", *args]

    def _run(self, *args: str) -> None:
        result = subprocess.run(self._command(*args), capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise PostgresUnavailable(
                f"{' '.join(args[:2])} failed ({result.returncode}): {result.stderr.strip()[-2000:]}\n{log}"
            )

    def start(self) -> PostgresServer:
        """initdb (first time) and start the server; raises PostgresUnavailable when it cannot."""
        if self._as_root:
            try:
                entry = pwd.getpwnam(SERVER_USER)
            except KeyError:
                raise PostgresUnavailable(f"running as root and there is no {SERVER_USER!r} user to run the"
                                          " server as (installing Debian's postgresql package creates it)") from None
            os.chown(self.directory, entry.pw_uid, entry.pw_gid)
        if not self.data.exists():
            self._run(find_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                      "--locale=C", "--no-sync")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.directory} -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(find_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60",
                  "start")
        if not self._started:
            atexit.register(self.cleanup)
        self._started = True
        return self

    def stop(self) -> None:
        """Stop the server (fast shutdown: open connections are cut); ``start()`` brings it back."""
        self._run(find_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def cleanup(self) -> None:
        """Stop the server if it runs and delete its directory."""
        subprocess.run(self._command(find_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"),
                       capture_output=True, timeout=60)
        shutil.rmtree(self.directory, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """The URL of one database in this server."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def fresh_url(self) -> str:
        """Create a new empty database; its URL."""
        import psycopg

        name = f"test_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}".encode())
        return self.url(name)

    def terminate_backends(self, url: str) -> int:
        """Cut every connection to the database of ``url`` (pg_terminate_backend); how many were cut."""
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as admin:
            rows = admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s"
                                 " AND pid <> pg_backend_pid()", (name,)).fetchall()
        return len(rows)


@contextmanager
def running_server(*, stopped: bool = False) -> Iterator[PostgresServer]:
    """A server of the caller's own, started (then stopped again with ``stopped``: initdb done, the test
    starts it), deleted at the end. Fails the test (never skips) when PostgreSQL cannot start."""
    import pytest

    server = PostgresServer()
    try:
        server.start()
        if stopped:
            server.stop()
    except PostgresUnavailable as error:
        server.cleanup()
        pytest.fail(f"the test PostgreSQL server could not start: {error}", pytrace=False)
    try:
        yield server
    finally:
        server.cleanup()
