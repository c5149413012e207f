"""Paragraph diffs: changed, added and removed paragraphs with their numbers."""

from __future__ import annotations

from bot.paragraph_diff import ParagraphChange, counts, paragraph_changes


def test_equal_paragraphs_have_no_changes():
    """The same paragraphs: nothing."""
    assert paragraph_changes(["a", "b"], ["a", "b"]) == []


def test_an_edited_paragraph_is_changed_with_both_texts():
    """One paragraph edited in place: changed, numbered as in the new version."""
    assert paragraph_changes(["a", "b", "c"], ["a", "B", "c"]) == [ParagraphChange("changed", 2, "b", "B")]


def test_added_and_removed_paragraphs_are_numbered_in_their_version():
    """An inserted paragraph is numbered in the new version, a removed one in the old version."""
    assert paragraph_changes(["a", "b", "c"], ["a", "x", "b"]) == [
        ParagraphChange("added", 2, None, "x"), ParagraphChange("removed", 3, "c", None)]


def test_a_longer_replaced_run_pairs_up_then_adds():
    """Two paragraphs replaced by three: two changed, one added."""
    changes = paragraph_changes(["a", "b", "c"], ["a", "B", "C", "D"])
    assert [(c.kind, c.number) for c in changes] == [("changed", 2), ("changed", 3), ("added", 4)]
    assert counts(changes) == "1 added, 0 removed, 2 changed"
