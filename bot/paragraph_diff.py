"""Which paragraphs a new version added, removed or changed (pure; for ``watch`` and reports)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True, slots=True)
class ParagraphChange:
    """One paragraph's change: ``number`` is its ¶ in the new version (in the old one when removed)."""

    kind: ChangeKind
    number: int
    old_text: str | None
    new_text: str | None


def paragraph_changes(old: Sequence[str], new: Sequence[str]) -> list[ParagraphChange]:
    """The changes from paragraphs ``old`` to ``new``, in reading order (empty when they are equal).

    Paragraphs are matched by text (difflib); inside a replaced run, paragraphs pair up in order as
    changed, and the rest of the longer side is added or removed.
    """
    changes: list[ParagraphChange] = []
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(old_end - old_start, new_end - new_start)
        for offset in range(paired):
            i, j = old_start + offset, new_start + offset
            changes.append(ParagraphChange("changed", j + 1, old[i], new[j]))
        for i in range(old_start + paired, old_end):
            changes.append(ParagraphChange("removed", i + 1, old[i], None))
        for j in range(new_start + paired, new_end):
            changes.append(ParagraphChange("added", j + 1, None, new[j]))
    return changes


def counts(changes: Sequence[ParagraphChange]) -> str:
    """``1 added, 0 removed, 2 changed``."""
    return ", ".join(f"{sum(c.kind == kind for c in changes)} {kind}" for kind in ("added", "removed", "changed"))
