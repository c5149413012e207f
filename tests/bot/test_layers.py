"""The bot's layers, checked on the source (every import statement, function-local and type-only ones included).

The contract (the engine's own is in tests/embeddings/test_layers.py, whose AST helpers this reuses):
- the bot's packages, top first: ``bot.cli`` → ``bot.gateway`` → ``bot.exts`` (the cogs) → ``bot.replies`` →
  ``bot.door`` → ``bot.pages``, with ``bot.storage``, ``bot.i18n`` and the shared modules at ``bot/`` top
  (settings, terminal text) below them all; a package imports only the packages :data:`MAY_IMPORT` lists for it;
- the gateway loads the cogs by module path strings, never by importing them; cogs may use the gateway's face
  (the bot type, ``moderator_only``, places, the edit queue), the one upward edge, kept explicit below;
- another of the new packages (:data:`FACED`) only through its face: ``from bot.door import AsyncEngine``, never
  ``bot.door.engine_async``, from ``bot/``, ``benchmarks/`` and ``devtools/`` (tests may reach the modules they test);
- the cogs import from the engine only the faces ``embeddings.answers``, ``embeddings.text`` and the errors;
- each face's ``__all__`` is its ``SOURCES`` table, every name resolves, and importing it imports nothing else;
- a :class:`~embeddings.answers.Library` never leaves the door: outside ``bot.door`` (and the engine and their
  tests) nothing imports it, and no public method of ``AsyncEngine`` is annotated to return one.
"""

from __future__ import annotations

import importlib
import inspect
import re
import subprocess
import sys

from tests.embeddings.test_layers import (
    ROOT,
    Source,
    by_name,
    face_sources,
    imports,
    module_name,
    project_sources,
    target,
)

FACED = ("door", "gateway", "replies", "cli", "pages")
PACKAGES = (*FACED, "exts", "storage", "i18n")
TOP = "top"  # bot/config.py, setting_values.py, database_url.py, engine_settings.py, terminal.py: shared helpers

MAY_IMPORT: dict[str, set[str]] = {
    "cli": {"gateway", "door", "replies", "pages", "storage", "i18n", TOP},
    "gateway": {"door", "replies", "pages", "storage", "i18n", TOP},
    # the one upward edge: cogs type against the gateway's bot and use its Discord helpers, through its face only
    "exts": {"gateway", "door", "replies", "pages", "storage", "i18n", TOP},
    "replies": {"door", "pages", "storage", "i18n", TOP},  # door: the events it renders; pages: public_part
    "door": {"storage", "i18n", TOP},
    "pages": {TOP},
    "storage": {"i18n", TOP},
    "i18n": {TOP},
    TOP: {"i18n"},
}

# Known exceptions, each with its reason (module, imported module): the shared helpers at the top reach two layers.
ALLOWED: dict[tuple[str, str], str] = {
    # REFRESH_EVERY is validated with the refresh schedule's own duration parser (function-local import)
    ("bot.setting_values", "bot.pages"): "the settings parse durations as the scheduler does",
    # the retention defaults (VERSIONS_KEPT, CORRECTION_WINDOW_DAYS) are declared beside the version store
    ("bot.config", "bot.storage.version_history"): "settings take the store's retention defaults",
}

EXTS_ENGINE = {"embeddings.answers", "embeddings.text", "embeddings.errors"}


def layer_of(module: str) -> str | None:
    """The bot package ``module`` belongs to, ``TOP`` for a shared module at ``bot/`` top, None outside bot."""
    parts = module.split(".")
    if parts[0] != "bot" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in PACKAGES else TOP


def is_bot_face(module: str) -> bool:
    return module in {f"bot.{package}" for package in FACED}


def package_tested_by(module: str) -> str | None:
    """The package whose tests ``module`` is (``tests.bot.<package>...``)."""
    parts = module.split(".")
    return parts[2] if parts[:2] == ["tests", "bot"] and len(parts) > 2 and parts[2] in PACKAGES else None


def violations(source: Source, sources: dict[str, Source]) -> list[str]:
    """What in ``source`` breaks the bot's contract (see the module docstring)."""
    out = []
    mine = layer_of(source.name)
    top = source.name.split(".")[0]
    for found in imports(source):
        module, name = target(found, sources)
        where = f"{source.name}:{found.line}: {module}" + (f".{name}" if name else "")
        theirs = layer_of(module)
        if mine == "exts" and module.split(".")[0] == "embeddings" and module not in EXTS_ENGINE:
            out.append(f"{where}: a cog imports the engine past answers/text")
        if theirs is None or module == "bot":
            continue
        allowed = ALLOWED.get((source.name, module)) or ALLOWED.get((source.name, f"bot.{theirs}"))
        if mine is not None and theirs != mine and theirs not in MAY_IMPORT[mine] and not allowed:
            out.append(f"{where}: {mine} imports {theirs}, which it may not")
        outside = theirs in FACED and theirs != mine and not is_bot_face(module)
        if outside and (top in {"bot", "benchmarks", "devtools"} or (
            top == "tests" and package_tested_by(source.name) is None and name is not None
            and _lent(theirs, name, sources)
        )):
            out.append(f"{where}: {theirs} reached past its face")
    return out


