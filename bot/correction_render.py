"""Rendering corrections: the note on a corrected answer, its thread note, the new text of a paragraph,
and the moderators' log report; everything escaped, never pinging, within Discord's limits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import discord

from embeddings.diff import ParagraphDiff

from .events import ArticleChanged, RefreshFailed
from .fetch import public_part
from .render import CONTENT_LIMIT, DESCRIPTION_LIMIT, FIELD_LIMIT, TITLE_LIMIT, clip, escape, fit_embed
from .storage.corrections import Correction

NOTE_FIELD = "⚠️ The article changed since this answer"
CORRECTION_COLOUR = discord.Colour.gold()
NEW_TEXT_CHARS = 700  # per changed paragraph in a log report


def utc_time(at: float) -> str:
    """``14:02 UTC on 2026-12-01``."""
    moment = datetime.fromtimestamp(at, tz=UTC)
    return f"{moment:%H:%M} UTC on {moment:%Y-%m-%d}"


def correction_note(correction: Correction) -> str:
    """One line, e.g. "¶5 was updated at 14:02 UTC on 2026-12-01 (now ¶6) — this quote may be out of date"."""
    when = utc_time(correction.at)
    if correction.kind == "removed":
        return f"¶{correction.paragraph} was removed at {when} — this quote may be out of date."
    moved = (f" (now ¶{correction.new_paragraph})"
             if correction.new_paragraph not in (None, correction.paragraph) else "")
    return f"¶{correction.paragraph} was updated at {when}{moved} — this quote may be out of date."


def corrected_embed(posted: dict[str, Any], corrections: Sequence[Correction]) -> discord.Embed:
    """The answer's embed as posted (its quotes untouched) plus a field with every correction note."""
    embed = discord.Embed.from_dict(posted)
    notes = list(dict.fromkeys(correction_note(c) for c in corrections))
    value = "\n".join(notes)
    if len(value) > FIELD_LIMIT:
        value = clip(value, FIELD_LIMIT - 40) + f"\n({len(notes)} corrections in all)"
    embed.add_field(name=NOTE_FIELD, value=value, inline=False)
    embed.colour = CORRECTION_COLOUR
    return fit_embed(embed)


def thread_note(corrections: Sequence[Correction], jump_url: str) -> str:
    """The one short message a bot thread gets when its answer is corrected."""
    numbers = ", ".join(f"¶{c.paragraph}" for c in corrections)
    return clip(f"The article changed: {numbers} quoted in {jump_url} may be out of date; the answer now says "
                "what changed.", CONTENT_LIMIT)


def paragraph_embed(correction: Correction, text: str | None, title: str = "") -> discord.Embed:
    """The new text of a corrected paragraph, shown privately by the answer's button."""
    heading = f"¶{correction.paragraph} as it reads now"
    if correction.new_paragraph not in (None, correction.paragraph):
        heading += f" (¶{correction.new_paragraph})"
    if text is None:
        description = "That version of the article is no longer stored, so its new text cannot be shown."
    else:
        description = "> " + clip(escape(text), DESCRIPTION_LIMIT - 200)
    embed = discord.Embed(title=clip(heading + (f" · {escape(title)}" if title else ""), TITLE_LIMIT),
                          description=description, colour=CORRECTION_COLOUR)
    embed.set_footer(text=f"Updated at {utc_time(correction.at)}")
    return fit_embed(embed)


def log_report(event: ArticleChanged, diff: ParagraphDiff, corrected: int) -> discord.Embed:
    """The one report a change posts in the log channel: counts, the new text of changed paragraphs
    (clipped; what does not fit is counted, not dropped silently) and how many answers were corrected."""
    added, removed, changed, unchanged = diff.counts
    by = {"refresh": "a scheduled refresh", "reload": "/reload", "add": "/article add"}[event.cause]
    head = (f"Source: {escape(public_part(event.source))} · by {by}\n"
            f"{added} added, {removed} removed, {changed} changed, {unchanged} unchanged paragraph(s).\n"
            f"{corrected} posted answer(s) citing a changed or removed paragraph are being corrected.")
    removed_line = ", ".join(f"¶{f.old}" for f in diff.of("removed"))
    blocks = [head] + ([f"**Removed:** {removed_line}"] if removed_line else [])
    budget = DESCRIPTION_LIMIT - 120
    shown = 0
    changed_fates = diff.of("changed")
    for fate in changed_fates:
        assert fate.new is not None
        moved = f" (now ¶{fate.new})" if fate.new != fate.old else ""
        block = f"**¶{fate.old} changed{moved}:**\n> {clip(escape(event.new_paragraphs[fate.new - 1]), NEW_TEXT_CHARS)}"
        if sum(len(b) + 2 for b in blocks) + len(block) > budget:
            break
        blocks.append(block)
        shown += 1
    if shown < len(changed_fates):
        blocks.append(f"… and {len(changed_fates) - shown} more changed paragraph(s) not shown here.")
    embed = discord.Embed(title=clip(f"Article updated: {escape(event.title)}", TITLE_LIMIT),
                          description="\n\n".join(blocks), colour=CORRECTION_COLOUR)
    embed.set_footer(text=f"version {event.new_version[:12]} · {utc_time(event.at)}")
    return fit_embed(embed)


def refresh_failed_line(event: RefreshFailed) -> str:
    """The one line a failed scheduled refresh posts in the log channel."""
    return clip(
        f"⚠️ Refreshing “{escape(event.title)}” ({escape(public_part(event.source))}) failed "
        f"{event.failures} time(s): {escape(event.reason)} The current version keeps answering; next try "
        f"<t:{int(event.next_try_at)}:R>.", CONTENT_LIMIT)
