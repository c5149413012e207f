"""Answers on the seed article: the right paragraph, verbatim quotes, abstention, bad input."""

from __future__ import annotations

import pytest

from embeddings.answers.answer import MAX_QUESTION_CHARS, clean_question
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
    assert set(data) == {"question", "answered", "citations", "suggestions", "absent_words", "language"}
    assert data["language"] == "en"
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


@pytest.mark.parametrize(
    ("question", "paragraph"),
    [("Is Manhush mentioned?", 8), ("Does the article say anything about Vasylivka?", 8), ("manhush?", 8)],
)
def test_verbatim_rare_term_is_answered_not_refused(seed_service, question, paragraph):
    """A question whose rare term (a place name) is in the article verbatim gets that paragraph."""
    answer = seed_service.answer(question)
    assert answer.answered
    assert answer.citations[0].paragraph == paragraph


@pytest.mark.parametrize("question", ["Is Odesa mentioned?", "What did the Red Cross say?"])
def test_rare_term_the_article_lacks_abstains(seed_service, question):
    """A name the article never uses is not answered from the nearest paragraph."""
    assert not seed_service.answer(question).answered


def test_how_many_quotes_the_quantity(seed_service):
    """'How many' quotes the sentence holding the number, not one that merely shares words."""
    answer = seed_service.answer("How many were evacuated from the city?")
    assert answer.answered and "More than 300" in answer.citations[0].quote


def test_yes_no_question_quotes_the_negation_that_settles_it(seed_service):
    """'Were any civilians evacuated from the plant on Wednesday?' quotes 'No civilians were…'."""
    answer = seed_service.answer("Were any civilians evacuated from the plant on Wednesday?")
    assert answer.answered
    assert "No civilians were evacuated from the plant" in answer.citations[0].quote


def test_typo_in_a_name_still_finds_it(seed_service):
    """'prokopenkko' (one letter doubled) is mended to the article's Prokopenko."""
    answer = seed_service.answer("what did prokopenkko say")
    assert answer.answered and answer.citations[0].paragraph in {2, 3, 4}


def test_source_question_quote_takes_the_attribution(encoder):
    """'Who said …' quotes the neighbouring sentence naming the speaker when the matching
    sentence (the quoted words) does not name them."""
    from embeddings.answers.answer import Answerer
    from embeddings.ranking import build_index
    from embeddings.text import parse_text
    from embeddings.vectors import EmbeddingCache

    text = (
        "The river rose overnight and crews were busy.\n\n"
        "Fire crews carried out 86 rescues by boat overnight, said Chief Fire Officer Annika Rowe. "
        '"People did what we asked of them, and that is why nobody was killed."\n\n'
        "The council opened a shelter at the leisure centre for the night."
    )
    index = build_index(parse_text(text), encoder, EmbeddingCache(None))
    answer = Answerer(encoder).answer(index, "Who said nobody was killed?")
    assert answer.answered
    assert "Annika Rowe" in answer.citations[0].quote and "nobody was killed" in answer.citations[0].quote


def test_on_topic_question_naming_an_absent_organisation_abstains(seed_service):
    """A question on the article's topic whose named organisation the article never uses abstains
    (its rare terms' share of the question is taken off the confidence)."""
    assert not seed_service.answer("How many people did Medecins Sans Frontieres evacuate from Mariupol?").answered


def test_absent_share_counts_only_rare_terms_the_article_lacks(seed_service):
    """Names the article uses weigh nothing; a name it lacks weighs its share of the question."""
    from embeddings.ranking import absent_share

    answerer, index = seed_service.answerer, seed_service.index
    present = answerer.score(index, "How many people were evacuated from Mariupol?")
    absent = answerer.score(index, "How many people were evacuated from Odesa?")
    assert absent_share(index, present) == 0.0
    assert 0.0 < absent_share(index, absent) < 1.0


def test_an_answer_names_the_question_words_the_article_never_uses(seed_service):
    """"weather" is nowhere in the article: the answer says so, as the member wrote it."""
    assert seed_service.answer("What is the weather in Mariupol?").absent == ("weather",)


def test_mended_typos_shorthand_and_words_about_the_article_are_not_absent(seed_service):
    """"ppl" and "evacuted" are read as the article's words, "mentioned" is about the article: none is
    named as absent."""
    assert seed_service.answer("how many ppl were evacuted").absent == ()
    assert seed_service.answer("Is Tokmak mentioned?").absent == ()


def test_an_abstention_names_the_absent_place(seed_service):
    """Asked about a city the article never names, the bot abstains and names it."""
    answer = seed_service.answer("Is Kherson mentioned?")
    assert not answer.answered and answer.absent == ("Kherson",) and answer.to_json()["absent_words"] == ["Kherson"]
