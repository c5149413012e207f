"""``article-bot watch``: one line per check, the diff of each change, one-line errors, Ctrl-C exits 0."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys

import pytest
from aiohttp import web

from bot.cli import main
from devtools.local_http import local_site
from tests.bot.exts.refresh.conftest import (
    BOATS,
    CHANGED,
    COST,
    FERRY,
    FERRY_LATER,
    FIRST,
    NO_ARTICLE,
    PIER,
    page_html,
)

EXTRA = "A second ferry will run on Saturdays from the south quay during the summer season, the council said."
# What the page answers to its 1st, 2nd, ... request: (status, body, ETag); a 304 when the ETag comes back.
SCRIPT = [
    (200, FIRST, '"v1"'),
    (200, FIRST, '"v1"'),  # the ETag comes back: 304
    (200, FIRST, None),  # the same page in full
    (200, CHANGED, '"v2"'),
    (500, "", None),
    (200, NO_ARTICLE, None),
    (200, page_html(FERRY_LATER, BOATS, COST, EXTRA), None),
]


@pytest.fixture
async def scripted_page():
    """A page that answers each request with the next step of SCRIPT (the last one repeats)."""
    requests: list[dict[str, str]] = []

    async def handle(request: web.Request) -> web.Response:
        requests.append(dict(request.headers))
        status, body, etag = SCRIPT[min(len(requests), len(SCRIPT)) - 1]
        if etag and request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        headers = {"ETag": etag} if etag else {}
        return web.Response(status=status, text=body, content_type="text/html", headers=headers)

    app = web.Application()
    app.router.add_get("/news.html", handle)
    async with local_site(app) as base:
        yield f"{base}/news.html", requests


@pytest.fixture
def watch_env(monkeypatch, tmp_path):
    """No .env of the project; loopback pages allowed (tests only)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RELOAD_ALLOW_PRIVATE_URLS", "true")


async def test_watch_prints_each_check_and_the_diff_of_each_change(scripted_page, watch_env, capsys):
    """First version, 304, unchanged, a changed ¶ with its new text, a one-line error, a page with no
    article (an error, not a version), then an added and a removed paragraph; exit status 0."""
    url, requests = scripted_page
    status = await asyncio.to_thread(main, ["watch", url, "--every", "0.01s", "--count", str(len(SCRIPT))])
    out, err = capsys.readouterr()
    lines = [line.split(" ", 1)[1] for line in out.splitlines() if not line.startswith("  ")]
    assert status == 0 and "Traceback" not in out + err
    assert lines[0].startswith("“Harbour news” from ") and "4 paragraphs" in lines[0]
    assert lines[1:4] == ["not modified (304)", "unchanged", "changed: 0 added, 0 removed, 1 changed"]
    assert f"  ~ ¶1 changed: {FERRY_LATER}" in out.splitlines()
    assert lines[4] == "error: The server answered 500 for that URL."
    assert lines[5].startswith("error: ") and "article" in lines[5]
    assert lines[6] == "changed: 1 added, 1 removed, 0 changed"  # compared with CHANGED, the last version
    assert out.splitlines()[-2:] == [f"  - ¶3 removed: {PIER}", f"  + ¶4 added: {EXTRA}"]
    assert requests[1]["If-None-Match"] == '"v1"' and requests[0]["User-Agent"].startswith("article-bot/")
    assert len(requests) == len(SCRIPT)


async def test_watch_refuses_a_bad_interval(watch_env, capsys):
    """--every soon is refused by the argument parser (exit 2) with the reason."""
    with pytest.raises(SystemExit) as exit_info:
        main(["watch", "http://127.0.0.1/", "--every", "soon"])
    assert exit_info.value.code == 2 and "not a duration" in capsys.readouterr().err


async def test_ctrl_c_exits_0_without_a_traceback(scripted_page, tmp_path):
    """SIGINT while waiting for the next check ends the watch with status 0 and no traceback."""
    url, _ = scripted_page
    env = {**os.environ, "RELOAD_ALLOW_PRIVATE_URLS": "true", "PYTHONPATH": os.getcwd()}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "watch", url, "--every", "1h", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    first = await asyncio.wait_for(process.stdout.readline(), timeout=60)
    assert b"4 paragraphs" in first
    process.send_signal(signal.SIGINT)
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0 and b"Traceback" not in out + err, err.decode()


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A window title (OSC … BEL), clear screen and a colour (CSI), a C1 CSI, a C1 OSC, a bidi override.
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31m\x9b2J\x9d0;owned\x9c\u202e"


async def test_watch_prints_no_terminal_escapes_from_the_page(watch_env, capsys):
    """A Markdown page whose title and paragraphs carry terminal escapes: the first line and the diff of its
    change reach stdout without a single control character, the words themselves kept."""
    pages = [f"# Harbour{ESCAPES} news\n\n" + "\n\n".join(paragraphs)
             for paragraphs in ((FERRY + ESCAPES, BOATS, PIER, COST), (FERRY_LATER + ESCAPES, BOATS, PIER, COST))]

    async def handle(request: web.Request) -> web.Response:
        return web.Response(text=pages.pop(0) if len(pages) > 1 else pages[0], content_type="text/markdown")

    app = web.Application()
    app.router.add_get("/news.html", handle)
    async with local_site(app) as base:
        status = await asyncio.to_thread(main, ["watch", f"{base}/news.html", "--every", "0.01s", "--count", "2"])
    out, err = capsys.readouterr()
    assert status == 0 and "Traceback" not in err and "changed: 0 added, 0 removed, 1 changed" in out, out + err
    assert not CONTROL.search(out), ascii(out)
    assert "Harbour" in out and "pwned" not in out and "at nine" in out


async def test_an_endless_interval_is_a_one_line_error(scripted_page, watch_env, capsys):
    """--every of 400 nines then s (a float infinity: a traceback once, after the first check) is refused
    by the argument parser in one line naming the option and the range; the page is never fetched."""
    url, requests = scripted_page
    nines = "9" * 400
    with pytest.raises(SystemExit) as exit_info:
        await asyncio.to_thread(main, ["watch", url, "--every", nines + "s", "--count", "1"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and len(err.strip().splitlines()) == 1, err
    assert err.startswith("article-bot: argument --every: ") and "at most 7d" in err and nines not in err
    assert not requests
