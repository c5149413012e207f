"""The article-bot command line, run as a real subprocess on the bundled article."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.texts import CLUB, HARBOUR

ROOT = Path(__file__).resolve().parents[3]


def run_cli(*args: str | bytes, stdin: str | bytes = "", cache: Path, env: dict[str, str] | None = None):
    """Run ``python -m bot.cli`` with a private cache and no Discord token (bytes stdin: bytes output)."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "ARTICLE_PATH"}}
    environment.update({"CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1"}, **(env or {}))
    text = isinstance(stdin, str)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True, text=text,
        cwd=ROOT, env=environment, timeout=120,
    )
    if not text:
        result.stdout, result.stderr = result.stdout.decode(), result.stderr.decode()
    return result


def assert_one_line_error(result) -> None:
    """Exit status 2 and a single ``article-bot: …`` line on stderr, no traceback."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("article-bot: "), result.stderr


SEED = (ROOT / "embeddings" / "seed" / "article.txt").read_text(encoding="utf-8")
LIGHTHOUSE = (
    "The lighthouse keeper is Mara Quill. She has kept the light on Skerry Point for twenty years.\n\n"
    "She lights the lamp at dusk and climbs the tower again at midnight to wind the clockwork that turns "
    "the lens.\n\nShips passing the point at night have not run aground since she arrived, and the "
    "harbour board has twice voted to keep the light manned.\n"
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


def test_a_reader_that_stops_early_gets_no_complaint(cli_cache):
    """`ask - | head -1`: once the reader closes the pipe the command stops quietly (no error line, no
    traceback), with the status a shell gives a process ended by SIGPIPE."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "ARTICLE_PATH"}}
    environment.update({"CACHE_DIR": str(cli_cache), "HF_HUB_OFFLINE": "1"})
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "ask", "-"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=environment)
    assert process.stdin and process.stdout and process.stderr
    process.stdin.write(b"How many people were evacuated?\n" * 500)  # far more answers than a pipe holds
    process.stdin.close()
    first = process.stdout.readline()
    process.stdout.close()
    assert process.wait(timeout=120) == 141
    assert first.startswith(b"> ") and process.stderr.read() == b""


def test_ask_human_output_is_block_quoted(cli_cache):
    """Human output is a Markdown block quote followed by — ¶n."""
    result = run_cli("ask", "How many people were evacuated?", cache=cli_cache)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("> ") and "More than 300" in result.stdout and "— ¶5" in result.stdout


def test_summary_json(cli_cache):
    """`summary --sentences 2 --json` prints two cited sentences."""
    result = run_cli("summary", "--sentences", "2", "--json", cache=cli_cache)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["sentences"]) == 2


def test_console_answers_and_summarises(cli_cache, tmp_path: Path):
    """The console summarises, answers a question, reloads another file and answers from it, then quits."""
    other = tmp_path / "other.txt"
    other.write_text(LIGHTHOUSE)
    script = (
        f"/summary 1\nWho commands the Azov Regiment?\n/reload {other}\n"
        "Who is the lighthouse keeper?\n/quit\n"
    )
    result = run_cli("console", stdin=script, cache=cli_cache)
    assert result.returncode == 0, result.stderr
    replies = result.stdout.strip().split("\n\n")
    summary = re.fullmatch(r"> (.+)\n— ¶(\d+)", replies[0])
    assert summary, replies[0]  # exactly one cited sentence
    assert summary.group(1) in SEED and 1 <= int(summary.group(2)) <= 9
    assert replies[1].startswith("> ") and "Prokopenko" in replies[1]
    assert "(3 paragraphs): 3 added, 9 removed, 0 changed, 0 unchanged" in result.stdout
    assert "> The lighthouse keeper is Mara Quill." in result.stdout


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


@pytest.mark.parametrize(("command", "name"), [(("ask", "x?"), "INDEX_MEMORY_MB"), (("sync",), "GUILD_ID")])
def test_invalid_setting_fails_fast(cli_cache, command, name):
    """An invalid setting the command reads stops the CLI with a message naming it."""
    result = run_cli(*command, cache=cli_cache, env={name: "not-a-number"})
    assert result.returncode == 2 and name in result.stderr


def test_ask_reads_only_the_engines_settings(cli_cache):
    """`ask` reads the few settings answering needs (no pydantic on its cold start): a bad Discord-only setting
    does not stop it (`sync` refuses it: test_invalid_setting_fails_fast)."""
    result = run_cli("ask", "Who commands the Azov Regiment?", cache=cli_cache, env={"GUILD_ID": "not-a-number"})
    assert result.returncode == 0 and "Prokopenko" in result.stdout, result.stderr


