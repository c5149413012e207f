"""SQuAD evaluation: paragraph retrieval, excerpt hits and abstention, all on one encoder."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

import numpy as np

from ..answers import Answer, Answerer
from ..models import Encoder
from ..ranking import ArticleIndex, QueryScores, build_index, rewrite
from ..text import Article, Paragraph, split_sentences
from ..vectors import EmbeddingCache
from .baseline import Bm25Baseline
from .metrics import auroc, gold_rank, mean_reciprocal_rank, recall_at
from .progress import progress_bar
from .records import field, record

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SquadQuestion:
    """One question, the 0-based index of the paragraph that answers it, and its gold answers."""

    id: str
    text: str
    paragraph: int
    answers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SquadArticle:
    """One SQuAD article: its title, paragraph contexts and questions."""

    title: str
    contexts: tuple[str, ...]
    questions: tuple[SquadQuestion, ...]


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """An article indexed for evaluation, with its question vectors and the BM25 baseline.

    ``unmatched[i]`` embeds question ``i`` without the article's words (None when nothing is
    left); ``foreign_unmatched[i]`` is the same against the next article, which the question is
    also asked of.
    """

    item: SquadArticle
    index: ArticleIndex
    question_vectors: np.ndarray
    unmatched: tuple[np.ndarray | None, ...]
    foreign_unmatched: tuple[np.ndarray | None, ...]
    baseline: Bm25Baseline


def gold_ranks(prepared: Sequence[PreparedArticle], answerer: Answerer) -> list[int]:
    """(Q,) 1-based rank of every question's gold paragraph in ``answerer``'s ranking, scored with the
    prepared question vectors (nothing encoded)."""
    return [
        gold_rank(answerer.score(article.index, question.text, query_vector=article.question_vectors[i],
                                 unmatched_vector=article.unmatched[i]).paragraph, question.paragraph)
        for article in prepared
        for i, question in enumerate(article.item.questions)
    ]


@dataclass(frozen=True, slots=True)
class Ranking:
    """Paragraph retrieval quality of one ranker."""

    recall_at_1: float
    recall_at_3: float
    mrr: float

    @classmethod
    def of(cls, ranks: Sequence[int]) -> Ranking:
        """R@1, R@3 and MRR from 1-based gold ranks."""
        array = np.asarray(ranks)
        return cls(recall_at(array, 1), recall_at(array, 3), mean_reciprocal_rank(array))

    def to_json(self) -> dict:
        """``{"r@1", "r@3", "mrr"}``."""
        return {"r@1": self.recall_at_1, "r@3": self.recall_at_3, "mrr": self.mrr}


@dataclass(frozen=True, slots=True)
class SquadReport:
    """Everything ``article-bot eval squad`` reports."""

    articles: int
    questions: int
    ours: Ranking
    dense: Ranking
    bm25: Ranking
    hit_rate: float
    mean_quote_words: float
    auroc: float
    false_abstention: float
    other_abstention: float
    threshold: float
    seconds: float

    def to_json(self) -> dict:
        """The report as plain JSON types."""
        out: dict = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            out[name] = value.to_json() if isinstance(value, Ranking) else value
        return out


def load_squad(path: str | Path, limit: int | None = None) -> list[SquadArticle]:
    """Read SQuAD-format JSON (``data[].paragraphs[].qas[]``); ``limit`` keeps the first N articles."""
    with open(path, encoding="utf-8") as handle:
        try:
            data = field(record(json.load(handle), str(path)), "data", list, str(path))
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}: not JSON ({error})") from None
    articles = []
    for place, entry in enumerate(data[:limit] if limit else data):
        where = f"{path}: data[{place}]"
        entry = record(entry, where)
        contexts, questions = [], []
        for number, paragraph in enumerate(field(entry, "paragraphs", list, where)):
            at = f"{where}.paragraphs[{number}]"
            paragraph = record(paragraph, at)
            contexts.append(field(paragraph, "context", str, at))
            for asked, qa in enumerate(field(paragraph, "qas", list, at)):
                qa = record(qa, f"{at}.qas[{asked}]")
                texts = (field(record(a, f"{at}.qas[{asked}]"), "text", str, f"{at}.qas[{asked}].answers")
                         for a in field(qa, "answers", list, f"{at}.qas[{asked}]"))
                questions.append(SquadQuestion(field(qa, "id", str, f"{at}.qas[{asked}]"),
                                               field(qa, "question", str, f"{at}.qas[{asked}]"), number,
                                               tuple(dict.fromkeys(texts))))
        articles.append(SquadArticle(field(entry, "title", str, where), tuple(contexts), tuple(questions)))
    return articles


def build_article(item: SquadArticle) -> Article:
    """An Article whose paragraph ``i`` is SQuAD context ``i`` (joined by blank lines)."""
    texts = [context.strip() for context in item.contexts]
    paragraphs, position = [], 0
    for number, text in enumerate(texts, start=1):
        spans = tuple(split_sentences(text, offset=position))
        paragraphs.append(Paragraph(number, position, position + len(text), text, spans))
        position += len(text) + 2
    return Article("\n\n".join(texts), tuple(paragraphs), item.title.replace("_", " "), item.title)


def unmatched_text(index: ArticleIndex, question: str) -> str | None:
    """What :meth:`Answerer.score` embeds besides the question: its words the article lacks."""
    return index.sentence_lexical.unmatched_text(rewrite(question, index.sentence_lexical))


def prepare(
    items: Sequence[SquadArticle], encoder: Encoder, cache: EmbeddingCache, *, progress: bool = False
) -> list[PreparedArticle]:
    """Index every article (one batch each), then embed all questions in one batch."""
    with progress_bar(total=len(items) + 1, desc="indexing", enabled=progress) as bar:
        indexes = []
        for item in items:
            indexes.append(build_index(build_article(item), encoder, cache))
            bar.update(1)
        texts: list[str] = []
        slots: list[list[int | None]] = []  # per article: question, own unmatched, foreign unmatched
        for number, item in enumerate(items):
            own, foreign = indexes[number], indexes[(number + 1) % len(items)]
            for question in item.questions:
                text = " ".join(question.text.split())
                row: list[int | None] = []
                for candidate in (text, unmatched_text(own, text), unmatched_text(foreign, text)):
                    row.append(None if candidate is None else len(texts))
                    if candidate is not None:
                        texts.append(candidate)
                slots.append(row)
        vectors, _ = cache.embed(encoder, texts)
        bar.update(1)
    prepared, offset = [], 0
    for item, index in zip(items, indexes, strict=True):
        rows = slots[offset : offset + len(item.questions)]
        offset += len(item.questions)
        pick = [tuple(None if r[k] is None else vectors[r[k]] for r in rows) for k in (1, 2)]
        question_vectors = vectors[[int(r[0] or 0) for r in rows]] if rows else np.zeros((0, vectors.shape[1]))
        prepared.append(PreparedArticle(
            item, index, question_vectors, pick[0], pick[1], Bm25Baseline(list(item.contexts))
        ))
    return prepared


def _ask(
    answerer: Answerer,
    index: ArticleIndex,
    question: SquadQuestion,
    vector: np.ndarray,
    unmatched: np.ndarray | None,
) -> tuple[QueryScores, Answer]:
    """Scores and answer for one question against one index, without calling the encoder."""
    scores = answerer.score(index, question.text, query_vector=vector, unmatched_vector=unmatched)
    scores, confidence = answerer.settle(index, question.text, scores)  # a second opinion when uncertain
    return scores, answerer.answer_settled(index, question.text, scores, confidence)


def evaluate_squad(
    prepared: Sequence[PreparedArticle],
    answerer: Answerer,
    *,
    dump: TextIO | None = None,
    progress: bool = False,
) -> SquadReport:
    """Ask every question of its own article and of the next article; score all rankers."""
    started = time.perf_counter()
    ours, dense, bm25, hits, words, own, answered, other, other_answered = ([] for _ in range(9))
    total = sum(len(p.item.questions) for p in prepared)
    with progress_bar(total=total, desc="questions", enabled=progress) as bar:
        for number, article in enumerate(prepared):
            foreign = prepared[(number + 1) % len(prepared)] if len(prepared) > 1 else None
            for i, question in enumerate(article.item.questions):
                vector = article.question_vectors[i]
                scores, answer = _ask(answerer, article.index, question, vector, article.unmatched[i])
                ours.append(gold_rank(scores.paragraph, question.paragraph))
                dense.append(gold_rank(scores.paragraph_dense, question.paragraph))
                bm25.append(gold_rank(article.baseline.scores(question.text), question.paragraph))
                quote = answer.citations[0].quote if answer.citations else None
                hits.append(quote is not None and any(gold in quote for gold in question.answers))
                if quote is not None:
                    words.append(len(quote.split()))
                own.append(answer.confidence)
                answered.append(answer.answered)
                line = {"id": question.id, "title": article.item.title,
                        "gold_paragraph": question.paragraph + 1, "answers": list(question.answers),
                        "confidence": answer.confidence, "answer": answer.to_json()}
                if foreign is not None:
                    _, elsewhere = _ask(
                        answerer, foreign.index, question, vector, article.foreign_unmatched[i]
                    )
                    other.append(elsewhere.confidence)
                    other_answered.append(elsewhere.answered)
                    line["other"] = {"title": foreign.item.title, "confidence": elsewhere.confidence,
                                     "answer": elsewhere.to_json()}
                if dump is not None:
                    dump.write(json.dumps(line, ensure_ascii=False) + "\n")
                bar.update(1)
    return SquadReport(
        articles=len(prepared),
        questions=total,
        ours=Ranking.of(ours),
        dense=Ranking.of(dense),
        bm25=Ranking.of(bm25),
        hit_rate=_mean(hits),
        mean_quote_words=_mean(words),
        auroc=auroc(np.array(own), np.array(other)),
        false_abstention=1 - _mean(answered),
        other_abstention=1 - _mean(other_answered),
        threshold=answerer.settings.threshold,
        seconds=time.perf_counter() - started,
    )


def run_squad(
    path: str | Path,
    encoder: Encoder,
    answerer: Answerer,
    cache: EmbeddingCache,
    *,
    limit: int | None = None,
    dump: TextIO | None = None,
    progress: bool = False,
) -> SquadReport:
    """Load, index and evaluate in one go; ``seconds`` covers the whole run."""
    started = time.perf_counter()
    prepared = prepare(load_squad(path, limit), encoder, cache, progress=progress)
    report = evaluate_squad(prepared, answerer, dump=dump, progress=progress)
    return replace(report, seconds=time.perf_counter() - started)


def _mean(values: Sequence[float]) -> float:
    return float(np.mean(values)) if len(values) else float("nan")
