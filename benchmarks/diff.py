"""Paragraph diff time for a lightly edited article (a few words changed in every paragraph), the
current near-linear diff against the quadratic one it replaced (difflib ``ratio()`` per paragraph pair).

Paragraphs are ~19,000 characters of the seed article's prose, as in the report that found the stall
(issue 22: a 115 KB file, each long paragraph lightly edited, froze the bot for 52 s).
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable, Sequence

from embeddings.text import ParagraphDiff, ParagraphFate, default_article_path, paragraph_diff

from .common import median, ms

SIZES = (1_000_000, 5_000_000)
OLD_SIZE = 115_000  # the old diff takes ~50 s here already (quadratic in paragraph length): not run larger
PARAGRAPH_CHARS = 19_000
TINY_SIZES = (20_000, 60_000)  # for the benchmarks' own test: 2,000-character paragraphs
TINY_OLD_SIZE = 20_000
TINY_PARAGRAPH_CHARS = 2_000


def lightly_edited(size: int, paragraph_chars: int = PARAGRAPH_CHARS) -> tuple[list[str], list[str]]:
    """An article of about ``size`` characters in paragraphs of ``paragraph_chars``, and the same with three
    words changed in each paragraph."""
    seed = " ".join(p.strip() for p in default_article_path().read_text(encoding="utf-8").split("\n\n") if p.strip())
    old: list[str] = []
    total, number = 0, 0
    while total < size:
        words = (f"[{number}] " + seed * (paragraph_chars // len(seed) + 1))[:paragraph_chars].split(" ")
        old.append(" ".join(words))
        total += paragraph_chars + 2
        number += 1
    new = []
    for text in old:
        words = text.split(" ")
        for at in (len(words) // 5, len(words) // 2, 4 * len(words) // 5):
            words[at] = words[at].upper() + "!"
        new.append(" ".join(words))
    return old, new


def _old_similar(old: str, new: str) -> bool:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return matcher.real_quick_ratio() >= 0.5 and matcher.quick_ratio() >= 0.5 and matcher.ratio() >= 0.5


def old_paragraph_diff(old: Sequence[str], new: Sequence[str]) -> ParagraphDiff:
    """The diff before issue 22, kept here only to be timed."""
    fates: list[ParagraphFate] = []
    added: list[int] = []
    for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(a=list(old), b=list(new), autojunk=False).get_opcodes():
        if tag == "equal":
            fates += [ParagraphFate(a0 + i + 1, "unchanged", b0 + i + 1) for i in range(a1 - a0)]
            continue
        pairs = min(a1 - a0, b1 - b0) if tag == "replace" else 0
        edited = {i for i in range(pairs) if _old_similar(old[a0 + i], new[b0 + i])}
        for i in range(a1 - a0):
            fates.append(ParagraphFate(a0 + i + 1, "changed", b0 + i + 1) if i in edited
                         else ParagraphFate(a0 + i + 1, "removed", None))
        added += [b0 + i + 1 for i in range(b1 - b0) if i not in edited]
    return ParagraphDiff(tuple(fates), tuple(added))


Diff = Callable[[list[str], list[str]], ParagraphDiff]


def _timed(diff: Diff, old: list[str], new: list[str], runs: int) -> tuple[float, ParagraphDiff]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = diff(old, new)
        times.append(time.perf_counter() - started)
    assert result is not None
    return median(times), result


def run(*, runs: int, sizes: tuple[int, ...] = SIZES, old_size: int = OLD_SIZE,
        paragraph_chars: int = PARAGRAPH_CHARS) -> dict:
    """Median diff time per size (new), and the old diff (run once) at ``old_size`` beside the new one there."""
    report: dict = {"paragraph_chars": paragraph_chars, "runs": runs}
    for size in sizes:
        old, new = lightly_edited(size, paragraph_chars)
        seconds, diff = _timed(paragraph_diff, old, new, runs)
        report[f"{size // 1000}k"] = {"paragraphs": len(old), "new_ms": ms(seconds),
                                      "changed": len(diff.of("changed"))}
    old, new = lightly_edited(old_size, paragraph_chars)
    new_seconds, new_diff = _timed(paragraph_diff, old, new, runs)
    old_seconds, old_diff = _timed(old_paragraph_diff, old, new, 1)
    report[f"{old_size // 1000}k_old_vs_new"] = {
        "paragraphs": len(old), "new_ms": ms(new_seconds), "old_ms": ms(old_seconds),
        "same_fates": new_diff == old_diff,
    }
    return report
