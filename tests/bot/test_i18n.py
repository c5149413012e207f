"""Replies in the member's language: the catalogue, the locale rule, and the slash-command translations."""

from __future__ import annotations

import io
import re
import string

import discord
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.exts.corrections.button import PREFIX, NewTextButton
from bot.i18n import LANGUAGES, language_of, text
from bot.i18n.catalogue import DOMAIN, LOCALES, SOURCE, locale_codes, mo_path, po_path
from bot.i18n.commands import CHOICE_IDS, DESCRIPTION_IDS, command_text
from bot.replies import answer_embed, paragraph_embed, summary_embed
from bot.replies.correction_render import correction_note
from bot.storage import Correction
from embeddings.answers import Answer, Citation, Summary, SummarySentence
from embeddings.text import LANGUAGE_TABLE

SEVEN = ("en", "uk", "ru", "pl", "de", "es", "fr")


def _placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def _catalogue(code: str) -> Catalog:
    with po_path(code).open("rb") as file:
        return read_po(file, locale=code, domain=DOMAIN)


def _forms(entry) -> tuple[str, ...]:
    return (entry.string,) if isinstance(entry.string, str) else tuple(entry.string)


def test_the_bot_writes_the_seven_languages_of_the_engines_table():
    """The reply languages are the locale folders, each an entry of the engine's language table (one table)."""
    assert set(SEVEN) <= set(LANGUAGES) and LANGUAGES[0] == "en"
    folders = {path.name for path in LOCALES.iterdir() if path.is_dir()}
    assert folders == set(locale_codes()) and folders <= set(LANGUAGE_TABLE)


def test_every_message_is_in_every_locale_with_the_same_placeholders():
    """Each message id of the source (en) is translated in every locale, with the English placeholders in every
    plural form, and no locale has an id the source lacks."""
    source = {entry.id: entry for entry in _catalogue(SOURCE) if entry.id}
    assert source
    for code in LANGUAGES:
        catalogue = _catalogue(code)
        assert catalogue.plural_forms, code  # Plural-Forms header (Poedit and Weblate need it)
        entries = {entry.id: entry for entry in catalogue if entry.id}
        assert set(entries) == set(source), code
        for key, english in source.items():
            forms = _forms(entries[key])
            wanted = set().union(*map(_placeholders, _forms(english)))
            assert all(forms) and not entries[key].fuzzy, (code, key)
            if isinstance(key, tuple):
                assert len(forms) == catalogue.num_plurals, (code, key)
                assert all(_placeholders(form) <= wanted for form in forms), (code, key)  # "1 article" may omit it
                assert set().union(*map(_placeholders, forms)) == wanted, (code, key)
            else:
                assert _placeholders(forms[0]) == wanted, (code, key)


@pytest.mark.parametrize("code", SEVEN)
def test_the_committed_mo_files_are_compiled_from_the_po_sources(code):
    """The .mo beside each .po is what `make translations` (pybabel compile) makes of it: run it after a .po edit."""
    compiled = io.BytesIO()
    write_mo(compiled, _catalogue(code))
    assert mo_path(code).read_bytes() == compiled.getvalue(), f"{code}: run `make translations`"


def test_the_template_lists_every_message_with_its_english():
    """locales/article_bot.pot (`make translations-template`): every id, no translation, the English as a note."""
    with (LOCALES / f"{DOMAIN}.pot").open("rb") as file:
        template = {entry.id: entry for entry in read_po(file) if entry.id}
    source = {entry.id: entry for entry in _catalogue(SOURCE) if entry.id}
    assert set(template) == set(source)
    assert all(not any(_forms(entry)) for entry in template.values())
    assert template["not_answered"].auto_comments == ["The article doesn't say."]


def test_every_command_text_has_the_seven_languages_within_discords_limit():
    """Descriptions and choice names: in every language, 1-100 characters once their fields are filled in."""
    for key in (*DESCRIPTION_IDS, *CHOICE_IDS):
        for code in LANGUAGES:
            found = command_text(key, code)
            assert found is not None and 1 <= len(found) <= 100, (code, key)
            assert not re.search(r"[{}]", found), (code, key)


