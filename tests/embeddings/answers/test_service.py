"""Reloading: atomic swap, diff report, and the old article serving on errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from embeddings.answers.service import ArticleService, diff_articles
from embeddings.errors import BinaryArticleError, EmptyArticleError, LoadCancelledError, NotAnArticleError
from embeddings.text import ArticleRequirements, default_article_path, parse_text
from embeddings.vectors import EmbeddingCache

HARBOUR = (
    "# Harbour\n\nThe harbour master is Ingrid Olsen. She has run the port of Vestvik for eleven years "
    "and knows every captain by name.\n\nBoats arrive at dawn with the night's catch, and the fish market "
    "opens an hour later on the quay.\n\nIn winter the harbour freezes at its edges, and the ferry to the "
    "islands runs only twice a week.\n"
)


def test_reload_of_same_file_reports_no_change(fresh_service):
    """Reloading the unchanged source encodes nothing and changes nothing."""
    report = fresh_service.reload()
    assert report.encoded == 0
    assert (report.diff.added, report.diff.removed, report.diff.changed) == (0, 0, 0)
    assert report.diff.unchanged == 9


def test_reload_of_new_file_swaps_content(fresh_service, tmp_path: Path):
    """After reloading another file, answers come from it."""
    other = tmp_path / "other.md"
    other.write_text(HARBOUR)
    report = fresh_service.reload(other)
    assert report.paragraphs == 3 and report.title == "Harbour"
    answer = fresh_service.answer("Who is the harbour master?")
    assert answer.answered and "Ingrid Olsen" in answer.citations[0].quote
    assert fresh_service.source == str(other)


def test_failed_reload_keeps_old_article(fresh_service, tmp_path: Path):
    """A binary or empty file raises and the old article keeps answering."""
    before = fresh_service.index
    binary, empty = tmp_path / "bad.txt", tmp_path / "empty.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    empty.write_text("\n\n")
    with pytest.raises(BinaryArticleError):
        fresh_service.reload(binary)
    with pytest.raises(EmptyArticleError):
        fresh_service.reload(empty)
    assert fresh_service.index is before
    assert "Prokopenko" in fresh_service.answer("Who commands the Azov Regiment?").citations[0].quote


def test_edit_reports_changed_paragraph(fresh_service):
    """Editing one paragraph and adding one is reported as 1 changed, 1 added."""
    path = Path(fresh_service.source)
    text = path.read_text(encoding="utf-8").replace("More than 300", "More than 400")
    path.write_text(text + "\n\nA brand new closing paragraph was added.\n", encoding="utf-8")
    report = fresh_service.reload()
    assert (report.diff.added, report.diff.removed, report.diff.changed) == (1, 0, 1)
    assert report.encoded == 3  # the edited paragraph, its edited sentence, the new one-sentence paragraph
    assert "400" in fresh_service.answer("How many people were evacuated?").citations[0].quote


def test_diff_counts_removals():
    """Dropping a paragraph counts as removed."""
    old = parse_text("A one.\n\nB two.\n\nC three.\n")
    new = parse_text("A one.\n\nC three.\n")
    diff = diff_articles(old, new)
    assert (diff.added, diff.removed, diff.changed, diff.unchanged) == (0, 1, 0, 2)


def test_a_page_without_an_article_is_refused_and_the_old_one_serves(fresh_service, tmp_path: Path):
    """A soft 404 page loads as text but is refused (NotAnArticleError); the old article keeps answering."""
    before = fresh_service.index
    page = tmp_path / "missing.html"
    page.write_text("<html><body><main><h1>Page not found</h1><p>Sorry, the page you are looking for "
                    "does not exist.</p><p>Return to the home page.</p></main></body></html>")
    with pytest.raises(NotAnArticleError):
        fresh_service.reload(page)
    assert fresh_service.index is before and fresh_service.source != str(page)
    assert "Prokopenko" in fresh_service.answer("Who commands the Azov Regiment?").citations[0].quote


def test_the_minimums_are_the_services_setting(encoder, tmp_path: Path):
    """A service built with lower minimums accepts a short text that the defaults refuse."""
    short = tmp_path / "short.txt"
    short.write_text("The lighthouse keeper is Mara Quill. She lights the lamp at dusk.\n")
    with pytest.raises(NotAnArticleError):
        ArticleService(encoder, EmbeddingCache(None), short).reload()
    lenient = ArticleService(encoder, EmbeddingCache(None), short, requirements=ArticleRequirements(5, 2))
    assert lenient.reload().paragraphs == 1


def test_a_stopped_service_refuses_to_parse_and_keeps_its_article(fresh_service):
    """After stop() (shutdown), a reload gives up with LoadCancelledError and the old index serves."""
    before = fresh_service.index
    fresh_service.stop()
    with pytest.raises(LoadCancelledError):
        fresh_service.reload()
    assert fresh_service.index is before


def test_stopping_interrupts_embedding_a_large_article(counting_encoder, tmp_path: Path):
    """A stop() while a large article is being embedded takes effect at the next chunk: the load fails with
    LoadCancelledError after one chunk of texts, nothing is swapped in, and shutdown need not wait for the rest."""
    service = ArticleService(counting_encoder, EmbeddingCache(tmp_path / "cache"), default_article_path())
    service.reload()
    before = service.index
    text = "\n\n".join(f"Paragraph {i} tells of boat number {i}. It arrived on day {i}." for i in range(200))
    article = parse_text(text)
    inner_encode = counting_encoder.encode

    def encode_then_stop(texts):
        rows = inner_encode(texts)
        service.stop()  # shutdown begins while the first chunk is being embedded
        return rows

    counting_encoder.encode = encode_then_stop
    counting_encoder.batches.clear()
    with pytest.raises(LoadCancelledError):
        service.reload_article(article)
    assert [len(batch) for batch in counting_encoder.batches] == [256]  # 600 texts to embed; one chunk ran
    assert service.index is before
