"""Which article_changed events a moderator's load sends, from the libraries serving before and after."""

from __future__ import annotations

from bot.door.changes import article_changes
from bot.storage import Scope
from embeddings.answers import ArticleRef, Library, LibraryEntry
from embeddings.text import paragraph_diff, parse_text

OLD = ("The harbour master is Ingrid Olsen, who has run the port of Vestvik for eleven years.\n\n"
       "Boats arrive at dawn every day with the night's catch, and the fish market opens an hour later.")
NEW = OLD.replace("an hour later", "two hours later")
OTHER = "A paragraph about mountain railways and their timetables in winter, and nothing else at all."


def entry(text: str, article_id: str, source: str = "harbour.md") -> LibraryEntry:
    article = parse_text(text, source=source, title="Harbour")
    return LibraryEntry(ArticleRef(article_id, "Harbour", source, article.digest, 0.0), article)


GUILD = Scope(10)


def test_a_scope_article_reloaded_with_an_edit_sends_one_event_naming_its_id():
    """Same id before and after, text edited: one event with the guild, the id answers cite and both texts."""
    events = article_changes((GUILD, Library((entry(OLD, "7"),))), (GUILD, Library((entry(NEW, "7"),))),
                             cause="reload", by=1, at=5.0)
    assert len(events) == 1
    event = events[0]
    assert (event.guild_id, event.article_id, event.cause, event.at) == (10, "7", "reload", 5.0)
    assert event.new_paragraphs[1].endswith("two hours later.") and event.old_paragraphs[1].endswith("an hour later.")


def test_an_unchanged_reload_sends_nothing():
    """The same text again: no event."""
    assert article_changes((GUILD, Library((entry(OLD, "7"),))), (GUILD, Library((entry(OLD, "7"),))),
                           cause="reload", by=1) == []


def test_the_default_article_reloaded_sends_an_event_for_every_guild():
    """The default article (scope None, new library id each load) changed: guild_id and article_id None."""
    events = article_changes((None, Library((entry(OLD, "1"),))), (None, Library((entry(NEW, "2"),))),
                             cause="reload", by=None)
    assert [(e.guild_id, e.article_id, e.old_version) for e in events] == [
        (None, None, entry(OLD, "1").article.digest)]


def test_adding_an_unrelated_article_sends_nothing():
    """/article add of a different source leaves the cited article as it was: no event."""
    before = (GUILD, Library((entry(OLD, "7"),)))
    after = (GUILD, Library((entry(OLD, "7"), entry(OTHER, "8", source="rail.md"))))
    assert article_changes(before, after, cause="add", by=1) == []


def test_adding_a_new_version_of_the_same_source_sends_an_event_for_the_old_one():
    """/article add of the same source with edited text: an event for the old entry's id."""
    before = (GUILD, Library((entry(OLD, "7"),)))
    after = (GUILD, Library((entry(OLD, "7"), entry(NEW, "8"))))
    assert [e.article_id for e in article_changes(before, after, cause="add", by=1)] == ["7"]


def test_replacing_the_article_with_an_unrelated_one_is_not_a_change():
    """/reload of a different article (nothing in common, another source): no event, no corrections."""
    before = (None, Library((entry(OLD, "1"),)))
    after = (GUILD, Library((entry(OTHER, "9", source="rail.md"),)))
    assert article_changes(before, after, cause="reload", by=1) == []


def test_replacing_the_article_with_an_edited_upload_is_a_change():
    """/reload of an edited copy under another file name: one event against the article that served."""
    before = (GUILD, Library((entry(OLD, "7"),)))
    after = (GUILD, Library((entry(NEW, "9", source="attachment:harbour-v2.md"),)))
    assert [e.article_id for e in article_changes(before, after, cause="reload", by=1)] == ["7"]


def test_a_channels_first_article_concerns_only_the_answers_asked_in_that_channel():
    """/reload channel_only of an edited version where the guild's article served: the event names the
    guild's article (what answers there cited) and ``asked_in`` the channel, so the guild's other
    channels, still served by it unchanged, are left alone."""
    channel = Scope(10, 20)
    events = article_changes((GUILD, Library((entry(OLD, "7"),))), (channel, Library((entry(NEW, "9"),))),
                             cause="reload", by=1)
    assert [(e.guild_id, e.channel_id, e.article_id, e.asked_in) for e in events] == [(10, None, "7", channel)]


def test_a_change_within_one_scope_concerns_every_answer_it_served():
    """Same scope before and after: no ``asked_in`` (the scope served every answer citing its article)."""
    events = article_changes((GUILD, Library((entry(OLD, "7"),))), (GUILD, Library((entry(NEW, "7"),))),
                             cause="reload", by=1)
    assert [e.asked_in for e in events] == [None]


def test_a_guilds_first_article_concerns_only_the_default_articles_answers_in_that_guild():
    """The default article served the guild until its first own article: ``asked_in`` is the guild."""
    events = article_changes((None, Library((entry(OLD, "1"),))), (GUILD, Library((entry(NEW, "3"),))),
                             cause="reload", by=1)
    assert [(e.guild_id, e.article_id, e.asked_in) for e in events] == [(10, None, GUILD)]


def test_an_event_carries_the_diff_the_load_computed():
    """A diff the load already computed (by old and new version) is the event's diff: nothing compared again."""
    old, new = entry(OLD, "7"), entry(NEW, "7")
    known = paragraph_diff(old.article.paragraph_texts, new.article.paragraph_texts)
    events = article_changes((GUILD, Library((old,))), (GUILD, Library((new,))), cause="reload", by=1,
                             known={(old.article.digest, new.article.digest): known})
    assert events[0].diff is known


def test_without_a_known_diff_the_event_carries_one_computed_here():
    """No diff from the load: the event's diff is computed (old ¶2 changed into new ¶2)."""
    events = article_changes((GUILD, Library((entry(OLD, "7"),))), (GUILD, Library((entry(NEW, "7"),))),
                             cause="reload", by=1)
    assert [(f.kind, f.new) for f in events[0].diff.fates] == [("unchanged", 1), ("changed", 2)]
