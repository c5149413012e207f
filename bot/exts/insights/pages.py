"""Rendering an insight report as pages that fit Discord's embed limits."""

from __future__ import annotations

from bot.render import clip, escape
from bot.storage.corrections import CorrectedAnswer
from bot.storage.records import InsightReport, VotedAnswer
from embeddings.answers import QuestionGroup

PAGE_CHARS = 3800


def _answer_line(voted: VotedAnswer) -> str:
    stale = " · **stale**: a reload changed what it cited" if voted.stale else ""
    cited = ", ".join(f"¶{c.paragraph}" for c in voted.answer.cited) or "no citation"
    return f"• {clip(escape(voted.answer.question), 180)} — 👍 {voted.up} 👎 {voted.down} ({cited}){stale}"


def report_lines(report: InsightReport, groups: list[QuestionGroup]) -> list[str]:
    """Every line of the report, section headings included."""
    lines = [f"**{report.total_questions} question(s)** in this window ({report.window})."]
    lines.append("\n__Not answered__ (similar questions grouped)")
    lines += [f"• {clip(escape(g.example), 200)} ×{g.count}" for g in groups] or ["• none"]
    lines.append("\n__Most 👎__")
    lines += [_answer_line(v) for v in report.most_down] or ["• none"]
    lines.append("\n__Most asked__")
    lines += [f"• {clip(escape(q.question), 200)} ×{q.count}" for q in report.most_asked] or ["• none"]
    lines.append("\n__Stale voted answers__")
    lines += [_answer_line(v) for v in report.stale] or ["• none"]
    return lines


def correction_lines(count: int, latest: list[CorrectedAnswer]) -> list[str]:
    """The answers the bot corrected in place after their article changed: how many, the latest with links."""
    lines = [f"\n__Answers corrected after an article changed__: {count}"]
    for answer in latest:
        guild = answer.guild_id if answer.guild_id is not None else "@me"
        link = f"https://discord.com/channels/{guild}/{answer.channel_id}/{answer.message_id}"
        numbers = ", ".join(f"¶{n}" for n in answer.paragraphs)
        lines.append(f"• {clip(escape(answer.question), 160)} ({numbers}) — {link}")
    return lines


def paginate(lines: list[str], limit: int = PAGE_CHARS) -> list[str]:
    """Pack lines into pages of at most ``limit`` characters."""
    pages: list[str] = []
    current = ""
    for line in lines:
        line = clip(line, limit)
        if current and len(current) + 1 + len(line) > limit:
            pages.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    return [*pages, current] if current else pages or [""]
