"""Reloading: atomic swap, diff report, and the old article serving on errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from embeddings.article import parse_text
from embeddings.errors import BinaryArticleError, EmptyArticleError
from embeddings.service import diff_articles


def test_reload_of_same_file_reports_no_change(fresh_service):
    """Reloading the unchanged source encodes nothing and changes nothing."""
    report = fresh_service.reload()
    assert report.encoded == 0
    assert (report.diff.added, report.diff.removed, report.diff.changed) == (0, 0, 0)
    assert report.diff.unchanged == 9


def test_reload_of_new_file_swaps_content(fresh_service, tmp_path: Path):
    """After reloading another file, answers come from it."""
    other = tmp_path / "other.md"
    other.write_text("# Harbour\n\nThe harbour master is Ingrid Olsen.\n\nBoats arrive at dawn.\n")
    report = fresh_service.reload(other)
    assert report.paragraphs == 2 and report.title == "Harbour"
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
