"""Rendering an insight report as pages that fit Discord's embed limits."""

from __future__ import annotations

from bot.i18n import ENGLISH, Language, text
from bot.replies import clip, escape
from bot.storage import CorrectedAnswer, InsightReport, VotedAnswer
from embeddings.answers import QuestionGroup

PAGE_CHARS = 3800


def _answer_line(voted: VotedAnswer, language: Language) -> str:
    stale = " · " + text("insights_stale_mark", language) if voted.stale else ""
    cited = ", ".join(f"¶{c.paragraph}" for c in voted.answer.cited) or text("insights_no_citation", language)
    return f"• {clip(escape(voted.answer.question), 180)} — 👍 {voted.up} 👎 {voted.down} ({cited}){stale}"


def window_name(window: str, language: Language) -> str:
    """``day``, ``week`` or ``all`` as the /insights choice is named in ``language``."""
    return text(f"command.choice.{window}", language)


def report_lines(report: InsightReport, groups: list[QuestionGroup], language: Language = ENGLISH) -> list[str]:
    """Every line of the report, section headings included."""
    none = ["• " + text("insights_none", language)]
    lines = [text("insights_total", language, count=report.total_questions,
                  window=window_name(report.window, language))]
    lines.append("\n" + text("insights_not_answered", language))
    lines += [f"• {clip(escape(g.example), 200)} ×{g.count}" for g in groups] or none
    lines.append("\n" + text("insights_most_down", language))
    lines += [_answer_line(v, language) for v in report.most_down] or none
    lines.append("\n" + text("insights_most_asked", language))
    lines += [f"• {clip(escape(q.question), 200)} ×{q.count}" for q in report.most_asked] or none
    lines.append("\n" + text("insights_stale_answers", language))
    lines += [_answer_line(v, language) for v in report.stale] or none
    return lines


def correction_lines(count: int, latest: list[CorrectedAnswer], language: Language = ENGLISH) -> list[str]:
    """The answers the bot corrected in place after their article changed: how many, the latest with links."""
    lines = ["\n" + text("insights_corrected", language, count=count)]
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