def test_an_undecodable_argument_is_a_one_line_error(cli_cache):
    """A question argument holding bytes that are not UTF-8 is refused in one line, exit 2."""
    result = run_cli("ask", b"Who commands the \xff regiment?", cache=cli_cache, stdin=b"")
    assert_one_line_error(result)
    assert "UTF-8" in result.stderr


def test_ask_stdin_reports_an_undecodable_line_and_goes_on(cli_cache):
    """`ask -` reports a line that is not UTF-8 as that line's error and answers the next line."""
    stdin = b"Who commands the \xff regiment?\nWho commands the Azov Regiment?\n"
    result = run_cli("ask", "-", "--json", stdin=stdin, cache=cli_cache)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert "UTF-8" in first["error"]
    assert second["answered"] and "Prokopenko" in second["citations"][0]["quote"]


@pytest.mark.parametrize("where", ["parent-is-a-file", "name-too-long", "device"])
def test_unreadable_article_paths_are_one_line_errors(cli_cache, tmp_path: Path, where):
    """--article through a file, with a name too long, or naming /dev/zero: one line, exit 2."""
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    path = {"parent-is-a-file": str(blocker / "article.txt"), "name-too-long": str(tmp_path / ("a" * 300)),
            "device": "/dev/zero"}[where]
    assert_one_line_error(run_cli("ask", "Who?", "--article", path, cache=cli_cache))


