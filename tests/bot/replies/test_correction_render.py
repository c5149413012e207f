"""Rendering corrections: the note on an answer, the log report within Discord's limits, nothing pinging."""

from __future__ import annotations

import discord

from bot.door import ArticleChanged, RefreshFailed
from bot.replies.correction_render import (
    NOTE_FIELD,
    corrected_embed,
    correction_note,
    log_report,
    paragraph_embed,
    refresh_failed_line,
)
from bot.replies.render import EMBED_TOTAL_LIMIT, answer_embed
from bot.storage.corrections import Correction
from embeddings.answers import Answer, Citation
from embeddings.text import paragraph_diff

AT = 1_764_597_720.0  # 2025-12-01 14:02 UTC


def _correction(kind: str = "changed", paragraph: int = 5, new: int | None = 5) -> Correction:
    return Correction(1, 1, paragraph, kind, AT, "v2", new)


def test_notes_say_which_paragraph_changed_or_went_and_when():
    """Changed: "¶5 was updated at 14:02 UTC …"; moved: "(now ¶6)"; removed: "¶5 was removed …"."""
    assert correction_note(_correction()).startswith("¶5 was updated at 14:02 UTC on 2025-12-01 — this quote may")
    assert "(now ¶6)" in correction_note(_correction(new=6))
    assert correction_note(_correction("removed", new=None)).startswith("¶5 was removed at 14:02 UTC")


def test_a_corrected_answer_keeps_its_quote_and_fits_the_embed_limit():
    """A long answer plus 40 notes: the quote is still there and the embed stays within 6000 characters."""
    quote = "More than 300 people were evacuated " * 100
    citation = Citation(5, quote, 0, len(quote), 1.0, quote)
    posted = answer_embed(Answer("How many?", True, (citation,), (), 1.0)).to_dict()
    embed = corrected_embed(posted, [_correction(paragraph=n, new=n) for n in range(1, 41)])
    assert len(embed) <= EMBED_TOTAL_LIMIT and "More than 300" in (embed.description or "")
    assert any(f.name == NOTE_FIELD and "(40 corrections in all)" in (f.value or "") for f in embed.fields)


def test_a_log_report_of_many_changed_paragraphs_is_clipped_visibly():
    """60 long changed paragraphs: the report fits one embed and says how many it did not show."""
    old = tuple(f"Paragraph {n} says the harbour opened at dawn and the market an hour later. " * 8
                for n in range(60))
    new = tuple(p.replace("an hour later", "two hours later") for p in old)
    event = ArticleChanged(1, None, "7", "Harbour @everyone", "https://example.org/a?token=secret", "v1", "v2",
                           old, new, "refresh", None, AT, paragraph_diff(old, new))
    embed = log_report(event, event.diff, corrected=3)
    assert len(embed) <= EMBED_TOTAL_LIMIT and len(embed.description or "") <= 4096
    assert "more changed paragraph(s) not shown here" in (embed.description or "")
    assert "3 posted answer(s)" in (embed.description or "") and "secret" not in (embed.description or "")
    assert "@everyone" not in (embed.title or "").replace("@\u200beveryone", "")


def test_the_new_text_is_clipped_to_the_description_limit():
    """A 10,000-character paragraph shows clipped, within the limits."""
    embed = paragraph_embed(_correction(), "word " * 2000)
    assert isinstance(embed, discord.Embed) and len(embed.description or "") <= 4096


def test_the_moderators_reports_are_worded_in_the_servers_language():
    """A change report and a failed refresh's line, in German: the bot's words translated, the title, the
    source and the new text as they are."""
    old = ("The harbour opened at dawn.", "Boats came in.")
    new = ("The harbour opened at noon.", "Boats came in.")
    event = ArticleChanged(1, None, "7", "Harbour", "https://example.org/a", "v1", "v2", old, new, "refresh", None,
                           AT, paragraph_diff(old, new))
    embed = log_report(event, event.diff, corrected=2, language="de")
    assert embed.title == "Artikel aktualisiert: Harbour"
    assert (embed.description or "").startswith("Quelle: https://example.org/a · durch eine geplante Aktualisierung")
    assert "**¶1 geändert:**\n> The harbour opened at noon." in (embed.description or "")
    assert (embed.footer.text or "").startswith("Fassung v2 · am ")
    failed = RefreshFailed(1, None, "7", "Harbour", "https://example.org/a", "Timed out.", 3, AT)
    assert refresh_failed_line(failed, "fr").startswith(
        "⚠️ L’actualisation de «\u00a0Harbour\u00a0» (https://example.org/a) a échoué 3 fois : Timed out.")
