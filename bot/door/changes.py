"""The ``article_changed`` events of a load, from what served its scope just before and just after the swap
(both held by the door under the scope's lock: nothing is re-read or parsed from messages).

Pure functions, called by :class:`bot.door.libraries.ScopedLibraries` in the load thread (paragraph diffs are
CPU work, never done on the event loop).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping

from embeddings.answers import Library, LibraryEntry, ReloadReport
from embeddings.text import ParagraphDiff, paragraph_diff

from ..storage import Scope
from .events import ArticleChanged, Cause

Serving = tuple[Scope | None, Library]  # a scope (None: the default article) and the library serving it
Known = Mapping[tuple[str | None, str], ParagraphDiff]  # diffs a load computed, by (old version, new version)


def known_diffs(reports: Iterable[ReloadReport]) -> dict[tuple[str | None, str], ParagraphDiff]:
    """The paragraph diffs loads computed (in their worker thread), by (old version, new version)."""
    return {(r.previous, r.version): r.changes for r in reports if r.changes is not None}


def _diff(previous: LibraryEntry, entry: LibraryEntry, known: Known) -> ParagraphDiff:
    """The two versions' paragraph diff: the one the load computed, else computed here."""
    diff = known.get((previous.article.digest, entry.article.digest))
    if diff is None:
        diff = paragraph_diff(previous.article.paragraph_texts, entry.article.paragraph_texts)
    return diff


def _counterpart(entry: LibraryEntry, before: Serving, after: Serving, cause: Cause,
                 known: Known) -> LibraryEntry | None:
    """The article ``entry`` is a new version of: the same library id in the same scope, else the same
    source, else (a /reload with one new article) the article that served before if the two share any
    paragraph, edited or not (an unrelated article is a replacement, not a change)."""
    (old_scope, old), (new_scope, new) = before, after
    if old_scope == new_scope and old_scope is not None:
        same_id = next((e for e in old.entries if e.ref.id == entry.ref.id), None)
        if same_id is not None:
            return same_id
    same_source = next((e for e in reversed(old.entries) if e.ref.source == entry.ref.source), None)
    if same_source is not None:
        return same_source
    if cause == "reload" and len(new.entries) == 1:
        diff = _diff(old.latest, entry, known)
        if diff.of("unchanged") or diff.of("changed"):
            return old.latest
    return None


def article_changes(before: Serving, after: Serving, *, cause: Cause, by: int | None,
                    at: float | None = None, known: Known | None = None) -> list[ArticleChanged]:
    """One event per article whose paragraphs a load changed (an unchanged text sends nothing).

    ``article_id`` is the id answers cited (the old entry's); for the default article it is None and
    ``guild_id`` is None too, unless a guild's first own article replaced it there (then that guild only).
    When the load gave the scope its first library (the places it covers were served by a fallback:
    the guild's library or the default article), ``asked_in`` is the new scope: the fallback still serves
    everywhere else, so only the answers asked in the new scope's places are corrected.

    Compares paragraphs (CPU work): run it in a worker thread; ``known`` holds diffs already computed.
    """
    known = known or {}
    (old_scope, old), (new_scope, new) = before, after
    old_digests = {e.article.digest for e in old.entries}
    events = []
    for entry in new.entries:
        if entry.article.digest in old_digests:
            continue
        previous = _counterpart(entry, before, after, cause, known)
        if previous is None:
            continue
        old_texts, new_texts = previous.article.paragraph_texts, entry.article.paragraph_texts
        if old_texts == new_texts:
            continue
        where = old_scope if old_scope is not None else new_scope
        events.append(ArticleChanged(
            guild_id=where.guild_id if where is not None else None,
            channel_id=where.channel_id if where is not None else None,
            article_id=previous.ref.id if old_scope is not None else None,
            title=entry.ref.title, source=entry.ref.source, old_version=previous.article.digest,
            new_version=entry.article.digest, old_paragraphs=old_texts, new_paragraphs=new_texts, cause=cause,
            by=by, at=time.time() if at is None else at, diff=_diff(previous, entry, known),
            asked_in=new_scope if new_scope != old_scope else None,
        ))
    return events
