"""Summary evaluation: ROUGE-1/2/L F1 of our summaries and of Lead-3, in one run."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np

from ..answers import Summarizer
from ..models import Encoder
from ..ranking import ArticleIndex, build_index, sentence_texts
from ..text import Article, parse_text
from ..vectors import EmbeddingCache
from .progress import progress_bar
from .records import field, record

log = logging.getLogger(__name__)

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
CHUNK = 64  # articles whose texts are embedded in one batch


@dataclass(frozen=True, slots=True)
class SummaryItem:
    """One article and its reference highlights (one a line)."""

    id: str
    article: str
    highlights: str


@dataclass(frozen=True, slots=True)
class Rouge:
    """Mean ROUGE-1, ROUGE-2 and ROUGE-L F1 of one system."""

    rouge1: float
    rouge2: float
    rougeL: float  # rouge-score's name

    def to_json(self) -> dict:
        """``{"rouge1", "rouge2", "rougeL"}``."""
        return {"rouge1": self.rouge1, "rouge2": self.rouge2, "rougeL": self.rougeL}


@dataclass(frozen=True, slots=True)
class SummaryReport:
    """Everything ``article-bot eval summaries`` reports."""

    articles: int
    sentences: int
    ours: Rouge
    lead: Rouge
    verbatim: bool
    mean_words: float
    lead_mean_words: float
    seconds: float

    def to_json(self) -> dict:
        """The report as plain JSON types."""
        out: dict = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            out[name] = value.to_json() if isinstance(value, Rouge) else value
        return out


def load_summaries(path: str | Path, limit: int | None = None) -> list[SummaryItem]:
    """Read JSONL with ``article`` and ``highlights`` (text; optionally ``id``); ValueError naming the line
    of one that is not JSON or lacks either."""
    items = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if limit is not None and len(items) >= limit:
                break
            if line.strip():
                where = f"{path}:{number + 1}"
                try:
                    data = record(json.loads(line), where)
                except json.JSONDecodeError as error:
                    raise ValueError(f"{where}: not JSON ({error})") from None
                items.append(SummaryItem(str(data.get("id", number)), field(data, "article", str, where),
                                         field(data, "highlights", str, where)))
    return items


def _scorer():
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)


def _mean(scores: list[dict]) -> Rouge:
    return Rouge(*(float(np.mean([s[kind].fmeasure for s in scores])) for kind in ROUGE_TYPES))


def _articles(
    items: Sequence[SummaryItem], encoder: Encoder, cache: EmbeddingCache
) -> Iterator[tuple[SummaryItem, Article]]:
    """Parse articles in chunks and embed each chunk's texts in one batch (length-sorted, so
    little padding), leaving :func:`build_index` only cache hits."""
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        articles = [parse_text(item.article, source=item.id) for item in chunk]
        texts = [p.text for a in articles for p in a.paragraphs]
        cache.embed(encoder, texts + [t for a in articles for t in sentence_texts(a)])
        yield from zip(chunk, articles, strict=True)


def lead(index: ArticleIndex, count: int) -> list[str]:
    """The first ``count`` sentences of the article."""
    return sentence_texts(index.article)[:count]


def evaluate_summaries(
    items: Sequence[SummaryItem],
    encoder: Encoder,
    summarizer: Summarizer,
    cache: EmbeddingCache,
    *,
    sentences: int = 3,
    dump: TextIO | None = None,
    progress: bool = False,
) -> SummaryReport:
    """Summarise every article and score it and Lead-N against the highlights."""
    started = time.perf_counter()
    scorer = _scorer()
    ours, leads, words, lead_words = [], [], [], []
    verbatim = True
    with progress_bar(total=len(items), desc="summaries", enabled=progress) as bar:
        for item, article in _articles(items, encoder, cache):
            index = build_index(article, encoder, cache)
            summary = summarizer.summarize(index, sentences)
            text = index.article.text
            verbatim &= all(text[s.start : s.end] == s.quote for s in summary.sentences)
            chosen = [s.quote for s in summary.sentences]
            baseline = lead(index, sentences)
            ours.append(scorer.score(item.highlights, "\n".join(chosen)))
            leads.append(scorer.score(item.highlights, "\n".join(baseline)))
            words.append(sum(len(s.split()) for s in chosen))
            lead_words.append(sum(len(s.split()) for s in baseline))
            if dump is not None:
                line = {"id": item.id, "summary": summary.to_json(), "lead": baseline,
                        "rouge": {k: ours[-1][k].fmeasure for k in ROUGE_TYPES},
                        "lead_rouge": {k: leads[-1][k].fmeasure for k in ROUGE_TYPES}}
                dump.write(json.dumps(line, ensure_ascii=False) + "\n")
            bar.update(1)
    return SummaryReport(
        articles=len(items),
        sentences=sentences,
        ours=_mean(ours),
        lead=_mean(leads),
        verbatim=verbatim,
        mean_words=float(np.mean(words)) if words else float("nan"),
        lead_mean_words=float(np.mean(lead_words)) if lead_words else float("nan"),
        seconds=time.perf_counter() - started,
    )
