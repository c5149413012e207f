"""Sentence splitting keeps exact spans."""

from __future__ import annotations

from embeddings.sentences import split_sentences


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
