"""Cited paragraphs found again by digest in the articles serving now (More context)."""

from __future__ import annotations

from bot.door.passages import cited_passages
from bot.storage import CitedParagraph
from embeddings.answers import ArticleRef, Library, LibraryEntry
from embeddings.text import parse_text

HARBOUR = "Ingrid Olsen runs the port.\n\nBoats arrive at dawn.\n\nThe market opens at six."
COPY = "A preface paragraph.\n\nBoats arrive at dawn."


def entry(text: str, article_id: str) -> LibraryEntry:
    article = parse_text(text, source=f"{article_id}.md", title=article_id)
    return LibraryEntry(ArticleRef(article_id, article_id, article.source, article.digest, 0.0), article)


def test_a_paragraph_is_found_in_the_article_that_answered_first():
    """The same paragraph text in two articles: the one named by the citation is shown, at its number now."""
    harbour, copy = entry(HARBOUR, "7"), entry(COPY, "8")
    dawn = harbour.article.paragraphs[1].digest
    passages = cited_passages(Library((copy, harbour)), [CitedParagraph(2, dawn, "7")])
    assert [(a.title, numbers) for a, numbers in passages.articles] == [("7", [2])] and passages.missing == 0


def test_a_paragraph_of_an_article_gone_is_found_in_another_and_an_edited_one_is_counted_missing():
    """The citing article left the library: its paragraph is found where it serves now; a paragraph no article
    holds any more is counted, not shown."""
    harbour, copy = entry(HARBOUR, "7"), entry(COPY, "8")
    cited = [CitedParagraph(2, harbour.article.paragraphs[1].digest, "7"),
             CitedParagraph(3, harbour.article.paragraphs[2].digest, "7")]
    passages = cited_passages(Library((copy,)), cited)
    assert [(a.title, numbers) for a, numbers in passages.articles] == [("8", [2])] and passages.missing == 1
