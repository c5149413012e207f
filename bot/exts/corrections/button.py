"""The button a corrected answer gains: shows the paragraph's new text privately.

A ``DynamicItem``: its custom_id carries the correction's id, so it works on any message, after any
restart; the new text comes from the store (the stored article version), never from what was rendered.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord

from bot import i18n
from bot.i18n import ENGLISH, Language, interaction_language
from bot.replies import ALLOWED_MENTIONS, clip, paragraph_embed, plain
from bot.storage import StorageError

log = logging.getLogger(__name__)

PREFIX = "article-bot:new-text:"


class NewTextButton(discord.ui.DynamicItem[discord.ui.Button], template=re.escape(PREFIX) + r"(?P<id>[0-9]{1,19})"):
    """"¶n now": the new text of corrected paragraph ¶n, ephemeral. The label's language is chosen when the
    answer is corrected; the custom_id holds only the correction's id, and the reply follows the presser."""

    def __init__(self, correction_id: int, paragraph: int | None = None, language: Language = ENGLISH) -> None:
        label = (i18n.text("new_text_of", language, paragraph=paragraph) if paragraph is not None
                 else i18n.text("new_text", language))
        super().__init__(discord.ui.Button(label=clip(label, 80), style=discord.ButtonStyle.secondary,
                                           custom_id=f"{PREFIX}{correction_id}", row=1))
        self.correction_id = correction_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> NewTextButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        """Reply privately with the paragraph as the new version reads."""
        records = getattr(interaction.client, "records", None)
        language = interaction_language(interaction)
        try:
            found = await records.corrections.get(self.correction_id) if records is not None else None
            if found is not None and found[1] is not None and found[1] != interaction.guild_id:
                found = None  # another server's answer
            fixed = found[0] if found is not None else None
            text = (await records.corrections.paragraph_text(fixed.version, fixed.new_paragraph)
                    if fixed is not None and fixed.new_paragraph is not None and records is not None else None)
        except StorageError as error:
            await interaction.response.send_message(plain(i18n.text("cannot_read_now", language, error=error)),
                                                    ephemeral=True, allowed_mentions=ALLOWED_MENTIONS)
            return
        if fixed is None:
            await interaction.response.send_message(i18n.text("correction_no_record", language),
                                                    ephemeral=True, allowed_mentions=ALLOWED_MENTIONS)
            return
        await interaction.response.send_message(embed=paragraph_embed(fixed, text, language=language), ephemeral=True,
                                                allowed_mentions=ALLOWED_MENTIONS)
