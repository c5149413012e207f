"""Dated articles (a feed's) that say different things about one fact: the newer one is quoted first."""

from __future__ import annotations

import dataclasses

import pytest

from embeddings.answers.library import Library, LibraryEntry
from embeddings.answers.service import ArticleService
from embeddings.text import default_article_path, parse_text
from embeddings.vectors import EmbeddingCache

EARLY = ("# Ferry timetable\n\nThe ferry to Vestvik leaves at seven every morning from the north quay, the harbour "
         "master Ingrid Olsen said.\n\nTickets are sold on board and cost four crowns for adults.")
LATE = ("# Ferry timetable changed\n\nThe ferry to Vestvik leaves at nine every morning from the north quay, the "
        "harbour master Ingrid Olsen said.\n\nTickets are sold on board and cost four crowns for adults.")
QUESTION = "When does the ferry to Vestvik leave?"


@pytest.fixture
def service(encoder) -> ArticleService:
    service = ArticleService(encoder, EmbeddingCache(None), default_article_path())
    service.reload()
    return service


def dated(service: ArticleService, published: dict[str, float | None]) -> Library:
    """The two timetables as one library, each with the published date given by its text's first word."""
    entries = []
    for number, text in enumerate((EARLY, LATE)):
        article = parse_text(text, source=f"https://example.org/{number}.html")
        entry = service.entry(article)
        ref = dataclasses.replace(entry.ref, id=str(number + 1), published=published["late" if number else "early"])
        entries.append(LibraryEntry(ref, article))
    return Library(tuple(entries))


@pytest.mark.parametrize(("early", "late", "first"), [(1.0, 2.0, "nine"), (2.0, 1.0, "seven")])
def test_the_newer_of_two_dated_articles_is_quoted_first(service, early, late, first):
    """Whichever was published later leads the answer, whatever the two scores."""
    answer = service.answer_in(dated(service, {"early": early, "late": late}), QUESTION)
    assert answer.answered and first in answer.citations[0].quote


def test_undated_articles_keep_confidence_order(service):
    """Without published dates the order is the scores' (as before): the same either way round."""
    answer = service.answer_in(dated(service, {"early": None, "late": None}), QUESTION)
    assert answer.answered and len({c.article.id for c in answer.citations}) == 2
