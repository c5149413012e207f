"""Libraries: several articles searched together, with provenance and one abstention."""

from __future__ import annotations

import dataclasses

import pytest

from embeddings.answers.answer_shapes import Citation, Suggestion
from embeddings.answers.library import LibraryError, stamp_citation, stamp_suggestion
from embeddings.answers.service import ArticleService
from embeddings.text import default_article_path, parse_text
from embeddings.vectors import EmbeddingCache
from tests.texts import CLUB, HARBOUR


@pytest.fixture
def library_service(encoder) -> ArticleService:
    """The seed article plus two small articles that both mention Ingrid Olsen."""
    service = ArticleService(encoder, EmbeddingCache(None), default_article_path())
    service.reload()
    service.add_article(parse_text(HARBOUR, source="harbour.md"))
    service.add_article(parse_text(CLUB, source="club.md"))
    return service


def test_question_answered_from_two_articles_cites_both(library_service):
    """A question both small articles answer cites one quote from each, each naming its article."""
    answer = library_service.answer("Who is Ingrid Olsen?")
    assert answer.answered
    titles = {c.article.title for c in answer.citations}
    assert titles == {"Harbour news", "Rowing club"}
    for citation in answer.citations:
        entry = library_service.library.find(citation.article.id)
        assert entry.article.text[citation.start : citation.end] == citation.quote
        assert citation.article.version == entry.article.digest


def test_each_citation_carries_its_paragraphs_digest_from_the_article(library_service):
    """A library's citation carries the cited paragraph's digest as its article defines it (Paragraph.digest),
    so the bot stores it without hashing anything again."""
    answer = library_service.answer("Who is Ingrid Olsen?")
    assert answer.answered
    for citation in answer.citations:
        paragraph = library_service.library.find(citation.article.id).article.paragraphs[citation.paragraph - 1]
        assert citation.paragraph_digest == paragraph.digest


def test_each_article_still_answers_its_own_questions(library_service):
    """The seed article answers its question from inside the library, cited to the seed article."""
    answer = library_service.answer("Who commands the Azov Regiment?")
    assert answer.answered
    assert "Prokopenko" in answer.citations[0].quote
    assert answer.citations[0].article.source == str(default_article_path())


def test_library_abstains_only_when_every_article_does(library_service):
    """A question no article answers abstains, with suggestions from the library's articles."""
    answer = library_service.answer("What is the capital of France?")
    assert not answer.answered and answer.citations == ()
    assert answer.suggestions and all(s.article is not None for s in answer.suggestions)


def test_answer_carries_the_library_provenance(library_service):
    """Every answer lists the articles searched, with their version digests."""
    answer = library_service.answer("When do fishing boats leave?")
    assert [r.version for r in answer.articles] == [e.article.digest for e in library_service.library.entries]


def test_one_article_library_answers_as_the_answerer(seed_service):
    """With one article, the library's answer is the single-article answerer's, stamped."""
    question = "How many people were evacuated?"
    alone = seed_service.answerer.answer(seed_service.index, question)
    answer = seed_service.answer(question)
    assert [(c.paragraph, c.quote) for c in answer.citations] == [(c.paragraph, c.quote) for c in alone.citations]
    assert answer.confidence == alone.confidence


def test_summary_defaults_to_the_latest_article_and_names_it(library_service):
    """/summary without an article summarises the most recently loaded one; with an id, that one."""
    latest = library_service.summarize(1)
    assert latest.article is not None and latest.article.title == "Rowing club"
    seed_id = library_service.library.entries[0].ref.id
    seed = library_service.summarize(1, article_id=seed_id)
    assert seed.article.id == seed_id
    with pytest.raises(LibraryError):
        library_service.summarize(1, article_id="no-such-article")


def test_adding_past_the_limit_changes_nothing(encoder):
    """A library at MAX_ARTICLES_PER_SCOPE refuses another article and keeps serving the same ones."""
    service = ArticleService(encoder, EmbeddingCache(None), default_article_path(), max_articles=2)
    service.reload()
    service.add_article(parse_text(HARBOUR, source="harbour.md"))
    before = service.library
    with pytest.raises(LibraryError, match="limit"):
        service.add_article(parse_text(CLUB, source="club.md"))
    assert service.library is before


def test_removing_the_last_article_is_refused(seed_service):
    """A library never becomes empty."""
    only = seed_service.library.entries[0].ref.id
    with pytest.raises(LibraryError):
        seed_service.library.removing(only)


def test_reload_replaces_the_whole_library(library_service, tmp_path):
    """Reload (replace) leaves one article serving."""
    path = tmp_path / "solo.md"
    path.write_text(HARBOUR)
    library_service.reload(path)
    assert [e.article.title for e in library_service.library.entries] == ["Harbour news"]


@pytest.mark.parametrize(("kind", "stamp"), [(Citation, stamp_citation), (Suggestion, stamp_suggestion)])
def test_stamping_names_the_article_and_keeps_every_other_field(kind, stamp):
    """A stamped citation or suggestion holds the article's ref and every other field of the original,
    fields added later included (each field holds its own sentinel object here)."""
    values = {field.name: object() for field in dataclasses.fields(kind)}
    ref = object()
    stamped = stamp(kind(**values), ref)
    assert {name: getattr(stamped, name) for name in values} == values | {"article": ref}


def test_a_word_is_absent_only_when_no_article_of_the_library_uses_it(library_service):
    """"harbour" is in one small article, "weather" in none: only "weather" is named as absent."""
    assert library_service.answer("What is the harbour weather like?").absent == ("weather",)
