"""Remembers which question each answer message answered, for reply-to-answer follow-ups."""

from __future__ import annotations

import logging
from collections import OrderedDict

log = logging.getLogger(__name__)


class AnsweredQuestions:
    """A bounded map from answer message id to the question it answered."""

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._questions: OrderedDict[int, str] = OrderedDict()

    def remember(self, answer_id: int, question: str) -> None:
        """Record that message ``answer_id`` answered ``question``."""
        self._questions[answer_id] = question
        self._questions.move_to_end(answer_id)
        while len(self._questions) > self.capacity:
            self._questions.popitem(last=False)

    def question_for(self, answer_id: int) -> str | None:
        """The question answer message ``answer_id`` answered, if remembered (the store has the rest)."""
        return self._questions.get(answer_id)
