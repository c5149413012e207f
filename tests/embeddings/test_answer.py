"""Answers on the seed article: the right paragraph, verbatim quotes, abstention, bad input."""

from __future__ import annotations

import pytest

from embeddings.answer import MAX_QUESTION_CHARS, clean_question
from embeddings.errors import EmptyQuestionError, QuestionTooLongError


def _assert_verbatim(service, answer):
    text = service.index.article.text
    for citation in answer.citations:
        assert text[citation.start : citation.end] == citation.quote
        assert citation.quote in citation.context


@pytest.mark.parametrize(
    ("question", "needle"),
    [
        ("Who commands the Azov Regiment?", "Prokopenko"),
        ("How many people were evacuated?", "More than 300"),
        ("What did the evacuees bring with them?", "clothes"),
    ],
)
def test_seed_questions_cite_the_answering_paragraph(seed_service, question, needle):
    """The first citation's quote contains the answer."""
    answer = seed_service.answer(question)
    assert answer.answered
    assert needle in answer.citations[0].quote
    _assert_verbatim(seed_service, answer)


def test_unrelated_question_abstains(seed_service):
    """'What is the capital of France?' is not answered, and nearest paragraphs are suggested."""
    answer = seed_service.answer("What is the capital of France?")
    assert not answer.answered
    assert answer.citations == ()
    assert 1 <= len(answer.suggestions) <= 3


def test_quotes_are_one_or_two_consecutive_sentences(seed_service):
    """Each quote spans one or two sentences of its paragraph."""
    answer = seed_service.answer("What did Zelensky say about the evacuations?")
    article = seed_service.index.article
    for citation in answer.citations:
        paragraph = article.paragraphs[citation.paragraph - 1]
        covered = [s for s in paragraph.sentences if citation.start <= s.start and s.end <= citation.end]
        assert 1 <= len(covered) <= 2


def test_at_most_three_citations(seed_service):
    """No answer cites more than three paragraphs."""
    answer = seed_service.answer("What happened in Mariupol?")
    assert 1 <= len(answer.citations) <= 3


def test_citations_are_distinct_paragraphs(seed_service):
    """Citations never repeat a paragraph."""
    answer = seed_service.answer("Where were the evacuations?")
    numbers = [c.paragraph for c in answer.citations]
    assert len(numbers) == len(set(numbers))


def test_follow_up_uses_the_earlier_question(seed_service):
    """'and from where?' after the evacuation count answers from the evacuation paragraphs."""
    answer = seed_service.answer("and from where?", follow_up_of="How many people were evacuated?")
    assert answer.answered
    assert answer.citations[0].paragraph in {5, 7, 8}


def test_json_shape_is_stable(seed_service):
    """The ask JSON has exactly the documented keys; each citation names its article."""
    data = seed_service.answer("Who commands the Azov Regiment?").to_json()
    assert set(data) == {"question", "answered", "citations", "suggestions"}
    citation = data["citations"][0]
    assert set(citation) == {"paragraph", "quote", "start", "end", "score", "context", "article"}
    assert set(citation["article"]) == {"id", "title", "source", "version"}
    assert citation["article"]["version"] == seed_service.library.latest.article.digest
    abstained = seed_service.answer("What is the capital of France?").to_json()
    assert set(abstained["suggestions"][0]) == {"paragraph", "context", "score", "article"}


def test_question_is_stripped(seed_service):
    """Surrounding whitespace is removed from the echoed question."""
    assert seed_service.answer("  Who commands the Azov Regiment?\n").question == (
        "Who commands the Azov Regiment?"
    )


def test_empty_question_is_refused(seed_service):
    """An empty question raises EmptyQuestionError."""
    with pytest.raises(EmptyQuestionError):
        seed_service.answer("   \n\t ")


def test_over_long_question_is_refused(seed_service):
    """A question over 500 characters raises QuestionTooLongError with the limit."""
    with pytest.raises(QuestionTooLongError, match="limit is 500"):
        seed_service.answer("why " * 200)


def test_question_at_the_limit_is_accepted():
    """Exactly 500 characters is allowed."""
    assert len(clean_question("a" * MAX_QUESTION_CHARS)) == MAX_QUESTION_CHARS
