"""A moderator's load in their language: what /reload and /article add did (the door returns data only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import i18n
from bot.i18n import ENGLISH, Language

from .render import escape

if TYPE_CHECKING:
    from bot.door import LoadResult


def load_line(result: LoadResult, language: Language = ENGLISH) -> str:
    """One line: the article(s) loaded and their paragraphs' fate, then how many articles now answer where the
    load went (its scope, or the default article). The title is escaped; the rest is the bot's own words."""
    report, diff = result.report, result.report.diff
    counts = {"paragraphs": report.paragraphs, "added": diff.added, "removed": diff.removed,
              "changed": diff.changed, "unchanged": diff.unchanged, "encoded": report.encoded,
              "seconds": f"{report.seconds:.2f}"}
    if len(result.reports) > 1:
        loaded = i18n.text("load_report_several", language, count=len(result.reports), **counts)
    else:
        loaded = i18n.text("load_report", language, title=escape(report.title), **counts)
    scope = result.scope
    where = ("scope_default" if scope is None else "scope_server" if scope.channel_id is None else "scope_channel")
    serving = i18n.text("scope_answers_from", language, scope=i18n.text(where, language).capitalize(),
                        count=result.articles)
    return f"{loaded} {serving}"
