"""Extractive summaries: verbatim, ordered, unique, bounded, topic-focused."""

from __future__ import annotations

import pytest

from embeddings.answers.summary import Summarizer, SummarySettings


def test_default_summary_has_three_verbatim_sentences(seed_service):
    """Three sentences, each slicing the article exactly, in article order."""
    summary = seed_service.summarize()
    text = seed_service.index.article.text
    assert len(summary.sentences) == 3
    assert all(text[s.start : s.end] == s.quote for s in summary.sentences)
    assert [s.start for s in summary.sentences] == sorted(s.start for s in summary.sentences)


def test_summary_never_repeats_or_quotes_boilerplate(seed_service):
    """Ten sentences: all distinct and none from an 'Also Read' teaser."""
    summary = seed_service.summarize(10)
    quotes = [s.quote for s in summary.sentences]
    assert len(quotes) == len(set(quotes)) == 10
    assert not any("Also Read" in q for q in quotes)


def test_topic_focuses_the_summary(seed_service):
    """A summary on 'evacuation' quotes evacuation sentences."""
    summary = seed_service.summarize(2, topic="evacuation of civilians")
    assert all("evacua" in s.quote for s in summary.sentences)


def test_sentence_paragraph_numbers_match(seed_service):
    """Each sentence's paragraph number is the paragraph that contains it."""
    paragraphs = seed_service.index.article.paragraphs
    for s in seed_service.summarize(5).sentences:
        paragraph = paragraphs[s.paragraph - 1]
        assert paragraph.start <= s.start and s.end <= paragraph.end


@pytest.mark.parametrize("count", [0, 11])
def test_sentence_count_out_of_range_is_refused(seed_service, count):
    """N must be 1..10."""
    with pytest.raises(ValueError, match="between 1 and 10"):
        seed_service.summarize(count)


def test_summary_json_shape(seed_service):
    """The summary JSON has the documented keys, and names the article summarised."""
    data = seed_service.summarize(1).to_json()
    assert set(data) == {"sentences", "article"} and set(data["sentences"][0]) == {"paragraph", "quote", "start", "end"}
    assert set(data["article"]) == {"id", "title", "source", "version"}


def test_sentences_outside_word_limits_fill_in_when_too_few_remain(seed_service, encoder):
    """With limits no sentence meets, the summary still has N distinct verbatim sentences."""
    strict = Summarizer(encoder, SummarySettings(min_words=500))
    summary = strict.summarize(seed_service.index, 4)
    text = seed_service.index.article.text
    assert len({s.quote for s in summary.sentences}) == 4
    assert all(text[s.start : s.end] == s.quote for s in summary.sentences)
