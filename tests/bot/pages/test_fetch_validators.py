"""Validators (ETag / Last-Modified) with bytes that are not printable ASCII are dropped, never kept or sent."""

from __future__ import annotations

import pytest

from bot.pages.fetch import Validators, fetch_article, safe_validator
from devtools.local_http import raw_response, raw_site
from embeddings.errors import ArticleSourceError

PAGE = b"<html><body><article><p>The ferry leaves at seven.</p></article></body></html>"


async def test_validators_with_non_utf8_bytes_are_dropped():
    """An ETag and a Last-Modified carrying Latin-1 bytes (aiohttp: lone surrogates) come back as None (old code:
    '\\udcff'-style strings no store can hold)."""
    response = raw_response(PAGE, b'ETag: "v1-\xff\xfe"', b"Last-Modified: Mon, 07 D\xe9c 2026 10:00:00 GMT",
                            b"Content-Type: text/html")
    async with raw_site(lambda _head: response) as base:
        page = await fetch_article(f"{base}/news.html", max_bytes=100_000, allow_private=True)
    assert page.data == PAGE and page.validators == Validators(None, None)


async def test_printable_validators_are_kept_and_sent_back():
    """Ordinary validators are kept, and sent back as If-None-Match / If-Modified-Since."""
    heads: list[bytes] = []
    modified = b"Mon, 07 Dec 2026 10:00:00 GMT"

    def respond(head: bytes) -> bytes:
        heads.append(head)
        return raw_response(PAGE, b'ETag: W/"v1"', b"Last-Modified: " + modified, b"Content-Type: text/html")

    async with raw_site(respond) as base:
        page = await fetch_article(f"{base}/news.html", max_bytes=100_000, allow_private=True)
        assert page.validators == Validators('W/"v1"', modified.decode())
        await fetch_article(f"{base}/news.html", max_bytes=100_000, allow_private=True, validators=page.validators)
    assert b'If-None-Match: W/"v1"' in heads[1] and b"If-Modified-Since: " + modified in heads[1]


def test_only_printable_ascii_values_are_safe():
    """Control characters, surrogates, non-ASCII text and over-long values are dropped."""
    assert safe_validator('"abc-123"') == '"abc-123"'
    for bad in ['"a\udcff"', '"caf\u00e9"', '"a\r\nX-Injected: 1"', '"' + "a" * 2000 + '"', "", None]:
        assert safe_validator(bad) is None
    assert Validators('"a\udcff"', "Mon").headers() == {"If-Modified-Since": "Mon"}


async def test_statuses_and_headers_that_are_not_the_page_are_refused():
    """202 Accepted (a "please wait" bot check), 206 Partial Content and a 200 marked as a Cloudflare challenge
    (cf-mitigated: challenge) are refused; a 203 from a proxy is the page."""
    responses = {
        b"/accepted": raw_response(PAGE, b"Content-Type: text/html", status=b"202 Accepted"),
        b"/partial": raw_response(PAGE, b"Content-Type: text/html", status=b"206 Partial Content"),
        b"/challenge": raw_response(PAGE, b"Content-Type: text/html", b"cf-mitigated: challenge"),
        b"/proxied": raw_response(PAGE, b"Content-Type: text/html", status=b"203 Non-Authoritative Information"),
    }
    async with raw_site(lambda head: responses[head.split(b" ")[1]]) as base:
        for path, refusal in [("/accepted", "202"), ("/partial", "206"), ("/challenge", "bot check")]:
            with pytest.raises(ArticleSourceError, match=refusal):
                await fetch_article(base + path, max_bytes=100_000, allow_private=True)
        assert (await fetch_article(base + "/proxied", max_bytes=100_000, allow_private=True)).data == PAGE
