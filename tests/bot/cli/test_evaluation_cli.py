"""``article-bot eval`` as a real subprocess on the tiny evaluation fixtures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "embeddings" / "evaluation" / "fixtures"


def run_eval(*args: str):
    """Run ``python -m bot.cli eval ...`` offline, without a Discord token."""
    environment = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    environment["HF_HUB_OFFLINE"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "eval", *args], capture_output=True, text=True,
        cwd=ROOT, env=environment, timeout=300,
    )


def test_eval_squad_json_and_dump(tmp_path: Path):
    """`eval squad --json --dump` prints the report and writes one line per question."""
    dump = tmp_path / "squad.jsonl"
    result = run_eval("squad", str(FIXTURES / "squad-tiny.json"), "--json", "--dump", str(dump))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["questions"] == 8 and report["ours"]["r@1"] == 1.0
    lines = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 8 and {"id", "title", "answer"} <= set(lines[0])


def test_eval_summaries_text_with_limit(tmp_path: Path):
    """`eval summaries --limit 1` prints the ROUGE table for ours and Lead-3."""
    result = run_eval("summaries", str(FIXTURES / "summaries-tiny.jsonl"), "--limit", "1",
                      "--cache-dir", str(tmp_path / "cache"))
    assert result.returncode == 0, result.stderr
    assert "Summaries: 1 articles" in result.stdout and "Lead-3" in result.stdout
    assert list((tmp_path / "cache").glob("embeddings-*/*.seg"))


def test_eval_missing_file_exits_2(tmp_path: Path):
    """An unreadable path is a clear error with exit status 2."""
    result = run_eval("squad", str(tmp_path / "missing.json"), "--no-progress")
    assert result.returncode == 2
    assert "cannot evaluate" in result.stderr


def test_eval_honours_embedding_backend(tmp_path: Path, onnx_encoder):
    """With EMBEDDING_BACKEND=onnx (the model already exported into CACHE_DIR) eval runs without torch."""
    from tests.conftest import copy_export

    copy_export(onnx_encoder, tmp_path)
    environment = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    environment |= {"HF_HUB_OFFLINE": "1", "EMBEDDING_BACKEND": "onnx", "CACHE_DIR": str(tmp_path)}
    script = (
        "import sys; from bot.cli import main; "
        f"code = main(['eval', 'squad', {str(FIXTURES / 'squad-tiny.json')!r}, '--json', '--no-progress']); "
        "print('torch imported:', 'torch' in sys.modules, file=sys.stderr); sys.exit(code)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                            env=environment, timeout=300)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ours"]["r@1"] == 1.0
    assert "torch imported: False" in result.stderr


def test_eval_questions_per_form_json_and_table(tmp_path: Path):
    """`eval questions FILE --json` reports each form; without --json it prints the table."""
    path = str(FIXTURES / "natural-tiny" / "questions.jsonl")
    result = run_eval("questions", path, "--json", "--no-progress")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report["forms"]) == {"amount", "source", "paraphrase"}
    assert report["overall"]["questions"] == 4 and report["unanswerable"]["questions"] == 1
    table = run_eval("questions", path, "--no-progress")
    assert table.returncode == 0, table.stderr
    assert "unanswerable" in table.stdout and "false abst" in table.stdout


def test_eval_questions_with_and_without_the_second_opinion():
    """`eval questions` asks uncertain questions of multilingual-e5-small too; `--no-second-opinion` does not.
    On the shipped set's first two articles (the bundled one, the flood) the second opinion ranks the
    labelled paragraph first for more questions (paraphrases with no shared word)."""
    with_second = run_eval("questions", "--limit", "2", "--json", "--no-progress")
    without = run_eval("questions", "--limit", "2", "--json", "--no-progress", "--no-second-opinion")
    assert with_second.returncode == 0 and without.returncode == 0, with_second.stderr + without.stderr
    reports = json.loads(with_second.stdout), json.loads(without.stdout)
    assert [r["articles"] for r in reports] == [2, 2]
    assert reports[0]["overall"]["recall_at_1"] > reports[1]["overall"]["recall_at_1"]


def test_eval_xquad_prints_the_table_for_the_chosen_languages():
    """`eval xquad DIR --languages de` prints German's forward and reverse rows only."""
    result = run_eval("xquad", str(FIXTURES / "xquad-tiny"), "--languages", "de", "--no-progress",
                      "--no-second-opinion")
    assert result.returncode == 0, result.stderr
    rows = [line.split()[:2] for line in result.stdout.splitlines() if line.split()[:1] in (["en"], ["de"], ["es"])]
    assert rows == [["de", "forward"], ["de", "reverse"]]
    assert "other declined" in result.stdout and "AUROC" in result.stdout


def test_eval_xquad_missing_directory_exits_2(tmp_path: Path):
    """A directory that does not exist is a one-line error with exit status 2, no traceback."""
    result = run_eval("xquad", str(tmp_path / "missing"), "--no-progress", "--no-second-opinion")
    assert result.returncode == 2
    assert "cannot evaluate" in result.stderr and "no such directory" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("line", "reason"), [
    ('{"article": 1}', "'article' must be text, got a whole number"),
    ('{"article": 1, "highlights": "x"}', "'article' must be text, got a whole number"),
    ('{"article": "Text.", "highlights": null}', "'highlights' is null"),
    ("1", "expected an object, got a whole number"),
    ("[", "not JSON"),
])
def test_eval_summaries_on_a_malformed_line_is_a_one_line_error(tmp_path: Path, line, reason):
    """A line that is not an object with text article and highlights: one line naming the file, the line
    and what is wrong, exit 2 (a traceback or a bare KeyError once)."""
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    result = run_eval("summaries", str(path), "--no-progress")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    [message] = result.stderr.strip().splitlines()
    assert message.startswith(f"article-bot: cannot evaluate {path}: {path}:1: {reason}"), message


def test_eval_limit_must_be_positive(tmp_path: Path):
    """--limit 0 is refused in one line naming the option and the range."""
    result = run_eval("summaries", str(FIXTURES / "summaries-tiny.jsonl"), "--limit", "0")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("article-bot: argument --limit: '0' is out of range: from 1 to ")
