"""No hard-coded user-facing English in the cogs and renderers: what a member reads comes from the catalogue
(bot/i18n), so it is in every language the bot writes.

The check reads the source (AST). A finding is a string literal (an f-string's literal parts included) that
holds a word, and either has a space in it (prose: "Not saved: ") or is handed straight to something a member
reads (``send``, ``reply``, ``Embed(title=…)``, ``add_field(name=…)``, ``label=`` …: "Articles"). Exempt:
docstrings, log calls, the English command descriptions of the ``app_commands`` decorators (translated by
``bot.i18n.commands``; tests/bot/gateway/test_sync.py checks every one is), and the small allow-list below, each with
its reason.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKED = sorted([*(ROOT / "bot" / "exts").rglob("*.py"), ROOT / "bot" / "replies" / "render.py",
                  ROOT / "bot" / "replies" / "correction_render.py"])
WORD = re.compile(r"[A-Za-z]*[a-z]{2,}")  # "Source", "refresh"; not "REFRESH_INTERVAL", "¶", "<t:"
# Calls whose arguments no member reads (logs, decorators whose English the translator replaces, lookups).
QUIET = {"debug", "info", "warning", "error", "exception", "critical", "getLogger", "command", "describe",
         "Group", "get_cog", "dispatch", "listener", "autocomplete", "text", "create_task"}
# Calls (and keywords) whose string arguments a member reads.
SINKS = {"send", "send_message", "reply", "edit", "edit_message", "edit_original_response", "followup", "Embed",
         "add_field", "set_field_at", "set_footer", "set_author", "plain", "clip", "escape", "button", "Button",
         "_reply", "NotModerator", "IntervalError"}
SHOWN_KEYWORDS = {"content", "title", "description", "name", "value", "text", "label", "placeholder"}
# (file, literal) pairs a member may read that are not English to translate, each with its reason.
ALLOWED: dict[tuple[str, str], str] = {
    ("bot/replies/correction_render.py", "/article add"): "a command's name, the same in every language",
    ("bot/replies/correction_render.py", "/reload"): "a command's name, the same in every language",
    ("bot/exts/library/cog.py", "** (id "): "the article's id as /article remove and refresh take it",
    ("bot/exts/refresh/check.py", "Unexpected error ("): "a stored check error, shown as a failure's detail "
                                                        "like the engine's own (English) error messages",
    ("bot/exts/refresh/cog.py", "The check's result could not be stored ("): "a stored check error, as above",
}


def _called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _literals(node: ast.AST) -> list[ast.Constant]:
    """The string literal ``node`` is, or the literal parts of the f-string it is."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node]
    if isinstance(node, ast.JoinedStr):
        return [part for part in node.values if isinstance(part, ast.Constant) and isinstance(part.value, str)]
    return []


def findings(path: Path) -> list[tuple[int, str]]:
    """(line, literal) of every user-facing English literal of ``path`` (see the module's docstring)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exempt: set[int] = set()
    shown: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                exempt.add(id(first.value))
        if isinstance(node, ast.Call) and _called(node) in QUIET:
            exempt.update(id(inner) for inner in ast.walk(node))
        if isinstance(node, ast.Call):
            arguments = [*node.args] if _called(node) in SINKS else []
            arguments += [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
            shown.update(id(literal) for argument in arguments for literal in _literals(argument))
    return sorted(
        (node.lineno, node.value) for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in exempt
        and WORD.search(node.value) and (" " in node.value.strip() or id(node) in shown)
    )


@pytest.mark.parametrize("path", CHECKED, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_hard_coded_english_in_cogs_and_renderers(path):
    """Every text a member reads in bot/exts and the renderers comes from the catalogue."""
    relative = path.relative_to(ROOT).as_posix()
    left = [(line, value) for line, value in findings(path) if (relative, value) not in ALLOWED]
    assert not left, f"{relative}: texts a member reads must come from bot.i18n: {left}"


def test_the_check_finds_hard_coded_english(tmp_path):
    """The check itself: prose in a reply, a bare embed title and an f-string's words are found; a log line,
    a docstring, a custom id and a catalogue lookup are not."""
    cog = tmp_path / "cog.py"
    cog.write_text('''"""A cog."""
async def f(interaction, embed, error, text, log):
    """Docstring words."""
    log.info("loaded %s for %s", 1, 2)
    await interaction.response.send_message(f"Not saved: {error}", ephemeral=True)
    embed.add_field(name="Source", value="ok")
    await interaction.followup.send(text("not_saved", error=error), custom_id="article-bot:vote:up")
    heading = "The default article answers here."
''')
    assert [value for _, value in findings(cog)] == ["Not saved: ", "Source", "ok", "The default article answers here."]
