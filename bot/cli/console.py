"""The interactive console: questions, /summary, /reload, /status, /quit."""

from __future__ import annotations

import logging
import sys

from embeddings.answers import DEFAULT_SENTENCES, MAX_SENTENCES, ArticleService
from embeddings.errors import ArticleBotError, QuestionEncodingError

from ..replies import answer_text, summary_text
from ..terminal import shown, terminal_text
from .stdin_lines import read_line

log = logging.getLogger(__name__)

HELP = """Ask a question about the article, or:
  /summary [N] [topic]   extractive summary of N sentences (1-10), optionally on a topic
  /reload [PATH]         replace the article(s) with PATH (default: reload the same file)
  /add PATH              add an article, searched together with the others
  /status                what is loaded
  /quit                  leave"""


def _summary(service: ArticleService, rest: str) -> str:
    parts = rest.split(maxsplit=1)
    count = DEFAULT_SENTENCES
    if parts and parts[0].isdigit():  # str.isdigit() also takes ² and digits beyond what int() reads
        count = int(parts[0]) if parts[0].isascii() and len(parts[0]) <= 3 else MAX_SENTENCES + 1
        if not 1 <= count <= MAX_SENTENCES:
            return f"N must be between 1 and {MAX_SENTENCES}, got {shown(parts[0])}."
        parts = parts[1:]
    topic = parts[0] if parts else None
    return summary_text(service.summarize(count, topic))


def _status(service: ArticleService) -> str:
    lines = [
        f"“{e.article.title}” from {e.article.source}: {len(e.article.paragraphs)} paragraphs"
        for e in service.library.entries
    ]
    return "\n".join(lines) + f"\nModel {service.index.model}."


def handle_line(service: ArticleService, line: str) -> str | None:
    """The console's reply to one input line; None means quit."""
    line = line.strip()
    if not line:
        return ""
    command, _, rest = line.partition(" ")
    try:
        if command in {"/quit", "/exit", "/q"}:
            return None
        if command == "/help":
            return HELP
        if command == "/summary":
            return _summary(service, rest.strip())
        if command == "/reload":
            return service.reload(rest.strip() or None).describe()
        if command == "/add":
            if not rest.strip():
                return "Usage: /add PATH"
            return service.add(rest.strip()).describe()
        if command == "/status":
            return _status(service)
        if command.startswith("/"):
            return f"Unknown command {command}. Type /help."
        return answer_text(service.answer(line))
    except (ArticleBotError, OSError) as error:
        return f"Error: {error}"


def _next_line(interactive: bool) -> str | ArticleBotError | None:
    """The next input line, its error (not UTF-8, too long), or None at end of input."""
    if not interactive:
        stream = getattr(sys.stdin, "buffer", None)
        return read_line(stream) if stream is not None else None
    try:
        return input("? ")
    except EOFError:
        return None
    except UnicodeDecodeError as error:
        return QuestionEncodingError(f"That line is not valid UTF-8 (bad byte at position {error.start}).")


def run_console(service: ArticleService) -> int:
    """Read lines until /quit or end of input."""
    interactive = sys.stdin is not None and sys.stdin.isatty()
    print(terminal_text(f"Loading “{service.source}”…"), file=sys.stderr)
    print(terminal_text(_status(service)), file=sys.stderr)
    print("Ask a question (/help for commands).", file=sys.stderr)
    while True:
        line = _next_line(interactive)
        if line is None:
            return 0
        reply = handle_line(service, line) if isinstance(line, str) else f"Error: {line}"
        if reply is None:
            return 0
        if reply:
            print(terminal_text(reply) + "\n", flush=True)
