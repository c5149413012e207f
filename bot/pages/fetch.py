"""Fetching an article by URL for /reload and scheduled refreshes: http(s) only, size and time capped,
no internal hosts; conditional requests (ETag / Last-Modified) when the caller has validators.

Three layers keep internal addresses out of reach, each on what the client really uses:
- the host as aiohttp will connect to it (yarl's normalised host, so full-width digits and
  ideographic dots are already ``127.0.0.1`` here) is refused when it is a non-public literal;
- every name lookup goes through :class:`GuardedResolver`, which refuses non-public answers;
- every connection actually made is checked by :class:`GuardedConnector` on its peer address,
  so no spelling, redirect or DNS trick reaches an internal address.
Redirects are followed here, one hop at a time (at most :data:`MAX_REDIRECTS`), each hop checked
like the first URL.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from embeddings.errors import ArticleError, ArticleSourceError, ArticleTooLargeError

log = logging.getLogger(__name__)

FETCH_TIMEOUT_SECONDS = 15.0
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PAGE_STATUSES = frozenset({200, 203})  # a page as it is (203: through a transforming proxy)

def _version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version

        return version("article-bot")
    except (ImportError, PackageNotFoundError):
        return "0"


BOT_VERSION = _version()
USER_AGENT = f"article-bot/{BOT_VERSION} (Discord bot; fetches one article a moderator asked for)"
REFRESH_USER_AGENT = f"article-bot/{BOT_VERSION} (Discord bot; scheduled refresh)"

AddressPolicy = Callable[[str], bool]
"""Decides whether an IP address (text form) may be connected to."""


class ForbiddenAddressError(ArticleSourceError):
    """The URL's host is, or resolves to, a loopback, private, link-local or otherwise internal address."""


NOT_PUBLIC = "Refusing to fetch that URL: its host is not a public address."


MAX_VALIDATOR_CHARS = 1024


def safe_validator(value: str | None) -> str | None:
    """A header value fit to keep and send back: printable ASCII, at most :data:`MAX_VALIDATOR_CHARS`
    characters; anything else is dropped (None). aiohttp decodes header bytes with ``surrogateescape``, so
    non-ASCII bytes arrive as lone surrogates that no store can hold and no request can send; the next
    check is then a plain request, and an unchanged page still makes no new version."""
    if not value or len(value) > MAX_VALIDATOR_CHARS or not all(" " <= ch <= "~" for ch in value):
        return None
    return value


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said identifies the version of a page it sent: sent back on the next request."""

    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def sent(cls, etag: str | None, last_modified: str | None) -> Validators:
        """The validators a response carried, each kept only when it is safe (:func:`safe_validator`)."""
        return cls(safe_validator(etag), safe_validator(last_modified))

    def headers(self) -> dict[str, str]:
        """``If-None-Match`` / ``If-Modified-Since`` for a conditional request (unsafe values left out)."""
        headers = {}
        if etag := safe_validator(self.etag):
            headers["If-None-Match"] = etag
        if last_modified := safe_validator(self.last_modified):
            headers["If-Modified-Since"] = last_modified
        return headers


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """Bytes of a fetched page with what is needed to parse it (``not_modified``: a 304, no bytes)."""

    url: str
    data: bytes
    content_type: str | None
    validators: Validators = Validators()
    not_modified: bool = False


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo client), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def is_public_address(address: str) -> bool:
    """True for a globally routable unicast address (IPv4 or IPv6, mapped or not).

    Loopback, private, link-local, multicast, reserved, unspecified and shared addresses are not
    public; an IPv6 address carrying an IPv4 one is judged by both.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    candidates: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [ip]
    if isinstance(ip, ipaddress.IPv6Address) and (inner := _embedded_ipv4(ip)) is not None:
        candidates.append(inner)
    return all(
        c.is_global and not (c.is_multicast or c.is_reserved or c.is_unspecified or c.is_loopback
                             or c.is_link_local or c.is_private)
        for c in candidates
    )


def _literal_address(host: str) -> str | None:
    """``host`` as an IP address if it is written as one (brackets and trailing dots ignored)."""
    try:
        return str(ipaddress.ip_address(host.strip("[]").rstrip(".")))
    except ValueError:
        return None


class GuardedResolver(AbstractResolver):
    """Resolves like aiohttp's threaded resolver, refusing names with any non-public address."""

    def __init__(self, allowed: AddressPolicy) -> None:
        self._inner = aiohttp.ThreadedResolver()
        self._allowed = allowed

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        if not all(self._allowed(result["host"]) for result in results):
            raise ForbiddenAddressError(NOT_PUBLIC)
        return results

    async def close(self) -> None:
        await self._inner.close()


