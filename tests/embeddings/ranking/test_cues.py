"""Question-type cues: what a question asks for and which sentences hold it."""

from __future__ import annotations

import numpy as np

from embeddings.ranking.cues import CUE_WEIGHTS, CUES, cue_bonus, cue_weights, question_cues, sentence_cues


def asked(question: str) -> set[str]:
    return {c for c, v in zip(CUES, question_cues(question), strict=True) if v}


def test_question_kinds():
    """'How many' asks a quantity, 'when' a time, 'who said' a person and the attribution,
    'where' a place, and a question opening with 'did' is yes/no (settled by a negation or not)."""
    assert asked("How many people were evacuated?") == {"quantity"}
    assert asked("When did the strike start?") == {"time"}
    assert asked("Who said nobody was killed?") == {"person", "attribution"}
    assert asked("Where is the plant?") == {"place"}
    assert asked("Did anyone die?") == {"negation"}
    assert asked("Which news agency named the supplier?") == {"attribution"}


def test_sentence_holds_a_number_the_question_does_not_say():
    """A number counts as a quantity only when the question does not already say it."""
    sentences = ["More than 300 people were evacuated.", "Nobody was evacuated."]
    held = sentence_cues(sentences, "How many people were evacuated?")
    assert held[:, CUES.index("quantity")].tolist() == [1.0, 0.0]
    again = sentence_cues(sentences, "Were 300 people evacuated?")
    assert again[0, CUES.index("quantity")] == 0.0


def test_sentence_kinds():
    """Dates and days are times, 'said' is an attribution, 'not' a negation."""
    held = sentence_cues(["On Wednesday the mayor said it would not reopen until 2027."])[0]
    assert {c for c, v in zip(CUES, held, strict=True) if v} >= {"time", "attribution", "negation"}


def test_bonus_is_the_weighted_kinds_asked_and_held():
    """(S, C) @ (C,): only kinds both asked and held add their weight."""
    held = np.array([[1, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0]], dtype=np.float32)
    weights = cue_weights({"quantity": 0.1, "time": 0.2})
    bonus = cue_bonus(question_cues("How many?"), held, weights)
    assert np.allclose(bonus, [0.1, 0.0])


def test_shipped_weights_are_plain_non_negative_numbers():
    """The fitted weights ship as numbers for every cue."""
    assert set(CUE_WEIGHTS) == set(CUES)
    assert all(isinstance(v, float) and v >= 0 for v in CUE_WEIGHTS.values())


def test_sentence_cues_limited_to_kinds_equal_the_full_columns():
    """With ``kinds``, only those cue columns are computed; they equal the full result, the others are 0."""
    sentences = ["On Monday 300 people left Mariupol, the mayor said.", "No one was hurt, officials said not."]
    question = "How many people left?"
    full = sentence_cues(sentences, question)
    kinds = np.array([1, 0, 0, 1, 0, 0], dtype=np.float32)
    limited = sentence_cues(sentences, question, kinds)
    assert full[:, [1, 2, 4, 5]].any() and full[:, 0].any()
    np.testing.assert_array_equal(limited[:, [0, 3]], full[:, [0, 3]])
    assert not limited[:, [1, 2, 4, 5]].any()
