"""XQuAD evaluation: questions in one language, article in another.

XQuAD (Artetxe et al., 2019) is 120 SQuAD v1.1 dev paragraphs with 612 questions, translated into
eleven languages; ``xquad.<lang>.json`` holds one language as SQuAD JSON, with the same question
ids and paragraph order in every file. Per question language we measure

* **forward**: the language's questions against one article of all 120 English paragraphs (the
  quote hit is against the English answer of the same question id);
* **reverse** (not for English): the English questions against one article of all the language's
  paragraphs (the quote hit is against the language's answer);
* **other-article negatives** (forward only): the language's questions against the English
  paragraphs of the next title (file order, wrapping round): the share declined, and the AUROC of
  the confidence of own-article versus other-article questions.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

import numpy as np

from ..answers import Answer, Answerer, clean_question
from ..errors import ArticleBotError
from ..models import Encoder
from ..ranking import ArticleIndex, build_index
from ..vectors import EmbeddingCache
from .metrics import auroc, gold_rank, mean_reciprocal_rank, recall_at
from .progress import progress_bar
from .squad import SquadArticle, build_article, load_squad

log = logging.getLogger(__name__)

ENGLISH = "en"
FORWARD, REVERSE = "forward", "reverse"


@dataclass(frozen=True, slots=True)
class XquadQuestion:
    """One question id in every language loaded: its texts and answers per language, and where it
    is answered (0-based over all paragraphs of the set, and 0-based title)."""

    id: str
    paragraph: int
    title: int
    texts: dict[str, str]
    answers: dict[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class XquadSet:
    """The loaded languages (English first), the English titles, every language's paragraph
    contexts per title, and the questions paired across languages by id."""

    languages: tuple[str, ...]
    titles: tuple[str, ...]
    contexts: dict[str, tuple[tuple[str, ...], ...]]
    questions: tuple[XquadQuestion, ...]

    def article(self, language: str) -> SquadArticle:
        """All paragraphs of ``language``, in file order, as one article."""
        contexts = tuple(context for title in self.contexts[language] for context in title)
        return SquadArticle(f"XQuAD_{language}", contexts, ())

    def title_article(self, title: int) -> SquadArticle:
        """The English paragraphs of one title."""
        return SquadArticle(self.titles[title], self.contexts[ENGLISH][title], ())


@dataclass(frozen=True, slots=True)
class XquadRow:
    """Quality for one question language in one direction."""

    language: str
    direction: str
    questions: int
    recall_at_1: float
    mrr: float
    quote_hit: float  # first quote contains a gold answer in the article's language
    false_abstention: float  # answerable questions declined
    other_declined: float  # questions asked of another title's English paragraphs, declined (forward)
    auroc: float  # confidence, own article vs other article (forward)
    errors: int  # asks the engine raised on, own and other article (not answered, ranked last)

    def to_json(self) -> dict:
        """The row as plain JSON types."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class XquadReport:
    """Everything ``article-bot eval xquad`` reports: one row per language and direction."""

    titles: int
    paragraphs: int
    rows: tuple[XquadRow, ...]
    threshold: float
    seconds: float

    def to_json(self) -> dict:
        """The report as plain JSON types."""
        return {"titles": self.titles, "paragraphs": self.paragraphs, "rows": [r.to_json() for r in self.rows],
                "threshold": self.threshold, "seconds": self.seconds}


def available_languages(directory: str | Path) -> list[str]:
    """The languages with an ``xquad.<lang>.json`` in ``directory``, English first, then by name."""
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"no such directory: {directory}")
    found = sorted(path.name[len("xquad."):-len(".json")] for path in directory.glob("xquad.*.json"))
    return sorted(found, key=lambda language: language != ENGLISH)


def load_xquad(directory: str | Path, languages: Sequence[str] | None = None) -> XquadSet:
    """Read English and ``languages`` (default: every language in ``directory``) and pair their
    questions by id; ValueError when a language is missing or the files disagree."""
    present = available_languages(directory)
    wanted = list(dict.fromkeys([ENGLISH, *(languages or present)]))
    missing = [language for language in wanted if language not in present]
    if missing:
        raise ValueError(f"no xquad.<lang>.json for {', '.join(missing)} in {directory}")
    loaded = {language: load_squad(Path(directory) / f"xquad.{language}.json") for language in wanted}
    contexts = {language: tuple(item.contexts for item in items) for language, items in loaded.items()}
    texts: dict[str, dict[str, str]] = {}
    answers: dict[str, dict[str, tuple[str, ...]]] = {}
    places: dict[str, tuple[int, int]] = {}  # id -> (paragraph over the set, title), from English
    for language, items in loaded.items():
        if [len(title) for title in contexts[language]] != [len(title) for title in contexts[ENGLISH]]:
            raise ValueError(f"xquad.{language}.json: its paragraphs do not match xquad.en.json's")
        offset = 0
        for number, item in enumerate(items):
            for question in item.questions:
                place = (offset + question.paragraph, number)
                known = places.setdefault(question.id, place) if language == ENGLISH else places.get(question.id)
                if known != place:
                    raise ValueError(f"xquad.{language}.json: question {question.id} is not in xquad.en.json's place")
                texts.setdefault(question.id, {})[language] = question.text
                answers.setdefault(question.id, {})[language] = question.answers
            offset += len(item.contexts)
    incomplete = [key for key, by_language in texts.items() if len(by_language) != len(wanted)]
    if incomplete:
        raise ValueError(f"questions missing in some languages: {', '.join(incomplete[:5])}")
    questions = tuple(XquadQuestion(key, *places[key], texts[key], answers[key]) for key in texts)
    titles = tuple(item.title for item in loaded[ENGLISH])
    return XquadSet(tuple(wanted), titles, contexts, questions)