class GuardedConnector(aiohttp.TCPConnector):
    """A TCP connector that checks the peer address of every connection it makes.

    The addresses are checked before connecting (IP literals skip the resolver) and the socket's
    peer again once connected; a refused connection is closed before any byte is sent.
    """

    def __init__(self, allowed: AddressPolicy, **kwargs: Any) -> None:
        super().__init__(resolver=GuardedResolver(allowed), use_dns_cache=False, **kwargs)
        self._allowed = allowed

    async def _wrap_create_connection(self, *args: Any, addr_infos: list[Any], **kwargs: Any) -> Any:
        if not all(self._allowed(str(info[4][0])) for info in addr_infos):
            raise ForbiddenAddressError(NOT_PUBLIC)
        transport, protocol = await super()._wrap_create_connection(*args, addr_infos=addr_infos, **kwargs)
        peer = transport.get_extra_info("peername")
        if not peer or not self._allowed(str(peer[0])):
            transport.abort()
            raise ForbiddenAddressError(NOT_PUBLIC)
        return transport, protocol


def check_url(url: str, allowed: AddressPolicy | None = None) -> URL:
    """Validate scheme and host as the HTTP client will see them; returns the parsed URL.

    With ``allowed``, a host written as an IP address (in any spelling the client normalises,
    e.g. full-width digits or ideographic dots) must pass it.
    """
    try:
        parsed = URL(url.strip())
    except (ValueError, UnicodeError) as error:
        raise ArticleSourceError("That is not a valid URL.") from error
    if parsed.scheme not in {"http", "https"}:
        raise ArticleSourceError("Only http:// and https:// URLs can be loaded.")
    if not parsed.raw_host:
        raise ArticleSourceError("That URL has no host name.")
    if allowed is not None:
        literal = _literal_address(parsed.raw_host)
        if literal is not None and not allowed(literal):
            raise ForbiddenAddressError(NOT_PUBLIC)
    return parsed


def public_part(url: str) -> str:
    """What members may see of a source: scheme, host and path of a URL (no credentials, query string
    or fragment); of a file on the bot's machine, its name only (never the server's directories)."""
    parts = urlsplit(url)
    if parts.scheme in ("", "file"):
        return PurePosixPath(parts.path).name or url
    if not parts.hostname:
        return url.split("?", 1)[0].split("#", 1)[0]
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


async def fetch_article(
    url: str, *, max_bytes: int, allow_private: bool, address_allowed: AddressPolicy | None = None,
    validators: Validators | None = None, user_agent: str = USER_AGENT,
) -> FetchedPage:
    """Download ``url`` (≤ ``max_bytes``, ≤ 15 s, ≤ 5 redirects); clear errors for every failure.

    ``address_allowed`` decides which peer addresses are allowed (default: public ones only);
    ``allow_private`` lifts the check (tests only). With ``validators`` the request is conditional:
    a 304 comes back as a page with ``not_modified`` set and no bytes.
    """
    headers = {"User-Agent": user_agent, **(validators.headers() if validators else {})}
    allowed: AddressPolicy = (lambda _address: True) if allow_private else (address_allowed or is_public_address)
    target = check_url(url, allowed)
    connector = GuardedConnector(allowed)
    timeout = aiohttp.ClientTimeout(total=FETCH_TIMEOUT_SECONDS)
    try:
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            for _hop in range(MAX_REDIRECTS + 1):
                async with session.get(target, allow_redirects=False, headers=headers) as response:
                    location = response.headers.get("Location")
                    if response.status in REDIRECT_STATUSES and location:
                        target = check_url(str(response.url.join(URL(location))), allowed)
                        continue
                    return await _read_page(response, max_bytes)
            raise ArticleSourceError("That URL redirects too many times.")
    except ArticleError:
        raise
    except aiohttp.ClientConnectorError as error:
        if isinstance(error.__cause__, ForbiddenAddressError):
            raise error.__cause__ from None
        raise ArticleSourceError(f"Could not connect to {public_part(str(target))}.") from error
    except TimeoutError as error:
        limit = f"{FETCH_TIMEOUT_SECONDS:.0f} s"
        raise ArticleSourceError(f"Fetching the page took longer than {limit}.") from error
    except (aiohttp.ClientError, ValueError, UnicodeError) as error:
        raise ArticleSourceError(f"Could not fetch that URL ({type(error).__name__}).") from error


async def _read_page(response: aiohttp.ClientResponse, max_bytes: int) -> FetchedPage:
    """The body of a final (non-redirect) response, streamed and capped at ``max_bytes``."""
    sent = Validators.sent(response.headers.get("ETag"), response.headers.get("Last-Modified"))
    if response.status == 304:
        return FetchedPage(str(response.url), b"", response.headers.get("Content-Type"), sent, not_modified=True)
    if response.status not in PAGE_STATUSES:  # 202 "accepted", 206 partial and every error are not the page
        raise ArticleSourceError(f"The server answered {response.status} for that URL.")
    if response.headers.get("cf-mitigated", "").strip().lower() == "challenge":
        raise ArticleSourceError("The server answered with a bot check (a challenge page), not the page.")
    if response.content_length is not None and response.content_length > max_bytes:
        raise ArticleTooLargeError(f"That page is larger than {max_bytes:,} bytes.")
    data = bytearray()
    async for chunk in response.content.iter_chunked(65536):
        data += chunk
        if len(data) > max_bytes:
            raise ArticleTooLargeError(f"That page is larger than {max_bytes:,} bytes.")
    return FetchedPage(str(response.url), bytes(data), response.headers.get("Content-Type"), sent)
