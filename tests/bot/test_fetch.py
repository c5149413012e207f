"""URL fetching for /reload: schemes, internal addresses, size and status limits."""

from __future__ import annotations

import pytest
from aiohttp import web

from bot.fetch import ForbiddenAddressError, fetch_article, is_public_address
from embeddings.errors import ArticleSourceError, ArticleTooLargeError


@pytest.fixture
async def page_server():
    """A tiny aiohttp site on 127.0.0.1 serving a page, a big page and a 404."""

    async def article(request: web.Request) -> web.Response:
        return web.Response(text="<p>hello</p>", content_type="text/html")

    async def big(request: web.Request) -> web.Response:
        return web.Response(body=b"a" * 5000, content_type="text/plain")

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound("/article.html")

    app = web.Application()
    app.router.add_get("/article.html", article)
    app.router.add_get("/big.txt", big)
    app.router.add_get("/redirect", redirect)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1",
                                     "fd00::1", "0.0.0.0", "::ffff:127.0.0.1"])
def test_internal_addresses_are_not_public(address):
    """Loopback, private, link-local, unspecified and mapped addresses are refused."""
    assert not is_public_address(address)


def test_public_address_is_public():
    """A global unicast address is allowed."""
    assert is_public_address("93.184.216.34")


async def test_loopback_url_is_refused_by_default(page_server):
    """Without RELOAD_ALLOW_PRIVATE_URLS a loopback URL is refused before connecting."""
    with pytest.raises(ForbiddenAddressError):
        await fetch_article(f"{page_server}/article.html", max_bytes=10_000, allow_private=False)


async def test_localhost_name_is_refused_by_default(page_server):
    """A host name resolving to loopback is refused by the guarded resolver."""
    port = page_server.rsplit(":", 1)[1]
    with pytest.raises(ForbiddenAddressError):
        await fetch_article(f"http://localhost:{port}/article.html", max_bytes=10_000, allow_private=False)


async def test_page_is_fetched_when_private_allowed(page_server):
    """With private URLs allowed (tests), the page and its content type arrive, redirects followed."""
    page = await fetch_article(f"{page_server}/redirect", max_bytes=10_000, allow_private=True)
    assert page.data == b"<p>hello</p>" and page.content_type.startswith("text/html")


async def test_oversized_page_is_refused(page_server):
    """A page over the byte cap raises ArticleTooLargeError."""
    with pytest.raises(ArticleTooLargeError):
        await fetch_article(f"{page_server}/big.txt", max_bytes=1000, allow_private=True)


async def test_http_error_status_is_reported(page_server):
    """A 404 is a clear ArticleSourceError."""
    with pytest.raises(ArticleSourceError, match="404"):
        await fetch_article(f"{page_server}/missing", max_bytes=1000, allow_private=True)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/a.txt", "http:///nohost"])
async def test_bad_urls_are_refused(url):
    """Only http(s) URLs with a host are accepted."""
    with pytest.raises(ArticleSourceError):
        await fetch_article(url, max_bytes=1000, allow_private=True)


async def test_unreachable_port_is_a_clear_error():
    """A closed port yields 'Could not connect'."""
    with pytest.raises(ArticleSourceError, match="connect"):
        await fetch_article("http://127.0.0.1:9/x.html", max_bytes=1000, allow_private=True)
