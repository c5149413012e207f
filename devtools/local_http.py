"""A local HTTP site for tests and benchmarks: an aiohttp app served on 127.0.0.1 at a free port."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from aiohttp import web


@asynccontextmanager
async def local_site(app: web.Application) -> AsyncIterator[str]:
    """Serve ``app`` on 127.0.0.1 (a free port) for the block; yields its base URL, ``http://127.0.0.1:PORT``."""
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    finally:
        await runner.cleanup()


@asynccontextmanager
async def raw_site(respond: Callable[[bytes], bytes]) -> AsyncIterator[str]:
    """A bare HTTP server on 127.0.0.1 (a free port) that answers each connection's request with the bytes
    ``respond(request_head)`` returns, then closes it: for header bytes no HTTP library would send. Yields its
    base URL."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            writer.write(respond(head))
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    async with server:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"


def raw_response(body: bytes, *headers: bytes, status: bytes = b"200 OK") -> bytes:
    """An HTTP/1.1 response with ``headers`` (raw ``Name: value`` lines) and ``body``, closing the connection."""
    lines = [b"HTTP/1.1 " + status, *headers, b"Content-Length: %d" % len(body), b"Connection: close"]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body
