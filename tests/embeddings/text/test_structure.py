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