def test_a_missing_export_with_an_unusable_cache_is_a_one_line_error(tmp_path: Path):
    """No ONNX export and a CACHE_DIR that cannot be created: one line naming CACHE_DIR, exit 2."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("ask", "Who?", cache=blocker / "cache", env={"EMBEDDING_BACKEND": "onnx"})
    assert_one_line_error(result)
    assert "CACHE_DIR" in result.stderr


def test_the_console_survives_bad_input(cli_cache, tmp_path: Path):
    """A /reload through a file, a /reload of a page with no article and a line that is not UTF-8 each
    get an error line; the console then answers from the article it had."""
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    thin = tmp_path / "thin.txt"
    thin.write_text("Home\nNews\nSport\n")
    script = (f"/reload {blocker}/article.txt\n/reload {thin}\n").encode() + (
        b"caf\xe9?\nWho commands the Azov Regiment?\n/quit\n"
    )
    result = run_cli("console", stdin=script, cache=cli_cache)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stdout.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 3
    assert "Cannot read" in errors[0] and "does not look like an article" in errors[1] and "UTF-8" in errors[2]
    assert "Prokopenko" in result.stdout




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


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A window title (OSC … BEL), clear screen and a colour (CSI), a C1 CSI, a C1 OSC, a bidi override.
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31m\x9b2J\x9d0;owned\x9c\u202e"


def escaped_articles(tmp_path: Path) -> tuple[Path, Path]:
    """HARBOUR and CLUB with terminal escapes in their titles and in their first sentence (the one naming
    Ingrid Olsen): 8 C0 controls each, as many as a text file may hold without being binary."""
    paths = []
    for name, text in (("harbour.md", HARBOUR), ("club.md", CLUB)):
        path = tmp_path / name
        title, first, rest = text.split("\n\n", 2)
        head, last = title.rsplit(" ", 1)
        path.write_text(f"{head}{ESCAPES} {last}\n\n{first.replace(' ', ESCAPES + ' ', 1)}\n\n{rest}", encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


@pytest.mark.parametrize("command", [["ask", "Who is Ingrid Olsen?"], ["summary", "--sentences", "10"]])
def test_plain_output_carries_no_terminal_escapes_from_the_article(cli_cache, tmp_path: Path, command):
    """`ask` and `summary` of articles whose titles and paragraphs carry escapes print none of them."""
    harbour, club = escaped_articles(tmp_path)
    result = run_cli(*command, "--article", str(harbour), "--article", str(club), cache=cli_cache)
    assert result.returncode == 0 and "> " in result.stdout, result.stderr
    assert not CONTROL.search(result.stdout + result.stderr), ascii(result.stdout + result.stderr)
    assert "Ingrid Olsen" in result.stdout and "pwned" not in result.stdout


def test_json_output_keeps_the_text_as_it_is(cli_cache, tmp_path: Path):
    """`ask --json`: the quotes and titles parse back with their escapes, yet no control character is
    written raw (JSON's \\u escapes)."""
    harbour, club = escaped_articles(tmp_path)
    result = run_cli("ask", "Who is Ingrid Olsen?", "--json", "--article", str(harbour), "--article", str(club),
                     cache=cli_cache)
    assert result.returncode == 0, result.stderr
    assert not CONTROL.search(result.stdout), ascii(result.stdout)
    citations = json.loads(result.stdout)["citations"]
    assert {c["article"]["title"] for c in citations} == {f"Harbour{ESCAPES} news", f"Rowing{ESCAPES} club"}
    assert any(ESCAPES in c["quote"] for c in citations)


def test_the_console_prints_no_terminal_escapes(cli_cache, tmp_path: Path):
    """The console's status, answers and summaries of an article with escapes print none of them."""
    harbour, club = escaped_articles(tmp_path)
    script = f"/reload {harbour}\n/add {club}\nWho is Ingrid Olsen?\n/summary 2\n/status\n/quit\n"
    result = run_cli("console", stdin=script, cache=cli_cache)
    assert result.returncode == 0 and "Ingrid Olsen" in result.stdout, result.stderr
    assert "Harbour news" in result.stdout and "Rowing club" in result.stdout
    assert not CONTROL.search(result.stdout + result.stderr), ascii(result.stdout + result.stderr)


NINES = "9" * 400


@pytest.mark.parametrize(("command", "name", "value", "accepted"), [
    ("sync", "REFRESH_INTERVAL", NINES + "d", "15m to 7d"),
    ("ask", "EMBEDDING_THREADS", "99999999999999999999", "from 1 to 1,024"),
])
def test_an_out_of_range_setting_is_a_one_line_error(cli_cache, command, name, value, accepted):
    """A setting too large to use (a traceback once) stops the CLI in one line naming it and the range."""
    result = run_cli(command, *(["Who?"] if command == "ask" else []), cache=cli_cache, env={name: value})
    assert_one_line_error(result)
    assert name in result.stderr and accepted in result.stderr and NINES not in result.stderr


@pytest.mark.parametrize(("args", "accepted"), [
    (["summary", "--sentences", NINES], "from 1 to 10 sentences"),
    (["summary", "--sentences", "x"], "not a whole number of sentences"),
    (["cluster", "--processes", "0"], "from 1 to 65,536 processes"),
])
def test_an_out_of_range_option_is_a_one_line_error(cli_cache, args, accepted):
    """An option out of range or unreadable: one line naming the option, the value (shortened) and the range."""
    result = run_cli(*args, cache=cli_cache)
    assert_one_line_error(result)
    assert f"argument {args[1]}" in result.stderr and accepted in result.stderr and NINES not in result.stderr


def test_the_console_refuses_a_summary_length_out_of_range(cli_cache):
    """/summary ² (a digit to str.isdigit, not to int: a traceback once) and /summary of 5000 nines are
    refused with the range; the console goes on."""
    script = f"/summary ²\n/summary {'9' * 5000}\n/summary 0\nWho commands the Azov Regiment?\n/quit\n"
    result = run_cli("console", stdin=script, cache=cli_cache)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout.count("N must be between 1 and 10, got ") == 3 and "9" * 100 not in result.stdout
    assert "Prokopenko" in result.stdout


def test_ask_about_a_pdf_names_the_page(cli_cache, tmp_path: Path):
    """`ask --article report.pdf`: the text answer ends ``— ¶3 (p. 2 ¶1)``; --json adds page and page_paragraph;
    an encrypted PDF is a one-line error."""
    from tests.pdfs import KEEPER, report_pdf

    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf())
    result = run_cli("ask", "Who is the new lighthouse keeper?", "--article", str(path), cache=cli_cache)
    assert result.returncode == 0, result.stderr
    assert KEEPER in result.stdout and "— ¶3 (p. 2 ¶1)" in result.stdout
    result = run_cli("ask", "Who is the new lighthouse keeper?", "--json", "--article", str(path), cache=cli_cache)
    citation = json.loads(result.stdout)["citations"][0]
    assert (citation["paragraph"], citation["page"], citation["page_paragraph"]) == (3, 2, 1)
    path.write_bytes(report_pdf(user_password="pw"))
    result = run_cli("ask", "Who is the new lighthouse keeper?", "--article", str(path), cache=cli_cache)
    assert_one_line_error(result)
    assert "encrypted" in result.stderr
