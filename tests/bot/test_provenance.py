"""Provenance is carried, never re-derived: the bot's cogs and store take digests and paragraph texts from
the engine's results and the store, never hashing or parsing article text themselves."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[2] / "bot"
REDERIVING = {"text_digest", "parse_text"}  # hashing a quote or paragraph again; splitting stored text again


def _imported_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("folder", ["exts", "storage"])
def test_cogs_and_store_never_rehash_or_reparse(folder):
    """No module under bot/exts or bot/storage imports text_digest or parse_text."""
    offenders = {str(p.relative_to(BOT)): sorted(_imported_names(p) & REDERIVING)
                 for p in sorted((BOT / folder).rglob("*.py")) if _imported_names(p) & REDERIVING}
    assert offenders == {}
