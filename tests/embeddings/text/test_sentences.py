"""Sentence splitting keeps exact spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embeddings.errors import ArticleTooComplexError
from embeddings.text.budget import ParseBudget
from embeddings.text.sentences import looks_tokenized, split_by_rules, split_sentences, windows


def test_sentences_are_verbatim_spans():
    """Every span slices a sentence out of the original text."""
    text = "Lt. Col. Denys Prokopenko spoke. He said more.  A third one!"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Lt. Col. Denys Prokopenko spoke.", "He said more.", "A third one!",
    ]


def test_offset_shifts_spans():
    """Spans are shifted by the paragraph's offset in the article."""
    assert split_sentences("One. Two.", offset=10)[1].start == 15


def test_text_without_punctuation_is_one_sentence():
    """A fragment without a full stop is still one sentence."""
    assert len(split_sentences("just a fragment")) == 1


TOKENIZED = (
    "( cnn ) indiana gov . mike pence met u.s. officials on monday . `` we are ready , '' he said . "
    "' i was there . ' mrs smith , 42 , did n't agree ? she left !"
)


def test_tokenized_lower_case_text_splits_at_standalone_stops():
    """PTB-tokenized text splits at ' . ', ' ? ', ' ! ', keeping closing quotes and title dots."""
    spans = split_sentences(TOKENIZED)
    assert [TOKENIZED[s:e] for s, e in spans] == [
        "( cnn ) indiana gov . mike pence met u.s. officials on monday .",
        "`` we are ready , '' he said .",
        "' i was there . '",
        "mrs smith , 42 , did n't agree ?",
        "she left !",
    ]


def test_tokenized_spans_are_trimmed_and_offset():
    """Edge whitespace is excluded and spans shift by the offset."""
    text = "  one , two . three , four .  "
    assert [text[s - 5 : e - 5] for s, e in split_sentences(text, offset=5)] == ["one , two .", "three , four ."]


def test_prose_with_glued_commas_is_not_treated_as_tokenized():
    """Ordinary prose keeps pysbd's splits (no split at a stray ' . ')."""
    text = "Dr. Smith, the surgeon, arrived . He sat down . The end."
    assert looks_tokenized("dr. smith , the surgeon , arrived . he sat down .")
    assert not looks_tokenized(text)


def test_long_paragraph_reaches_pysbd_in_bounded_windows(monkeypatch):
    """A 60 k-character paragraph is split with pysbd in windows of at most WINDOW_CHARS (pysbd is
    quadratic in its input), and every span is still a verbatim, trimmed sentence."""
    import embeddings.text.sentences as sentences

    seen: list[int] = []
    segmenter = sentences._segmenter()

    class Recording:
        def segment(self, text):
            seen.append(len(text))
            return segmenter.segment(text)

    monkeypatch.setattr(sentences, "_segmenter", lambda: Recording())
    text = " ".join(f"Sentence number {i} says that Mr. Smith met Lt. Col. Jones at noon." for i in range(900))
    spans = split_sentences(text)
    assert len(text) > 60_000 and seen and max(seen) <= sentences.WINDOW_CHARS
    assert len(spans) == 900
    for start, end in spans:
        assert text[start:end] == text[start:end].strip() and text[start:end].endswith("noon.")


def test_rules_keep_abbreviations_and_initials():
    """The linear rule splitter ends sentences at stops before a capital, not after titles or initials."""
    text = 'Lt. Col. Denys Prokopenko spoke. He met J. K. Rowling in the U.S. today! "Why?" she asked. 3 left.'
    assert [text[s:e] for s, e in split_by_rules(text)] == [
        "Lt. Col. Denys Prokopenko spoke.", "He met J. K. Rowling in the U.S. today!", '"Why?" she asked.', "3 left.",
    ]


def test_fast_mode_uses_no_pysbd(monkeypatch):
    """``fast=True`` (very large articles) splits by rules alone."""
    import embeddings.text.sentences as sentences

    monkeypatch.setattr(sentences, "_segmenter", lambda: pytest.fail("pysbd was called"))
    assert len(split_sentences("One here. Two here. Three here.", fast=True)) == 3


def test_a_line_break_inside_a_paragraph_does_not_end_a_sentence():
    """Hard-wrapped lines are read as one sentence flowing over the break; the span keeps the newline."""
    text = "The steel plant is the last\nholdout in the city. Another sentence\nfollows here."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "The steel plant is the last\nholdout in the city.", "Another sentence\nfollows here.",
    ]


def test_the_budget_is_checked_between_windows():
    """A budget that has run out stops a long split with ArticleTooComplexError."""
    clock = iter([0.0] + [100.0] * 10)
    budget = ParseBudget(5, clock=lambda: next(clock))
    with pytest.raises(ArticleTooComplexError):
        split_sentences("Word after word is here. " * 400, budget=budget)


@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.sampled_from(["Ab.", "Mr.", "A", "word", ".", "...", "!", " ", "  ", "\n", '"', "x" * 30]),
                     max_size=200).map("".join),
       size=st.integers(8, 64))
def test_windows_tile_the_text_within_their_size(text, size):
    """Windows cover the text exactly, in order, each at most ``size`` characters."""
    pieces = windows(text, size)
    assert "".join(text[s:e] for s, e in pieces) == text
    assert all(0 < e - s <= size for s, e in pieces)


def test_runs_of_stops_are_read_by_the_rules():
    """Long runs of stops (a quadratic case for a naive pattern) leave one sentence per real end."""
    text = "." * 5_000 + " next one here! " + "?" * 3_000 + " Last."
    assert [text[s:e] for s, e in split_by_rules(text)] == ["." * 5_000 + " next one here! " + "?" * 3_000, "Last."]
