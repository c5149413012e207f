"""Abstention calibrated for the article's length: short articles answer what they hold and
still decline what they do not."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from embeddings.answers import Answerer, AnswerSettings
from embeddings.ranking.abstention import MAX_SENTENCES, MIN_SENTENCES, REFERENCE_SENTENCES, length_adjustment
from embeddings.ranking.index import build_index
from embeddings.text import parse_text
from embeddings.vectors import EmbeddingCache

# A short news article (15 sentences) written for these tests; no weight was fitted on it.
FERRY = (
    "Harbour town ferry service suspended after engine fire\n\n"
    "The ferry between Dunmore and the island of Cray was taken out of service on Tuesday after a fire "
    "broke out in its engine room during the morning crossing. All 64 passengers and 9 crew were brought "
    "back to Dunmore harbour by a lifeboat and two fishing boats.\n\n"
    "\"The crew put the fire out within minutes and nobody was hurt,\" said Moira Keane, operations "
    "director of Westline Ferries, which runs the route. \"Safety comes first, and the vessel will not "
    "sail again until inspectors have cleared it.\"\n\n"
    "The coastguard said smoke was first reported at 8:40 a.m., about twenty minutes after the ferry left"
    " Dunmore. A lifeboat crew from Port Allan reached the vessel shortly after nine.\n\n"
    "Islanders rely on the ferry for food deliveries, doctor visits and school runs. The island's only "
    "shop said its shelves would be empty by Friday if no boat arrived.\n\n"
    "Westline said a chartered cargo boat would carry groceries and medicine to Cray from Thursday, and "
    "that a smaller passenger boat with room for 40 people would run twice a day from next week.\n\n"
    "The ferry, the Cray Venture, is 31 years old. Residents have campaigned for a replacement since "
    "2019, and a petition signed by 2,300 people was handed to the regional council last spring.\n\n"
    "Council leader Tom Birrell told the Dunmore Gazette that funding for a new vessel had been set aside"
    " in the budget, but that building it would take at least three years.\n\n"
    "Inspectors from the Maritime Safety Agency are expected to board the ferry on Wednesday. Westline "
    "could not say when normal sailings would resume.\n"
)


@pytest.fixture(scope="module")
def ferry(encoder):
    """The short ferry article, indexed with the real model."""
    return build_index(parse_text(FERRY), encoder, EmbeddingCache(None))


def test_length_adjustment_is_zero_at_the_reference_length():
    """An article of the reference length (about SQuAD's median, where the threshold was fitted)
    keeps its confidence; shorter ones gain, longer ones lose."""
    assert length_adjustment(REFERENCE_SENTENCES, 0.05) == 0.0
    assert length_adjustment(20, 0.05) == pytest.approx(0.05 * math.log(10))
    assert length_adjustment(400, 0.05) < 0.0


def test_length_adjustment_is_flat_outside_the_fitted_range():
    """Below 16 and above 435 sentences (the lengths it was fitted on) the adjustment stops growing."""
    assert length_adjustment(3, 0.05) == length_adjustment(MIN_SENTENCES, 0.05)
    assert length_adjustment(100_000, 0.05) == length_adjustment(MAX_SENTENCES, 0.05)
    assert length_adjustment(20, 0.0) == 0.0


def test_confidence_gains_the_length_adjustment_of_the_article(seed_service):
    """The answerer's confidence is the length-free confidence plus the adjustment for the
    article's number of sentences."""
    index, encoder = seed_service.index, seed_service.answerer.encoder
    shipped = Answerer(encoder)
    plain = Answerer(encoder, replace(AnswerSettings(), length_weight=0.0))
    question = "What did the evacuees bring with them?"
    scores = shipped.score(index, question)
    best = int(scores.paragraph.argmax())
    gain = shipped.confidence(index, scores, best) - plain.confidence(index, scores, best)
    expected = length_adjustment(index.sentence_count, shipped.settings.length_weight)
    assert expected > 0 and gain == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    ("question", "paragraph", "evidence"),
    [("Did anybody get hurt?", 3, "nobody was hurt"), ("How long until a replacement is built?", 8, "three years")],
)
def test_short_article_answers_a_paraphrase_it_holds(ferry, encoder, question, paragraph, evidence):
    """On a 15-sentence article a question it answers in other words gets that passage, where the
    threshold fitted on long articles alone (no length adjustment) refused it."""
    answer = Answerer(encoder).answer(ferry, question)
    assert answer.answered
    assert answer.citations[0].paragraph == paragraph and evidence in answer.citations[0].quote
    assert not Answerer(encoder, replace(AnswerSettings(), length_weight=0.0)).answer(ferry, question).answered


@pytest.mark.parametrize(
    "question", ["How much will the repairs cost?", "How much does a ticket cost?", "Is the ferry insured?"]
)
def test_short_article_declines_an_on_topic_question_it_does_not_answer(ferry, encoder, question):
    """On the same short article a question on its topic that it does not answer is still declined."""
    assert not Answerer(encoder).answer(ferry, question).answered
