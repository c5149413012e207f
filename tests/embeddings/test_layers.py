"""The engine's layers, checked on the source (every import statement, function-local ones included).

The contract:
- the layers, bottom first: ``faces``, ``errors`` and ``defaults`` (one module each, importing nothing of the
  project) → ``text`` →
  ``models`` → ``vectors`` → ``ranking`` → ``answers`` → ``evaluation``; a module imports only its own package
  and the layers below it;
- another layer only through its face (``from embeddings.text import Article`` / ``from ..text import Article``,
  never ``embeddings.text.article``); ``bot/``, ``benchmarks/`` and ``tests/`` too, except that the tests of a
  layer (``tests/embeddings/<layer>/``) may reach that layer's modules;
- a face exports (``__all__``) every name it lends, and each of them resolves;
- the engine never imports discord or bot;
- no import cycle between engine modules (imports under ``if TYPE_CHECKING:`` run never and are left out);
- no private (leading underscore) name imported from another module in embeddings/, bot/ or benchmarks/, nor from
  the engine anywhere.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENGINE = "embeddings"
LAYERS = ("faces", "errors", "defaults", "text", "models", "vectors", "ranking", "answers", "evaluation")
FORBIDDEN = ("discord", "bot")
CHECKED = ("embeddings", "bot", "benchmarks", "tests", "devtools")


@dataclass(frozen=True)
class Source:
    """One module's source: its dotted name, whether it is a package's ``__init__``, its text."""

    name: str
    text: str
    package: bool = False


@dataclass(frozen=True)
class Import:
    """One imported module (and the name taken from it, if any), where it was imported."""

    module: str
    name: str | None
    line: int
    type_only: bool  # under ``if TYPE_CHECKING:``


def module_name(path: Path) -> Source:
    """The :class:`Source` of a file under ROOT."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    package = parts[-1] == "__init__"
    return Source(".".join(parts[:-1] if package else parts), path.read_text(encoding="utf-8"), package)


@lru_cache(maxsize=1)
def project_sources() -> tuple[Source, ...]:
    """Every module of the checked trees (read once per session)."""
    return tuple(module_name(path) for top in CHECKED for path in sorted((ROOT / top).rglob("*.py")))


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, type_only: bool = False) -> Iterator[tuple[ast.AST, bool]]:
    for child in ast.iter_child_nodes(node):
        yield child, type_only
        yield from _walk(child, type_only or (isinstance(child, ast.If) and _type_checking(child)))


