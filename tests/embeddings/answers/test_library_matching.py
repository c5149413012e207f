"""A library works out each article's word matching once per question, for its encoder call and its scores."""

from __future__ import annotations

from embeddings.answers.service import ArticleService
from embeddings.ranking import question_terms
from embeddings.text import default_article_path, parse_text
from embeddings.vectors import EmbeddingCache
from tests.texts import CLUB, HARBOUR


def test_each_article_rewrites_the_question_once(encoder, monkeypatch):
    """Answering from three articles rewrites the question three times, once per article (the
    words it matches feed both the one encoder call and that article's scores), and still cites
    both articles that answer."""
    service = ArticleService(encoder, EmbeddingCache(None), default_article_path())
    service.reload()
    service.add_article(parse_text(HARBOUR, source="harbour.md"))
    service.add_article(parse_text(CLUB, source="club.md"))
    calls: list[str] = []
    rewrite = question_terms.rewrite

    def counted(text, lexical):
        calls.append(text)
        return rewrite(text, lexical)

    monkeypatch.setattr(question_terms, "rewrite", counted)
    answer = service.answer("Who is Ingrid Olsen?")
    assert calls == ["Who is Ingrid Olsen?"] * 3
    assert {c.article.title for c in answer.citations if c.article} == {"Harbour news", "Rowing club"}
