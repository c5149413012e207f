"""Large articles: sentence cosines only in the shortlisted paragraphs, with answers unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings.answers import Answerer
from embeddings.evaluation import load_squad, prepare
from embeddings.ranking.index import build_index
from embeddings.ranking.retrieval import (
    NOT_SCORED,
    SHORTLIST_ABOVE,
    Shortlist,
    best_bm25_per_paragraph,
    scanned_rows,
    score_query,
    segment_max,
)
from embeddings.vectors import EmbeddingCache
from tests.conftest import SHARED_DATA

SQUAD_PART_A = SHARED_DATA / "squad-dev-v1.1-part-a.json"
SEED_QUESTIONS = (
    "Who commands the Azov Regiment?", "How many people were evacuated?", "What did Zelensky accuse Moscow of?",
    "Where is the Azovstal steel plant?", "What support will the evacuees receive?",
    "What did the rescued individuals carry?", "What is the capital of France?", "Who declared victory over Mariupol?",
)


def _scores(answerer: Answerer, index, question: str, vector, unmatched, **shortlist):
    """``score_query`` as :meth:`Answerer.score` calls it, with the given shortlist settings."""
    lexical = index.sentence_lexical
    unmatched = unmatched if lexical.unmatched_text(question) else None
    return score_query(index, vector, lexical.query_terms(question), answerer.settings.weights, unmatched, **shortlist)


@pytest.fixture(scope="module")
def seed_index(seed_article, onnx_encoder):
    """The seed article indexed with the real model."""
    return build_index(seed_article, onnx_encoder, EmbeddingCache(None))


def _seed_vectors(onnx_encoder, index, question):
    unmatched = index.sentence_lexical.unmatched_text(question)
    vectors = onnx_encoder.encode([question, unmatched or question])
    return vectors[0], vectors[1]


def squad_and_seed_cases(seed_index, onnx_encoder) -> list[tuple]:
    """(index, question, question vector, unmatched words' vector) for the questions of two SQuAD part A
    articles and the seed article's: over 300 questions whose answers the shortlist tests compare."""
    if not SQUAD_PART_A.exists():
        pytest.skip(f"{SQUAD_PART_A} is not present")
    cases = []
    for article in prepare(load_squad(SQUAD_PART_A, limit=3)[1:], onnx_encoder, EmbeddingCache(None)):
        for i, question in enumerate(article.item.questions):
            cases.append((article.index, question.text, article.question_vectors[i], article.unmatched[i]))
    for question in SEED_QUESTIONS:
        cases.append((seed_index, question, *_seed_vectors(onnx_encoder, seed_index, question)))
    assert len(cases) > 300
    return cases


def test_shortlist_lists_each_paragraphs_sentences(seed_index):
    """Shortlist.of gives the shortlisted paragraphs' sentences in order and where each paragraph's run starts."""
    shortlist = Shortlist.of(seed_index, np.array([1, 4]))
    firsts, owner = seed_index.paragraph_first_sentence, seed_index.sentence_paragraph
    expected = [s for s in range(seed_index.sentence_count) if owner[s] in (1, 4)]
    assert shortlist.sentences.tolist() == expected and int(firsts[1]) == expected[0]
    assert shortlist.starts.tolist() == [0, int((owner == 1).sum())]


def test_bm25_best_per_paragraph_equals_segment_max(seed_index):
    """The sparse per-paragraph maximum equals segment_max over every sentence."""
    lexical = seed_index.sentence_lexical
    bm25_s = lexical.normalised_scores(lexical.query_terms("Azov regiment commander evacuated steel plant"))
    assert np.count_nonzero(bm25_s) > 1
    expected = segment_max(bm25_s, seed_index.paragraph_first_sentence)
    assert np.array_equal(best_bm25_per_paragraph(seed_index, bm25_s), expected)


def test_a_shortlist_of_every_paragraph_scores_exactly_as_none(seed_index, onnx_encoder):
    """Forcing the shortlist over all paragraphs changes no score, to the bit."""
    answerer = Answerer(onnx_encoder)
    for question in SEED_QUESTIONS:
        vector, unmatched = _seed_vectors(onnx_encoder, seed_index, question)
        full = _scores(answerer, seed_index, question, vector, unmatched)
        listed = _scores(answerer, seed_index, question, vector, unmatched, shortlist_above=0, shortlist_size=10**6)
        for name in ("paragraph", "sentence", "sentence_dense", "sentence_dense_max"):
            assert np.array_equal(getattr(full, name), getattr(listed, name)), (question, name)


def test_sentences_outside_the_shortlist_are_not_scored(seed_index, onnx_encoder):
    """Outside a 3-paragraph shortlist sentence cosines are NOT_SCORED and paragraph scores are lower bounds."""
    answerer = Answerer(onnx_encoder)
    question = "How many people were evacuated?"
    vector, unmatched = _seed_vectors(onnx_encoder, seed_index, question)
    full = _scores(answerer, seed_index, question, vector, unmatched)
    listed = _scores(answerer, seed_index, question, vector, unmatched, shortlist_above=0, shortlist_size=3)
    scored = listed.sentence_dense != NOT_SCORED
    assert len(set(seed_index.sentence_paragraph[scored].tolist())) == 3
    np.testing.assert_allclose(listed.sentence_dense[scored], full.sentence_dense[scored], atol=1e-6)
    assert np.all(listed.paragraph <= full.paragraph + 1e-6)
    assert int(np.argmax(listed.paragraph)) == int(np.argmax(full.paragraph))


def test_small_articles_scan_every_sentence(seed_index):
    """Up to SHORTLIST_ABOVE paragraphs every sentence vector is read; BLAS threads are sized to that."""
    assert len(seed_index.paragraph_vectors) <= SHORTLIST_ABOVE
    assert scanned_rows(seed_index) == len(seed_index.paragraph_vectors) + len(seed_index.sentence_vectors)


def test_shortlisted_answers_equal_full_answers_on_squad_and_seed(seed_index, onnx_encoder):
    """With sentences scored in only 10 paragraphs (of 45-48 in SQuAD, 21 in the seed), every answer is unchanged."""
    answerer = Answerer(onnx_encoder)
    cases = squad_and_seed_cases(seed_index, onnx_encoder)
    for index, question, vector, unmatched in cases:
        full = _scores(answerer, index, question, vector, unmatched)
        listed = _scores(answerer, index, question, vector, unmatched, shortlist_above=0, shortlist_size=10)
        expected = answerer.answer_from_scores(index, question, full).to_json()
        assert answerer.answer_from_scores(index, question, listed).to_json() == expected, question
