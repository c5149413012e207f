"""The per-paragraph diff behind corrections: every old paragraph's fate, counted like /reload."""

from __future__ import annotations

from embeddings.article import default_article_path, parse_text
from embeddings.diff import ParagraphFate, paragraph_diff
from embeddings.service import ArticleDiff, diff_articles

A = "The harbour master is Ingrid Olsen, who has run the port of Vestvik for eleven years."
B = "Boats arrive at dawn every day with the night's catch, and the fish market opens an hour later."
C = "Buyers from three towns wait on the quay for the auction to begin, as they have for decades."
D = "A completely different paragraph about mountain railways and their timetables in winter."


def test_identical_texts_leave_every_paragraph_unchanged_at_its_number():
    """Nothing changed: each old ¶n is unchanged as new ¶n, nothing added."""
    diff = paragraph_diff([A, B, C], [A, B, C])
    assert diff.fates == tuple(ParagraphFate(n, "unchanged", n) for n in (1, 2, 3))
    assert diff.added == () and not diff.changes_anything


def test_an_edited_paragraph_is_changed_and_keeps_its_new_number():
    """A small edit of ¶2 makes ¶2 "changed" (new ¶2); the others stay unchanged."""
    diff = paragraph_diff([A, B, C], [A, B.replace("an hour", "two hours"), C])
    assert [f.kind for f in diff.fates] == ["unchanged", "changed", "unchanged"]
    assert diff.fates[1].new == 2 and diff.changes_anything


def test_a_deleted_paragraph_is_removed_and_later_ones_renumber():
    """Deleting ¶1 removes it; old ¶2 and ¶3 are unchanged as new ¶1 and ¶2."""
    diff = paragraph_diff([A, B, C], [B, C])
    assert diff.fates == (ParagraphFate(1, "removed", None), ParagraphFate(2, "unchanged", 1),
                          ParagraphFate(3, "unchanged", 2))


def test_a_rewritten_paragraph_is_removed_and_its_replacement_added():
    """A replacement that does not read as an edit of the old paragraph: old removed, new one added."""
    diff = paragraph_diff([A, B, C], [A, D, C])
    assert diff.fates[1] == ParagraphFate(2, "removed", None)
    assert diff.added == (2,)


def test_an_inserted_paragraph_shifts_the_numbers_of_the_ones_after_it():
    """A new ¶1 is added; old ¶1..¶3 are unchanged as ¶2..¶4."""
    diff = paragraph_diff([A, B, C], [D, A, B, C])
    assert diff.added == (1,)
    assert [(f.old, f.new) for f in diff.fates] == [(1, 2), (2, 3), (3, 4)]


def test_counts_agree_with_the_reload_report_on_the_seed_article():
    """Edit one paragraph, drop another, add one: the counts equal diff_articles' (what /reload says)."""
    old = parse_text(default_article_path().read_text(encoding="utf-8"))
    texts = [p.text for p in old.paragraphs]
    edited = [texts[0], texts[1].replace("heavy", "very heavy"), *texts[3:], D]
    new = parse_text("\n\n".join(edited))
    diff = paragraph_diff(texts, [p.text for p in new.paragraphs])
    assert ArticleDiff(*diff.counts) == diff_articles(old, new)
    assert diff.counts == (1, 1, 1, len(texts) - 2)