def library_holders(sources: dict[str, Source]) -> list[str]:
    """The modules outside the door (and outside the engine and the tests of either) that import the engine's
    ``Library``: callers ask the door for answers, results and passages instead."""
    inside = ("embeddings", "bot.door", "tests.embeddings", "tests.bot.door")
    return [f"{source.name}:{found.line}" for source in sources.values()
            if not any(source.name == top or source.name.startswith(f"{top}.") for top in inside)
            for found in imports(source)
            if found.name == "Library" and target(found, sources)[0].startswith("embeddings.answers")]


def _lent(package: str, name: str, sources: dict[str, Source]) -> bool:
    """Whether the face of ``package`` lends ``name`` (tests must then take it there)."""
    return name in face_sources(sources[f"bot.{package}"])


def _check(*fakes: Source) -> list[str]:
    sources = by_name([*project_sources(), *fakes])
    return [v for fake in fakes for v in violations(fake, sources)]


# The project itself.


def test_every_bot_import_respects_the_layers():
    """No module of bot/, benchmarks/, devtools/ or tests/ breaks the bot's contract."""
    sources = by_name(project_sources())
    assert [v for source in sources.values() for v in violations(source, sources)] == []


def test_each_bot_face_lends_what_its_all_names():
    """Each face has a docstring, ``__all__`` is its ``SOURCES`` table, and every name resolves."""
    for package in FACED:
        face = importlib.import_module(f"bot.{package}")
        assert face.__doc__ and len(face.__doc__) > 80, package
        table = face_sources(module_name(ROOT / "bot" / package / "__init__.py"))
        assert sorted(face.__all__) == sorted(table), package
        for name, module in table.items():
            assert getattr(face, name) is getattr(importlib.import_module(module), name), (package, name)


def test_importing_the_faces_imports_nothing_else():
    """The faces are lazy: importing all of them loads no module of theirs (so ``article-bot ask`` stays lean)."""
    code = ("import sys\nimport bot.door, bot.gateway, bot.replies, bot.cli, bot.pages\n"
            "print(sorted(m for m in sys.modules if m.startswith(('bot.', 'discord', 'embeddings'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.stdout.strip() == str(sorted(f"bot.{package}" for package in FACED)), result.stderr


def test_no_library_leaves_the_door():
    """Nothing outside ``bot.door`` imports ``embeddings.answers.Library``, and no public method of the
    ``AsyncEngine`` returns one (nor a tuple holding one): the door answers for its libraries."""
    from bot.door import AsyncEngine

    assert library_holders(by_name(project_sources())) == []
    returns = {name: inspect.signature(member).return_annotation for name, member in vars(AsyncEngine).items()
               if callable(member) and not name.startswith("_")}
    assert returns and all("Library" not in re.sub(r"Library(Store|Error|Entry)", "", str(r))
                           for r in returns.values()), returns


# The checker can fail.


def test_the_checker_flags_a_cog_importing_the_ranking_layer_and_gateway_internals():
    """A cog importing ``embeddings.ranking`` (its face, even) or ``bot.gateway.app`` is flagged."""
    cog = Source("bot.exts.fake.cog", "from embeddings.ranking import top_k\nfrom bot.gateway.app import ArticleBot\n")
    assert _check(cog) == [
        "bot.exts.fake.cog:1: embeddings.ranking.top_k: a cog imports the engine past answers/text",
        "bot.exts.fake.cog:2: bot.gateway.app.ArticleBot: gateway reached past its face",
    ]


def test_the_checker_flags_a_lower_layer_importing_a_higher_one():
    """The door importing the replies or the gateway (faces, even, and function-local) is upside down."""
    door = Source("bot.door.fake", "from ..replies import plain\ndef f():\n    from bot.gateway import ArticleBot\n")
    pages = Source("bot.pages.fake", "from ..door import AsyncEngine\n")
    assert _check(door, pages) == [
        "bot.door.fake:1: bot.replies.plain: door imports replies, which it may not",
        "bot.door.fake:3: bot.gateway.ArticleBot: door imports gateway, which it may not",
        "bot.pages.fake:1: bot.door.AsyncEngine: pages imports door, which it may not",
    ]


def test_the_checker_flags_the_gateway_importing_a_cog_and_a_benchmark_past_a_face():
    """The gateway must load cogs by name; a benchmark takes the door from its face."""
    gateway = Source("bot.gateway.fake", "from bot.exts.asking import cog\n")
    bench = Source("benchmarks.fake", "from bot.door.engine_async import AsyncEngine\n")
    assert _check(gateway, bench) == [
        "bot.gateway.fake:1: bot.exts.asking.cog: gateway imports exts, which it may not",
        "benchmarks.fake:1: bot.door.engine_async.AsyncEngine: door reached past its face",
    ]


def test_the_checker_flags_a_cog_holding_a_library():
    """A cog importing the engine's ``Library`` (from the face, even) is flagged; the door itself is not."""
    cog = Source("bot.exts.fake.cog", "from embeddings.answers import Library, LibraryError\n")
    door = Source("bot.door.fake", "from embeddings.answers import Library\n")
    assert library_holders(by_name([*project_sources(), cog, door])) == ["bot.exts.fake.cog:1"]


def test_every_allowed_exception_is_still_needed():
    """An allow-list entry whose import is gone is removed, so the list shows only today's exceptions."""
    sources = by_name(project_sources())
    used = {(name, module) for name, module in ALLOWED
            if any(target(found, sources)[0] == module or layer_of(target(found, sources)[0]) == layer_of(module)
                   for found in imports(sources[name]))}
    assert used == set(ALLOWED)
