"""What became of each paragraph between two versions of an article (pure; no discord, no I/O)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .service import _similar  # the one rule for "an edit of", shared with /reload's counts

Fate = Literal["unchanged", "changed", "removed"]


@dataclass(frozen=True, slots=True)
class ParagraphFate:
    """Old paragraph ¶``old`` (1-based) is unchanged or changed into new ¶``new``, or removed (``new`` None)."""

    old: int
    kind: Fate
    new: int | None


@dataclass(frozen=True, slots=True)
class ParagraphDiff:
    """One fate per old paragraph (in order) and the numbers of the new paragraphs that were added."""

    fates: tuple[ParagraphFate, ...]
    added: tuple[int, ...]

    def of(self, kind: Fate) -> tuple[ParagraphFate, ...]:
        """The old paragraphs whose fate is ``kind``."""
        return tuple(f for f in self.fates if f.kind == kind)

    @property
    def counts(self) -> tuple[int, int, int, int]:
        """(added, removed, changed, unchanged), as /reload reports them."""
        return (len(self.added), len(self.of("removed")), len(self.of("changed")), len(self.of("unchanged")))

    @property
    def changes_anything(self) -> bool:
        """True when a paragraph was added, removed or changed."""
        return bool(self.added) or any(f.kind != "unchanged" for f in self.fates)


def paragraph_diff(old: Sequence[str], new: Sequence[str]) -> ParagraphDiff:
    """Old and new paragraph texts (¶n is index n-1) → the fate of every old paragraph.

    Same alignment as ``embeddings.service.diff_articles``: equal runs are unchanged; inside a replaced
    run, the i-th old and i-th new paragraph pair up as "changed" when the new one reads as an edit of
    the old (``_similar``), otherwise the old one is removed and the new one added.
    """
    fates: list[ParagraphFate] = []
    added: list[int] = []
    matcher = difflib.SequenceMatcher(a=list(old), b=list(new), autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            fates += [ParagraphFate(a0 + i + 1, "unchanged", b0 + i + 1) for i in range(a1 - a0)]
            continue
        pairs = min(a1 - a0, b1 - b0) if tag == "replace" else 0
        edited = {i for i in range(pairs) if _similar(old[a0 + i], new[b0 + i])}
        for i in range(a1 - a0):
            fates.append(ParagraphFate(a0 + i + 1, "changed", b0 + i + 1) if i in edited
                         else ParagraphFate(a0 + i + 1, "removed", None))
        added += [b0 + i + 1 for i in range(b1 - b0) if i not in edited]
    return ParagraphDiff(tuple(fates), tuple(added))
