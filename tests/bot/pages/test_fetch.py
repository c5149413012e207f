"""URL fetching for /reload: schemes, internal addresses, size and status limits."""

from __future__ import annotations

import pytest
from aiohttp import web

from bot.pages.fetch import ForbiddenAddressError, fetch_article, is_public_address, public_part
from devtools.local_http import local_site
from embeddings.errors import ArticleSourceError, ArticleTooLargeError

# Hosts that URL libraries (yarl, and so aiohttp) normalise to 127.0.0.1: full-width digits and
# dots, ideographic and half-width ideographic full stops, circled digits.
UNICODE_LOOPBACK_HOSTS = [
    "１２７．０．０．１",
    "127。0。0。1",
    "127．0．0．1",
    "127｡0｡0｡1",
    "①②⑦.0.0.1",
    "１２７.０.０.１",
]
# Redirect targets that reach this machine without a name lookup, and one that needs it.
INTERNAL_REDIRECT_HOSTS = [
    "127.0.0.1", "[::1]", "0.0.0.0", "[::]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]",
    "１２７．０．０．１", "localhost",
]
# Shorthand IPv4 spellings that inet_aton would read as 127.0.0.1: never fetched either way.
SHORTHAND_LOOPBACK_HOSTS = ["127.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1"]


@pytest.fixture
async def page_server():
    """A tiny aiohttp site on 127.0.0.1 serving a page, a big page and a 404."""

    async def article(request: web.Request) -> web.Response:
        return web.Response(text="<p>hello</p>", content_type="text/html")

    async def big(request: web.Request) -> web.Response:
        return web.Response(body=b"a" * 5000, content_type="text/plain")

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound("/article.html")

    async def streamed(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/plain"})
        response.enable_chunked_encoding()  # no Content-Length: only the streaming cap can stop it
        await response.prepare(request)
        for _ in range(10):
            await response.write(b"b" * 1000)
        await response.write_eof()
        return response

    async def loop(request: web.Request) -> web.Response:
        raise web.HTTPFound("/loop")

    app = web.Application()
    app.router.add_get("/article.html", article)
    app.router.add_get("/big.txt", big)
    app.router.add_get("/streamed.txt", streamed)
    app.router.add_get("/redirect", redirect)
    app.router.add_get("/loop", loop)
    async with local_site(app) as base:
        yield base


async def _serve(app: web.Application, hosts: list[str], port: int = 0) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app)
    await runner.setup()
    for host in hosts:
        site = web.TCPSite(runner, host, port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
    return runner, port


@pytest.fixture
async def internal_target():
    """A loopback page (127.0.0.1 and ::1, one port) that records every request it gets."""
    hits: list[str] = []

    async def secret(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(text="<p>internal secret</p>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/{tail:.*}", secret)
    runner, port = await _serve(app, ["127.0.0.1", "::1"])
    yield port, hits
    await runner.cleanup()


@pytest.fixture
async def public_redirector():
    """A page on 127.0.0.2, treated as public by the tests' address policy, that redirects anywhere."""

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound(request.query["to"])

    app = web.Application()
    app.router.add_get("/go", redirect)
    runner, port = await _serve(app, ["127.0.0.2"])
    yield f"http://127.0.0.2:{port}/go"
    await runner.cleanup()


def only_127_0_0_2_and_public(address: str) -> bool:
    """The tests' stand-in for the public internet: 127.0.0.2 plus truly public addresses."""
    return address == "127.0.0.2" or is_public_address(address)


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


@pytest.mark.parametrize("host", UNICODE_LOOPBACK_HOSTS)
async def test_unicode_spelled_loopback_is_refused_before_connecting(internal_target, host):
    """A host the HTTP client normalises to 127.0.0.1 is refused, and the page is never requested."""
    port, hits = internal_target
    with pytest.raises(ForbiddenAddressError):
        await fetch_article(f"http://{host}:{port}/secret.html", max_bytes=10_000, allow_private=False)
    assert hits == []


@pytest.mark.parametrize(
    ("host", "refusal"),
    [(host, ForbiddenAddressError) for host in INTERNAL_REDIRECT_HOSTS]
    # shorthand spellings are refused by the client or the guard: either way a clear error
    + [(host, ArticleSourceError) for host in SHORTHAND_LOOPBACK_HOSTS],
)
async def test_redirect_to_internal_address_is_refused(internal_target, public_redirector, host, refusal):
    """A public page redirecting to a loopback/unspecified/mapped address is not followed."""
    port, hits = internal_target
    url = f"{public_redirector}?to=http://{host}:{port}/secret.html"
    with pytest.raises(refusal):
        await fetch_article(url, max_bytes=10_000, allow_private=False, address_allowed=only_127_0_0_2_and_public)
    assert hits == []


async def test_redirect_to_public_address_is_followed(internal_target, public_redirector):
    """The policy seam is real: a redirect to an allowed address is followed and its page returned."""
    port, hits = internal_target
    url = f"{public_redirector}?to=http://127.0.0.1:{port}/page.html"
    page = await fetch_article(url, max_bytes=10_000, allow_private=False,
                               address_allowed=lambda a: a in {"127.0.0.1", "127.0.0.2"})
    assert page.data == b"<p>internal secret</p>" and hits == ["/page.html"]
    assert page.url.endswith("/page.html")


async def test_peer_address_is_checked_after_connecting(internal_target):
    """0.0.0.0 passes a policy that only bans 127.0.0.1, but the connection's peer is 127.0.0.1: refused."""
    port, hits = internal_target
    with pytest.raises(ForbiddenAddressError):
        await fetch_article(f"http://0.0.0.0:{port}/secret.html", max_bytes=10_000, allow_private=False,
                            address_allowed=lambda address: address != "127.0.0.1")
    assert hits == []


async def test_refusal_does_not_name_the_internal_address(page_server):
    """The error for a name resolving to loopback says it is not public, not what it resolved to."""
    port = page_server.rsplit(":", 1)[1]
    with pytest.raises(ForbiddenAddressError) as refused:
        await fetch_article(f"http://localhost:{port}/article.html", max_bytes=10_000, allow_private=False)
    message = str(refused.value)
    assert "not a public address" in message
    assert "127.0.0.1" not in message and "::1" not in message


async def test_streamed_page_over_the_cap_is_refused(page_server):
    """A chunked page with no Content-Length is cut off once it passes the cap."""
    with pytest.raises(ArticleTooLargeError):
        await fetch_article(f"{page_server}/streamed.txt", max_bytes=5000, allow_private=True)


async def test_redirect_loop_is_a_clear_error(page_server):
    """More than five redirects is an ArticleSourceError saying so."""
    with pytest.raises(ArticleSourceError, match="redirects too many times"):
        await fetch_article(f"{page_server}/loop", max_bytes=1000, allow_private=True)


@pytest.mark.parametrize(("url", "shown"), [
    ("https://news.example/a/b.html?X-Amz-Signature=abc&token=1#frag", "https://news.example/a/b.html"),
    ("http://user:pw@news.example:8080/p?q=1", "http://news.example:8080/p"),
    ("/srv/articles/mariupol.txt", "mariupol.txt"),
    ("file:///home/bot/private/mariupol.txt", "mariupol.txt"),
    ("relative/dir/mariupol.txt", "mariupol.txt"),
    ("attachment:harbour.md", "attachment:harbour.md"),
])
def test_public_part_drops_query_fragment_and_credentials(url, shown):
    """What members see of a source: a URL's scheme, host and path; a local file's name only."""
    assert public_part(url) == shown
