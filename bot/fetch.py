"""Fetching an article by URL for /reload: http(s) only, size and time capped, no internal hosts."""

from __future__ import annotations

import ipaddress
import logging
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from embeddings.errors import ArticleSourceError, ArticleTooLargeError

log = logging.getLogger(__name__)

FETCH_TIMEOUT_SECONDS = 15.0
MAX_REDIRECTS = 5


class ForbiddenAddressError(ArticleSourceError):
    """The URL's host resolves to a loopback, private, link-local or otherwise internal address."""


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """Bytes of a fetched page with what is needed to parse it."""

    url: str
    data: bytes
    content_type: str | None


def is_public_address(address: str) -> bool:
    """True for a globally routable unicast address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


class GuardedResolver(AbstractResolver):
    """Resolves like aiohttp's default resolver, refusing hosts with internal addresses.

    Every connection (redirects included) resolves through here, so a checked name cannot be
    re-resolved to an internal address afterwards.
    """

    def __init__(self, allow_private: bool) -> None:
        self._inner = aiohttp.ThreadedResolver()
        self._allow_private = allow_private

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        if not self._allow_private:
            blocked = [r["host"] for r in results if not is_public_address(r["host"])]
            if blocked:
                raise ForbiddenAddressError(
                    f"Refusing to fetch {host}: it resolves to a non-public address ({blocked[0]})."
                )
        return results

    async def close(self) -> None:
        await self._inner.close()


def check_url(url: str) -> str:
    """Validate scheme and host syntactically; returns the URL stripped."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise ArticleSourceError("Only http:// and https:// URLs can be loaded.")
    if not parts.hostname:
        raise ArticleSourceError("That URL has no host name.")
    return url


async def fetch_article(url: str, *, max_bytes: int, allow_private: bool) -> FetchedPage:
    """Download ``url`` (≤ ``max_bytes``, ≤ 15 s, ≤ 5 redirects); clear errors for every failure."""
    url = check_url(url)
    host = urlsplit(url).hostname or ""
    if not allow_private:
        try:
            literal = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            literal = None
        if literal is not None and not is_public_address(str(literal)):
            raise ForbiddenAddressError(f"Refusing to fetch {host}: it is not a public address.")
    connector = aiohttp.TCPConnector(resolver=GuardedResolver(allow_private), use_dns_cache=False)
    timeout = aiohttp.ClientTimeout(total=FETCH_TIMEOUT_SECONDS)
    try:
        async with (
            aiohttp.ClientSession(connector=connector, timeout=timeout) as session,
            session.get(url, max_redirects=MAX_REDIRECTS, headers={"User-Agent": "article-bot"}) as response,
        ):
            if response.status >= 400:
                raise ArticleSourceError(f"The server answered {response.status} for that URL.")
            if response.content_length is not None and response.content_length > max_bytes:
                raise ArticleTooLargeError(f"That page is larger than {max_bytes:,} bytes.")
            data = bytearray()
            async for chunk in response.content.iter_chunked(65536):
                data += chunk
                if len(data) > max_bytes:
                    raise ArticleTooLargeError(f"That page is larger than {max_bytes:,} bytes.")
            return FetchedPage(str(response.url), bytes(data), response.headers.get("Content-Type"))
    except (ForbiddenAddressError, ArticleSourceError):
        raise
    except aiohttp.ClientConnectorError as error:
        if isinstance(error.__cause__, ForbiddenAddressError):
            raise error.__cause__ from None
        raise ArticleSourceError(f"Could not connect to {host}.") from error
    except aiohttp.TooManyRedirects as error:
        raise ArticleSourceError("That URL redirects too many times.") from error
    except TimeoutError as error:
        limit = f"{FETCH_TIMEOUT_SECONDS:.0f} s"
        raise ArticleSourceError(f"Fetching the page took longer than {limit}.") from error
    except aiohttp.ClientError as error:
        raise ArticleSourceError(f"Could not fetch that URL ({type(error).__name__}).") from error
