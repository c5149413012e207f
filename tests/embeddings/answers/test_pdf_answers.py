"""Answers from a PDF article cite the page and the paragraph on it, with verbatim quotes."""

from __future__ import annotations

import pytest

from embeddings.answers import ArticleService
from embeddings.vectors import EmbeddingCache
from tests.pdfs import KEEPER, report_pdf


@pytest.fixture(scope="module")
def pdf_service(encoder, tmp_path_factory: pytest.TempPathFactory) -> ArticleService:
    folder = tmp_path_factory.mktemp("pdf-article")
    path = folder / "report.pdf"
    path.write_bytes(report_pdf())
    service = ArticleService(encoder, EmbeddingCache(folder / "cache"), path)
    service.reload()
    return service


def test_a_pdf_answer_cites_page_2_paragraph_1_verbatim(pdf_service):
    """The keeper is named in ¶3 of the article, the first paragraph of page 2; the quote is its text's slice."""
    answer = pdf_service.answer("Who is the new lighthouse keeper?")
    assert answer.answered
    citation = answer.citations[0]
    assert (citation.paragraph, citation.page, citation.page_paragraph) == (3, 2, 1)
    assert KEEPER in citation.quote
    article = pdf_service.library.latest.article
    assert article.text[citation.start : citation.end] == citation.quote


def test_the_json_of_a_pdf_citation_has_its_page(pdf_service):
    """A PDF's citations add "page" and "page_paragraph" to the documented shape."""
    data = pdf_service.answer("Who is the new lighthouse keeper?").to_json()
    citation = data["citations"][0]
    assert set(citation) == {"paragraph", "quote", "start", "end", "score", "context", "article", "page",
                             "page_paragraph"}
    assert (citation["page"], citation["page_paragraph"]) == (2, 1)
