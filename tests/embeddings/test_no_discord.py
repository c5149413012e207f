"""The engine never imports discord, nor the bot layer."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "embeddings"
FORBIDDEN = {"discord", "bot"}


def _imported_modules(path: Path) -> list[str]:
    """Top-level names of every module an import statement in ``path`` names (relative imports excluded)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return [name.split(".")[0] for name in names]


def test_the_import_check_sees_sub_packages_and_bot_imports(tmp_path: Path):
    """The source check walks sub-packages and flags ``bot`` as well as ``discord``."""
    nested = tmp_path / "sub" / "deeper.py"
    nested.parent.mkdir()
    nested.write_text("import discord.ext\nfrom bot.config import Settings\nfrom .x import y\n")
    found = [name for path in tmp_path.rglob("*.py") for name in _imported_modules(path)]
    assert set(found) & FORBIDDEN == {"discord", "bot"}


def test_no_engine_source_imports_discord_or_bot():
    """No module under embeddings/ (sub-packages included) has an import statement naming discord or bot."""
    offenders = [
        f"{path.relative_to(ENGINE)}: {name}"
        for path in ENGINE.rglob("*.py")
        for name in _imported_modules(path)
        if name in FORBIDDEN
    ]
    assert offenders == []


def test_importing_every_engine_module_loads_no_discord_or_bot():
    """Importing all of embeddings/ (sub-packages included) in a fresh interpreter leaves discord and bot
    out of sys.modules."""
    modules = [
        ".".join(("embeddings", *p.relative_to(ENGINE).with_suffix("").parts)).removesuffix(".__init__")
        for p in ENGINE.rglob("*.py")
    ]
    assert any(name.count(".") > 1 for name in modules)  # a sub-package module is among them
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('discord', 'bot')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=ENGINE.parent)
    assert result.stdout.strip() == "[]"
