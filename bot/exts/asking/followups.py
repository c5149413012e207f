"""Remembers which question each answer message answered, for reply-to-answer follow-ups."""

from __future__ import annotations

import logging
from collections import OrderedDict

log = logging.getLogger(__name__)


class AnsweredQuestions:
    """A bounded map from answer message id to the question it answered."""

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._questions: OrderedDict[int, tuple[str, int | None]] = OrderedDict()  # -> (question, asker)

    def remember(self, answer_id: int, question: str, asked_by: int | None = None) -> None:
        """Record that message ``answer_id`` answered ``question`` (asked by user ``asked_by``)."""
        self._questions[answer_id] = (question, asked_by)
        self._questions.move_to_end(answer_id)
        while len(self._questions) > self.capacity:
            self._questions.popitem(last=False)

    def forget_user(self, user_id: int) -> int:
        """Drop every question ``user_id`` asked; returns how many were dropped."""
        theirs = [answer_id for answer_id, (_, asker) in self._questions.items() if asker == user_id]
        for answer_id in theirs:
            del self._questions[answer_id]
        return len(theirs)

    def question_for(self, answer_id: int) -> str | None:
        """The question answer message ``answer_id`` answered, if remembered (the store has the rest)."""
        known = self._questions.get(answer_id)
        return known[0] if known is not None else None
