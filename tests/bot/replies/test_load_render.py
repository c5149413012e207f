"""A moderator's load rendered in their language from the door's data (the door writes no English)."""

from __future__ import annotations

from bot.door import LoadResult
from bot.replies import load_line
from bot.storage import Scope
from embeddings.answers import ArticleDiff, ReloadReport

REPORT = ReloadReport("harbour.md", "Harbour *news*", 3, ArticleDiff(1, 0, 1, 1), 2, 0.456)


def test_an_english_load_line_reads_as_before():
    """English: the report line as the engine words it (title escaped), then where it now answers."""
    line = load_line(LoadResult(REPORT, Scope(1), 2, "7"), "en")
    assert line == ("Loaded “Harbour \\*news\\*” (3 paragraphs): 1 added, 0 removed, 1 changed, 1 unchanged; "
                    "2 texts encoded in 0.46 s. This server now answers from 2 articles.")


def test_a_load_line_follows_the_moderators_language_and_plural():
    """Ukrainian, one article in a channel: the bot's words translated with the right plural form."""
    line = load_line(LoadResult(REPORT, Scope(1, 2), 1, "7"), "uk")
    assert line.startswith("Завантажено «Harbour \\*news\\*» (абзаців: 3)")
    assert line.endswith("Цей канал: тепер відповідає за 1 статтею.")


def test_reloading_several_articles_counts_them_and_the_default_article_names_itself():
    """/reload of a library of two sources: the articles are counted (no English "2 articles" title); a load
    of the default article says so."""
    several = load_line(LoadResult(REPORT, Scope(1), 2, reports=(REPORT, REPORT)), "de")
    assert several.startswith("2 Artikel geladen (3 Absätze)")
    assert load_line(LoadResult(REPORT, None, 1), "en").endswith("The default article now answers from 1 article.")
