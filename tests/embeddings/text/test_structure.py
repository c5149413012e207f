"""The article's span codec: an article rebuilt from its stored spans is the article that was parsed."""

from __future__ import annotations

import pytest

from embeddings.text import article_from_structure, article_structure, default_article_path, load_article


def test_the_spans_rebuild_the_article_without_parsing():
    """From its text and spans the article has the same paragraphs, sentences, title, source and digest."""
    original = load_article(default_article_path())
    rebuilt = article_from_structure(original.text, article_structure(original), source=original.source,
                                     title=original.title)
    assert rebuilt == original


@pytest.mark.parametrize("structure", ["[[0, 999999, []]]", "[[0, 10, [[5, 20]]]]", "[]", "not json"])
def test_spans_that_do_not_fit_the_text_are_refused(structure):
    """A paragraph past the text, a sentence past its paragraph, no paragraph, or not JSON: ValueError."""
    with pytest.raises(ValueError):
        article_from_structure("A short text of forty characters or so..", structure, source="s", title="t")


def test_a_pdf_article_keeps_its_pages_through_its_structure():
    """A PDF's paragraphs are rebuilt with their page and their number on it."""
    from embeddings.text import parse_pdf
    from tests.pdfs import report_pdf

    original = parse_pdf(report_pdf(), source="report.pdf")
    rebuilt = article_from_structure(original.text, article_structure(original), source=original.source,
                                     title=original.title)
    assert rebuilt == original
    assert [(p.page, p.page_paragraph) for p in rebuilt.paragraphs] == [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1)]


def test_a_structure_stored_before_pages_reads_without_pages():
    """Three items a paragraph (every structure stored so far) is a paragraph with no page."""
    text = "One sentence here. Another one there.\n\nA second paragraph.\n"
    article = article_from_structure(text, "[[0,37,[[0,18],[19,37]]],[39,58,[[39,58]]]]", source="s", title="t")
    assert [(p.page, p.page_paragraph) for p in article.paragraphs] == [(None, None), (None, None)]
    assert article.paragraphs[1].text == "A second paragraph."


@pytest.mark.parametrize("structure", ["[[0, 10, [], 1]]", "[[0, 10, [], 0, 1]]", "[[0, 10, [], 2, 0]]"])
def test_a_paragraph_with_a_bad_page_is_refused(structure):
    """A page without its number on the page, or a page or number below 1: ValueError."""
    with pytest.raises(ValueError):
        article_from_structure("A short text of forty characters or so..", structure, source="s", title="t")
