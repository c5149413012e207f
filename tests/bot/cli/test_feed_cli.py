"""``article-bot feed URL`` and ``ask --feed URL`` on a feed and its pages served on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.cli import main
from tests.bot.exts.feeds.conftest import site  # noqa: F401  (the fixture)


@pytest.fixture
def feed_env(monkeypatch, tmp_path):
    """No .env of the project; loopback pages allowed (tests only)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RELOAD_ALLOW_PRIVATE_URLS", "true")


async def test_feed_prints_the_newest_entries_with_their_summaries(site, feed_env, capsys):  # noqa: F811
    """--keep 2 of 3 entries: the two newest, newest first, each with its link and a cited summary; only their
    pages are fetched."""
    for slug in ("alder", "birch", "cedar"):
        site.add(slug, hours=len(site.entries))
    status = await asyncio.to_thread(main, ["feed", site.feed_url, "--keep", "2"])
    out, err = capsys.readouterr()
    assert status == 0 and "Traceback" not in out + err
    assert out.index("# Cedar Bay market opens Saturday") < out.index("# Birch Hill pool opens Saturday")
    assert "Alder Harbour" not in out and f"{site.base}/news/cedar.html · 2026-12-01 10:00 UTC" in out
    assert "Ana Ruiz" in out and "¶" in out
    assert sorted(site.page_requests()) == ["/news/birch.html", "/news/cedar.html"]


async def test_ask_feed_answers_across_the_entries(site, feed_env, capsys):  # noqa: F811
    """ask --feed: the question is answered from the feed's articles, the citation naming the right one."""
    for slug in ("alder", "birch", "cedar"):
        site.add(slug, hours=len(site.entries))
    status = await asyncio.to_thread(main, ["ask", "When does the pool in Birch Hill open?", "--feed", site.feed_url,
                                            "--json"])
    out, _ = capsys.readouterr()
    answer = json.loads(out)
    assert status == 0 and answer["answered"]
    assert "10 o'clock" in json.dumps(answer)


async def test_feed_refuses_a_web_page_in_one_line(site, feed_env, capsys):  # noqa: F811
    site.raw_feed, site.feed_type = b"<!DOCTYPE html><html><body>Home</body></html>", "text/html"
    status = await asyncio.to_thread(main, ["feed", site.feed_url])
    _, err = capsys.readouterr()
    assert status == 2 and err.strip() == ("article-bot: That URL is a web page, not an RSS or Atom feed: give the "
                                           "feed's own address.")
