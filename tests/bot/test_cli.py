"""The article-bot command line, run as a real subprocess on the bundled article."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, stdin: str = "", cache: Path, env: dict[str, str] | None = None):
    """Run ``python -m bot.cli`` with a private cache and no Discord token."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "ARTICLE_PATH"}}
    environment.update({"CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1"}, **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True, text=True,
        cwd=ROOT, env=environment, timeout=120,
    )


@pytest.fixture(scope="module")
def cli_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the module, so later runs reuse the first run's embeddings."""
    return tmp_path_factory.mktemp("cli-cache")


def test_ask_stdin_json_lines(cli_cache):
    """`ask - --json` answers one question per line with the documented shape."""
    questions = "Who commands the Azov Regiment?\n\nWhat is the capital of France?\n"
    result = run_cli("ask", "-", "--json", stdin=questions, cache=cli_cache)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["answered"] for line in lines] == [True, False]
    assert "Prokopenko" in lines[0]["citations"][0]["quote"]
    article = (ROOT / "embeddings" / "seed" / "article.txt").read_text(encoding="utf-8")
    citation = lines[0]["citations"][0]
    assert article[citation["start"] : citation["end"]] == citation["quote"]


def test_ask_human_output_is_block_quoted(cli_cache):
    """Human output is a Markdown block quote followed by — ¶n."""
    result = run_cli("ask", "How many people were evacuated?", cache=cli_cache)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("> More than 300") and "— ¶5" in result.stdout


def test_summary_json(cli_cache):
    """`summary --sentences 2 --json` prints two cited sentences."""
    result = run_cli("summary", "--sentences", "2", "--json", cache=cli_cache)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["sentences"]) == 2


def test_console_answers_and_summarises(cli_cache, tmp_path: Path):
    """The console answers a question, summarises, reloads another file and quits."""
    other = tmp_path / "other.txt"
    other.write_text("The lighthouse keeper is Mara Quill.\n\nShe lights the lamp at dusk.\n")
    script = (
        f"Who commands the Azov Regiment?\n/summary 1\n/reload {other}\n"
        "Who is the lighthouse keeper?\n/quit\n"
    )
    result = run_cli("console", stdin=script, cache=cli_cache)
    assert result.returncode == 0, result.stderr
    assert "Prokopenko" in result.stdout
    assert "2 added, 9 removed" in result.stdout or "2 paragraphs" in result.stdout
    assert "Mara Quill" in result.stdout


def test_start_without_token_opens_the_console(cli_cache):
    """`start` (what make run calls) falls back to the console when DISCORD_TOKEN is unset."""
    result = run_cli("start", stdin="How many people were evacuated?\n", cache=cli_cache)
    assert result.returncode == 0, result.stderr
    assert "More than 300" in result.stdout


def test_bad_input_exits_2_with_message(cli_cache, tmp_path: Path):
    """A binary article and an over-long question fail with a clear message and status 2."""
    binary = tmp_path / "bad.txt"
    binary.write_bytes(b"\x00\xff" * 50)
    result = run_cli("ask", "hello?", "--article", str(binary), cache=cli_cache)
    assert result.returncode == 2 and "binary" in result.stderr
    result = run_cli("ask", "why " * 200, cache=cli_cache)
    assert result.returncode == 2 and "500" in result.stderr


def test_invalid_setting_fails_fast(cli_cache):
    """An invalid setting stops the CLI with a message naming it."""
    result = run_cli("ask", "x?", cache=cli_cache, env={"GUILD_ID": "not-a-number"})
    assert result.returncode == 2 and "GUILD_ID" in result.stderr


HARBOUR = "# Harbour news\n\nThe harbour master is Ingrid Olsen, who took office in March.\n"
CLUB = "# Rowing club\n\nThe rowing club is chaired by Ingrid Olsen, the harbour master.\n"


def test_repeated_article_searches_all_and_names_each(cli_cache, tmp_path: Path):
    """`ask --article A --article B --json`: one question cites both articles, each citation naming its own."""
    harbour, club = tmp_path / "harbour.md", tmp_path / "club.md"
    harbour.write_text(HARBOUR)
    club.write_text(CLUB)
    result = run_cli("ask", "Who is Ingrid Olsen?", "--json", "--article", str(harbour), "--article", str(club),
                     cache=cli_cache)
    assert result.returncode == 0, result.stderr
    citations = json.loads(result.stdout)["citations"]
    assert {c["article"]["title"] for c in citations} == {"Harbour news", "Rowing club"}
    assert {c["article"]["source"] for c in citations} == {str(harbour), str(club)}


def test_console_add_searches_together_and_reload_replaces(cli_cache, tmp_path: Path):
    """Console /add adds an article (answers name both), /reload PATH replaces them all."""
    harbour, club = tmp_path / "harbour.md", tmp_path / "club.md"
    harbour.write_text(HARBOUR)
    club.write_text(CLUB)
    script = f"/reload {harbour}\n/add {club}\nWho is Ingrid Olsen?\n/reload {club}\n/status\n/quit\n"
    result = run_cli("console", stdin=script, cache=cli_cache)
    assert result.returncode == 0, result.stderr
    assert "— Harbour news ¶1" in result.stdout and "— Rowing club ¶1" in result.stdout
    status = result.stdout.rsplit("Loaded “Rowing club”", 1)[1]  # after the final /reload
    assert "“Rowing club” from" in status and "“Harbour news” from" not in status
