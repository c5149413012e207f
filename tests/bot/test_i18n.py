"""Replies in the member's language: the catalogue, the locale rule, and the slash-command translations."""

from __future__ import annotations

import string

import discord
import pytest

from bot.correction_render import correction_note, paragraph_embed
from bot.exts.corrections.button import PREFIX, NewTextButton
from bot.i18n import CATALOGUE, LANGUAGES, language_of, text
from bot.i18n.commands import CHOICES, DESCRIPTIONS
from bot.i18n.corrections import CORRECTIONS
from bot.i18n.pages import PAGES
from bot.i18n.pending import PENDING
from bot.i18n.replies import ANSWERS, MEMBERS
from bot.render import answer_embed, summary_embed
from bot.storage.corrections import Correction
from embeddings.answers import Answer, Citation, Summary, SummarySentence


def _placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def test_every_text_has_all_seven_languages_and_the_same_placeholders():
    """Each catalogue key is written in en, uk, ru, pl, de, es and fr, with the English placeholders."""
    assert len(CATALOGUE) == (len(ANSWERS) + len(MEMBERS) + len(CORRECTIONS) + len(PAGES)
                              + len(PENDING))  # no key defined twice
    for key, texts in CATALOGUE.items():
        assert set(texts) == set(LANGUAGES), key
        english = _placeholders(texts["en"])
        assert all(_placeholders(texts[language]) == english for language in LANGUAGES), key


def test_every_command_text_has_the_six_other_languages_within_discords_limit():
    """Descriptions and choice names: uk, ru, pl, de, es and fr (English is the default), 1-100 characters."""
    for english, texts in {**DESCRIPTIONS, **CHOICES}.items():
        assert set(texts) == set(LANGUAGES) - {"en"}, english
        assert all(1 <= len(t) <= 100 for t in [english, *texts.values()]), english


@pytest.mark.parametrize(("locale", "language"), [
    (discord.Locale.american_english, "en"), (discord.Locale.british_english, "en"), (discord.Locale.ukrainian, "uk"),
    (discord.Locale.russian, "ru"), (discord.Locale.polish, "pl"), (discord.Locale.german, "de"),
    (discord.Locale.spain_spanish, "es"), (discord.Locale.latin_american_spanish, "es"),
    (discord.Locale.french, "fr"), (discord.Locale.japanese, "en"), ("xx-YY", "en"), (None, "en"),
])
def test_a_locale_picks_its_language_and_any_other_falls_back_to_english(locale, language):
    """Both Spanish locales give Spanish; a locale without a translation, or none, gives English."""
    assert language_of(locale) == language


def test_a_translated_answer_keeps_its_quote_verbatim():
    """The bot's words follow the language; the quote and the question's absent words stay as written."""
    citation = Citation(2, "Lt. Col. Denys Prokopenko said so.", 0, 34, 1.0, "ctx")
    answer = Answer("Who?", True, (citation,), (), 1.0, absent=("weather",))
    embed = answer_embed(answer, article_title="T", loaded_at=0, language="uk")
    assert embed.description == ("*У статті ніде немає слова «weather»; ось найближчі уривки.*\n\n"
                                 "> Lt. Col. Denys Prokopenko said so.\n— ¶2")
    assert "стаття станом на 1970-01-01 00:00 UTC" in (embed.footer.text or "")


def test_a_summary_heading_follows_the_language():
    """/summary's title is translated; its topic and sentences are not."""
    summary = Summary((SummarySentence(1, "One.", 0, 4),), topic="Mariupol")
    assert summary_embed(summary, article_title="T", loaded_at=0, language="fr").title == "Résumé : Mariupol"


def test_a_long_list_of_absent_words_is_counted_in_the_language():
    """Past five words, the rest are counted ("і ще 2"), with the language's quotation marks."""
    absent = ("Kherson", "Odesa", "Kyiv", "Lviv", "Kharkiv", "Dnipro", "Sumy")
    embed = answer_embed(Answer("q?", False, (), (), 0.1, absent=absent), article_title="T", loaded_at=0,
                         language="uk")
    assert embed.description == ("У статті про це не сказано. Слова «Kherson», «Odesa», «Kyiv», «Lviv», «Kharkiv» "
                                 "і ще 2 у ній ніде не трапляються.")


def test_the_new_text_button_label_is_translated_and_its_custom_id_is_unchanged():
    """The "¶n now" label follows the language chosen when the answer was corrected; the custom_id is the
    same as before, so buttons already posted keep working."""
    button = NewTextButton(42, 5, "de")
    assert button.item.label == "¶5 jetzt" and button.item.custom_id == f"{PREFIX}42"


def test_a_correction_note_and_the_new_text_are_translated():
    """The note on a corrected answer and the new text's heading follow the language; English is unchanged."""
    fixed = Correction(1, 1, 5, "changed", 1_764_597_720.0, "v2", 6)
    assert correction_note(fixed, "de") == ("¶5 wurde am 2025-12-01 um 14:02 UTC aktualisiert (jetzt ¶6) — dieses "
                                            "Zitat ist womöglich veraltet.")
    assert paragraph_embed(fixed, "New.", language="pl").title == "¶5 w obecnym brzmieniu (¶6)"
    assert text("not_answered") == "The article doesn't say."


def test_a_page_refusal_is_worded_in_the_moderators_language():
    """A wall's and a shrunken page's refusals come from the catalogue; any other error keeps its message."""
    from bot.i18n import refusal
    from embeddings.errors import ArticleShrankError, JunkPageError

    wall = JunkPageError("paywall", "This page looks like a subscriber wall, not an article.")
    assert refusal(wall, "de") == PAGES["page_paywall"]["de"] and refusal(wall) == PAGES["page_paywall"]["en"]
    shrank = refusal(ArticleShrankError(10, 2, 9_876, 1_234, "shrank"), "fr")
    assert "2 paragraphe(s) (1,234 caractères) au lieu de 10 (9,876)" in shrank
    assert refusal(ValueError("plain message"), "uk") == "plain message"
