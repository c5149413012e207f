"""An index's precomputed cues and names: the same as computing them per question."""

from __future__ import annotations

import numpy as np

from embeddings.ranking.cue_table import CuesOnDemand, CueTable, article_cues
from embeddings.ranking.cues import CUES, sentence_cues
from embeddings.ranking.index import sentence_texts
from embeddings.text import Article

# Questions that say some of the article's numbers, names, places and dates word for word (those
# matches are no answer to them), none of them, or nothing at all.
QUESTIONS = (
    "",
    "How many people were evacuated?",
    "Were 100 civilians evacuated from Azovstal on Sunday?",
    "Who commands the Azov Regiment in Mariupol?",
    "Where is the Azovstal steel plant?",
    "What did Zelensky say on Wednesday about the UN and the Red Cross?",
    "When did the evacuation from Mariupol start, according to Ukraine?",
    "Did Russia say that Mariupol was liberated in May?",
)


def test_held_equals_sentence_cues_for_every_sentence_and_question(seed_article: Article):
    """For every sentence of the seed article and questions that repeat its own words, the table gives
    the same (S, C) cues as running the cue expressions per question."""
    texts = sentence_texts(seed_article)
    table = CueTable.of(texts)
    rows = np.arange(len(texts))
    said = 0
    for question in QUESTIONS:
        expected = sentence_cues(texts, question)
        np.testing.assert_array_equal(table.held(rows, question), expected, err_msg=question)
        said += int((sentence_cues(texts) - expected).sum())
    assert said > 0  # some matches were said by a question, so the comparison covers that case


def test_held_of_some_rows_in_any_order_with_kinds(seed_article: Article):
    """Rows in any order and ``kinds`` give the rows of the full result, the columns not asked 0."""
    texts = sentence_texts(seed_article)
    table = CueTable.of(texts)
    rows = np.random.default_rng(1).permutation(len(texts))[:7]
    kinds = np.array([1, 1, 0, 1, 0, 0], dtype=np.float32)
    for question in QUESTIONS:
        full = sentence_cues([texts[r] for r in rows], question)
        np.testing.assert_array_equal(table.held(rows, question), full)
        np.testing.assert_array_equal(table.held(rows, question, kinds), sentence_cues(
            [texts[r] for r in rows], question, kinds))
    assert table.held(np.zeros(0, dtype=np.int64), QUESTIONS[2]).shape == (0, len(CUES))


def test_a_number_the_question_says_is_no_quantity():
    """A sentence whose only number the question says holds no quantity; another number does."""
    table = CueTable.of(["More than 300 people were evacuated.", "300 or 400 people left."])
    quantity = CUES.index("quantity")
    assert table.held(np.array([0, 1]), "How many people were evacuated?")[:, quantity].tolist() == [1, 1]
    assert table.held(np.array([0, 1]), "Were 300 people evacuated?")[:, quantity].tolist() == [0, 1]


def test_index_holds_the_cues_and_names_of_its_own_sentences_and_paragraphs(seed_service):
    """The index's cue table is its sentences', and each paragraph's named stems are named_stems of its text."""
    from embeddings.ranking.question_terms import named_stems

    index = seed_service.index
    texts = sentence_texts(index.article)
    rows = np.arange(len(texts))
    assert isinstance(index.cues, CueTable)
    np.testing.assert_array_equal(index.cues.held(rows, QUESTIONS[2]), sentence_cues(texts, QUESTIONS[2]))
    names = [index.cues.named(p) for p in range(len(index.article.paragraphs))]
    assert names == [named_stems(p.text) for p in index.article.paragraphs] and any(names)


def test_a_large_article_matches_its_cues_on_demand_alike(seed_article: Article):
    """Past the table's size limit an article's cues and names are found when asked, with the same results."""
    table, on_demand = article_cues(seed_article), article_cues(seed_article, limit=10)
    assert isinstance(table, CueTable) and isinstance(on_demand, CuesOnDemand)
    rows = np.array([5, 0, 3, len(sentence_texts(seed_article)) - 1])
    for question in QUESTIONS:
        np.testing.assert_array_equal(on_demand.held(rows, question), table.held(rows, question))
    assert on_demand.held(rows[:0]).shape == (0, len(CUES))
    assert all(on_demand.named(p) == table.named(p) for p in range(len(seed_article.paragraphs)))


def test_held_of_every_sentence_without_rows(seed_article: Article):
    """``held(None, ...)`` (every sentence, in order) equals ``held`` of every row listed, with and without
    ``kinds``, for the table and for cues matched on demand."""
    texts = sentence_texts(seed_article)
    table = CueTable.of(texts)
    on_demand = article_cues(seed_article, limit=0)
    rows = np.arange(len(texts))
    kinds = np.array([1, 1, 0, 1, 0, 0], dtype=np.float32)
    for question in QUESTIONS:
        for cues in (table, on_demand):
            np.testing.assert_array_equal(cues.held(None, question), table.held(rows, question), err_msg=question)
            np.testing.assert_array_equal(cues.held(None, question, kinds), table.held(rows, question, kinds))
