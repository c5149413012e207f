"""The tools the tests and the benchmarks share live in ``devtools/``: neither it nor the benchmarks import the
test tree, so a benchmark never depends on a test module; and the bot and the engine never import ``devtools``."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(source: str) -> set[str]:
    """Every module ``source`` imports, at any depth (function-local imports included)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def imports_of(packages: tuple[str, ...], top: str) -> list[str]:
    """``path: module`` for every import of ``top`` (or a module under it) in the ``packages``' files."""
    return [
        f"{path.relative_to(ROOT)}: {module}"
        for package in packages
        for path in sorted((ROOT / package).rglob("*.py"))
        for module in sorted(imported_modules(path.read_text()))
        if module == top or module.startswith(f"{top}.")
    ]


def test_function_local_imports_are_seen():
    """The check sees a function-local import, as the benchmarks used to write theirs."""
    source = "def run():\n    from tests.discord_fake import FakeDiscord\n    import tests.conftest\n"
    assert imported_modules(source) == {"tests.discord_fake", "tests.conftest"}


def test_benchmarks_and_devtools_import_nothing_from_tests():
    assert imports_of(("benchmarks", "devtools"), "tests") == []


def test_bot_and_embeddings_never_import_devtools():
    assert imports_of(("bot", "embeddings"), "devtools") == []


def test_shared_servers_live_in_devtools():
    for module in ("discord_fake/__init__.py", "postgres_server.py", "local_http.py", "article_bot.py", "processes.py"):
        assert (ROOT / "devtools" / module).is_file(), module
    assert not (ROOT / "tests" / "discord_fake").exists()
