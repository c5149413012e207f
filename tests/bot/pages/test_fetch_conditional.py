"""Conditional fetching for scheduled refreshes: validators sent and kept, 304s, the bot's User-Agent."""

from __future__ import annotations

import pytest
from aiohttp import web

from bot.pages.fetch import REFRESH_USER_AGENT, USER_AGENT, ForbiddenAddressError, Validators, fetch_article
from devtools.local_http import local_site

ETAG = '"abc"'
MODIFIED = "Mon, 30 Nov 2026 10:00:00 GMT"


@pytest.fixture
async def validating_server():
    """A page with an ETag and a Last-Modified that answers 304 when either comes back; records headers."""
    seen: list[dict[str, str]] = []

    async def article(request: web.Request) -> web.Response:
        seen.append(dict(request.headers))
        headers = {"ETag": ETAG, "Last-Modified": MODIFIED}
        if request.headers.get("If-None-Match") == ETAG or request.headers.get("If-Modified-Since") == MODIFIED:
            return web.Response(status=304, headers=headers)
        return web.Response(text="<p>hello</p>", content_type="text/html", headers=headers)

    app = web.Application()
    app.router.add_get("/article.html", article)
    async with local_site(app) as base:
        yield f"{base}/article.html", seen


async def test_first_fetch_keeps_the_validators_and_names_the_bot(validating_server):
    """An unconditional fetch returns the page with its ETag and Last-Modified; the User-Agent names the bot."""
    url, seen = validating_server
    page = await fetch_article(url, max_bytes=1000, allow_private=True)
    assert page.data == b"<p>hello</p>" and not page.not_modified
    assert page.validators == Validators(ETAG, MODIFIED)
    assert seen[-1]["User-Agent"] == USER_AGENT and USER_AGENT.startswith("article-bot/")
    assert "If-None-Match" not in seen[-1] and "If-Modified-Since" not in seen[-1]


@pytest.mark.parametrize("validators", [Validators(ETAG, None), Validators(None, MODIFIED)])
async def test_validators_make_the_request_conditional(validating_server, validators: Validators):
    """If-None-Match / If-Modified-Since are sent; the 304 comes back as not_modified with no bytes."""
    url, seen = validating_server
    page = await fetch_article(url, max_bytes=1000, allow_private=True, validators=validators,
                               user_agent=REFRESH_USER_AGENT)
    assert page.not_modified and page.data == b"" and page.validators.etag == ETAG
    assert seen[-1].get("If-None-Match") == validators.etag or validators.etag is None
    assert seen[-1].get("If-Modified-Since") == validators.last_modified or validators.last_modified is None
    assert seen[-1]["User-Agent"] == REFRESH_USER_AGENT and "scheduled refresh" in REFRESH_USER_AGENT


async def test_a_conditional_request_is_guarded_like_any_other(validating_server):
    """With validators, a loopback URL is still refused when private addresses are not allowed."""
    url, seen = validating_server
    with pytest.raises(ForbiddenAddressError):
        await fetch_article(url, max_bytes=1000, allow_private=False, validators=Validators(ETAG, MODIFIED))
    assert seen == []
