"""Language detection: scripts, function words, and the cautious English decision routing relies on."""

from __future__ import annotations

import pytest

from embeddings.text.languages import FUNCTION_WORDS, detect_language, routes_across


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Who commands the Azov Regiment?", "en"),
        ("Скільки людей евакуювали?", "uk"),
        ("Хто командує полком Азов?", "uk"),
        ("Кто командует полком Азов?", "ru"),
        ("Wie viele Menschen wurden evakuiert?", "de"),
        ("¿Quién es el alcalde?", "es"),
        ("Combien de personnes ont été évacuées ?", "fr"),
        ("Ile osób ewakuowano z miasta?", "pl"),
        ("黑豹队的防守丢了多少分？", "zh"),
        ("كم نقطة تخلى عنها دفاع البانثرز؟", "ar"),
        ("Πόσα tackles κατέγραψε ο Luke Kuechly;", "el"),
    ],
)
def test_a_question_is_told_by_its_script_and_function_words(text: str, language: str):
    assert detect_language(text) == language


def test_a_question_with_no_telling_word_is_undecided():
    assert detect_language("Mariupol mayor?") is None
    assert detect_language("12345 ?!") is None


def test_names_and_acronyms_are_not_read_as_function_words():
    """'Who' in 'Doctor Who' and the acronym 'UN' (Spanish 'un') prove nothing; the English words around them do."""
    assert detect_language("UN role in the evacuation?") == "en"
    assert detect_language("Who is François Hollande?") == "en"


def test_a_few_foreign_letters_in_a_name_do_not_make_an_english_question_foreign():
    assert detect_language("When did the Trần dynasty rule Vietnam?") == "en"


def test_an_english_question_with_a_cyrillic_name_goes_across():
    """A question written mostly in Cyrillic is not English, whatever the rest says."""
    assert detect_language("Що таке Azovstal?") == "uk"


def test_routing_keeps_english_on_english_and_sends_every_other_pair_across():
    assert not routes_across("en", "en")
    assert not routes_across("en", None)  # undecided: the article's language
    assert routes_across("en", "ru")
    assert routes_across("uk", "uk")  # the fast model reads English only
    assert routes_across("uk", None)


def test_every_detected_latin_language_has_function_words():
    for language in ("en", "de", "es", "fr", "it", "pt", "nl", "pl", "ro", "tr", "vi", "ru", "uk"):
        assert len(FUNCTION_WORDS[language]) >= 20
