"""The door's own state: loads return the ``article_changed`` events they caused, computed under the scope's
lock from what served just before and after the swap; cited paragraphs are found again without a Library."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.door import AsyncEngine, Place
from bot.storage import CitedParagraph, LibraryStore, Scope
from bot.storage.database import Database
from embeddings.text import parse_text

OLD = ("The harbour master is Ingrid Olsen, who has run the port of Vestvik for eleven years.\n\n"
       "Boats arrive at dawn every day with the night's catch, and the fish market opens an hour later.\n\n"
       "The town council voted last week to dredge the northern basin. Work starts in the spring and should "
       "take three months. Ferries will use the southern quay meanwhile.")
NEW = OLD.replace("an hour later", "two hours later")
NEWER = OLD.replace("an hour later", "three hours later")
OTHER = ("The mountain railway runs four trains a day in winter and six in summer. Its timetable changes in "
         "October. Tickets are sold at the valley station and on board. The line climbs nine hundred metres "
         "through three tunnels and over two viaducts, and the journey takes fifty minutes each way.")
GUILD = Scope(10)


@pytest.fixture
async def engine(fresh_service, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An engine on the seed article with a real SQLite store."""
    database = Database(tmp_path / "db")
    await database.open()
    engine = AsyncEngine(fresh_service, fresh_service.source, store=LibraryStore(database))
    yield engine
    engine.close()
    database.close()


def harbour(text: str, source: str = "harbour.md"):
    return parse_text(text, source=source, title="Harbour")


async def test_a_replacing_load_returns_the_event_of_its_edit(engine):
    """/reload of an edited article: the result carries one event naming the id answers cited, both versions,
    the cause and the moderator."""
    first = await engine.load_article(harbour(OLD), scope=GUILD, loaded_by=1)
    assert first.changes == ()  # the default article and the harbour article share nothing
    second = await engine.load_article(harbour(NEW), scope=GUILD, loaded_by=2)
    [event] = second.changes
    assert (event.guild_id, event.article_id, event.cause, event.by) == (10, first.article_id, "reload", 2)
    assert (event.old_version, event.new_version) == (harbour(OLD).digest, harbour(NEW).digest)
    assert [(f.kind, f.new) for f in event.diff.fates] == [("unchanged", 1), ("changed", 2), ("unchanged", 3)]


async def test_an_add_returns_an_event_only_for_a_new_version_of_a_served_source(engine):
    """/article add of an unrelated article changes nothing cited; of the same source edited, one event."""
    first = await engine.load_article(harbour(OLD), scope=GUILD)
    unrelated = await engine.load_article(harbour(OTHER, "rail.md"), scope=GUILD, mode="add")
    assert unrelated.changes == ()
    edited = await engine.load_article(harbour(NEW), scope=GUILD, mode="add", loaded_by=3)
    assert [(e.article_id, e.cause, e.by) for e in edited.changes] == [(first.article_id, "add", 3)]


async def test_concurrent_loads_each_report_the_change_from_what_served_just_before_them(engine):
    """Two reloads of one scope at once: each one's event starts from the version the other swapped in (or
    the first), never both from the version that served before either began."""
    await engine.load_article(harbour(OLD), scope=GUILD)
    results = await asyncio.gather(engine.load_article(harbour(NEW), scope=GUILD),
                                   engine.load_article(harbour(NEWER), scope=GUILD))
    pairs = {(e.old_version, e.new_version) for result in results for e in result.changes}
    old, new, newer = (harbour(text).digest for text in (OLD, NEW, NEWER))
    assert pairs in ({(old, new), (new, newer)}, {(old, newer), (newer, new)})


async def test_reloading_the_default_article_returns_an_event_for_every_guild(engine, fresh_service):
    """The default article's file edited, then reloaded from its source: one event with no guild and no
    article id (every guild without a library of its own served it)."""
    path = Path(fresh_service.source)
    path.write_text(path.read_text(encoding="utf-8").replace("More than 300", "More than 450"), encoding="utf-8")

    async def no_fetch(url: str) -> tuple[bytes, str, str | None]:
        raise AssertionError("nothing to fetch")

    result = await engine.reload_sources(None, fetch=no_fetch, max_bytes=10**6, loaded_by=4)
    [event] = result.changes
    assert (event.guild_id, event.article_id, event.by) == (None, None, 4)
    assert [f.kind for f in event.diff.fates].count("changed") == 1


async def test_cited_paragraphs_are_found_by_digest_in_the_articles_serving_now(engine):
    """More context: a cited paragraph still served is found (at its number now); an edited one is missing."""
    loaded = await engine.load_article(harbour(OLD), scope=GUILD)
    kept, edited, _ = harbour(OLD).paragraphs
    await engine.load_article(harbour(NEW), scope=GUILD)
    cited = [CitedParagraph(1, kept.digest, loaded.article_id), CitedParagraph(2, edited.digest, loaded.article_id)]
    passages = await engine.context_passages(Place(GUILD.guild_id), cited)
    assert passages.missing == 1
    [(article, numbers)] = passages.articles
    assert article.digest == harbour(NEW).digest and numbers == [1]