@cache
def imports(source: Source) -> list[Import]:
    """Every import in ``source`` (function-local and type-only ones included), relative ones resolved."""
    package = source.name if source.package else source.name.rpartition(".")[0]
    found = []
    for node, type_only in _walk(ast.parse(source.text)):
        if isinstance(node, ast.Import):
            found += [Import(alias.name, None, node.lineno, type_only) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found += [Import(module, alias.name, node.lineno, type_only) for alias in node.names]
    return found


def layer_of(module: str) -> str | None:
    """The engine layer a module belongs to (None outside the engine, or the engine's root package)."""
    parts = module.split(".")
    if parts[0] != ENGINE or len(parts) < 2:
        return None
    return parts[1] if parts[1] in LAYERS else None


def is_module(module: str, sources: dict[str, Source]) -> bool:
    return module in sources


def target(found: Import, sources: dict[str, Source]) -> tuple[str, str | None]:
    """The module an import reaches and the name it takes there (``from pkg import submodule`` reaches the
    submodule, taking no name)."""
    if found.name is not None and is_module(f"{found.module}.{found.name}", sources):
        return f"{found.module}.{found.name}", None
    return found.module, found.name


def is_face(module: str) -> bool:
    """``embeddings.<layer>`` (a package's ``__init__``), or ``embeddings.faces`` / ``errors`` / ``defaults`` (the
    bottom, one module each)."""
    parts = module.split(".")
    return len(parts) == 2 and parts[0] == ENGINE and parts[1] in LAYERS


def layer_tested_by(module: str) -> str | None:
    """The layer whose tests ``module`` is (``tests.embeddings.<layer>...``), if it is one."""
    parts = module.split(".")
    if parts[:2] == ["tests", ENGINE] and len(parts) > 2 and parts[2] in LAYERS:
        return parts[2]
    return None


def violations(source: Source, sources: dict[str, Source]) -> list[str]:
    """What in ``source`` breaks the contract (see the module docstring)."""
    out = []
    mine = layer_of(source.name)
    in_engine = source.name.split(".")[0] == ENGINE
    for found in imports(source):
        module, name = target(found, sources)
        where = f"{source.name}:{found.line}: {module}" + (f".{name}" if name else "")
        if in_engine and module.split(".")[0] in FORBIDDEN:
            out.append(f"{where}: the engine imports {module.split('.')[0]}")
        theirs = layer_of(module)
        if name and name.startswith("_") and module != source.name and (
            module.split(".")[0] == ENGINE or (module.split(".")[0] in CHECKED[:3] and source.name.split(".")[0]
                                                 in CHECKED[:3])
        ):
            out.append(f"{where}: a private name imported from another module")
        if theirs is None:
            if in_engine and module == ENGINE and name is not None:
                out.append(f"{where}: the engine's root package lends nothing")
            continue
        if in_engine and mine is None and source.name != ENGINE:
            out.append(f"{where}: an engine module outside every layer")
        if mine is not None and LAYERS.index(theirs) > LAYERS.index(mine):
            out.append(f"{where}: {mine} imports {theirs}, a layer above it")
        patching = source.name.startswith("tests.") and name is None  # a module object, to monkeypatch
        if theirs != mine and not is_face(module) and layer_tested_by(source.name) != theirs and not patching:
            out.append(f"{where}: {theirs} reached past its face")
    return out


def cycles(sources: dict[str, Source]) -> list[list[str]]:
    """Import cycles between engine modules (Tarjan's strongly connected components of more than one
    module, or a module importing itself); a face's names count as imports of the modules defining them."""
    graph: dict[str, set[str]] = {}
    for source in sources.values():
        if source.name.split(".")[0] != ENGINE:
            continue
        edges = graph.setdefault(source.name, set())
        for found in imports(source):
            if found.type_only:
                continue
            module, name = target(found, sources)
            if module.split(".")[0] != ENGINE or module not in sources:
                continue
            edges.add(face_source(module, name, sources) if name else module)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found_cycles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for after in sorted(graph.get(node, ())):
            if after not in index:
                visit(after)
                low[node] = min(low[node], low[after])
            elif after in stack:
                low[node] = min(low[node], index[after])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found_cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found_cycles


def face_sources(face: Source) -> dict[str, str]:
    """A face's ``SOURCES`` table: each lent name → the module of its package that defines it."""
    for node in ast.parse(face.text).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "SOURCES":
            table = ast.literal_eval(node.value) if node.value else {}
            return {name: f"{face.name}.{module}" for name, module in table.items()}
    return {}


def face_source(module: str, name: str, sources: dict[str, Source]) -> str:
    """The module that ``from module import name`` runs: a face's name leads to its defining module."""
    if is_face(module) and sources[module].package:
        return face_sources(sources[module]).get(name, module)
    return module


def by_name(items: Iterable[Source]) -> dict[str, Source]:
    return {source.name: source for source in items}


# The project itself.


def test_every_import_respects_the_layers():
    """No module of embeddings/, bot/, benchmarks/ or tests/ breaks the contract."""
    sources = by_name(project_sources())
    assert [v for source in sources.values() for v in violations(source, sources)] == []


def test_the_engine_has_no_import_cycle():
    """Engine modules import each other without a cycle, function-local imports included."""
    assert cycles(by_name(project_sources())) == []


def test_each_face_lends_what_its_all_names_and_nothing_is_missing():
    """Each layer's ``__all__`` is its ``SOURCES`` table, and every name in it resolves to its module's object."""
    for layer in LAYERS[3:]:  # faces, errors and defaults are single modules, their own faces
        face = importlib.import_module(f"{ENGINE}.{layer}")
        assert face.__doc__ and len(face.__doc__) > 80, layer
        table = face_sources(module_name(ROOT / ENGINE / layer / "__init__.py"))
        assert sorted(face.__all__) == sorted(table), layer
        for name, module in table.items():
            assert getattr(face, name) is getattr(importlib.import_module(module), name), (layer, name)


# The checker can fail.


def _check(*fakes: Source) -> list[str]:
    sources = by_name([*project_sources(), *fakes])
    return [v for fake in fakes for v in violations(fake, sources)]


def test_the_checker_flags_a_lower_layer_importing_a_higher_one():
    """``embeddings.text`` importing ``embeddings.ranking`` (its face, even) is a layer upside down."""
    fake = Source("embeddings.text.fake", "from embeddings.ranking import top_k\n")
    assert _check(fake) == ["embeddings.text.fake:1: embeddings.ranking.top_k: text imports ranking, a layer above it"]


def test_the_checker_flags_a_relative_and_a_function_local_import_upwards():
    """The same, written relatively inside a function."""
    fake = Source("embeddings.models.fake", "def f():\n    from ..answers import Answer\n")
    assert _check(fake) == [
        "embeddings.models.fake:2: embeddings.answers.Answer: models imports answers, a layer above it"
    ]


def test_the_checker_flags_reaching_past_a_face():
    """Ranking may use text, but through ``embeddings.text``, not ``embeddings.text.article``; so may the bot."""
    inside = Source("embeddings.ranking.fake", "from ..text.article import Article\n")
    outside = Source("bot.fake", "import embeddings.ranking.retrieval\n")
    assert _check(inside, outside) == [
        "embeddings.ranking.fake:1: embeddings.text.article.Article: text reached past its face",
        "bot.fake:1: embeddings.ranking.retrieval: ranking reached past its face",
    ]


def test_a_layers_own_tests_may_reach_its_modules_but_not_another_layers_names():
    """tests/embeddings/ranking/ may import from ``embeddings.ranking.retrieval``, and the module
    ``embeddings.text.article`` itself (to monkeypatch it), but not a name from it."""
    own = Source("tests.embeddings.ranking.test_fake", "from embeddings.ranking.retrieval import top_k\n"
                                                       "import embeddings.text.article as article_module\n")
    other = Source("tests.embeddings.ranking.test_other", "from embeddings.text.article import Article\n")
    assert _check(own, other) == [
        "tests.embeddings.ranking.test_other:1: embeddings.text.article.Article: text reached past its face"
    ]


def test_the_checker_flags_discord_bot_and_private_names():
    """The engine importing discord or bot, and a private name taken from another module (the bot's too)."""
    engine = Source("embeddings.answers.fake", "import discord\nfrom bot.config import Settings\n"
                                               "from .library import _private\n")
    bot = Source("bot.fake", "from bot.engine_async import _hidden\nfrom .storage.migrations import _x\n")
    assert _check(engine, bot) == [
        "embeddings.answers.fake:1: discord: the engine imports discord",
        "embeddings.answers.fake:2: bot.config.Settings: the engine imports bot",
        "embeddings.answers.fake:3: embeddings.answers.library._private: a private name imported from another module",
        "bot.fake:1: bot.engine_async._hidden: a private name imported from another module",
        "bot.fake:2: bot.storage.migrations._x: a private name imported from another module",
    ]


def test_the_checker_finds_a_cycle_hidden_in_a_function_and_through_a_face():
    """a → (function-local) b → (the face's name) a is a cycle; the same under TYPE_CHECKING is not."""
    face = Source("embeddings.ranking", 'SOURCES: dict[str, str] = {"thing": "one"}\n', package=True)
    one = Source("embeddings.ranking.one", "def f():\n    from .two import other\n")
    two = Source("embeddings.ranking.two", "from embeddings.ranking import thing\n")
    sources = by_name([*project_sources(), face, one, two])
    assert ["embeddings.ranking.one", "embeddings.ranking.two"] in cycles(sources)
    typed = Source("embeddings.ranking.two", "from typing import TYPE_CHECKING\n"
                                             "if TYPE_CHECKING:\n    from embeddings.ranking import thing\n")
    assert cycles(by_name([*project_sources(), face, one, typed])) == []
