"""Question rewriting for word matching: shorthand, typos, words about the article, rare terms."""

from __future__ import annotations

from embeddings.ranking.lexical import LexicalIndex
from embeddings.ranking.question_terms import absent_words, mend, named_stems, rare_terms, rewrite

TEXTS = [
    "More than 300 people were evacuated from the besieged city of Mariupol.",
    "Gareth Lyle, the union's regional organiser, spoke outside the depot.",
    "The company hired investigators after the breach.",
]


def lexical() -> LexicalIndex:
    return LexicalIndex(TEXTS)


def test_typo_is_mended_to_a_word_the_texts_use():
    """'evacuted' and 'comapny' (one edit away) become words the texts hold."""
    index = lexical()
    assert mend("evacuted", index) == "evacuated"
    assert mend("comapny", index) == "company"


def test_typo_of_a_question_word_becomes_the_stop_word():
    """'wich' is 'which', so it is no longer an unknown term."""
    assert mend("wich", lexical()) == "which"


def test_real_words_are_not_mended():
    """A dictionary word the texts lack ('mayor') is left alone: it is not a typo."""
    assert mend("mayor", lexical()) is None
    assert mend("people", lexical()) is None


def test_rewrite_expands_shorthand_and_drops_words_about_the_article():
    """'ppl' is 'people'; 'mentioned' and 'anything' say nothing about the content."""
    index = lexical()
    assert rewrite("how many ppl were evacuted", index) == "how people were evacuated"
    assert rewrite("Is Mariupol mentioned?", index) == "Is Mariupol ?"
    assert rewrite("Does it say anything about the breach?", index) == "Does it say about the breach?"


def test_rare_terms_are_names_numbers_and_uncommon_words():
    """Capitalised words past the first, numbers and words outside the vocabulary are rare."""
    assert rare_terms("Did drivers get a rise after the 2016 strike?") == ["2016"]
    assert rare_terms("is berdiansk in it") == ["berdiansk"]
    assert rare_terms("What did Reuters report?") == ["reuter"]
    assert rare_terms("How many people were evacuated?") == []


def test_named_stems_are_the_words_written_as_names():
    """Mid-sentence capitalised words and numbers count; the sentence's first word does not."""
    assert named_stems(TEXTS[0]) == {"300", "mariupol"}
    assert "gareth" not in named_stems(TEXTS[1]) and "lyle" in named_stems(TEXTS[1])


def test_typo_repairs_are_capped_per_question():
    """Only the first MAX_MENDED unknown words are tried, so a long question of non-words stays cheap."""
    from embeddings.ranking.question_terms import MAX_MENDED

    words = ["evacuted"] * (MAX_MENDED + 2)
    out = rewrite(" ".join(words), lexical()).split()
    assert out.count("evacuated") == MAX_MENDED and out.count("evacuted") == 2


def test_absent_words_are_the_named_words_left_unmatched_each_once_as_first_written():
    """Stop words and words that name nothing are not listed; a word repeated in other case is listed once."""
    assert absent_words("What is the weather like in Kherson, kherson or Odesa?") == ("weather", "Kherson", "Odesa")
    assert absent_words(None) == () and absent_words("What did they say?") == ()
