"""Summary evaluation on a tiny fixture with the real model."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from embeddings.answers import Summarizer
from embeddings.evaluation.summaries import evaluate_summaries, load_summaries
from embeddings.vectors import EmbeddingCache

FIXTURE = Path(__file__).parent / "fixtures" / "summaries-tiny.jsonl"


@pytest.fixture(scope="module")
def items():
    return load_summaries(FIXTURE)


def test_load_summaries(items):
    """One item a line, with id, article and highlights."""
    assert [item.id for item in items] == ["t1", "t2", "t3"]
    assert items[0].highlights.count("\n") == 2
    assert len(load_summaries(FIXTURE, limit=2)) == 2


def test_rouge_of_ours_and_lead(items, encoder):
    """Both systems are scored; every summary sentence is verbatim."""
    report = evaluate_summaries(items, encoder, Summarizer(encoder), EmbeddingCache(None))
    assert report.articles == 3 and report.verbatim
    for rouge in (report.ours, report.lead):
        assert 0 < rouge.rouge2 <= rouge.rouge1 <= 1 and 0 < rouge.rougeL <= 1
    json.dumps(report.to_json())


def test_dump_lists_summary_and_lead(items, encoder):
    """--dump writes our sentences, the Lead-3 sentences and both scores for each article."""
    buffer = io.StringIO()
    evaluate_summaries(items, encoder, Summarizer(encoder), EmbeddingCache(None), dump=buffer)
    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert [line["id"] for line in lines] == ["t1", "t2", "t3"]
    first = lines[0]
    assert first["lead"][0].startswith("london ( cnn ) a rare white giraffe")
    assert len(first["lead"]) == 3 and len(first["summary"]["sentences"]) == 3
    assert set(first["rouge"]) == {"rouge1", "rouge2", "rougeL"}


@pytest.mark.parametrize("sentences", [1, 2])
def test_sentence_count(items, encoder, sentences):
    """Lead-N and our summary use the same number of sentences."""
    buffer = io.StringIO()
    evaluate_summaries(
        items[:1], encoder, Summarizer(encoder), EmbeddingCache(None), sentences=sentences, dump=buffer
    )
    line = json.loads(buffer.getvalue())
    assert len(line["lead"]) == len(line["summary"]["sentences"]) == sentences