@dataclass(frozen=True, slots=True)
class _Outcome:
    rank: int
    confidence: float  # NaN when the engine raised
    answered: bool
    quote_hit: bool
    answer: Answer | None


def _ask(answerer: Answerer, index: ArticleIndex, text: str, gold: int | None, answers: Sequence[str]) -> _Outcome:
    """One question against one index, as the engine answers it; an engine error is not answered."""
    question = clean_question(text, answerer.settings.max_question_chars)
    try:
        scores, confidence = answerer.ranked(index, question)
        answer = answerer.answer_settled(index, question, scores, confidence)
    except ArticleBotError as error:
        log.warning("question %r raised %s", text, error)
        return _Outcome(len(index.article.paragraphs) + 1, float("nan"), False, False, None)
    rank = gold_rank(scores.paragraph, gold) if gold is not None else 0
    quote = answer.citations[0].quote if answer.citations else None
    hit = quote is not None and any(gold_text in quote for gold_text in answers)
    return _Outcome(rank, float(confidence), answer.answered, hit, answer)


def _row(language: str, direction: str, own: Sequence[_Outcome], other: Sequence[_Outcome]) -> XquadRow:
    ranks = np.array([outcome.rank for outcome in own])
    mine = np.array([o.confidence for o in own if not math.isnan(o.confidence)])
    elsewhere = np.array([o.confidence for o in other if not math.isnan(o.confidence)])
    return XquadRow(
        language, direction, len(own), recall_at(ranks, 1), mean_reciprocal_rank(ranks),
        _mean([o.quote_hit for o in own]), _mean([not o.answered for o in own]),
        _mean([not o.answered for o in other]), auroc(mine, elsewhere),
        sum(o.answer is None for o in (*own, *other)),
    )


def _dump_line(question: XquadQuestion, language: str, direction: str, outcome: _Outcome) -> dict:
    return {
        "id": question.id, "language": language, "direction": direction,
        "gold_paragraph": question.paragraph + 1, "rank": outcome.rank, "confidence": _finite(outcome.confidence),
        "answered": outcome.answered, "quote_hit": outcome.quote_hit,
        "answer": outcome.answer.to_json() if outcome.answer else None,
    }


def evaluate_xquad(
    xquad: XquadSet,
    encoder: Encoder,
    answerer: Answerer,
    cache: EmbeddingCache,
    *,
    languages: Sequence[str] | None = None,
    dump: TextIO | None = None,
    progress: bool = False,
) -> XquadReport:
    """Ask every question of ``languages`` (default: all loaded) forward, reverse and of another
    title's English paragraphs; one row per language and direction, forward rows first per language."""
    started = time.perf_counter()
    languages = list(languages or xquad.languages)
    indexes: dict[str | int, ArticleIndex] = {}  # a language's whole article, or a title's English one

    def index(key: str | int) -> ArticleIndex:
        if key not in indexes:
            item = xquad.article(key) if isinstance(key, str) else xquad.title_article(key)
            indexes[key] = build_index(build_article(item), encoder, cache)
        return indexes[key]

    questions = xquad.questions
    asks = sum(2 * len(questions) if language == ENGLISH else 3 * len(questions) for language in languages)
    rows = []
    with progress_bar(total=asks, desc="questions", enabled=progress) as bar:
        for language in languages:
            own, other = [], []
            for question in questions:
                text = question.texts[language]
                outcome = _ask(answerer, index(ENGLISH), text, question.paragraph, question.answers[ENGLISH])
                own.append(outcome)
                line = _dump_line(question, language, FORWARD, outcome)
                if len(xquad.titles) > 1:  # one title has no other article
                    title = (question.title + 1) % len(xquad.titles)
                    elsewhere = _ask(answerer, index(title), text, None, ())
                    other.append(elsewhere)
                    line["other"] = {"title": xquad.titles[title], "confidence": _finite(elsewhere.confidence),
                                     "answered": elsewhere.answered,
                                     "answer": elsewhere.answer.to_json() if elsewhere.answer else None}
                if dump is not None:
                    dump.write(json.dumps(line, ensure_ascii=False) + "\n")
                bar.update(2)
            rows.append(_row(language, FORWARD, own, other))
            if language == ENGLISH:
                continue
            reverse = []
            for question in questions:
                outcome = _ask(answerer, index(language), question.texts[ENGLISH], question.paragraph,
                               question.answers[language])
                reverse.append(outcome)
                if dump is not None:
                    dump.write(json.dumps(_dump_line(question, language, REVERSE, outcome), ensure_ascii=False) + "\n")
                bar.update(1)
            rows.append(_row(language, REVERSE, reverse, ()))
    return XquadReport(
        titles=len(xquad.titles),
        paragraphs=sum(len(title) for title in xquad.contexts[ENGLISH]),
        rows=tuple(rows),
        threshold=answerer.settings.threshold,
        seconds=time.perf_counter() - started,
    )


def run_xquad(
    directory: str | Path,
    encoder: Encoder,
    answerer: Answerer,
    cache: EmbeddingCache,
    *,
    languages: Sequence[str] | None = None,
    dump: TextIO | None = None,
    progress: bool = False,
) -> XquadReport:
    """Load and evaluate in one go; ``seconds`` covers the whole run."""
    started = time.perf_counter()
    xquad = load_xquad(directory, languages)
    wanted = list(dict.fromkeys(languages)) if languages else list(xquad.languages)
    report = evaluate_xquad(xquad, encoder, answerer, cache, languages=wanted, dump=dump, progress=progress)
    return replace(report, seconds=time.perf_counter() - started)


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else value


def _mean(values: Sequence[bool]) -> float:
    return float(np.mean(values)) if len(values) else float("nan")
