"""Typed rows and reports read from the database."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CitedParagraph:
    """A paragraph an answer cited: its number then, its text digest, and the article (library id and
    version digest) it came from."""

    paragraph: int
    digest: str
    article_id: str | None = None
    version: str | None = None


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """One stored answer."""

    id: int
    message_id: int | None
    user_id: int
    question: str
    answered: bool
    cited: tuple[CitedParagraph, ...]
    version_id: int | None
    asked_at: float


@dataclass(frozen=True, slots=True)
class VersionRecord:
    """One loaded version of the article."""

    id: int
    digest: str
    source: str
    title: str
    loaded_at: float
    loaded_by: int | None
    added: int
    removed: int
    changed: int
    paragraph_digests: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AskedQuestion:
    """A question and how often it was asked."""

    question: str
    count: int


@dataclass(frozen=True, slots=True)
class VotedAnswer:
    """An answer with its votes, and whether a later reload changed what it cited."""

    answer: AnswerRecord
    up: int
    down: int
    stale: bool


@dataclass(frozen=True, slots=True)
class InsightReport:
    """What /insights shows for a window."""

    window: str
    abstained: tuple[str, ...]
    most_down: tuple[VotedAnswer, ...]
    most_asked: tuple[AskedQuestion, ...]
    stale: tuple[VotedAnswer, ...]
    total_questions: int
