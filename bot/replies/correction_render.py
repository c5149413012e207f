"""Rendering corrections: the note on a corrected answer, its thread note, the new text of a paragraph,
and the moderators' log report; everything escaped, never pinging, within Discord's limits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import discord

from embeddings.text import ParagraphDiff

from .. import i18n
from ..door import ArticleChanged, RefreshFailed
from ..i18n import ENGLISH, Language
from ..pages import public_part
from ..storage import Correction
from .render import CONTENT_LIMIT, DESCRIPTION_LIMIT, FIELD_LIMIT, TITLE_LIMIT, clip, escape, fit_embed

NOTE_FIELD = i18n.text("changed_field")  # in English; corrected answers use their language's
CORRECTION_COLOUR = discord.Colour.gold()
NEW_TEXT_CHARS = 700  # per changed paragraph in a log report
COMMANDS = {"reload": "/reload", "add": "/article add"}  # the causes of a change that are commands (named as is)


def utc_time(at: float, language: Language = ENGLISH) -> str:
    """``14:02 UTC on 2026-12-01``."""
    moment = datetime.fromtimestamp(at, tz=UTC)
    return i18n.text("utc_time", language, time=f"{moment:%H:%M}", date=f"{moment:%Y-%m-%d}")


def correction_note(correction: Correction, language: Language = ENGLISH) -> str:
    """One line, e.g. "¶5 was updated at 14:02 UTC on 2026-12-01 (now ¶6) — this quote may be out of date"."""
    when = utc_time(correction.at, language)
    if correction.kind == "removed":
        return i18n.text("paragraph_removed", language, paragraph=correction.paragraph, when=when)
    moved = (i18n.text("now_at", language, new=correction.new_paragraph)
             if correction.new_paragraph not in (None, correction.paragraph) else "")
    return i18n.text("paragraph_updated", language, paragraph=correction.paragraph, when=when, moved=moved)


def corrected_embed(
    posted: dict[str, Any], corrections: Sequence[Correction], language: Language = ENGLISH
) -> discord.Embed:
    """The answer's embed as posted (its quotes untouched) plus a field with every correction note."""
    embed = discord.Embed.from_dict(posted)
    notes = list(dict.fromkeys(correction_note(c, language) for c in corrections))
    value = "\n".join(notes)
    if len(value) > FIELD_LIMIT:
        value = clip(value, FIELD_LIMIT - 40) + "\n" + i18n.text("corrections_in_all", language, count=len(notes))
    embed.add_field(name=i18n.text("changed_field", language), value=value, inline=False)
    embed.colour = CORRECTION_COLOUR
    return fit_embed(embed)


def thread_note(corrections: Sequence[Correction], jump_url: str, language: Language = ENGLISH) -> str:
    """The one short message a bot thread gets when its answer is corrected."""
    numbers = ", ".join(f"¶{c.paragraph}" for c in corrections)
    return clip(i18n.text("thread_note", language, numbers=numbers, link=jump_url), CONTENT_LIMIT)


def paragraph_embed(
    correction: Correction, text: str | None, title: str = "", language: Language = ENGLISH
) -> discord.Embed:
    """The new text of a corrected paragraph, shown privately by the answer's button."""
    heading = i18n.text("reads_now", language, paragraph=correction.paragraph)
    if correction.new_paragraph not in (None, correction.paragraph):
        heading += f" (¶{correction.new_paragraph})"
    if text is None:
        description = i18n.text("version_gone", language)
    else:
        description = "> " + clip(escape(text), DESCRIPTION_LIMIT - 200)
    embed = discord.Embed(title=clip(heading + (f" · {escape(title)}" if title else ""), TITLE_LIMIT),
                          description=description, colour=CORRECTION_COLOUR)
    embed.set_footer(text=i18n.text("updated_at", language, when=utc_time(correction.at, language)))
    return fit_embed(embed)


def log_report(event: ArticleChanged, diff: ParagraphDiff, corrected: int,
               language: Language = ENGLISH) -> discord.Embed:
    """The one report a change posts in the log channel (in the server's language): counts, the new text of
    changed paragraphs (clipped; what does not fit is counted, not dropped silently) and how many answers were
    corrected."""
    added, removed, changed, unchanged = diff.counts
    by = COMMANDS.get(event.cause) or i18n.text("report_by_refresh", language)
    head = i18n.text("report_head", language, source=escape(public_part(event.source)), cause=by, added=added,
                     removed=removed, changed=changed, unchanged=unchanged, corrected=corrected)
    removed_line = ", ".join(f"¶{f.old}" for f in diff.of("removed"))
    blocks = [head] + ([i18n.text("report_removed", language, paragraphs=removed_line)] if removed_line else [])
    budget = DESCRIPTION_LIMIT - 120
    shown = 0
    changed_fates = diff.of("changed")
    for fate in changed_fates:
        assert fate.new is not None
        moved = i18n.text("now_at", language, new=fate.new) if fate.new != fate.old else ""
        block = (i18n.text("report_changed", language, paragraph=fate.old, moved=moved)
                 + f"\n> {clip(escape(event.new_paragraphs[fate.new - 1]), NEW_TEXT_CHARS)}")
        if sum(len(b) + 2 for b in blocks) + len(block) > budget:
            break
        blocks.append(block)
        shown += 1
    if shown < len(changed_fates):
        blocks.append(i18n.text("report_more", language, count=len(changed_fates) - shown))
    embed = discord.Embed(title=clip(i18n.text("report_title", language, title=escape(event.title)), TITLE_LIMIT),
                          description="\n\n".join(blocks), colour=CORRECTION_COLOUR)
    embed.set_footer(text=i18n.text("report_footer", language, version=event.new_version[:12],
                                    when=utc_time(event.at, language)))
    return fit_embed(embed)


def refresh_failed_line(event: RefreshFailed, language: Language = ENGLISH) -> str:
    """The one line a failed scheduled refresh posts in the log channel (in the server's language)."""
    return clip(i18n.text(
        "refresh_failed", language, title=escape(event.title), source=escape(public_part(event.source)),
        count=event.failures, reason=escape(event.reason), when=f"<t:{int(event.next_try_at)}:R>",
    ), CONTENT_LIMIT)
