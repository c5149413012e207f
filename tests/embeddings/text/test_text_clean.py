"""Cleaning questions at the boundary: invalid code points and controls never reach the model."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embeddings.answers import clean_question
from embeddings.errors import QuestionError
from embeddings.text.text_clean import clean_text, cleaned


def test_lone_surrogates_non_characters_and_bidi_overrides_are_dropped():
    """Lone surrogates, non-characters and bidi overrides go; emoji and accents stay."""
    assert clean_text("Who\ud800 is \udcffthe \ufffe\U0010ffffcommander\u202e? 🙂 é") == "Who is the commander? 🙂 é"


def test_control_characters_become_spaces():
    """C0/C1 controls (NUL, ESC, DEL, …) separate words like spaces and never survive."""
    assert clean_text("one\x00two\x1b[31mthree\x7ffour\x85\tfive\r\n") == "one two [31mthree four five"


def test_a_question_of_only_invalid_characters_is_empty():
    """A question that is nothing once cleaned is refused as empty."""
    with pytest.raises(QuestionError, match="empty"):
        clean_question("\ud800\x00\u202e")


def test_a_question_with_a_lone_surrogate_is_answered(seed_service):
    """The real engine answers a question holding a lone surrogate (the tokenizer would reject it)."""
    answer = seed_service.answer("Who commands the \ud800Azov Regiment?")
    assert answer.answered and "Prokopenko" in answer.citations[0].quote
    assert answer.question == "Who commands the Azov Regiment?"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 0x10FFFF).map(chr), max_size=80).map("".join))
def test_fuzz_the_question_cleaner(question):
    """Any code points: either a QuestionError or a clean question (UTF-8 encodable, no controls,
    no edge or doubled whitespace)."""
    try:
        cleaned = clean_question(question)
    except QuestionError:
        return
    cleaned.encode("utf-8")
    assert cleaned == " ".join(cleaned.split())
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in cleaned)


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(max_codepoint=0x2070)))
def test_the_printable_ascii_fast_path_cleans_as_the_patterns_do(text):
    """Whatever the text (ASCII, controls, C1, Latin, bidi marks), clean_text gives what the patterns give."""
    assert clean_text(text) == cleaned(text)
    assert clean_text(text.encode("ascii", "ignore").decode()) == cleaned(text.encode("ascii", "ignore").decode())
