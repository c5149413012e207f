"""Plain-text (Markdown) rendering of answers and summaries for the command line."""

from __future__ import annotations

from embeddings.answer import Answer
from embeddings.summary import Summary

NOT_ANSWERED = "The article doesn't say."


def block_quote(text: str) -> str:
    """Prefix every line of ``text`` with ``> ``."""
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines() or [""])


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in … when cut (never splitting a ``\\`` escape)."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    if cut.endswith("\\") and not cut.endswith("\\\\"):
        cut = cut[:-1]
    return cut.rstrip() + "…"


def clip(text: str, limit: int) -> str:
    """``text`` on one line (whitespace collapsed), shortened to ``limit`` characters."""
    return shorten(" ".join(text.split()), limit)


def answer_text(answer: Answer) -> str:
    """Quotes as block quotes each followed by ``— ¶n``; or the abstention with suggestions."""
    if not answer.answered:
        lines = [NOT_ANSWERED]
        if answer.suggestions:
            lines.append("Nearest paragraphs:")
            many = len(answer.articles) > 1 or len({s.article for s in answer.suggestions}) > 1
            lines += [
                f"- {_label(s.paragraph, s.article.title if s.article else None, many)}: {clip(s.context, 160)}"
                for s in answer.suggestions
            ]
        return "\n".join(lines)
    several = len(answer.articles) > 1 or len({c.article for c in answer.citations}) > 1
    return "\n\n".join(
        f"{block_quote(c.quote)}\n— {_label(c.paragraph, c.article.title if c.article else None, several)}"
        for c in answer.citations
    )


def _label(paragraph: int, title: str | None, several: bool) -> str:
    """``¶n``, or ``Title ¶n`` when the answer searched (or quotes) several articles."""
    return f"{clip(title, 60)} ¶{paragraph}" if several and title else f"¶{paragraph}"


def summary_text(summary: Summary) -> str:
    """Each summary sentence as a block quote followed by ``— ¶n``."""
    return "\n\n".join(f"{block_quote(s.quote)}\n— ¶{s.paragraph}" for s in summary.sentences)