def test_a_plural_message_takes_each_languages_form():
    """A message with plural forms is chosen by ``count`` with the language's rule (Ukrainian has three)."""
    assert text("articles_answer_here", "en", count=1, where="in this server") == (
        "1 article answers in this server:")
    assert text("articles_answer_here", "en", count=3, where="in this server") == (
        "3 articles answer in this server:")
    assert text("articles_answer_here", "uk", count=21, where="тут") == "21 стаття відповідає тут:"
    forms = {text("articles_answer_here", "uk", count=n, where="тут") for n in (1, 3, 5)}
    assert len(forms) == 3


def test_an_unknown_message_id_is_an_error():
    """A typo in an id fails loudly rather than showing the id to a member."""
    with pytest.raises(KeyError):
        text("no_such_message", "de")


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
    assert refusal(wall, "de") == "Diese Seite ist eine Abo-Schranke, nicht der Artikel."
    assert refusal(wall) == "This page is a subscriber wall, not the article."
    shrank = refusal(ArticleShrankError(10, 2, 9_876, 1_234, "shrank"), "fr")
    assert "2 paragraphe(s) (1,234 caractères) au lieu de 10 (9,876)" in shrank
    assert refusal(ValueError("plain message"), "uk") == "plain message"


def test_every_engine_message_id_is_in_the_catalogue_with_the_engines_english():
    """Each message id the engine raises with is in the source locale with the very English the engine's
    ``str(error)`` says (the other locales follow from the placeholder test above)."""
    from embeddings.errors import MESSAGES

    english = {entry.id: entry.string for entry in _catalogue(SOURCE) if entry.id}
    assert {key: english.get(key) for key in MESSAGES} == dict(MESSAGES)


def test_an_engine_error_is_worded_in_the_members_language():
    """Errors the engine raised with a message id (a question, an article, a library) come from the catalogue
    in the member's language; their ``str()`` stays English."""
    from bot.i18n import refusal
    from embeddings.answers import LibraryError, clean_question
    from embeddings.errors import ArticleBotError
    from embeddings.text import parse_text

    with pytest.raises(ArticleBotError) as question:
        clean_question("why " * 20, limit=10)
    assert str(question.value) == "Your question is 79 characters; the limit is 10. Please shorten it."
    assert refusal(question.value, "uk") == "Ваше запитання має 79 символів; межа — 10. Будь ласка, скоротіть його."
    with pytest.raises(ArticleBotError) as empty:
        parse_text("   \n\n  ")
    assert refusal(empty.value, "es") == "El artículo no tiene texto del que responder."
    missing = LibraryError(key="library_no_article", article=repr("7"))  # as a library's find() raises it
    assert refusal(missing, "fr") == "Il n’y a pas d’article '7' ici : voir /article list."
    assert refusal(missing) == str(missing) == "No article '7' here: see /article list."



async def test_the_doors_refusals_carry_message_ids(fresh_service):
    """A door without a data store refuses to remove a server's article: English in str() as before, the
    member's language through refusal."""
    from bot.door import AsyncEngine
    from bot.i18n import refusal
    from bot.storage import Scope
    from embeddings.answers import LibraryError

    engine = AsyncEngine(fresh_service, fresh_service.source)
    try:
        with pytest.raises(LibraryError) as caught:
            await engine.remove(Scope(1), "7")
    finally:
        engine.close()
    assert (caught.value.key, str(caught.value)) == ("library_no_store", "This bot has no data store.")
    assert refusal(caught.value, "de") == "Dieser Bot hat keinen Datenspeicher."


def test_a_scope_names_its_kind_in_message_ids():
    """The door picks the server's or the channel's wording by the scope's kind."""
    from bot.storage import Scope
    from embeddings.errors import MESSAGES

    assert MESSAGES[f"library_{Scope(1).kind}_nothing_to_remove"].startswith("This server")
    assert MESSAGES[f"library_{Scope(1, 5).kind}_none_left"].startswith("This channel")
