"""The per-paragraph diff behind corrections: every old paragraph's fate, counted like /reload."""

from __future__ import annotations

import time

import pytest

from embeddings.answers import ArticleDiff, diff_articles
from embeddings.errors import ArticleTooComplexError
from embeddings.text.article import default_article_path, parse_text
from embeddings.text.diff import ParagraphFate, paragraph_diff, similar, similar_pairs

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


def test_changed_and_removed_paragraphs_carry_their_old_digest():
    """A changed or removed old paragraph carries its digest (the Paragraph.digest answers cite it by), computed
    with the diff; an unchanged one carries none."""
    old = parse_text("\n\n".join([A, B, C]))
    diff = paragraph_diff(old.paragraph_texts, [A, B.replace("an hour", "two hours")])
    assert [(f.kind, f.old_digest) for f in diff.fates] == [
        ("unchanged", ""), ("changed", old.paragraphs[1].digest), ("removed", old.paragraphs[2].digest)]


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


def lightly_edited(paragraphs: int, chars: int) -> tuple[list[str], list[str]]:
    """``paragraphs`` long paragraphs of the seed article's prose, and the same with three words changed in each."""
    prose = " ".join(p.strip() for p in default_article_path().read_text(encoding="utf-8").split("\n\n"))
    old = [(f"Part {n}. " + prose * (chars // len(prose) + 1))[:chars] for n in range(paragraphs)]
    new = []
    for text in old:
        words = text.split(" ")
        for at in (len(words) // 5, len(words) // 2, 4 * len(words) // 5):
            words[at] = words[at] + "-revised"
        new.append(" ".join(words))
    return old, new


def test_long_lightly_edited_paragraphs_pair_up_as_changed():
    """Six 19,000-character paragraphs, three words edited in each: all six "changed" at their own number."""
    old, new = lightly_edited(6, 19_000)
    diff = paragraph_diff(old, new)
    assert diff.fates == tuple(ParagraphFate(n, "changed", n) for n in range(1, 7)) and diff.added == ()


def test_a_lightly_edited_megabyte_diffs_in_seconds():
    """1 MB in 53 long paragraphs, every one edited (difflib's ratio() took ~8 s per pair): all "changed",
    well within a generous bound."""
    old, new = lightly_edited(53, 19_000)
    started = time.perf_counter()
    diff = paragraph_diff(old, new)
    assert time.perf_counter() - started < 15.0
    assert diff.counts == (0, 0, 53, 0)


def test_one_huge_paragraph_is_compared_in_linear_time():
    """A single 2 MB paragraph with one word changed (quadratic before: hours) is "changed", quickly."""
    old = lightly_edited(1, 2_000_000)[0]
    new = [old[0].replace(" the ", " THE ", 1)]
    started = time.perf_counter()
    assert paragraph_diff(old, new).fates == (ParagraphFate(1, "changed", 1),)
    assert time.perf_counter() - started < 15.0


def test_many_repeated_paragraphs_align_in_bounded_work():
    """15,000 paragraphs of three kinds (difflib's alignment is quadratic in repeats), one removed near the
    start: aligned within a generous bound, every old paragraph given one fate, every new one accounted for."""
    old = [A, B, C] * 5_000
    new = old[:10] + old[11:] + [D]
    started = time.perf_counter()
    diff = paragraph_diff(old, new)
    assert time.perf_counter() - started < 15.0
    added, _, changed, unchanged = diff.counts
    assert len(diff.fates) == len(old) and added + changed + unchanged == len(new)
    assert diff.fates[:10] == tuple(ParagraphFate(n, "unchanged", n) for n in range(1, 11))


def test_one_rule_for_pairs_and_batches():
    """similar() and similar_pairs() give the same verdicts: an edit is similar, an unrelated text is not."""
    olds = [A, B, C, A, "Short one.", "x" * 5000]
    news = [A.replace("eleven", "twelve"), D, C + " Prices rose.", B, "Short two.", "y" * 5000]
    verdicts = similar_pairs(olds, news)
    assert verdicts == [similar(o, n) for o, n in zip(olds, news, strict=True)]
    assert verdicts[0] and not verdicts[1] and verdicts[2] and not verdicts[3] and not verdicts[5]


def test_the_budget_is_checked_and_stops_the_diff():
    """``check`` is called before comparing paragraphs; when it raises, the diff stops with its error."""
    def out_of_time() -> None:
        raise ArticleTooComplexError("out of time")

    with pytest.raises(ArticleTooComplexError):
        paragraph_diff([A, B, C], [A, B.replace("an hour", "two hours"), C], check=out_of_time)
    assert paragraph_diff([A, B], [A, B], check=out_of_time).counts == (0, 0, 0, 2)  # nothing to compare
