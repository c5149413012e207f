"""Sentence splitting keeps exact spans."""

from __future__ import annotations

from embeddings.sentences import looks_tokenized, split_sentences


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
