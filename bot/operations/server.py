"""``/metrics``, ``/healthz`` and ``/readyz`` on METRICS_ADDR: a small threaded WSGI server (the standard
library's), so a scrape or a probe never runs on the event loop; the probes ask the loop themselves, with a
timeout, which is what makes ``/healthz`` fail when the loop is stuck.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Any, Protocol
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

__all__ = ["Exposition", "OperationsServer", "Probes"]

log = logging.getLogger(__name__)


class Exposition(Protocol):
    """What ``/metrics`` serves: a process's :class:`~.metrics.Metrics`, or the cluster's merged children."""

    def text(self) -> bytes: ...


@dataclass(frozen=True)
class Probes:
    """What the endpoints ask, from the server's threads: ``alive()`` (the event loop answered within 1 s) and
    ``not_ready()``, the reasons the process cannot serve yet (empty: ready)."""

    alive: Callable[[], bool]
    not_ready: Callable[[], list[str]]


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # probes every few seconds: no access log
        pass


def split_address(address: str) -> tuple[str, int]:
    """``127.0.0.1:9464`` → (``127.0.0.1``, 9464); ``[::1]:9464`` → (``::1``, 9464)."""
    host, _, port = address.rpartition(":")
    return host.strip("[]"), int(port)


class OperationsServer:
    """Serves ``metrics`` (None: ``/metrics`` is 404) and ``probes`` on ``address`` in a daemon thread."""

    def __init__(self, address: str, probes: Probes, metrics: Exposition | None = None) -> None:
        self.address = address
        self.probes = probes
        self.metrics = metrics
        self._server: WSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port bound (the one asked for, or the one the system chose for port 0)."""
        assert self._server is not None
        return self._server.server_port

    def start(self) -> None:
        """Bind and serve (OSError when the address is taken)."""
        host, port = split_address(self.address)
        server_class = ThreadingServer
        if ":" in host:
            import socket

            server_class = type("ThreadingServer6", (ThreadingServer,), {"address_family": socket.AF_INET6})
        self._server = make_server(host, port, self.app, server_class=server_class, handler_class=QuietHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="operations-http", daemon=True)
        self._thread.start()
        log.info("serving /metrics, /healthz and /readyz on http://%s/", self.address)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def app(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        if path == "/metrics" and self.metrics is not None:
            from prometheus_client import CONTENT_TYPE_LATEST

            return _respond(start_response, "200 OK", self.metrics.text(), CONTENT_TYPE_LATEST)
        if path == "/healthz":
            alive = _safely(self.probes.alive, False)
            return _respond(start_response, "200 OK" if alive else "503 Service Unavailable",
                            b"ok\n" if alive else b"event loop not answering\n")
        if path == "/readyz":
            problems = _safely(self.probes.not_ready, ["readiness probe failed"])
            body = ("\n".join(problems) if problems else "ready") + "\n"
            return _respond(start_response, "503 Service Unavailable" if problems else "200 OK", body.encode())
        return _respond(start_response, "404 Not Found", b"not found: try /metrics, /healthz or /readyz\n")


def _safely(probe: Callable[[], Any], failed: Any) -> Any:
    try:
        return probe()
    except Exception as error:
        log.warning("probe failed: %s", error)
        return failed


def _respond(start_response: Callable[..., Any], status: str, body: bytes,
             content_type: str = "text/plain; charset=utf-8") -> list[bytes]:
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]
